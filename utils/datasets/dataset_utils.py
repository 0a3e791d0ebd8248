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
"""Helpers shared by the data set converters: tf.Example fields, label files and
staged (all-or-nothing) output writing.

Every converter writes records with slim's keys:

  image/encoded       bytes, the encoded image (PNG or JPEG)
  image/format        bytes, b'png' or b'jpg' (ImageNet: b'JPEG', as slim)
  image/class/label   int64, the class id
  image/height        int64
  image/width         int64

and a `labels.txt` of `id:name` lines.
"""

import contextlib
import io
import os
import shutil

from absl import logging
import numpy as np
from PIL import Image
import tensorflow.compat.v1 as tf

from utils import files

LABELS_FILENAME = 'labels.txt'

# Hidden directory prefix used by `StagedOutputs`; no data set file pattern
# matches it, so a conversion killed midway leaves nothing that looks complete.
STAGING_PREFIX = '.incomplete-'


def _as_list(values):
  if isinstance(values, (list, tuple, np.ndarray)):
    return list(values)
  return [values]


def int64_feature(values):
  """Returns a TF-Feature of int64s.

  Args:
    values: An int, or a list, tuple or array of ints.

  Returns:
    A `tf.train.Feature`.
  """
  return tf.train.Feature(
    int64_list=tf.train.Int64List(value=[int(v) for v in _as_list(values)])
  )


def bytes_feature(values):
  """Returns a TF-Feature of bytes (`str` values are UTF-8 encoded).

  Args:
    values: A bytes or str value, or a list or tuple of them.

  Returns:
    A `tf.train.Feature`.
  """
  encoded = [
    v.encode('utf-8') if isinstance(v, str) else bytes(v)
    for v in _as_list(values)
  ]
  return tf.train.Feature(bytes_list=tf.train.BytesList(value=encoded))


def float_feature(values):
  """Returns a TF-Feature of floats.

  Args:
    values: A float, or a list, tuple or array of floats.

  Returns:
    A `tf.train.Feature`.
  """
  return tf.train.Feature(
    float_list=tf.train.FloatList(value=[float(v) for v in _as_list(values)])
  )


def image_to_tfexample(image_data, image_format, height, width, class_id):
  """Builds the tf.Example of one labelled image, with slim's keys.

  Args:
    image_data: The encoded image, bytes.
    image_format: The encoding, e.g. b'png' or b'jpg'.
    height: Image height in pixels.
    width: Image width in pixels.
    class_id: The integer class label.

  Returns:
    A `tf.train.Example`.
  """
  return tf.train.Example(
    features=tf.train.Features(
      feature={
        'image/encoded': bytes_feature(image_data),
        'image/format': bytes_feature(image_format),
        'image/class/label': int64_feature(class_id),
        'image/height': int64_feature(height),
        'image/width': int64_feature(width),
      }
    )
  )


def encode_png(image):
  """Encodes a uint8 array of shape [H, W], [H, W, 1] or [H, W, 3] as PNG.

  Args:
    image: A numpy uint8 array.

  Returns:
    The PNG bytes (lossless, so decoding gives back `image` exactly).

  Raises:
    ValueError: if `image` is not uint8 or has an unsupported shape.
  """
  image = np.asarray(image)
  if image.dtype != np.uint8:
    raise ValueError(
      'encode_png needs a uint8 image; got dtype %s. Convert '
      'the pixels to 0..255 first.' % image.dtype
    )
  if image.ndim == 3 and image.shape[2] == 1:
    image = image[:, :, 0]
  if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
    raise ValueError(
      'encode_png needs an image of shape [H, W], [H, W, 1] or '
      '[H, W, 3]; got shape %s.' % (image.shape,)
    )
  buf = io.BytesIO()
  Image.fromarray(image).save(buf, format='PNG')
  return buf.getvalue()


def write_label_file(
  labels_to_class_names, dataset_dir, filename=LABELS_FILENAME
):
  """Writes a file with the list of class names, one `id:name` per line.

  Args:
    labels_to_class_names: A map of (integer) labels to class names.
    dataset_dir: The directory in which the labels file should be written.
    filename: The filename where the class names are written.

  Raises:
    ValueError: if a class name contains a line break.
  """
  lines = []
  for label in sorted(labels_to_class_names):
    name = str(labels_to_class_names[label])
    if '\n' in name or '\r' in name:
      raise ValueError(
        'Class name %r of label %d contains a line break, which '
        'the labels file cannot store.' % (name, label)
      )
    lines.append('%d:%s\n' % (label, name))
  with open(os.path.join(dataset_dir, filename), 'w', encoding='utf-8') as f:
    f.writelines(lines)


def has_labels(dataset_dir, filename=LABELS_FILENAME):
  """Returns True if `dataset_dir` holds the labels file `filename`."""
  return os.path.isfile(os.path.join(dataset_dir, filename))


def read_label_file(dataset_dir, filename=LABELS_FILENAME):
  """Reads the labels file written by `write_label_file`.

  Args:
    dataset_dir: The directory in which the labels file is found.
    filename: The filename where the class names are written.

  Returns:
    A map from a label (integer) to class name.

  Raises:
    IOError: if the file is missing.
    ValueError: if a line is not of the form `id:name`.
  """
  path = os.path.join(dataset_dir, filename)
  if not os.path.isfile(path):
    raise IOError(
      'No labels file %s; run download_and_convert_data.py for '
      'this data set first.' % path
    )
  labels_to_class_names = {}
  with open(path, encoding='utf-8') as f:
    for line_number, line in enumerate(f, 1):
      line = line.rstrip('\r\n')
      if not line:
        continue
      label, sep, name = line.partition(':')
      if not sep or not label.strip().lstrip('-').isdigit():
        raise ValueError(
          'Line %d of %s is %r; expected "id:name".' % (line_number, path, line)
        )
      labels_to_class_names[int(label)] = name
  return labels_to_class_names


