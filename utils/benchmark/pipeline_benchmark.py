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

Without --dataset_dir it reads synthetic records (`synthetic_dataset`).
--auto_augment, --random_erase (and RandAugment's settings) add the
training's image augmentations. What the corrupt-record bookkeeping costs,
paired and interleaved over rounds (each line the median of its rounds; the
cost is the fraction lost against skip_corrupt=false of the images per
second and of the images per CPU-second, steadier on shared cores):

  python -m utils.benchmark.pipeline_benchmark \
      --preprocessing=cifar:32,inception:224 --skip_corrupt=false,true \
      --repeats=5
"""

import dataclasses
import io
import math
import os
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

# Synthetic records: format -> (data set whose decoder reads them, height,
# width, number of files, images per file).
_SYNTHETIC = {
  'jpeg': ('imagenet', 375, 500, 4, 128),
  'png': ('cifar10', 32, 32, 1, 2048),
}
_SYNTHETIC_SOURCE = dict(
  vgg='jpeg', inception='jpeg', torchvision='jpeg', caffe='jpeg', cifar='png'
)
_RATES = {'images_per_second': 'cost', 'images_per_cpu_second': 'cpu_cost'}
_HEADER = '%-12s %6s %12s %10s %10s %5s %7s %8s' % (
  'preprocess',
  'size',
  'skip_corrupt',
  'images/s',
  'img/cpu-s',
  'runs',
  'cost',
  'cpu cost',
)
_ROW = (
  '%(preprocessing)-12s %(image_size)6d %(skip_corrupt)12s '
  '%(images_per_second)10.1f %(images_per_cpu_second)10.1f %(runs)5d '
  '%(cost)7s %(cpu_cost)8s'
)


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


def synthetic_dataset(
  dataset_dir, image_format, num_files=None, images_per_file=None, seed=0
):
  """Writes a synthetic 'train' split; returns its slim Dataset.

  The images are smooth random content (a bicubic upscale of a small random
  image) with mild noise, so that their sizes and decode costs are close to
  those of photos.

  Args:
    dataset_dir: Output directory (created if missing).
    image_format: 'jpeg' (ImageNet-like records of 500x375 images) or 'png'
      (CIFAR-10-like records of 32x32 images).
    num_files, images_per_file: None for the format's defaults.
    seed: Seed of the image contents.

  Returns:
    A Dataset of `dataset_factory.get_dataset` whose `num_samples` is the
    number of records written.

  Raises:
    ValueError: for another image_format.
  """
  checks.check_choice(
    'image_format', image_format, sorted(_SYNTHETIC), checks.ONE_OF_VALUE
  )
  name, height, width, default_files, per_file = _SYNTHETIC[image_format]
  num_files = num_files or default_files
  per_file = images_per_file or per_file
  dataset_utils.make_output_dir(dataset_dir)
  rng = np.random.RandomState(seed)
  for shard in range(num_files):
    examples = []
    for i in range(per_file):
      small = rng.randint(0, 256, (height // 16 + 1, width // 16 + 1, 3))
      image = Image.fromarray(small.astype(np.uint8))
      pixels = np.asarray(image.resize((width, height), Image.BICUBIC))
      noise = rng.randint(-12, 13, (height, width, 3))
      image = np.clip(pixels + noise, 0, 255).astype(np.uint8)
      if image_format == 'jpeg':
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format='JPEG', quality=90)
        data, fmt = buf.getvalue(), b'jpg'
      else:
        data, fmt = dataset_utils.encode_png(image), b'png'
      label = (shard * per_file + i) % 10
      examples.append(
        dataset_utils.image_to_tfexample(data, fmt, height, width, label)
      )
    filename = imagenet.shard_filename('train', shard, num_files)
    dataset_utils.write_tfrecord(os.path.join(dataset_dir, filename), examples)
  dataset = dataset_factory.get_dataset(
    name, 'train', dataset_dir, file_pattern=imagenet.FILE_PATTERN
  )
  dataset.num_samples = num_files * per_file
  return dataset


def measure(
  dataset, input_config, is_training=True, num_batches=40, num_warmup_batches=5
):
  """`input_pipeline.measure_throughput`'s dict for one setting.

  Args:
    dataset: A slim `Dataset`.
    input_config: The `config.InputConfig` of the pipeline (preprocessing
      name and image size set).
    is_training: The training pipeline; False: the evaluation one, over
      enough passes of the data to last.
    num_batches, num_warmup_batches: Batches timed, and run untimed first.

  Returns:
    The dict, with the setting's 'preprocessing', 'image_size' and
    'skip_corrupt'.
  """
  num_epochs = None
  if not is_training:
    needed = (num_batches + num_warmup_batches) * input_config.batch_size
    num_epochs = max(1, math.ceil(needed / float(dataset.num_samples))) + 1
  with tf.Graph().as_default():
    batches = input_pipeline.make_dataset(
      dataset, input_config, is_training, num_epochs=num_epochs
    )
    result = input_pipeline.measure_throughput(
      batches, num_batches, num_warmup_batches
    )
  return dict(
    result,
    preprocessing=input_config.preprocessing_name,
    image_size=input_config.image_size,
    skip_corrupt=input_config.skip_corrupt,
  )


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
  """Measures each 'name:size' of `specs` over `repeats` rounds.

  A round measures every `skip_corrupt_settings` value in turn, in reverse
  order every other round, so that (False, True) compares the pipeline
  without and with its corrupt-record bookkeeping under the same load.

  Args:
    specs: Preprocessing specs, e.g. ['vgg:224', 'cifar:32']; a network name
      may stand for its preprocessing.
    input_config: The `config.InputConfig` of the other settings.
    dataset_dir: Converted records to read, or None for synthetic ones
      (removed afterwards).
    dataset_name, split_name: The data set in dataset_dir.
    skip_corrupt_settings: The `skip_corrupt` values to measure.
    repeats: Rounds of measurements, >= 1.
    **measure_kwargs: Forwarded to `measure`.

  Returns:
    The dicts of `measure`, each with its 'round'.

  Raises:
    ValueError: for a malformed spec, an unknown preprocessing name or
      repeats below 1.
  """
  checks.check_positive_int('repeats', repeats, checks.POSITIVE_INT_NAMED)
  parsed = [
    (preprocessing_factory.resolve_preprocessing_name(name), size)
    for name, size in map(parse_spec, specs)
  ]
  datasets, results = {}, []
  with tempfile.TemporaryDirectory(prefix='pipeline_benchmark_') as scratch:
    for name, size in parsed:
      if dataset_dir is not None:
        dataset = dataset_factory.get_dataset(
          dataset_name, split_name, dataset_dir
        )
      else:
        image_format = _SYNTHETIC_SOURCE[name]
        if image_format not in datasets:
          datasets[image_format] = synthetic_dataset(
            os.path.join(scratch, image_format), image_format
          )
        dataset = datasets[image_format]
      for round_index in range(repeats):
        order = -1 if round_index % 2 else 1
        for skip in list(skip_corrupt_settings)[::order]:
          setting = dataclasses.replace(
            input_config,
            preprocessing_name=name,
            image_size=size,
            skip_corrupt=skip,
          )
          result = measure(dataset, setting, **measure_kwargs)
          results.append(dict(result, round=round_index))
  return results


def summarize(results):
  """The medians of each (preprocessing, size, skip_corrupt).

  Returns:
    A list of dicts ('preprocessing', 'image_size', 'skip_corrupt', 'runs',
    'images_per_second' and 'images_per_cpu_second' (the medians), 'cost'
    and 'cpu_cost'), in the order of first appearance. For skip_corrupt=True
    beside a False of the same spec, 'cost' is 1 - median(True) /
    median(False) of the images per second, 'cpu_cost' the same of the
    images per CPU-second; else both None.
  """
  groups = {}
  for r in results:
    key = (r['preprocessing'], r['image_size'], r['skip_corrupt'])
    groups.setdefault(key, []).append(r)
  rows = {}
  for (name, size, skip), group in groups.items():
    row = dict(preprocessing=name, image_size=size, skip_corrupt=skip)
    row.update(runs=len(group), cost=None, cpu_cost=None)
    for rate in _RATES:
      row[rate] = float(np.median([r[rate] for r in group]))
    rows[name, size, skip] = row
  for (name, size, skip), row in rows.items():
    plain = rows.get((name, size, False))
    for rate, cost in _RATES.items() if skip and plain else ():
      row[cost] = 1.0 - row[rate] / plain[rate]
  return list(rows.values())


def main(argv):
  fv = flags.FLAGS
  flag_defs.start_script(argv, fv)
  with flag_defs.exit_on_error('pipeline_benchmark'):
    settings = []
    for value in fv.skip_corrupt:
      if value.lower() not in ('true', 'false'):
        raise ValueError(
          '--skip_corrupt takes true and false values; got %r' % (value,)
        )
      settings.append(value.lower() == 'true')
    augmentation = configs.image_augmentation(fv)
    input_config = train_config.InputConfig(
      batch_size=fv.batch_size,
      num_readers=fv.num_readers,
      num_preprocessing_threads=fv.num_preprocessing_threads,
      augmentation=augmentation,
    )
    results = run(
      fv.preprocessing,
      input_config,
      dataset_dir=fv.dataset_dir,
      dataset_name=fv.dataset_name,
      split_name=fv.dataset_split_name,
      skip_corrupt_settings=settings,
      repeats=fv.repeats,
      is_training=fv.is_training,
      num_batches=fv.num_batches,
      num_warmup_batches=fv.num_warmup_batches,
    )
  print(
    '%s  (%s%s, batch %d, %d cores)'
    % (
      _HEADER,
      'training' if fv.is_training else 'evaluation',
      ', %s' % (augmentation,) if augmentation.enabled else '',
      fv.batch_size,
      os.cpu_count(),
    )
  )
  for row in summarize(results):
    for cost in _RATES.values():
      row[cost] = '' if row[cost] is None else '%.1f%%' % (100 * row[cost])
    print(_ROW % row)


if __name__ == '__main__':
  tools.define_pipeline_benchmark_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this program's.
  flags.adopt_module_key_flags(tools)
  app.run(main)
