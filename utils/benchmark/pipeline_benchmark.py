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

What the corrupt-record checks cost (`--skip_corrupt`), paired and
interleaved over several rounds, each line the median of its rounds and the
cost the fraction of throughput lost against skip_corrupt=false, of the
images per second and of the images per CPU-second of the process (steadier
when other processes share the cores):

  python -m utils.benchmark.pipeline_benchmark \
      --preprocessing=cifar:32,inception:224 --skip_corrupt=false,true \
      --repeats=5
"""

import dataclasses
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

from utils import checks
from utils import flag_defs
from utils import input_pipeline
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import imagenet
from utils.flag_defs import configs
from utils.flag_defs import tools
from utils.preprocessing import preprocessing_factory
from utils.training import config as train_config

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
  checks.check_choice(
    'image_format', image_format, sorted(_SYNTHETIC), checks.ONE_OF_VALUE
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
  dataset, input_config, is_training=True, num_batches=40, num_warmup_batches=5
):
  """Returns `input_pipeline.measure_throughput`'s dict for one setting.

  Args:
    dataset: A slim `Dataset`.
    input_config: The `config.InputConfig` of the pipeline, whose
      `preprocessing_name` and `image_size` are set. Its `augmentation`
      (training only) adds RandAugment or TrivialAugment and random erasing
      to the preprocessing; its `skip_corrupt` builds the pipeline with the
      per-record checks (see utils/input_pipeline.py).
    is_training: The training pipeline (shuffled, augmented); False: the
      evaluation one, over enough passes of the data to last.
    num_batches: Batches timed.
    num_warmup_batches: Batches run first, untimed.

  Returns:
    The dict, with the 'preprocessing', 'image_size' and 'skip_corrupt' of
    the setting too.
  """
  num_epochs = None
  if not is_training:  # Enough passes for the evaluation pipeline to last.
    needed = (num_batches + num_warmup_batches) * input_config.batch_size
    num_epochs = max(1, math.ceil(needed / float(dataset.num_samples))) + 1
  with tf.Graph().as_default():
    batches = input_pipeline.make_dataset(
      dataset, input_config, is_training, num_epochs=num_epochs
    )
    result = input_pipeline.measure_throughput(
      batches, num_batches, num_warmup_batches
    )
  result.update(
    preprocessing=input_config.preprocessing_name,
    image_size=input_config.image_size,
    skip_corrupt=input_config.skip_corrupt,
  )
  return result


def run(
  specs,
  input_config,
  dataset_dir=None,
  dataset_name='imagenet',
  split_name='train',
  skip_corrupt_settings=(False,),
  repeats=1,
  **measure_kwargs,
):
  """Measures each 'name:size' of `specs`; returns the list of result dicts.

  Each spec is measured `repeats` rounds; each round measures every entry of
  `skip_corrupt_settings` in turn, in reverse order every other round
  (paired and interleaved: (False, True) gives the pipeline without and
  with its per-record checks under the same conditions, a slow drift of the
  machine's load weighing on both alike).

  Args:
    specs: Preprocessing specs, e.g. ['vgg:224', 'cifar:32']; a network name
      may stand for its preprocessing.
    input_config: The `config.InputConfig` of the other settings (batch,
      readers, threads, augmentation); each spec sets its preprocessing
      name and image size, each setting its `skip_corrupt`.
    dataset_dir: Converted records to read, or None for synthetic ones (JPEGs
      for vgg and inception, PNGs for cifar), removed afterwards.
    dataset_name: Data set in dataset_dir.
    split_name: Split in dataset_dir.
    skip_corrupt_settings: The `skip_corrupt` values to measure, in turn.
    repeats: Rounds of measurements, >= 1.
    **measure_kwargs: Forwarded to `measure` (is_training, num_batches,
      num_warmup_batches).

  Returns:
    The dicts of `measure`, each with its 'round' too.

  Raises:
    ValueError: for a malformed spec, an unknown preprocessing name or
      repeats below 1.
  """
  checks.check_positive_int('repeats', repeats, checks.POSITIVE_INT_NAMED)
  parsed = [
    (preprocessing_factory.resolve_preprocessing_name(name), size)
    for name, size in (parse_spec(spec) for spec in specs)
  ]

  def measure_spec(dataset, name, size):
    results = []
    for round_index in range(repeats):
      settings = list(skip_corrupt_settings)
      if round_index % 2:
        settings.reverse()
      for skip in settings:
        setting = dataclasses.replace(
          input_config,
          preprocessing_name=name,
          image_size=size,
          skip_corrupt=skip,
        )
        results.append(
          dict(measure(dataset, setting, **measure_kwargs), round=round_index)
        )
    return results

  if dataset_dir is not None:
    dataset = dataset_factory.get_dataset(dataset_name, split_name, dataset_dir)
    return [
      result
      for name, size in parsed
      for result in measure_spec(dataset, name, size)
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
      results += measure_spec(datasets[image_format], name, size)
    return results
  finally:
    shutil.rmtree(scratch, ignore_errors=True)


def summarize(results):
  """The medians of each (preprocessing, size, skip_corrupt).

  Args:
    results: The dicts of `run`.

  Returns:
    A list of dicts ('preprocessing', 'image_size', 'skip_corrupt',
    'images_per_second' and 'images_per_cpu_second' (the medians), 'runs',
    'cost', 'cpu_cost'), in the order of first appearance. For
    skip_corrupt=True beside a False of the same spec, 'cost' is
    1 - median(True) / median(False) of the images per second: the fraction
    of the throughput that the per-record checks cost; 'cpu_cost' the same
    of the images per CPU-second (steadier on cores that other processes
    share); else both None.
  """
  groups = {}
  for result in results:
    key = (
      result['preprocessing'],
      result['image_size'],
      result['skip_corrupt'],
    )
    groups.setdefault(key, []).append(result)
  medians = {
    key: {
      name: float(np.median([r[name] for r in group]))
      for name in ('images_per_second', 'images_per_cpu_second')
    }
    for key, group in groups.items()
  }
  rows = []
  for (name, size, skip), group in groups.items():
    median = medians[(name, size, skip)]
    plain = medians.get((name, size, False))
    row = dict(
      preprocessing=name,
      image_size=size,
      skip_corrupt=skip,
      runs=len(group),
      cost=None,
      cpu_cost=None,
      **median,
    )
    if skip and plain:
      row['cost'] = (
        1.0 - median['images_per_second'] / plain['images_per_second']
      )
      row['cpu_cost'] = (
        1.0 - median['images_per_cpu_second'] / plain['images_per_cpu_second']
      )
    rows.append(row)
  return rows


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
    augmentation = configs.image_augmentation(flag_values)
    input_config = train_config.InputConfig(
      batch_size=flag_values.batch_size,
      num_readers=flag_values.num_readers,
      num_preprocessing_threads=flag_values.num_preprocessing_threads,
      augmentation=augmentation,
    )
    results = run(
      flag_values.preprocessing,
      input_config,
      dataset_dir=flag_values.dataset_dir,
      dataset_name=flag_values.dataset_name,
      split_name=flag_values.dataset_split_name,
      skip_corrupt_settings=settings,
      repeats=flag_values.repeats,
      is_training=flag_values.is_training,
      num_batches=flag_values.num_batches,
      num_warmup_batches=flag_values.num_warmup_batches,
    )
  print(
    '%-12s %6s %12s %10s %10s %5s %7s %8s  (%s%s, batch %d, %d cores)'
    % (
      'preprocess',
      'size',
      'skip_corrupt',
      'images/s',
      'img/cpu-s',
      'runs',
      'cost',
      'cpu cost',
      'training' if flag_values.is_training else 'evaluation',
      ', %s' % (augmentation,) if augmentation.enabled else '',
      flag_values.batch_size,
      os.cpu_count(),
    )
  )

  def percent(value):
    return '' if value is None else '%.1f%%' % (100 * value)

  for row in summarize(results):
    print(
      '%-12s %6d %12s %10.1f %10.1f %5d %7s %8s'
      % (
        row['preprocessing'],
        row['image_size'],
        row['skip_corrupt'],
        row['images_per_second'],
        row['images_per_cpu_second'],
        row['runs'],
        percent(row['cost']),
        percent(row['cpu_cost']),
      )
    )


if __name__ == '__main__':
  tools.define_pipeline_benchmark_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this program's.
  flags.adopt_module_key_flags(tools)
  app.run(main)
