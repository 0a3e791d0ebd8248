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
"""CIFAR-10 from its published binary archive (never the pickled one).

The archive `cifar-10-binary.tar.gz` holds `cifar-10-batches-bin/` with
`data_batch_1.bin` .. `data_batch_5.bin` (train), `test_batch.bin` (test) and
`batches.meta.txt` (class names, one per line). Each batch file is a sequence
of 3,073-byte records: one label byte (0..9), then the 32x32 red plane, green
plane and blue plane, each row-major.

Output (slim's names): `cifar10_train.tfrecord` (50,000 records),
`cifar10_test.tfrecord` (10,000), `labels.txt`. Images are stored as PNG, in
the order of the batch files.
"""

import os

from absl import logging
import numpy as np

from utils.datasets import dataset_utils
from utils.datasets import download_utils

FILE_PATTERN = 'cifar10_%s.tfrecord'
SPLITS_TO_SIZES = {'train': 50000, 'test': 10000}
CLASS_NAMES = (
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
)
IMAGE_SHAPE = (32, 32, 3)

ARCHIVE_FILENAME = 'cifar-10-binary.tar.gz'
ARCHIVE_URLS = ('https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',)
# Published on https://www.cs.toronto.edu/~kriz/cifar.html.
ARCHIVE_CHECKSUM = download_utils.Checksum(
  'md5', 'c32a1d4ab5d03f1284b67883e8d87530'
)
BATCHES_DIR = 'cifar-10-batches-bin'
SPLIT_BATCH_FILES = {
  'train': tuple('data_batch_%d.bin' % i for i in range(1, 6)),
  'test': ('test_batch.bin',),
}
META_FILE = 'batches.meta.txt'
_RECORD_BYTES = 1 + 32 * 32 * 3


def read_batch_file(path):
  """Reads one CIFAR-10 binary batch file.

  Args:
    path: A `*.bin` batch file.

  Returns:
    (images, labels): uint8 [N, 32, 32, 3] in RGB order, int64 [N].

  Raises:
    ValueError: if the file size is not a multiple of 3,073 bytes or a label
      is not in 0..9.
  """
  raw = np.fromfile(path, dtype=np.uint8)
  if raw.size == 0 or raw.size % _RECORD_BYTES:
    raise ValueError(
      '%s has %d bytes, not a positive multiple of the %d-byte '
      'CIFAR-10 record; the archive is damaged.'
      % (path, raw.size, _RECORD_BYTES)
    )
  records = raw.reshape(-1, _RECORD_BYTES)
  labels = records[:, 0].astype(np.int64)
  if labels.max() >= len(CLASS_NAMES):
    raise ValueError(
      '%s has label %d; CIFAR-10 labels are 0..9.' % (path, labels.max())
    )
  images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
  return images, labels


def read_class_names(batches_dir):
  """Returns the class names in `batches.meta.txt`, or the standard ones."""
  path = os.path.join(batches_dir, META_FILE)
  if not os.path.isfile(path):
    return CLASS_NAMES
  with open(path, encoding='utf-8') as f:
    names = tuple(line.strip() for line in f if line.strip())
  if len(names) != len(CLASS_NAMES):
    raise ValueError(
      '%s lists %d class names; CIFAR-10 has %d.'
      % (path, len(names), len(CLASS_NAMES))
    )
  return names


def output_filenames():
  """Returns the file names a finished conversion leaves in dataset_dir."""
  return [FILE_PATTERN % split for split in sorted(SPLITS_TO_SIZES)] + [
    dataset_utils.LABELS_FILENAME
  ]


def _examples(images, labels):
  for image, label in zip(images, labels):
    yield dataset_utils.image_to_tfexample(
      dataset_utils.encode_png(image), b'png', 32, 32, label
    )


def convert(
  dataset_dir, accept_unverified_archive=False, checksum=None, urls=ARCHIVE_URLS
):
  """Downloads (if needed), verifies and converts CIFAR-10 into dataset_dir.

  Args:
    dataset_dir: Output directory; also where the archive is looked for.
    accept_unverified_archive: Use an archive whose checksum does not match.
    checksum: The expected `download_utils.Checksum`; None means the published
      one (tests pass the checksum of their small archives).
    urls: Mirror URLs of the archive.

  Raises:
    IOError: if the archive is missing and cannot be downloaded, or is not a
      readable tar file.
    ValueError: on a checksum mismatch, an unsafe archive member or a malformed
      batch file.
  """
  dataset_utils.make_output_dir(dataset_dir)
  if dataset_utils.outputs_complete(dataset_dir, output_filenames()):
    logging.info(
      'CIFAR-10 already converted in %s; nothing to do.', dataset_dir
    )
    return
  archive = download_utils.ensure_archive(
    urls,
    dataset_dir,
    ARCHIVE_FILENAME,
    checksum or ARCHIVE_CHECKSUM,
    accept_unverified_archive,
  )
  with dataset_utils.StagedOutputs(dataset_dir, 'cifar10') as staged:
    scratch = download_utils.safe_extract_tar(
      archive, os.path.join(staged.directory, 'extracted')
    )
    batches_dir = os.path.join(scratch, BATCHES_DIR)
    for split in sorted(SPLITS_TO_SIZES):
      parts = []
      for filename in SPLIT_BATCH_FILES[split]:
        path = os.path.join(batches_dir, filename)
        if not os.path.isfile(path):
          raise IOError(
            '%s has no %s/%s; it is not the CIFAR-10 binary '
            'archive.' % (archive, BATCHES_DIR, filename)
          )
        parts.append(read_batch_file(path))
      images = np.concatenate([p[0] for p in parts])
      labels = np.concatenate([p[1] for p in parts])
      if len(labels) != SPLITS_TO_SIZES[split]:
        logging.warning(
          'CIFAR-10 %s split has %d images; the published archive has %d.',
          split,
          len(labels),
          SPLITS_TO_SIZES[split],
        )
      dataset_utils.write_tfrecord(
        staged.path(FILE_PATTERN % split), _examples(images, labels)
      )
    dataset_utils.write_label_file(
      dict(enumerate(read_class_names(batches_dir))), staged.directory
    )
  logging.info('Wrote CIFAR-10 to %s.', dataset_dir)
