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
r"""Measures the input pipeline's throughput (images/s) per preprocessing.

  python -m utils.benchmark.pipeline_benchmark
  python -m utils.benchmark.pipeline_benchmark --dataset_dir=/data/flowers \
      --dataset_name=flowers --preprocessing=inception:299

Without --dataset_dir, synthetic records are generated in a temporary
directory: ImageNet-like JPEGs (500x375, smooth content with some noise, as
photos) for 'vgg', 'inception', 'torchvision' and 'caffe', and 32x32 PNGs
for 'cifar'. --auto_augment, --random_erase (and RandAugment's settings)
add the training's image augmentations, as train_image_classifier.py. Each
measurement builds `input_pipeline.make_dataset` in a fresh graph and times
`--num_batches` batches after `--num_warmup_batches`.
"""

import io
import math
import os
import shutil
import tempfile

from absl import app
from absl import flags
import numpy as np
from PIL import Image
import tensorflow.compat.v1 as tf

from utils import flag_defs
from utils import input_pipeline
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import imagenet
from utils.flag_defs import configs
from utils.flag_defs import tools
from utils.preprocessing import preprocessing_factory

# Synthetic data used when no dataset_dir is given: (data set whose file names
# and decoder are used, height, width, number of files, images per file).
_SYNTHETIC = {
  'jpeg': ('imagenet', 375, 500, 4, 128),
  'png': ('cifar10', 32, 32, 1, 2048),
}
_SYNTHETIC_SOURCE = {
  'vgg': 'jpeg',
  'inception': 'jpeg',
  'torchvision': 'jpeg',
  'caffe': 'jpeg',
  'cifar': 'png',
}


def parse_spec(spec):
  """Parses 'name:size' (e.g. 'inception:299') into ('inception', 299).

  Raises:
    ValueError: if `spec` is not of that form.
  """
  name, sep, size = spec.partition(':')
  if not sep or not size.isdigit() or int(size) < 1:
    raise ValueError(
      'Preprocessing spec %r is not "name:size", e.g. "vgg:224".' % (spec,)
    )
  return name, int(size)


