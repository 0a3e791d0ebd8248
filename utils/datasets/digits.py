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
"""The scikit-learn digits data set (embedded, no download) as TFRecords.

scikit-learn's `load_digits()` ships 1,797 8x8 grey images of the digits 0-9,
with integer pixel values 0..16. This module splits them into a 1,437-image
train and a 360-image test split, stratified by class with a fixed seed, and
stores each image as an 8x8 single-channel PNG.

Pixel mapping (exact, documented so tests can compare pixels):

  uint8 = floor((255 * v + 8) / 16)   for v in 0..16,

i.e. round(255 * v / 16) with halves rounded up; 0 -> 0, 8 -> 128, 16 -> 255.
`load_split()` returns the expected uint8 arrays.

Files (one per split, in `dataset_dir`):

  digits_train.tfrecord   1,437 records
  digits_test.tfrecord      360 records
  labels.txt              0:0 ... 9:9

Records within a file follow the order of scikit-learn's arrays.
"""

from absl import logging
import numpy as np

from utils.datasets import dataset_utils

FILE_PATTERN = 'digits_%s.tfrecord'
SPLITS_TO_SIZES = {'train': 1437, 'test': 360}
CLASS_NAMES = tuple(str(d) for d in range(10))
IMAGE_SHAPE = (8, 8, 1)

# Seed of the stratified split; changing it changes the data set.
SPLIT_SEED = 0
_MAX_VALUE = 16


def to_uint8(values):
  """Maps scikit-learn digit pixels (integers 0..16) to uint8 0..255.

  Args:
    values: An array of pixel values, integers in [0, 16] (any numeric dtype).

  Returns:
    A uint8 array, `floor((255 * v + 8) / 16)`.

  Raises:
    ValueError: if a value is not an integer in [0, 16].
  """
  values = np.asarray(values)
  as_int = np.rint(values).astype(np.int64)
  if (
    np.any(as_int != values)
    or as_int.min(initial=0) < 0
    or as_int.max(initial=0) > _MAX_VALUE
  ):
    raise ValueError(
      'Digits pixels must be integers in [0, %d]; got values in '
      '[%s, %s].' % (_MAX_VALUE, values.min(), values.max())
    )
  return ((255 * as_int + _MAX_VALUE // 2) // _MAX_VALUE).astype(np.uint8)


def stratified_split(labels, num_test, seed=SPLIT_SEED):
  """Deterministic stratified split of `labels` into train and test indices.

  Each class gives `round(count * num_test / total)` images to the test split
  (largest remainders break ties so the total is exactly `num_test`); which of
  its images go to test is a `numpy.random.RandomState(seed)` permutation.

  Args:
    labels: 1-D array of integer class labels.
    num_test: Size of the test split.
    seed: Seed of the permutation.

  Returns:
    (train_indices, test_indices): sorted int64 arrays.

  Raises:
    ValueError: if num_test is not in [0, len(labels)].
  """
  labels = np.asarray(labels)
  if not 0 <= num_test <= len(labels):
    raise ValueError(
      'num_test must be in [0, %d]; got %r.' % (len(labels), num_test)
    )
  classes, counts = np.unique(labels, return_counts=True)
  quotas = counts * num_test / float(len(labels))
  per_class = np.floor(quotas).astype(np.int64)
  # Largest remainders first; class order breaks ties deterministically.
  order = np.argsort(-(quotas - per_class), kind='stable')
  per_class[order[: num_test - per_class.sum()]] += 1
  rng = np.random.RandomState(seed)
  test = []
  for cls, take in zip(classes, per_class):
    members = np.flatnonzero(labels == cls)
    test.extend(members[rng.permutation(len(members))[:take]])
  test = np.sort(np.asarray(test, dtype=np.int64))
  train = np.setdiff1d(np.arange(len(labels), dtype=np.int64), test)
  return train, test


def load_split(split_name):
  """Returns the expected contents of a digits split.

  Args:
    split_name: 'train' or 'test'.

  Returns:
    (images, labels, source_indices): uint8 images [N, 8, 8] after `to_uint8`,
    int64 labels [N], and the indices of the images in scikit-learn's
    `load_digits()` arrays, in record order.

  Raises:
    ValueError: for an unknown split.
  """
  if split_name not in SPLITS_TO_SIZES:
    raise ValueError(
      'Unknown digits split %r; known splits: %s.'
      % (split_name, ', '.join(sorted(SPLITS_TO_SIZES)))
    )
  # Imported here: scikit-learn is needed only to build this data set.
  from sklearn import datasets as sk_datasets

  digits = sk_datasets.load_digits()
  train, test = stratified_split(digits.target, SPLITS_TO_SIZES['test'])
  indices = train if split_name == 'train' else test
  return (
    to_uint8(digits.images[indices]),
    digits.target[indices].astype(np.int64),
    indices,
  )


def output_filenames():
  """Returns the file names a finished conversion leaves in dataset_dir."""
  return [FILE_PATTERN % split for split in sorted(SPLITS_TO_SIZES)] + [
    dataset_utils.LABELS_FILENAME
  ]


def convert(dataset_dir):
  """Writes the digits TFRecords and labels.txt into `dataset_dir`.

  Does nothing if a finished conversion is already there.

  Args:
    dataset_dir: The output directory (created if missing).
  """
  dataset_utils.make_output_dir(dataset_dir)
  if dataset_utils.outputs_complete(dataset_dir, output_filenames()):
    logging.info('Digits already converted in %s; nothing to do.', dataset_dir)
    return
  with dataset_utils.StagedOutputs(dataset_dir, 'digits') as staged:
    for split in sorted(SPLITS_TO_SIZES):
      images, labels, _ = load_split(split)
      examples = (
        dataset_utils.image_to_tfexample(
          dataset_utils.encode_png(image),
          b'png',
          image.shape[0],
          image.shape[1],
          label,
        )
        for image, label in zip(images, labels)
      )
      dataset_utils.write_tfrecord(staged.path(FILE_PATTERN % split), examples)
    dataset_utils.write_label_file(
      dict(enumerate(CLASS_NAMES)), staged.directory
    )
  logging.info('Wrote the digits data set to %s.', dataset_dir)