def shard_ranges(num_items, num_shards):
  """Splits range(num_items) into `num_shards` contiguous near-equal ranges.

  Args:
    num_items: Number of items to split.
    num_shards: Number of shards, a positive int.

  Returns:
    A list of `num_shards` (start, end) pairs; earlier shards get the extra
    items, and shards are empty when `num_items < num_shards`.

  Raises:
    ValueError: if num_shards is not positive.
  """
  if num_shards < 1:
    raise ValueError(
      'num_shards must be a positive integer; got %r.' % (num_shards,)
    )
  base, extra = divmod(num_items, num_shards)
  ranges, start = [], 0
  for shard in range(num_shards):
    end = start + base + (1 if shard < extra else 0)
    ranges.append((start, end))
    start = end
  return ranges


def write_tfrecord(path, examples):
  """Writes `tf.train.Example`s (or serialized bytes) to one TFRecord file.

  Args:
    path: Output file.
    examples: An iterable of `tf.train.Example` or bytes.

  Returns:
    The number of records written.
  """
  count = 0
  with tf.io.TFRecordWriter(path) as writer:
    for example in examples:
      if not isinstance(example, bytes):
        example = example.SerializeToString()
      writer.write(example)
      count += 1
  return count


def outputs_complete(dataset_dir, filenames):
  """Returns True if every file of `filenames` exists in `dataset_dir`.

  Converters only create final names by renaming finished files, labels.txt
  last (see `StagedOutputs`), so presence means the conversion completed.
  """
  return all(
    os.path.isfile(os.path.join(dataset_dir, name)) for name in filenames
  )


class StagedOutputs(object):
  """Writes a conversion's outputs under temporary names, renamed at the end.

  Usage:

    with StagedOutputs(dataset_dir, 'cifar10') as staged:
      write_tfrecord(staged.path('cifar10_train.tfrecord'), examples)
      write_label_file(labels, staged.directory)

  Files are written into a hidden directory `<dataset_dir>/.incomplete-<tag>-*`;
  its subdirectories are scratch space (e.g. an extracted archive) and are
  never moved. On a clean exit, every file directly in it is moved to
  `dataset_dir` (labels.txt last, so it marks completion) and the directory is
  removed; on an exception
  the directory is removed and nothing is moved. A process killed midway leaves
  only the hidden directory, which no data set pattern matches and which the
  next `StagedOutputs` with the same tag deletes.
  """

  def __init__(self, dataset_dir, tag):
    self._dataset_dir = dataset_dir
    self._prefix = '%s%s-' % (STAGING_PREFIX, tag)
    self._cleanup = contextlib.ExitStack()
    self.directory = None

  def __enter__(self):
    for name in os.listdir(self._dataset_dir):
      if name.startswith(self._prefix):
        logging.info('Removing %s left by an interrupted conversion.', name)
        shutil.rmtree(os.path.join(self._dataset_dir, name), ignore_errors=True)
    self.directory = self._cleanup.enter_context(
      files.staging_directory(self._dataset_dir, self._prefix)
    )
    return self

  def path(self, filename):
    """Returns the temporary path where `filename` must be written."""
    return os.path.join(self.directory, filename)

  def __exit__(self, exc_type, exc_value, traceback):
    try:
      if exc_type is None:
        names = sorted(
          n
          for n in os.listdir(self.directory)
          if os.path.isfile(os.path.join(self.directory, n))
        )
        # labels.txt goes last: it marks a finished conversion.
        names.sort(key=lambda n: n == LABELS_FILENAME)
        files.move_files(
          (os.path.join(self.directory, n), os.path.join(self._dataset_dir, n))
          for n in names
        )
    finally:
      self._cleanup.close()
    return False


def make_output_dir(dataset_dir):
  """Creates `dataset_dir` if needed.

  Raises:
    IOError: if it exists but is not a directory, or cannot be created.
  """
  if os.path.exists(dataset_dir) and not os.path.isdir(dataset_dir):
    raise IOError(
      'dataset_dir %s exists and is not a directory; pass a '
      'directory path.' % dataset_dir
    )
  try:
    os.makedirs(dataset_dir, exist_ok=True)
  except OSError as e:
    raise IOError('Cannot create dataset_dir %s: %s.' % (dataset_dir, e)) from e


def read_image_as_jpeg(path, quality=95):
  """Returns an image file as RGB or greyscale JPEG bytes, plus its size.

  JPEG files in RGB or greyscale are returned byte for byte. Anything else
  (ImageNet has a few CMYK JPEGs and PNGs named .JPEG) is decoded and
  re-encoded as an RGB JPEG at `quality`, so every record decodes with
  `tf.io.decode_jpeg`.

  Args:
    path: An image file that PIL can read.
    quality: JPEG quality used when re-encoding.

  Returns:
    (jpeg_bytes, height, width).

  Raises:
    ValueError: if the file is not a readable image, naming it.
  """
  with open(path, 'rb') as f:
    data = f.read()
  try:
    with Image.open(io.BytesIO(data)) as image:
      width, height = image.size
      if image.format == 'JPEG' and image.mode in ('RGB', 'L'):
        return data, height, width
      logging.info(
        'Re-encoding %s (%s, %s) as an RGB JPEG.',
        path,
        image.format,
        image.mode,
      )
      buf = io.BytesIO()
      image.convert('RGB').save(buf, format='JPEG', quality=quality)
      return buf.getvalue(), height, width
  except (OSError, SyntaxError, ValueError) as e:
    raise ValueError(
      'Cannot read the image %s: %s. Remove or replace the file.' % (path, e)
    ) from e