def _synthetic_image(rng, height, width):
  # Smooth random content (a bicubic upscale of a small random image) plus
  # mild noise: JPEG sizes and decode costs close to those of photos.
  small = rng.randint(0, 256, (height // 16 + 1, width // 16 + 1, 3))
  image = Image.fromarray(small.astype(np.uint8)).resize(
    (width, height), Image.BICUBIC
  )
  pixels = np.asarray(image, np.int16) + rng.randint(
    -12, 13, (height, width, 3)
  )
  return np.clip(pixels, 0, 255).astype(np.uint8)


def synthetic_dataset(
  dataset_dir, image_format, num_files=None, images_per_file=None, seed=0
):
  """Writes synthetic train records under slim's names; returns the Dataset.

  Args:
    dataset_dir: Output directory (created if missing).
    image_format: 'jpeg' (an ImageNet-like 'imagenet' train split of 500x375
      images) or 'png' (a CIFAR-like 'cifar10' train split of 32x32 images).
    num_files: Number of files; None for the default of the format.
    images_per_file: Records per file; None for the default of the format.
    seed: Seed of the image contents.

  Returns:
    A slim Dataset from `dataset_factory.get_dataset` whose `num_samples` is
    the number of records written.

  Raises:
    ValueError: for another image_format.
  """
  if image_format not in _SYNTHETIC:
    raise ValueError(
      'image_format must be one of %s; got %r.'
      % (', '.join(sorted(_SYNTHETIC)), image_format)
    )
  name, height, width, default_files, default_per_file = _SYNTHETIC[
    image_format
  ]
  num_files = num_files or default_files
  per_file = images_per_file or default_per_file
  dataset_utils.make_output_dir(dataset_dir)
  rng = np.random.RandomState(seed)
  for shard in range(num_files):
    examples = []
    for i in range(per_file):
      image = _synthetic_image(rng, height, width)
      if image_format == 'jpeg':
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format='JPEG', quality=90)
        data, fmt = buf.getvalue(), b'jpg'
      else:
        data, fmt = dataset_utils.encode_png(image), b'png'
      examples.append(
        dataset_utils.image_to_tfexample(
          data, fmt, height, width, (shard * per_file + i) % 10
        )
      )
    filename = (
      imagenet.shard_filename('train', shard, num_files)
      if name == 'imagenet'
      else 'cifar10_train-%05d-of-%05d.tfrecord' % (shard, num_files)
    )
    dataset_utils.write_tfrecord(os.path.join(dataset_dir, filename), examples)
  dataset = dataset_factory.get_dataset(
    name,
    'train',
    dataset_dir,
    file_pattern=None if name == 'imagenet' else 'cifar10_%s-*.tfrecord',
  )
  dataset.num_samples = num_files * per_file
  return dataset


def measure(
  dataset,
  preprocessing_name,
  image_size,
  batch_size=32,
  num_batches=40,
  num_warmup_batches=5,
  num_readers=2,
  num_preprocessing_threads=2,
  is_training=True,
  augmentation=None,
  skip_corrupt=False,
):
  """Returns `input_pipeline.measure_throughput`'s dict for one setting.

  `augmentation` (an `augmentation.Augmentation`, training only) adds
  RandAugment or TrivialAugment and random erasing to the preprocessing.
  `skip_corrupt` builds the pipeline with its per-record checks (see
  utils/input_pipeline.py); the dict says which, under 'skip_corrupt'.
  """
  num_epochs = None
  if not is_training:  # Enough passes for the evaluation pipeline to last.
    needed = (num_batches + num_warmup_batches) * batch_size
    num_epochs = max(1, math.ceil(needed / float(dataset.num_samples))) + 1
  preprocessing_fn = preprocessing_name
  if is_training and augmentation is not None and augmentation.enabled:
    preprocessing_fn = preprocessing_factory.get_preprocessing(
      preprocessing_name, is_training=True, augmentation=augmentation
    )
  with tf.Graph().as_default():
    batches = input_pipeline.make_dataset(
      dataset,
      preprocessing_fn,
      batch_size,
      image_size,
      is_training,
      num_readers=num_readers,
      num_preprocessing_threads=num_preprocessing_threads,
      num_epochs=num_epochs,
      skip_corrupt=skip_corrupt,
    )
    result = input_pipeline.measure_throughput(
      batches, num_batches, num_warmup_batches
    )
  result.update(
    preprocessing=preprocessing_name,
    image_size=image_size,
    skip_corrupt=skip_corrupt,
  )
  return result


def run(
  specs,
  dataset_dir=None,
  dataset_name='imagenet',
  split_name='train',
  skip_corrupt_settings=(False,),
  **measure_kwargs,
):
  """Measures each 'name:size' of `specs`; returns the list of result dicts.

  Each spec is measured once per entry of `skip_corrupt_settings`, one after
  the other (paired: (False, True) gives the pipeline without and with its
  per-record checks under the same conditions).

  Args:
    specs: Preprocessing specs, e.g. ['vgg:224', 'cifar:32']; a network name
      may stand for its preprocessing.
    dataset_dir: Converted records to read, or None for synthetic ones (JPEGs
      for vgg and inception, PNGs for cifar), removed afterwards.
    dataset_name: Data set in dataset_dir.
    split_name: Split in dataset_dir.
    skip_corrupt_settings: The `skip_corrupt` values to measure, in turn.
    **measure_kwargs: Forwarded to `measure`.

  Raises:
    ValueError: for a malformed spec or an unknown preprocessing name.
  """
  parsed = [
    (preprocessing_factory.resolve_preprocessing_name(name), size)
    for name, size in (parse_spec(spec) for spec in specs)
  ]
  if dataset_dir is not None:
    dataset = dataset_factory.get_dataset(dataset_name, split_name, dataset_dir)
    return [
      measure(dataset, name, size, skip_corrupt=skip, **measure_kwargs)
      for name, size in parsed
      for skip in skip_corrupt_settings
    ]
  scratch = tempfile.mkdtemp(prefix='pipeline_benchmark_')
  try:
    datasets, results = {}, []
    for name, size in parsed:
      image_format = _SYNTHETIC_SOURCE[name]
      if image_format not in datasets:
        datasets[image_format] = synthetic_dataset(
          os.path.join(scratch, image_format), image_format
        )
      for skip in skip_corrupt_settings:
        results.append(
          measure(
            datasets[image_format],
            name,
            size,
            skip_corrupt=skip,
            **measure_kwargs,
          )
        )
    return results
  finally:
    shutil.rmtree(scratch, ignore_errors=True)


def main(argv):
  flag_values = flags.FLAGS
  flag_defs.start_script(argv, flag_values)
  with flag_defs.exit_on_error('pipeline_benchmark'):
    settings = []
    for value in flag_values.skip_corrupt:
      if value.lower() not in ('true', 'false'):
        raise ValueError(
          '--skip_corrupt takes true and false values; got %r' % (value,)
        )
      settings.append(value.lower() == 'true')
    results = run(
      flag_values.preprocessing,
      dataset_dir=flag_values.dataset_dir,
      dataset_name=flag_values.dataset_name,
      split_name=flag_values.dataset_split_name,
      batch_size=flag_values.batch_size,
      num_batches=flag_values.num_batches,
      num_warmup_batches=flag_values.num_warmup_batches,
      num_readers=flag_values.num_readers,
      num_preprocessing_threads=flag_values.num_preprocessing_threads,
      is_training=flag_values.is_training,
      augmentation=configs.image_augmentation(flag_values),
      skip_corrupt_settings=settings,
    )
  augmentation = configs.image_augmentation(flag_values)
  print(
    '%-12s %6s %12s %12s  (%s%s, batch %d, %d cores)'
    % (
      'preprocess',
      'size',
      'skip_corrupt',
      'images/s',
      'training' if flag_values.is_training else 'evaluation',
      ', %s' % (augmentation,) if augmentation.enabled else '',
      flag_values.batch_size,
      os.cpu_count(),
    )
  )
  for result in results:
    print(
      '%-12s %6d %12s %12.1f'
      % (
        result['preprocessing'],
        result['image_size'],
        result['skip_corrupt'],
        result['images_per_second'],
      )
    )


if __name__ == '__main__':
  tools.define_pipeline_benchmark_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this program's.
  flags.adopt_module_key_flags(tools)
  app.run(main)
