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
"""One table of data sets, and slim `Dataset` descriptors built from it.

Typical use, as with slim's `DatasetDataProvider`:

  dataset = dataset_factory.get_dataset('cifar10', 'train', '/data/cifar10')
  provider = slim.dataset_data_provider.DatasetDataProvider(dataset)
  image, label = provider.get(['image', 'label'])

or with the tf.data pipeline of `utils/input_pipeline.py`:

  images, labels = input_pipeline.make_dataset(dataset, 'cifar', 32, 32, True)

Registered data sets (split sizes are the published ones, which `num_samples`
reports; the converters write the files):

  name      splits                          classes  files
  cifar10   train 50,000 / test 10,000           10  cifar10_<split>.tfrecord
  digits    train 1,437 / test 360               10  digits_<split>.tfrecord
  flowers   train 3,320 / validation 350          5  flowers_<split>_*.tfrecord
  imagenet  train 1,281,167 / validation 50,000 1001  <split>-*
  mnist     train 60,000 / test 10,000           10  mnist_<split>.tfrecord
"""

import collections
import os

import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import tf_compat  # noqa: F401  (before tf_slim)
from utils.datasets import cifar10
from utils.datasets import dataset_utils
from utils.datasets import digits
from utils.datasets import flowers
from utils.datasets import imagenet
from utils.datasets import mnist

# file_pattern: relative to dataset_dir, '%s' is the split name.
# image_shape / channels: what slim's Image handler decodes to (None: any size).
# class_names: labels used when dataset_dir has no labels.txt (None: none).
# convert_fn: the converter, `fn(dataset_dir, **options)`.
DatasetSpec = collections.namedtuple(
  'DatasetSpec',
  [
    'file_pattern',
    'splits_to_sizes',
    'num_classes',
    'image_shape',
    'channels',
    'class_names',
    'image_description',
    'convert_fn',
  ],
)

_DATASETS = {
  'cifar10': DatasetSpec(
    file_pattern=cifar10.FILE_PATTERN,
    splits_to_sizes=cifar10.SPLITS_TO_SIZES,
    num_classes=10,
    image_shape=cifar10.IMAGE_SHAPE,
    channels=3,
    class_names=cifar10.CLASS_NAMES,
    image_description='A [32 x 32 x 3] colour image.',
    convert_fn=cifar10.convert,
  ),
  'digits': DatasetSpec(
    file_pattern=digits.FILE_PATTERN,
    splits_to_sizes=digits.SPLITS_TO_SIZES,
    num_classes=10,
    image_shape=digits.IMAGE_SHAPE,
    channels=1,
    class_names=digits.CLASS_NAMES,
    image_description='An [8 x 8 x 1] greyscale image.',
    convert_fn=digits.convert,
  ),
  'flowers': DatasetSpec(
    file_pattern=flowers.FILE_PATTERN,
    splits_to_sizes=flowers.SPLITS_TO_SIZES,
    num_classes=5,
    image_shape=None,
    channels=3,
    class_names=flowers.CLASS_NAMES,
    image_description='A colour image of varying size.',
    convert_fn=flowers.convert,
  ),
  'imagenet': DatasetSpec(
    file_pattern=imagenet.FILE_PATTERN,
    splits_to_sizes=imagenet.SPLITS_TO_SIZES,
    num_classes=imagenet.NUM_CLASSES,
    image_shape=None,
    channels=3,
    class_names=None,
    image_description='A colour image of varying size.',
    convert_fn=imagenet.convert,
  ),
  'mnist': DatasetSpec(
    file_pattern=mnist.FILE_PATTERN,
    splits_to_sizes=mnist.SPLITS_TO_SIZES,
    num_classes=10,
    image_shape=mnist.IMAGE_SHAPE,
    channels=1,
    class_names=mnist.CLASS_NAMES,
    image_description='A [28 x 28 x 1] greyscale image.',
    convert_fn=mnist.convert,
  ),
}


def dataset_names():
  """Returns the sorted names of the registered data sets."""
  return sorted(_DATASETS)


def get_spec(name):
  """Returns the `DatasetSpec` of data set `name`.

  Raises:
    ValueError: for an unknown name, listing the known ones.
  """
  if name not in _DATASETS:
    raise ValueError(
      'Unknown data set %r; known data sets: %s.'
      % (name, ', '.join(dataset_names()))
    )
  return _DATASETS[name]


