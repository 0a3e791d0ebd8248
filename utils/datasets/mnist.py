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
"""MNIST from its published IDX files.

The four gzip files `train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`,
`t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz` hold big-endian
IDX arrays: images start with the magic number 2051, the count, the number of
rows and of columns, then uint8 pixels; labels start with 2049 and the count,
then uint8 labels.

Output (slim's names): `mnist_train.tfrecord` (60,000 records),
`mnist_test.tfrecord` (10,000), `labels.txt`. Images are stored as 28x28
single-channel PNG, in the order of the IDX files.
"""

import gzip

from absl import logging
import numpy as np

from utils.datasets import dataset_utils
from utils.datasets import download_utils

FILE_PATTERN = 'mnist_%s.tfrecord'
SPLITS_TO_SIZES = {'train': 60000, 'test': 10000}
CLASS_NAMES = tuple(str(d) for d in range(10))
IMAGE_SHAPE = (28, 28, 1)

# The mirror slim uses, then the one torchvision uses; the files of
# yann.lecun.com are the same bytes.
MIRRORS = (
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
)
SPLIT_FILES = {
  'train': ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
  'test': ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
}
# The published MD5s (torchvision's datasets/mnist.py lists the same).
CHECKSUMS = {
  'train-images-idx3-ubyte.gz': download_utils.Checksum(
    'md5', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'
  ),
  'train-labels-idx1-ubyte.gz': download_utils.Checksum(
    'md5', 'd53e105ee54ea40749a09fcbcd1e9432'
  ),
  't10k-images-idx3-ubyte.gz': download_utils.Checksum(
    'md5', '9fb629c4189551a2d022fa330f9573f3'
  ),
  't10k-labels-idx1-ubyte.gz': download_utils.Checksum(
    'md5', 'ec29112dd5afa0611ce80d1b7f02629c'
  ),
}
_IMAGES_MAGIC = 2051
_LABELS_MAGIC = 2049


def _read_idx(path, magic, num_dims):
  try:
    with gzip.open(path, 'rb') as f:
      data = f.read()
  except (OSError, EOFError) as e:
    raise IOError(
      'Cannot read the gzip file %s: %s. Delete it and run again '
      'to download it afresh.' % (path, e)
    ) from e
  header_bytes = 4 * (1 + num_dims)
  if len(data) < header_bytes:
    raise ValueError('%s is too short for an IDX header.' % path)
  header = np.frombuffer(data[:header_bytes], dtype='>u4').astype(np.int64)
  if header[0] != magic:
    raise ValueError(
      '%s starts with magic number %d; expected %d.' % (path, header[0], magic)
    )
  shape = tuple(header[1:])
  body = np.frombuffer(data[header_bytes:], dtype=np.uint8)
  if body.size != np.prod(shape):
    raise ValueError(
      '%s holds %d bytes of data; its header %s needs %d.'
      % (path, body.size, shape, np.prod(shape))
    )
  return body.reshape(shape)


def read_images(path):
  """Reads an IDX images file; returns uint8 [N, rows, cols]."""
  return _read_idx(path, _IMAGES_MAGIC, 3)


def read_labels(path):
  """Reads an IDX labels file; returns int64 [N] in 0..9.

  Raises:
    ValueError: on a malformed file or a label outside 0..9.
  """
  labels = _read_idx(path, _LABELS_MAGIC, 1).astype(np.int64)
  if labels.size and labels.max() > 9:
    raise ValueError(
      '%s has label %d; MNIST labels are 0..9.' % (path, labels.max())
    )
  return labels


def output_filenames():
  """Returns the file names a finished conversion leaves in dataset_dir."""
  return [FILE_PATTERN % split for split in sorted(SPLITS_TO_SIZES)] + [
    dataset_utils.LABELS_FILENAME
  ]


def _examples(images, labels):
  for image, label in zip(images, labels):
    yield dataset_utils.image_to_tfexample(
      dataset_utils.encode_png(image),
      b'png',
      image.shape[0],
      image.shape[1],
      label,
    )


def convert(
  dataset_dir, accept_unverified_archive=False, checksums=None, mirrors=MIRRORS
):
  """Downloads (if needed), verifies and converts MNIST into dataset_dir.

  Args:
    dataset_dir: Output directory; also where the gzip files are looked for.
    accept_unverified_archive: Use files whose checksums do not match.
    checksums: A dict of file name to expected `download_utils.Checksum`; None
      means the published ones (tests pass those of their small files).
    mirrors: Base URLs tried in order for each missing file.

  Raises:
    IOError: if a file is missing and cannot be downloaded, or is not gzip.
    ValueError: on a checksum mismatch or a malformed IDX file.
  """
  dataset_utils.make_output_dir(dataset_dir)
  if dataset_utils.outputs_complete(dataset_dir, output_filenames()):
    logging.info('MNIST already converted in %s; nothing to do.', dataset_dir)
    return
  checksums = CHECKSUMS if checksums is None else checksums
  paths = {}
  for split in sorted(SPLIT_FILES):
    for filename in SPLIT_FILES[split]:
      paths[filename] = download_utils.ensure_archive(
        [base + filename for base in mirrors],
        dataset_dir,
        filename,
        checksums[filename],
        accept_unverified_archive,
      )
  with dataset_utils.StagedOutputs(dataset_dir, 'mnist') as staged:
    for split in sorted(SPLIT_FILES):
      images_file, labels_file = SPLIT_FILES[split]
      images = read_images(paths[images_file])
      labels = read_labels(paths[labels_file])
      if len(images) != len(labels):
        raise ValueError(
          '%s has %d images but %s has %d labels.'
          % (images_file, len(images), labels_file, len(labels))
        )
      if len(labels) != SPLITS_TO_SIZES[split]:
        logging.warning(
          'MNIST %s split has %d images; the published files have %d.',
          split,
          len(labels),
          SPLITS_TO_SIZES[split],
        )
      dataset_utils.write_tfrecord(
        staged.path(FILE_PATTERN % split), _examples(images, labels)
      )
    dataset_utils.write_label_file(
      dict(enumerate(CLASS_NAMES)), staged.directory
    )
  logging.info('Wrote MNIST to %s.', dataset_dir)
