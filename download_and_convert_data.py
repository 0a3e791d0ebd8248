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
r"""Downloads and converts a data set to TFRecords of tf.Examples.

Usage:

  python download_and_convert_data.py --dataset_name=digits \
      --dataset_dir=/tmp/digits
  python download_and_convert_data.py --dataset_name=cifar10 \
      --dataset_dir=/tmp/cifar10
  python download_and_convert_data.py --dataset_name=imagenet \
      --dataset_dir=/data/imagenet-tfrecord \
      --imagenet_train_dir=/data/ILSVRC2012/train \
      --imagenet_validation_dir=/data/ILSVRC2012/val \
      --imagenet_validation_labels_file=/data/val_labels.txt \
      --imagenet_metadata_file=/data/imagenet_metadata.txt

digits is built from scikit-learn's embedded copy; cifar10, mnist and flowers
are downloaded into --dataset_dir unless their archive is already there (place
it there by hand on a machine without network access), and verified against
the published checksum; imagenet is converted from a directory tree. Work
already done is skipped. The logic lives in utils/datasets/. A download
that fails (no network) or a bad archive ends in one line saying what to do.
"""

from absl import app
from absl import flags

from utils import flag_defs
from utils.datasets import dataset_factory
from utils.flag_defs import tools

FLAGS = flags.FLAGS

_DOWNLOADED = ('cifar10', 'flowers', 'mnist')


def main(argv):
  # Converting builds no graph: TensorFlow stays in eager mode.
  flag_defs.start_script(argv, FLAGS, graph_mode=False)
  name = FLAGS.dataset_name
  options = {}
  if name == 'imagenet':
    options = dict(
      train_dir=FLAGS.imagenet_train_dir,
      validation_dir=FLAGS.imagenet_validation_dir,
      validation_labels_file=FLAGS.imagenet_validation_labels_file,
      metadata_file=FLAGS.imagenet_metadata_file,
      num_threads=FLAGS.num_threads,
    )
  elif name in _DOWNLOADED:
    options = dict(accept_unverified_archive=FLAGS.accept_unverified_archive)
  with flag_defs.exit_on_error('download_and_convert_data.py'):
    dataset_factory.convert_dataset(name, FLAGS.dataset_dir, **options)
  print(
    'Finished converting the %s data set into %s.' % (name, FLAGS.dataset_dir)
  )


if __name__ == '__main__':
  tools.define_download_and_convert_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this script's own.
  flags.adopt_module_key_flags(tools)
  app.run(main)
