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
"""Flag definitions of the data set scripts; called by the scripts only.

Defining flags here, not at import of a library module, keeps tests free of
flag registration (STYLE.md 4.8).
"""

from absl import flags

from utils.datasets import dataset_factory


def define_download_and_convert_flags():
  """Defines the flags of download_and_convert_data.py (slim's names)."""
  # Which data set, and where.
  flags.DEFINE_enum('dataset_name', None, dataset_factory.dataset_names(),
                    'The name of the data set to convert.')
  flags.DEFINE_string('dataset_dir', None,
                      'The directory where the archive is looked for (and '
                      'downloaded to) and the TFRecords are written.')
  flags.DEFINE_bool('accept_unverified_archive', False,
                    'Convert an archive whose checksum does not match the '
                    'published one (not used by digits and imagenet).')
  flags.mark_flags_as_required(['dataset_name', 'dataset_dir'])

  # ImageNet only: it cannot be downloaded, it is converted from a tree.
  flags.DEFINE_string('imagenet_train_dir', None,
                      'ImageNet train directory of <synset>/ sub-directories.')
  flags.DEFINE_string('imagenet_validation_dir', None,
                      'ImageNet directory of validation images.')
  flags.DEFINE_string('imagenet_validation_labels_file', None,
                      'Lines "<filename> <synset>", or one synset per sorted '
                      'validation file.')
  flags.DEFINE_string('imagenet_metadata_file', None,
                      'Lines "<synset>\\t<human-readable name>", used for '
                      'labels.txt.')
  flags.DEFINE_integer('num_threads', 4,
                       'ImageNet shards written in parallel.', lower_bound=1)


def define_benchmark_flags():
  """Defines the flags of utils/benchmark/pipeline_benchmark.py."""
  flags.DEFINE_string('dataset_dir', None,
                      'Directory of converted TFRecords to read; by default '
                      'synthetic records are generated in a temporary '
                      'directory.')
  flags.DEFINE_string('dataset_name', 'imagenet',
                      'Data set read from --dataset_dir.')
  flags.DEFINE_string('dataset_split_name', 'train',
                      'Split read from --dataset_dir.')
  flags.DEFINE_list('preprocessing', ['vgg:224', 'inception:224',
                                      'inception:299', 'cifar:32'],
                    'Preprocessing:size pairs to measure.')
  flags.DEFINE_integer('batch_size', 32, 'Images per batch.', lower_bound=1)
  flags.DEFINE_integer('num_batches', 40, 'Batches timed per measurement.',
                       lower_bound=1)
  flags.DEFINE_integer('num_warmup_batches', 5,
                       'Batches run before timing.', lower_bound=0)
  flags.DEFINE_integer('num_readers', 2, 'Files read in parallel.',
                       lower_bound=1)
  flags.DEFINE_integer('num_preprocessing_threads', 2,
                       'Images decoded and preprocessed in parallel.',
                       lower_bound=1)
  flags.DEFINE_bool('is_training', True,
                    'Measure the training (augmenting) pipeline; false '
                    'measures evaluation.')
