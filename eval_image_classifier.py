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
r"""Evaluates checkpoints of a network: Accuracy (top-1) and Recall_5 (top-5).

slim's script and flags (see utils/flag_defs/train_eval.py); the work is done by
utils/training/eval_lib.evaluate. Every record of the split is read exactly once
(unless --max_num_batches). Example:

  python eval_image_classifier.py --checkpoint_path=/runs/digits \
      --eval_dir=/runs/digits/eval --dataset_name=digits \
      --dataset_split_name=test --dataset_dir=/data/digits \
      --model_name=resnet_cifar_20

With --eval_interval_secs (and optionally --timeout) the checkpoint directory
is watched and each new checkpoint is evaluated as training writes it. For
each checkpoint one line is printed:

  <checkpoint> global_step=<n> images=<n> Accuracy=<top-1> Recall_5=<top-5>

With --model_file, an exported model (export_inference_graph.py: .pb,
SavedModel directory, .onnx, .tflite) is evaluated instead, on the same
images with the same metrics (utils/export/evaluation.py), and with
--reference_model_file its top-1 agreement with another export:

  python eval_image_classifier.py --model_file=/runs/digits/int8.onnx \
      --reference_model_file=/runs/digits/fp32.onnx --dataset_name=digits \
      --dataset_split_name=test --dataset_dir=/data/digits \
      --model_name=resnet_cifar_20

  <model_file> format=<f> runtime=<r> images=<n> Accuracy=<top-1>
  Recall_5=<top-5> [Agreement=<fraction>]
"""

import sys

from absl import app
from absl import flags
import tensorflow.compat.v1 as tf

import nets  # noqa: F401  (applies nets/tf_compat first)
from utils import flag_defs
from utils import precision
from utils.datasets import dataset_factory
from utils.export import evaluation
from utils.flag_defs import configs
from utils.flag_defs import train_eval
from utils.training import eval_lib

FLAGS = flags.FLAGS


def main(argv):
  flag_defs.start_script(argv, FLAGS)
  # Bad input (checked before any graph is built), missing or corrupt data
  # end in one line saying what and how to fix it.
  with flag_defs.exit_on_error('eval_image_classifier.py'):
    dataset = dataset_factory.get_dataset(
      FLAGS.dataset_name, FLAGS.dataset_split_name, FLAGS.dataset_dir
    )
    if FLAGS.model_file or FLAGS.reference_model_file:
      _evaluate_exported(dataset)
      return
    session_config = precision.session_config(
      precision=FLAGS.precision,
      xla=FLAGS.xla,
      base_config=tf.ConfigProto(allow_soft_placement=True),
    )
    results = eval_lib.evaluate(
      dataset,
      FLAGS.checkpoint_path,
      FLAGS.model_name,
      configs.eval_config(FLAGS),
      eval_dir=FLAGS.eval_dir,
      session_config=session_config,
    )
    for result in results:
      print(
        '%s global_step=%d images=%d %s'
        % (
          result.checkpoint,
          result.global_step,
          result.num_examples,
          ' '.join(
            '%s=%.4f' % (name, result.metrics[name])
            for name in eval_lib.METRIC_NAMES
          ),
        )
      )
      sys.stdout.flush()


def _evaluate_exported(dataset):
  """--model_file: evaluates an exported model and prints its line."""
  checkpoint_only = [
    name
    for name in (
      'checkpoint_path',
      'moving_average_decay',
      'eval_interval_secs',
      'timeout',
      'xla',
      'master',
    )
    if FLAGS[name].present
  ]
  if checkpoint_only:
    raise ValueError(
      '--%s evaluate(s) checkpoints; not with --model_file=%r'
      % (', --'.join(checkpoint_only), FLAGS.model_file)
    )
  if not FLAGS.model_file:
    raise ValueError(
      '--reference_model_file=%r needs --model_file'
      % (FLAGS.reference_model_file,)
    )
  result = evaluation.evaluate_exported(
    dataset,
    FLAGS.model_file,
    FLAGS.model_name,
    configs.input_config(FLAGS, 'eval_image_size'),
    max_num_batches=FLAGS.max_num_batches,
    reference_file=FLAGS.reference_model_file,
    precision=FLAGS.precision,
  )
  print(
    '%s format=%s runtime=%s images=%d %s'
    % (
      result.model_file,
      result.format,
      result.runtime,
      result.num_examples,
      ' '.join(
        '%s=%.4f' % (name, result.metrics[name])
        for name in evaluation.METRIC_NAMES + (evaluation.AGREEMENT,)
        if name in result.metrics
      ),
    )
  )
  sys.stdout.flush()


if __name__ == '__main__':
  train_eval.define_eval_flags()
  # --help lists the flags of utils/flag_defs/train_eval.py as its own.
  flags.adopt_module_key_flags(train_eval)
  app.run(main)
