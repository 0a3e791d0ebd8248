# Copyright 2026 The TF-Slim ResNet authors. All Rights Reserved.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
# ==============================================================================
r"""Trains a network of nets/nets_factory.py on a converted data set.

slim's script and flags (see utils/flag_defs/train_eval.py); the work is done
by utils/training/train_lib.train. Example (the digits data set of `make demo`):

  python train_image_classifier.py --train_dir=/runs/digits \
      --dataset_name=digits --dataset_dir=/data/digits \
      --model_name=resnet_cifar_20 --optimizer=momentum --learning_rate=0.1 \
      --learning_rate_decay_type=cosine --num_epochs_per_decay=50 \
      --warmup_epochs=1 --max_number_of_steps=2400

Running it again with the same --train_dir resumes from the newest complete
checkpoint (also after a kill -9). Fine-tuning: --checkpoint_path,
--checkpoint_exclude_scopes, --trainable_scopes, --ignore_missing_vars.
A corrupt record stops training with an error naming its file, unless
--skip_corrupt.

On a cluster (utils/distributed/cluster.py), every task runs this script with
the same flags plus its own --job_name and --task (or TF_CONFIG); a ps serves
the variables until killed, the workers train (add --sync_replicas and
--replicas_to_aggregate for synchronous updates):

  python train_image_classifier.py --ps_hosts=h0:2222 \
      --worker_hosts=h1:2222,h2:2222 --job_name=worker --task=0 ...

`python -m utils.distributed.launch_cluster` starts such a cluster on one
machine.
"""

import os

from absl import app
from absl import flags
import tensorflow.compat.v1 as tf

import nets  # noqa: F401  (applies nets/tf_compat first)
from utils import flag_defs
from utils import precision
from utils.datasets import dataset_factory
from utils.distributed import cluster
from utils.flag_defs import configs
from utils.flag_defs import train_eval
from utils.training import hooks
from utils.training import train_lib

FLAGS = flags.FLAGS


def main(argv):
  flag_defs.start_script(argv, FLAGS)
  # Bad input (checked before any graph is built), missing or corrupt data
  # and a diverged loss end in one line saying what and how to fix it.
  with flag_defs.exit_on_error(
    'train_image_classifier.py', (ValueError, IOError, hooks.NonFiniteLossError)
  ):
    session_config = precision.session_config(
      precision=FLAGS.precision,
      xla=FLAGS.xla,
      base_config=tf.ConfigProto(allow_soft_placement=True),
    )
    # Deployment: one process (slim's flags as given), or a task of a cluster
    # whose flags (or TF_CONFIG) imply master, chief, num_ps_tasks and
    # worker_replicas.
    cluster_fields = None
    config = cluster.resolve_cluster(
      ps_hosts=FLAGS.ps_hosts,
      worker_hosts=FLAGS.worker_hosts,
      job_name=FLAGS.job_name,
      task=FLAGS.task if FLAGS['task'].present else None,
      tf_config=os.environ.get('TF_CONFIG'),
    )
    if config is not None:
      cluster.check_flags(
        config,
        master=FLAGS.master,
        worker_replicas=(
          FLAGS.worker_replicas if FLAGS['worker_replicas'].present else None
        ),
        num_ps_tasks=(
          FLAGS.num_ps_tasks if FLAGS['num_ps_tasks'].present else None
        ),
        sync_replicas=FLAGS.sync_replicas,
        replicas_to_aggregate=FLAGS.replicas_to_aggregate,
      )
      session_config = cluster.session_config(config, session_config)
      server = cluster.start_server(config, session_config)
      if config.job_name == 'ps':
        server.join()  # Serves the variables until the process is killed.
        return
      cluster_fields = dict(
        master=server.target,
        is_chief=config.is_chief,
        task=config.task_index,
        num_ps_tasks=config.num_ps,
        worker_replicas=config.num_workers,
      )
    # The settings check themselves here, before the data is opened.
    train_config = configs.train_config(FLAGS, cluster_fields)
    dataset = dataset_factory.get_dataset(
      FLAGS.dataset_name, FLAGS.dataset_split_name, FLAGS.dataset_dir
    )
    result = train_lib.train(
      dataset,
      FLAGS.train_dir,
      FLAGS.model_name,
      train_config,
      session_config=session_config,
    )
  print(
    'Trained to global step %d (last loss %s); checkpoints in %s.'
    % (
      result.global_step,
      'n/a' if result.loss is None else '%.4f' % result.loss,
      FLAGS.train_dir,
    )
  )


if __name__ == '__main__':
  train_eval.define_train_flags()
  # --help lists the flags of utils/flag_defs/train_eval.py as its own.
  flags.adopt_module_key_flags(train_eval)
  app.run(main)
