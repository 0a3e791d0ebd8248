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
"""The TensorFlow flowers data set (5 classes) from `flower_photos.tgz`.

The archive holds `flower_photos/<class>/*.jpg` for the classes daisy,
dandelion, roses, sunflowers and tulips (3,670 JPEGs). Class ids are the
positions of the class directories in sorted order. As slim does, the sorted
file list is shuffled with a fixed seed and its first 350 images form the
validation split; the other 3,320 form the train split.

Output (slim's names), 5 shards per split:

  flowers_train_00000-of-00005.tfrecord ...
  flowers_train_00004-of-00005.tfrecord
  flowers_validation_00000-of-00005.tfrecord ...
  labels.txt

Records store the original JPEG bytes (format b'jpg').
"""

import os
import random

from absl import logging

from utils.datasets import dataset_utils
from utils.datasets import download_utils

FILE_PATTERN = 'flowers_%s_*.tfrecord'
SPLITS_TO_SIZES = {'train': 3320, 'validation': 350}
CLASS_NAMES = ('daisy', 'dandelion', 'roses', 'sunflowers', 'tulips')
IMAGE_SHAPE = None  # Variable size.

ARCHIVE_FILENAME = 'flower_photos.tgz'
ARCHIVE_URLS = (
  'http://download.tensorflow.org/example_images/flower_photos.tgz',
  'https://storage.googleapis.com/download.tensorflow.org/example_images/'
  'flower_photos.tgz',
)
# Published in tensorflow_datasets/url_checksums/tf_flowers.txt.
ARCHIVE_CHECKSUM = download_utils.Checksum(
  'sha256', '4c54ace7911aaffe13a365c34f650e71dd5bf1be0a58b464e5a7183e3e595d9c'
)
PHOTOS_DIR = 'flower_photos'
NUM_SHARDS = 5
NUM_VALIDATION = 350
# Seed of the validation draw; changing it changes the data set.
SPLIT_SEED = 0


def shard_filename(split_name, shard_id, num_shards=NUM_SHARDS):
  """Returns slim's name of one shard, e.g. flowers_train_00001-of-00005."""
  return 'flowers_%s_%05d-of-%05d.tfrecord' % (split_name, shard_id, num_shards)


def output_filenames(num_shards=NUM_SHARDS):
  """Returns the file names a finished conversion leaves in dataset_dir."""
  return [
    shard_filename(split, shard, num_shards)
    for split in sorted(SPLITS_TO_SIZES)
    for shard in range(num_shards)
  ] + [dataset_utils.LABELS_FILENAME]


def list_photos(photos_dir):
  """Lists the photos of `photos_dir/<class>/`.

  Args:
    photos_dir: The extracted `flower_photos` directory.

  Returns:
    (paths, class_names): sorted photo paths and sorted class directory names.

  Raises:
    IOError: if `photos_dir` has no class directory with files.
  """
  if not os.path.isdir(photos_dir):
    raise IOError(
      '%s is missing; the archive is not flower_photos.tgz.' % photos_dir
    )
  class_names = sorted(
    d
    for d in os.listdir(photos_dir)
    if os.path.isdir(os.path.join(photos_dir, d))
  )
  paths = sorted(
    os.path.join(photos_dir, d, f)
    for d in class_names
    for f in os.listdir(os.path.join(photos_dir, d))
  )
  if not paths:
    raise IOError('%s has no photos in class sub-directories.' % photos_dir)
  return paths, class_names


def split_photos(paths, num_validation=NUM_VALIDATION, seed=SPLIT_SEED):
  """Shuffles sorted `paths` with `seed`; returns (train, validation) lists.

  Raises:
    ValueError: if there are not more photos than `num_validation`.
  """
  if len(paths) <= num_validation:
    raise ValueError(
      'Only %d photos for a validation split of %d; the archive '
      'is incomplete.' % (len(paths), num_validation)
    )
  shuffled = sorted(paths)
  random.Random(seed).shuffle(shuffled)
  return shuffled[num_validation:], shuffled[:num_validation]


def _examples(paths, class_ids):
  for path in paths:
    data, height, width = dataset_utils.read_image_as_jpeg(path)
    yield dataset_utils.image_to_tfexample(
      data,
      b'jpg',
      height,
      width,
      class_ids[os.path.basename(os.path.dirname(path))],
    )


def convert(
  dataset_dir,
  accept_unverified_archive=False,
  checksum=None,
  urls=ARCHIVE_URLS,
  num_validation=NUM_VALIDATION,
  num_shards=NUM_SHARDS,
):
  """Downloads (if needed), verifies and converts the flowers into dataset_dir.

  Args:
    dataset_dir: Output directory; also where the archive is looked for.
    accept_unverified_archive: Use an archive whose checksum does not match.
    checksum: The expected `download_utils.Checksum`; None means the published
      one (tests pass the checksum of their small archives).
    urls: Mirror URLs of the archive.
    num_validation: Size of the validation split (slim: 350).
    num_shards: Shards per split (slim: 5).

  Raises:
    IOError: if the archive is missing and cannot be downloaded, or lacks
      `flower_photos/`.
    ValueError: on a checksum mismatch, an unsafe archive member or an
      unreadable photo.
  """
  dataset_utils.make_output_dir(dataset_dir)
  if dataset_utils.outputs_complete(dataset_dir, output_filenames(num_shards)):
    logging.info('Flowers already converted in %s; nothing to do.', dataset_dir)
    return
  archive = download_utils.ensure_archive(
    urls,
    dataset_dir,
    ARCHIVE_FILENAME,
    checksum or ARCHIVE_CHECKSUM,
    accept_unverified_archive,
  )
  with dataset_utils.StagedOutputs(dataset_dir, 'flowers') as staged:
    scratch = download_utils.safe_extract_tar(
      archive, os.path.join(staged.directory, 'extracted')
    )
    paths, class_names = list_photos(os.path.join(scratch, PHOTOS_DIR))
    if tuple(class_names) != CLASS_NAMES:
      logging.warning(
        'Flower classes are %s; the published archive has %s.',
        class_names,
        CLASS_NAMES,
      )
    class_ids = {name: i for i, name in enumerate(class_names)}
    train, validation = split_photos(paths, num_validation)
    for split, split_paths in (('train', train), ('validation', validation)):
      for shard, (start, end) in enumerate(
        dataset_utils.shard_ranges(len(split_paths), num_shards)
      ):
        dataset_utils.write_tfrecord(
          staged.path(shard_filename(split, shard, num_shards)),
          _examples(split_paths[start:end], class_ids),
        )
    dataset_utils.write_label_file(
      dict(enumerate(class_names)), staged.directory
    )
  logging.info('Wrote the flowers data set to %s.', dataset_dir)
