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
"""Images for exported models: evaluation batches and calibration images.

Both go through the tf.data pipeline of a checkpoint evaluation
(`utils/input_pipeline.make_dataset` with `is_training=False`): the network's
eval preprocessing, every record of the split once and in order, the last
batch partial. They come out as numpy arrays, for runtimes outside
TensorFlow (ONNX Runtime, TFLite).

Calibration for int8 quantization reads the first `num_images` records of a
split (a deterministic choice: the same export twice gives the same model).
Use a split the model is not evaluated on (slim's data sets: 'train') so that
the reported accuracy is not flattered by calibration on the test images.
"""

import collections
import dataclasses

from absl import logging
import numpy as np
import tensorflow.compat.v1 as tf

from utils import checks
from utils import input_pipeline
from utils.datasets import dataset_factory
from utils.preprocessing import preprocessing_factory
from utils.training import config as train_config

# Where calibration images come from (see `calibration_images`).
Calibration = collections.namedtuple(
  'Calibration',
  [
    'dataset_name',
    'dataset_dir',
    'split_name',
    'num_images',
    'preprocessing_name',
  ],
)

DEFAULT_CALIBRATION_IMAGES = 300


def _check_positive(name, value):
  checks.check_positive_int(name, value, message=checks.POSITIVE_INT_NAMED)


def eval_batches(dataset, input_config, image_size=None, max_num_batches=None):
  """Yields (images, labels) numpy batches of a split, as eval reads them.

  Args:
    dataset: A slim `Dataset` (`dataset_factory.get_dataset`).
    input_config: A `training.config.InputConfig` whose
      `preprocessing_name` (a preprocessing or network name) is set: its
      batch size (the last batch may have fewer), labels offset, greyscale,
      preprocessing threads, `eval_resize_size` (resize the smaller side
      before the central crop) and `skip_corrupt` (skip corrupt records,
      and log their count at the end, instead of stopping; see
      `input_pipeline.make_dataset`).
    image_size: Output height and width; None: `input_config.image_size`.
    max_num_batches: Stop after this many batches; None: the whole split.

  Yields:
    float32 [n, size, size, channels] images and int64 [n] labels.

  Raises:
    ValueError: On a bad argument; IOError if no record file matches.
    input_pipeline.CorruptDataError: On a corrupt record or file, unless
      `skip_corrupt`.
  """
  if max_num_batches is not None:
    _check_positive('max_num_batches', max_num_batches)
  inputs = dataclasses.replace(
    input_config,
    preprocessing_name=preprocessing_factory.resolve_preprocessing_name(
      input_config.preprocessing_name
    ),
  )
  with tf.Graph().as_default() as graph:
    with tf.device('/device:CPU:0'):
      batches = input_pipeline.make_dataset(
        dataset, inputs, is_training=False, image_size=image_size
      )
      next_batch = tf.data.make_one_shot_iterator(batches).get_next()
      skipped = (
        input_pipeline.corrupt_record_counter() if inputs.skip_corrupt else None
      )
      init = tf.local_variables_initializer()
    with tf.Session(graph=graph) as sess:
      sess.run(init)
      count = 0
      while max_num_batches is None or count < max_num_batches:
        try:
          with input_pipeline.corrupt_data_raised():
            images, labels = sess.run(next_batch)
        except tf.errors.OutOfRangeError:
          break
        count += 1
        yield images, labels
      if skipped is not None:
        logging.info('Skipped %d corrupt record(s).', sess.run(skipped))


def check_calibration(calibration):
  """Checks a `Calibration` before anything is built.

  Raises:
    ValueError: For a missing data set name, directory or split, an unknown
      data set or split, or a non-positive number of images, naming the
      value and the flag to fix.
    IOError: If the directory or the split's files do not exist.
  """
  if calibration is None or not (
    calibration.dataset_dir and calibration.dataset_name
  ):
    raise ValueError(
      'int8 quantization is calibrated on images of a data set; got '
      'dataset_name=%r, dataset_dir=%r (pass --dataset_name, --dataset_dir '
      'and --dataset_split_name of a converted data set, e.g. its train '
      'split)'
      % (
        (None, None)
        if calibration is None
        else (calibration.dataset_name, calibration.dataset_dir)
      )
    )
  _check_positive('calibration_images', calibration.num_images)
  if not calibration.split_name:
    raise ValueError(
      'Calibration needs a split; got dataset_split_name=%r'
      % (calibration.split_name,)
    )
  dataset = dataset_factory.get_dataset(
    calibration.dataset_name, calibration.split_name, calibration.dataset_dir
  )
  input_pipeline.resolve_data_files(dataset.data_sources)
  return dataset


def calibration_images(calibration, preprocessing_name, image_size):
  """The first `calibration.num_images` images of the split, preprocessed.

  Args:
    calibration: A `Calibration`. Its `preprocessing_name`, when set, wins
      over `preprocessing_name`.
    preprocessing_name: The network's eval preprocessing (or network name).
    image_size: The exported model's input size.

  Returns:
    A float32 array [n, image_size, image_size, 3], n <= num_images (the
    split may be smaller).

  Raises:
    ValueError: See `check_calibration`; also for an empty split.
  """
  dataset = check_calibration(calibration)
  batch = min(calibration.num_images, 100)
  chunks = []
  total = 0
  inputs = train_config.InputConfig(
    preprocessing_name=calibration.preprocessing_name or preprocessing_name,
    batch_size=batch,
  )
  for images, _ in eval_batches(dataset, inputs, image_size):
    chunks.append(images[: calibration.num_images - total])
    total += len(chunks[-1])
    if total >= calibration.num_images:
      break
  if not total:
    raise ValueError(
      'The calibration split %r of data set %r in %r has no '
      'image; choose another --dataset_split_name'
      % (
        calibration.split_name,
        calibration.dataset_name,
        calibration.dataset_dir,
      )
    )
  return np.concatenate(chunks).astype(np.float32)


def split_batches(images, batch_size, exact=False):
  """Splits images [n, ...] into batches of `batch_size`.

  Args:
    images: An array of n >= 1 images.
    batch_size: Images per batch.
    exact: Every batch has exactly `batch_size` images (for models with a
      fixed batch size): the last one is completed with images from the
      start, repeated as needed.

  Returns:
    A list of arrays.
  """
  _check_positive('batch_size', batch_size)
  batches = [
    images[i : i + batch_size] for i in range(0, len(images), batch_size)
  ]
  if exact and len(batches[-1]) < batch_size:
    batches[-1] = np.take(
      images,
      np.arange(
        len(images) - len(batches[-1]),
        len(images) - len(batches[-1]) + batch_size,
      ),
      axis=0,
      mode='wrap',
    )
  return batches