def _decoder(spec):
  keys_to_features = {
    'image/encoded': tf.FixedLenFeature((), tf.string, default_value=''),
    'image/format': tf.FixedLenFeature((), tf.string, default_value='png'),
    # Plain Python defaults, not tensors: the decoder may be built outside
    # the graph that later decodes with it.
    'image/class/label': tf.FixedLenFeature([], tf.int64, default_value=0),
  }
  items_to_handlers = {
    'image': slim.tfexample_decoder.Image(
      shape=list(spec.image_shape) if spec.image_shape else None,
      channels=spec.channels,
    ),
    'label': slim.tfexample_decoder.Tensor('image/class/label'),
  }
  return slim.tfexample_decoder.TFExampleDecoder(
    keys_to_features, items_to_handlers
  )


def get_dataset(name, split_name, dataset_dir, file_pattern=None, reader=None):
  """Given a data set name and a split name, returns a slim `Dataset`.

  Args:
    name: A registered data set name (see `dataset_names()`).
    split_name: A split of that data set, e.g. 'train'.
    dataset_dir: The directory with the converted TFRecord files.
    file_pattern: Optional file pattern relative to `dataset_dir`, where '%s'
      (if present) is replaced by `split_name`; defaults to the data set's.
    reader: The TensorFlow reader class; defaults to `tf.TFRecordReader`.

  Returns:
    A `slim.dataset.Dataset` with slim's fields `data_sources` (the sorted list
    of matching files), `reader`, `decoder` (items 'image' and 'label'),
    `num_samples`, `items_to_descriptions`, `num_classes` and
    `labels_to_names` (from labels.txt, else the data set's class names, else
    None), plus `name`, `split_name` and `file_pattern` (the absolute glob).

  Raises:
    ValueError: for an unknown data set or split, listing the known ones.
    IOError: if `dataset_dir` does not exist or no file matches the pattern.
  """
  spec = get_spec(name)
  if split_name not in spec.splits_to_sizes:
    raise ValueError(
      'Unknown split %r of data set %r; known splits: %s.'
      % (split_name, name, ', '.join(sorted(spec.splits_to_sizes)))
    )
  if not dataset_dir or not os.path.isdir(dataset_dir):
    raise IOError(
      'dataset_dir %r does not exist; create it with '
      'download_and_convert_data.py --dataset_name=%s '
      '--dataset_dir=DIR.' % (dataset_dir, name)
    )
  pattern = file_pattern or spec.file_pattern
  if '%s' in pattern:
    pattern = pattern % split_name
  pattern = os.path.join(dataset_dir, pattern)
  data_files = sorted(tf.io.gfile.glob(pattern))
  if not data_files:
    raise IOError(
      'No file matches %s (data set %r, split %r); run '
      'download_and_convert_data.py --dataset_name=%s '
      '--dataset_dir=%s first.' % (pattern, name, split_name, name, dataset_dir)
    )
  if dataset_utils.has_labels(dataset_dir):
    labels_to_names = dataset_utils.read_label_file(dataset_dir)
  elif spec.class_names is not None:
    labels_to_names = dict(enumerate(spec.class_names))
  else:
    labels_to_names = None
  return slim.dataset.Dataset(
    data_sources=data_files,
    reader=reader or tf.TFRecordReader,
    decoder=_decoder(spec),
    num_samples=spec.splits_to_sizes[split_name],
    items_to_descriptions={
      'image': spec.image_description,
      'label': 'A single integer between 0 and %d.' % (spec.num_classes - 1),
    },
    num_classes=spec.num_classes,
    labels_to_names=labels_to_names,
    name=name,
    split_name=split_name,
    file_pattern=pattern,
  )


def convert_dataset(name, dataset_dir, **options):
  """Downloads (where possible) and converts data set `name` into dataset_dir.

  Args:
    name: A registered data set name.
    dataset_dir: The output directory.
    **options: Forwarded to the data set's converter (e.g.
      `accept_unverified_archive`, or ImageNet's `train_dir`); see the
      `convert()` function of `utils/datasets/<name>.py`.

  Raises:
    ValueError: for an unknown name, and whatever the converter raises.
  """
  get_spec(name).convert_fn(dataset_dir, **options)
