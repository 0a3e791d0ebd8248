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
"""Tests for utils/input_pipeline.py: record coverage and order, shapes,
shuffling, labels, greyscale handling, corrupt data and argument errors."""

import dataclasses
import os
import tempfile
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from tests import test_util
from utils import input_pipeline
from utils import repeated_augmentation
from utils.benchmark import pipeline_benchmark
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import digits
from utils.preprocessing import augmentation
from utils.training import config


def setUpModule():
  tf.disable_eager_execution()


def record_pixels(record_id):
  """The 4x5 greyscale image of record `record_id`; distinct per record."""
  rows, cols = np.mgrid[0:4, 0:5]
  return ((record_id * 7 + rows * 5 + cols) % 256).astype(np.uint8)


def example(record_id):
  return dataset_utils.image_to_tfexample(
    dataset_utils.encode_png(record_pixels(record_id)), b'png', 4, 5, record_id
  )


def bad_image_example(record_id):
  return dataset_utils.image_to_tfexample(
    b'\x89PNG not an image', b'png', 4, 5, record_id
  )


def identity_preprocessing(image, height, width):
  """Keeps the decoded pixels (the sizes match), as float32."""
  del height, width
  return tf.cast(image, tf.float32)


def write_shards(directory, sizes, replace=None):
  """Writes part-0000i files with consecutive record ids.

  Args:
    directory: Output directory.
    sizes: Records per shard.
    replace: Optional {record_id: serialized bytes or tf.Example}.

  Returns:
    The list of paths.
  """
  replace = replace or {}
  paths, record_id = [], 0
  for shard, size in enumerate(sizes):
    path = os.path.join(directory, 'part-%05d' % shard)
    records = []
    for _ in range(size):
      records.append(replace.get(record_id, example(record_id)))
      record_id += 1
    dataset_utils.write_tfrecord(path, records)
    paths.append(path)
  return paths


def make(dataset, preprocessing_fn, image_size, is_training, **kwargs):
  """`make_dataset` with the `InputConfig` fields among `kwargs`."""
  fields = {
    k: kwargs.pop(k)
    for k in list(kwargs)
    if k in {f.name for f in dataclasses.fields(config.InputConfig)}
  }
  return input_pipeline.make_dataset(
    dataset,
    config.InputConfig(**fields),
    is_training,
    image_size=image_size,
    preprocessing_fn=preprocessing_fn,
    **kwargs,
  )


def descriptor(directory):
  return dataset_factory.get_dataset(
    'mnist', 'train', directory, file_pattern='part-*'
  )


def run_all(batches, initializable=False):
  """Runs a finite pipeline to its end.

  Args:
    batches: The pipeline, in the default graph.
    initializable: Use an initializable iterator and report the skip counter
      (needed when the pipeline captures it, i.e. with skip_corrupt=True).

  Returns:
    (list of (images, labels) batches, skipped-record count or None).
  """
  if initializable:
    iterator = tf.data.make_initializable_iterator(batches)
    init = [iterator.initializer, tf.local_variables_initializer()]
  else:
    iterator = tf.data.make_one_shot_iterator(batches)
    init = []
  next_batch = iterator.get_next()
  out = []
  with tf.Session() as sess:
    sess.run(init)
    try:
      while True:
        out.append(sess.run(next_batch))
    except tf.errors.OutOfRangeError:
      pass
    skipped = (
      sess.run(input_pipeline.corrupt_record_counter())
      if initializable
      else None
    )
  return out, skipped


class EvaluationOrderTest(tf.test.TestCase):
  def test_visits_every_record_once_in_order_keeping_last_batch(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(directory, [7, 5, 9])
    with tf.Graph().as_default():
      batches = make(
        descriptor(directory),
        identity_preprocessing,
        batch_size=4,
        image_size=(4, 5),
        is_training=False,
        num_readers=3,
        num_preprocessing_threads=3,
      )
      out, _ = run_all(batches)
    self.assertEqual([4, 4, 4, 4, 4, 1], [len(labels) for _, labels in out])
    labels = np.concatenate([labels for _, labels in out])
    images = np.concatenate([images for images, _ in out])
    self.assertAllEqual(np.arange(21), labels)
    expected = np.stack([record_pixels(i) for i in range(21)])
    # Greyscale PNGs come out with three identical channels.
    self.assertAllEqual(np.repeat(expected[..., None], 3, axis=3), images)
    self.assertEqual(np.float32, images.dtype)
    self.assertEqual(np.int64, labels.dtype)

  def test_epochs(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(directory, [3, 2])
    with tf.Graph().as_default():
      batches = make(
        descriptor(directory),
        identity_preprocessing,
        batch_size=3,
        image_size=(4, 5),
        is_training=False,
        num_epochs=2,
      )
      out, _ = run_all(batches)
    self.assertAllEqual(
      list(range(5)) * 2, np.concatenate([labels for _, labels in out])
    )

  def test_digits_pixels_through_the_pipeline(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    digits.convert(directory)
    images, labels, _ = digits.load_split('test')
    with tf.Graph().as_default():
      batches = make(
        dataset_factory.get_dataset('digits', 'test', directory),
        identity_preprocessing,
        batch_size=100,
        image_size=8,
        is_training=False,
      )
      out, _ = run_all(batches)
    self.assertAllEqual(labels, np.concatenate([lab for _, lab in out]))
    self.assertAllEqual(
      np.repeat(images[..., None], 3, axis=3),
      np.concatenate([i for i, _ in out]),
    )


class TrainingTest(tf.test.TestCase, parameterized.TestCase):
  def setUp(self):
    super().setUp()
    self.directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(self.directory, [7, 5, 9, 3])

  def _labels(self, seed, **kwargs):
    with tf.Graph().as_default():
      batches = make(
        descriptor(self.directory),
        'cifar',
        batch_size=5,
        image_size=32,
        is_training=True,
        num_epochs=1,
        seed=seed,
        shuffle_buffer_size=8,
        num_readers=2,
        drop_remainder=False,
        **kwargs,
      )
      out, _ = run_all(batches)
    return np.concatenate([labels for _, labels in out])

  def test_shuffled_epoch_has_every_record_once(self):
    labels = self._labels(seed=1)
    self.assertAllEqual(np.arange(24), np.sort(labels))
    self.assertNotAllEqual(np.arange(24), labels)

  def test_seed_makes_order_deterministic(self):
    self.assertAllEqual(self._labels(seed=5), self._labels(seed=5))

  def test_labels_offset(self):
    self.assertAllEqual(
      np.arange(-1, 23), np.sort(self._labels(seed=1, labels_offset=1))
    )

  @parameterized.named_parameters(
    ('vgg', 'vgg', 224, False, 3),
    ('inception', 'inception', 299, False, 3),
    ('cifar', 'cifar', 32, False, 3),
    ('vgg_gray', 'vgg', 64, True, 1),
    ('network_free_callable', identity_preprocessing, (4, 5), True, 1),
  )
  def test_static_shapes_and_dtypes(self, preprocessing, size, gray, channels):
    with tf.Graph().as_default():
      batches = make(
        descriptor(self.directory),
        preprocessing,
        batch_size=3,
        image_size=size,
        is_training=True,
        use_grayscale=gray,
      )
      images, labels = tf.data.make_one_shot_iterator(batches).get_next()
      height, width = (size, size) if isinstance(size, int) else size
      self.assertEqual([3, height, width, channels], images.shape.as_list())
      self.assertEqual([3], labels.shape.as_list())
      self.assertEqual((tf.float32, tf.int64), (images.dtype, labels.dtype))
      with self.session() as sess:
        for _ in range(9):  # Past one epoch: training repeats forever.
          image_values, label_values = sess.run([images, labels])
    self.assertEqual((3, height, width, channels), image_values.shape)
    self.assertAllInRange(label_values, 0, 23)


class CorruptDataTest(tf.test.TestCase, parameterized.TestCase):
  def _run(self, directory, skip_corrupt, is_training=False):
    with tf.Graph().as_default():
      batches = make(
        descriptor(directory),
        identity_preprocessing,
        batch_size=4,
        image_size=(4, 5),
        is_training=is_training,
        num_epochs=1,
        skip_corrupt=skip_corrupt,
        drop_remainder=False,
        seed=0,
      )
      with input_pipeline.corrupt_data_raised():
        out, skipped = run_all(batches, initializable=skip_corrupt)
    labels = np.concatenate([lab for _, lab in out]) if out else np.array([])
    return sorted(labels.tolist()), skipped

  @parameterized.named_parameters(
    ('bad_image_middle', 8, bad_image_example, 'part-00001'),
    ('bad_image_last', 11, bad_image_example, 'part-00001'),
    ('bad_image_first', 0, bad_image_example, 'part-00000'),
    ('not_an_example', 9, lambda i: b'\x01\x02garbage', 'part-00001'),
  )
  def test_undecodable_record_is_named(self, bad_id, make_bad, shard):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(directory, [6, 6], replace={bad_id: make_bad(bad_id)})
    with self.assertRaisesRegex(
      input_pipeline.CorruptDataError,
      'Could not decode record %d of '
      '%s' % (bad_id % 6, os.path.join(directory, shard)),
    ):
      self._run(directory, skip_corrupt=False)
    labels, skipped = self._run(directory, skip_corrupt=True)
    self.assertEqual(sorted(set(range(12)) - {bad_id}), labels)
    self.assertEqual(1, skipped)

  def test_consecutive_bad_records_are_counted(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(
      directory, [6, 6], replace={i: bad_image_example(i) for i in (3, 4, 5, 6)}
    )
    labels, skipped = self._run(directory, skip_corrupt=True, is_training=True)
    self.assertEqual([0, 1, 2, 7, 8, 9, 10, 11], labels)
    self.assertEqual(4, skipped)

  @parameterized.named_parameters(
    ('checked', True, {'ScanDataset', 'IgnoreErrorsDataset'}),
    ('unchecked', False, set()),
  )
  def test_per_record_checks_only_when_skipping(self, skip_corrupt, expected):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(directory, [2])
    with tf.Graph().as_default() as graph:
      make(
        descriptor(directory),
        identity_preprocessing,
        batch_size=2,
        image_size=4,
        is_training=True,
        skip_corrupt=skip_corrupt,
      )
      types = {op.type for op in graph.get_operations()}
      files = graph.get_collection(input_pipeline.DATA_FILES_COLLECTION)
      # A checkpoint's MetaGraph keeps the collection (and warns otherwise).
      collections = tf.train.export_meta_graph().collection_def
    self.assertEqual(expected, types & {'ScanDataset', 'IgnoreErrorsDataset'})
    # Without the checks, the files to search after an error.
    expected_files = (
      [] if skip_corrupt else [os.path.join(directory, 'part-00000')]
    )
    self.assertEqual(expected_files, files)
    kept = collections.get(input_pipeline.DATA_FILES_COLLECTION)
    self.assertEqual(
      expected_files,
      [v.decode() for v in kept.bytes_list.value] if kept else [],
    )

  def test_other_errors_pass_unchanged(self):
    with tf.Graph().as_default():
      value = tf.placeholder(tf.int32, [])
      check = tf.debugging.assert_equal(value, 2, message='not about data')
      with self.session() as sess:
        with self.assertRaisesRegex(
          tf.errors.InvalidArgumentError, 'not about data'
        ):
          with input_pipeline.corrupt_data_raised():
            sess.run(check, {value: 1})

  @parameterized.named_parameters(
    ('truncated', 'truncate'), ('bad_crc', 'flip')
  )
  def test_corrupt_file_is_named(self, damage):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    paths = write_shards(directory, [4, 6, 4])
    with open(paths[1], 'rb') as f:
      data = bytearray(f.read())
    record_bytes = len(data) // 6
    if damage == 'truncate':
      data = data[:-10]  # The last record (index 5) is cut short.
      bad_index = 5
    else:
      data[3 * record_bytes + 20] ^= 0xFF  # Inside record 3's data.
      bad_index = 3
    with open(paths[1], 'wb') as f:
      f.write(bytes(data))
    with self.assertRaisesRegex(
      input_pipeline.CorruptDataError,
      'Corrupt TFRecord file %s: record %d '
      r'\(at byte %d of %d\)'
      % (paths[1], bad_index, bad_index * record_bytes, len(data)),
    ):
      self._run(directory, skip_corrupt=False)
    labels, skipped = self._run(directory, skip_corrupt=True)
    self.assertEqual(list(range(4 + bad_index)) + list(range(10, 14)), labels)
    self.assertEqual(1, skipped)

  @parameterized.named_parameters(
    # 5 good records and the end sentinel fill two batches of 3: the second
    # is short once the sentinel is removed.
    ('sentinel_in_a_full_batch', 6, 2, 1),
    ('sentinel_in_the_partial_batch', 7, 2, 2),
    ('last_record_lost', 7, 6, 2),
  )
  def test_skipping_keeps_full_batches_when_dropping_the_remainder(
    self, num_records, bad_id, num_batches
  ):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(directory, [num_records], {bad_id: bad_image_example(bad_id)})
    with tf.Graph().as_default():
      batches = make(
        descriptor(directory),
        identity_preprocessing,
        batch_size=3,
        image_size=(4, 5),
        is_training=False,
        drop_remainder=True,
        skip_corrupt=True,
      )
      self.assertEqual(
        [3, 4, 5, 3], tf.data.get_output_shapes(batches)[0].as_list()
      )
      out, skipped = run_all(batches, initializable=True)
    good = [i for i in range(num_records) if i != bad_id]
    self.assertEqual(
      good[: 3 * num_batches],
      np.concatenate([lab for _, lab in out]).tolist(),
    )
    self.assertEqual(1, skipped)

  def test_skipping_before_repeated_augmentation(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(directory, [6], {i: bad_image_example(i) for i in (2, 5)})
    with tf.Graph().as_default():
      batches = make(
        descriptor(directory),
        identity_preprocessing,
        batch_size=2,
        image_size=(4, 5),
        is_training=True,
        num_epochs=1,
        skip_corrupt=True,
        aug_repeats=2,
        seed=0,
      )
      out, skipped = run_all(batches, initializable=True)
    labels = np.concatenate([lab for _, lab in out])
    self.assertEqual([0, 0, 1, 1, 3, 3, 4, 4], sorted(labels.tolist()))
    self.assertEqual(2, skipped)


class ArgumentsTest(tf.test.TestCase, parameterized.TestCase):
  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.directory = test_util.class_temp_dir(cls)
    write_shards(cls.directory, [2])

  @parameterized.named_parameters(
    (
      'batch_size',
      dict(batch_size=0),
      'batch_size must be an integer >= 1; got batch_size=0',
    ),
    (
      'image_size',
      dict(image_size=(0, 3)),
      r'image_size must be .*got '
      r'\(0, 3\)',
    ),
    (
      'num_readers',
      dict(num_readers=0),
      'num_readers must be an integer >= 1; got num_readers=0',
    ),
    (
      'threads',
      dict(num_preprocessing_threads=1.5),
      'num_preprocessing_threads must be an integer >= 1; got '
      'num_preprocessing_threads=1.5',
    ),
    (
      'epochs',
      dict(num_epochs=0),
      'num_epochs must be a positive integer; got 0',
    ),
    (
      'offset',
      dict(labels_offset='1'),
      "labels_offset must be an integer >= 0; got labels_offset='1'",
    ),
    (
      'preprocessing',
      dict(preprocessing_fn=3),
      'preprocessing_fn must be a function or a preprocessing name; got 3',
    ),
    (
      'unknown_preprocessing',
      dict(preprocessing_fn='alexnet'),
      "Unknown preprocessing 'alexnet'",
    ),
  )
  def test_bad_arguments(self, override, regex):
    kwargs = dict(
      dataset=descriptor(self.directory),
      preprocessing_fn='vgg',
      batch_size=2,
      image_size=8,
      is_training=False,
    )
    kwargs.update(override)
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, regex):
        make(**kwargs)

  def test_input_config_must_be_one(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        TypeError, 'input_config must be a config.InputConfig; got 3'
      ):
        input_pipeline.make_dataset(descriptor(self.directory), 3, False)

  @parameterized.named_parameters(
    ('image_size', dict(preprocessing_name='vgg'), 'needs an image size'),
    ('preprocessing', dict(image_size=8), 'needs a preprocessing'),
  )
  def test_unset_field_is_named(self, fields, regex):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, regex):
        input_pipeline.make_dataset(
          descriptor(self.directory), config.InputConfig(**fields), False
        )

  def test_config_gives_preprocessing_and_size(self):
    with tf.Graph().as_default():
      batches = input_pipeline.make_dataset(
        descriptor(self.directory),
        config.InputConfig(
          preprocessing_name='cifar', batch_size=2, image_size=16
        ),
        is_training=True,
      )
    self.assertEqual([2, 16, 16, 3], batches.element_spec[0].shape.as_list())

  def test_other_reader_is_refused(self):
    dataset = descriptor(self.directory)
    dataset.reader = tf.TextLineReader
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, 'TFRecord files only'):
        make(dataset, 'vgg', 8, False, batch_size=2)

  def test_pattern_without_files_is_named(self):
    pattern = os.path.join(self.directory, 'nothing-*')
    dataset = descriptor(self.directory)
    dataset.data_sources = [pattern]
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        IOError, 'No file matches %s' % pattern.replace('*', r'\*')
      ):
        make(dataset, 'vgg', 8, False, batch_size=2)

  def test_resolve_data_files(self):
    path = os.path.join(self.directory, 'part-00000')
    self.assertEqual(
      [path],
      input_pipeline.resolve_data_files(os.path.join(self.directory, 'part-*')),
    )
    self.assertEqual([path], input_pipeline.resolve_data_files([path, path]))

  def test_counter_is_one_per_graph(self):
    with tf.Graph().as_default():
      counter = input_pipeline.corrupt_record_counter()
      self.assertIs(counter, input_pipeline.corrupt_record_counter())
      self.assertIn(counter, tf.local_variables())
      self.assertEqual(tf.int64, counter.dtype.base_dtype)

  def test_measure_throughput(self):
    with tf.Graph().as_default():
      batches = make(
        descriptor(self.directory),
        'cifar',
        batch_size=4,
        image_size=32,
        is_training=True,
      )
      result = input_pipeline.measure_throughput(
        batches, num_batches=3, num_warmup_batches=1
      )
    self.assertEqual(12, result['images'])
    self.assertGreater(result['images_per_second'], 0)
    self.assertGreater(result['cpu_seconds'], 0)
    self.assertAlmostEqual(
      12 / result['cpu_seconds'], result['images_per_cpu_second']
    )
    with self.assertRaisesRegex(
      ValueError, 'num_batches must be a positive integer; got 0'
    ):
      input_pipeline.measure_throughput(batches, num_batches=0)


class PipelineBenchmarkTest(tf.test.TestCase, parameterized.TestCase):
  def test_parse_spec(self):
    self.assertEqual(
      ('inception', 299), pipeline_benchmark.parse_spec('inception:299')
    )

  @parameterized.named_parameters(
    ('no_size', 'vgg'), ('zero', 'vgg:0'), ('text', 'vgg:big')
  )
  def test_bad_spec(self, spec):
    with self.assertRaisesRegex(
      ValueError, 'spec %r is not "name:size"' % spec
    ):
      pipeline_benchmark.parse_spec(spec)

  @parameterized.named_parameters(
    ('png_train', 'png', 'cifar', 32, True, None),
    ('jpeg_eval', 'jpeg', 'inception', 64, False, None),
    (
      'png_train_augmented',
      'png',
      'cifar',
      32,
      True,
      augmentation.Augmentation('trivialaugment_wide', random_erase=0.5),
    ),
  )
  def test_measure_on_synthetic_records(
    self, image_format, name, size, is_training, augment
  ):
    dataset = pipeline_benchmark.synthetic_dataset(
      os.path.join(self.get_temp_dir(), image_format + str(is_training)),
      image_format,
      num_files=2,
      images_per_file=3,
    )
    self.assertLen(dataset.data_sources, 2)
    self.assertEqual(6, dataset.num_samples)
    result = pipeline_benchmark.measure(
      dataset,
      config.InputConfig(
        preprocessing_name=name,
        image_size=size,
        batch_size=4,
        augmentation=augment or augmentation.Augmentation(),
      ),
      is_training=is_training,
      num_batches=3,
      num_warmup_batches=1,
    )
    # Passes are repeated before batching, so every batch is full; the
    # evaluation pipeline gets enough passes for warm-up and timed batches.
    self.assertEqual(12, result['images'])
    self.assertGreater(result['images_per_second'], 0)

  def test_rounds_interleave_the_settings_and_summarize_to_medians(self):
    dataset = pipeline_benchmark.synthetic_dataset(
      os.path.join(self.get_temp_dir(), 'rounds'),
      'png',
      num_files=1,
      images_per_file=4,
    )
    measured = []

    def fake_measure(dataset, input_config, **kwargs):
      del dataset, kwargs
      measured.append(input_config.skip_corrupt)
      return dict(
        images_per_cpu_second=50.0 - 5 * input_config.skip_corrupt,
        images_per_second=100.0
        - 10 * input_config.skip_corrupt
        - len(measured),
        preprocessing=input_config.preprocessing_name,
        image_size=input_config.image_size,
        skip_corrupt=input_config.skip_corrupt,
      )

    with mock.patch.object(pipeline_benchmark, 'measure', fake_measure):
      with mock.patch.object(
        pipeline_benchmark.dataset_factory, 'get_dataset', lambda *a: dataset
      ):
        results = pipeline_benchmark.run(
          ['cifar:32'],
          config.InputConfig(),
          dataset_dir='unused',
          skip_corrupt_settings=(False, True),
          repeats=3,
        )
    # Rounds alternate the order: False True, True False, False True.
    self.assertEqual([False, True, True, False, False, True], measured)
    self.assertEqual([0, 0, 1, 1, 2, 2], [r['round'] for r in results])
    plain, checked = pipeline_benchmark.summarize(results)
    # Throughputs 99, 96, 95 without the checks; 88, 87, 84 with them.
    self.assertEqual(
      (False, 96.0, 3, None),
      (
        plain['skip_corrupt'],
        plain['images_per_second'],
        plain['runs'],
        plain['cost'],
      ),
    )
    self.assertEqual(87.0, checked['images_per_second'])
    self.assertAlmostEqual(1 - 87.0 / 96.0, checked['cost'])
    self.assertAlmostEqual(0.1, checked['cpu_cost'])
    self.assertIsNone(plain['cpu_cost'])

  def test_repeats_must_be_positive(self):
    with self.assertRaisesRegex(
      ValueError, 'repeats must be a positive integer; got repeats=0'
    ):
      pipeline_benchmark.run(['cifar:32'], config.InputConfig(), repeats=0)

  def test_unknown_synthetic_format(self):
    with self.assertRaisesRegex(
      ValueError, "image_format must be one of jpeg, png; got 'gif'"
    ):
      pipeline_benchmark.synthetic_dataset(self.get_temp_dir(), 'gif')


class RepeatedAugmentationPipelineTest(tf.test.TestCase):
  def setUp(self):
    super().setUp()
    self.directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    write_shards(self.directory, [5, 7])

  def _batches(self, config, seed=3):
    with tf.Graph().as_default():
      batches = make(
        descriptor(self.directory),
        identity_preprocessing,
        batch_size=3,
        image_size=(4, 5),
        is_training=True,
        num_epochs=1,
        seed=seed,
        repeated_augmentation=config,
      )
      out, _ = run_all(batches)
    return out

  def test_two_clones_each_see_every_record(self):
    # 2 repeats over 2 clones of one worker: batches alternate clone 0,
    # clone 1, and both read the records in the same (shuffled) order.
    config = repeated_augmentation.RepeatedAugmentation(2, 2, 0, 2)
    out = self._batches(config)
    self.assertLen(out, 8)  # 12 records x 2 repeats / batches of 3.
    for first, second in zip(out[0::2], out[1::2]):
      self.assertAllEqual(first[1], second[1])
      self.assertAllEqual(first[0], second[0])  # Identity preprocessing.
    labels = np.concatenate([labels for _, labels in out[0::2]])
    self.assertAllEqual(np.arange(12), np.sort(labels))

  def test_two_workers_read_the_same_records(self):
    ranks = [
      self._batches(repeated_augmentation.RepeatedAugmentation(2, 2, r, 1))
      for r in (0, 1)
    ]
    labels = [np.concatenate([b[1] for b in out]) for out in ranks]
    self.assertAllEqual(labels[0], labels[1])
    self.assertAllEqual(np.arange(12), np.sort(labels[0]))

  def test_one_worker_repeats_in_a_row(self):
    out = self._batches(repeated_augmentation.RepeatedAugmentation(3))
    labels = np.concatenate([b[1] for b in out])
    self.assertLen(labels, 36)
    self.assertAllEqual(np.repeat(labels[0::3], 3), labels)

  def test_aug_repeats_of_the_config_on_one_replica(self):
    with tf.Graph().as_default():
      batches = make(
        descriptor(self.directory),
        identity_preprocessing,
        (4, 5),
        True,
        batch_size=3,
        aug_repeats=3,
        num_epochs=1,
        seed=3,
      )
      out, _ = run_all(batches)
    labels = np.concatenate([b[1] for b in out])
    self.assertLen(labels, 36)
    self.assertAllEqual(np.repeat(labels[0::3], 3), labels)

  def test_evaluation_refuses_repeats(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, 'for training only'):
        make(
          descriptor(self.directory),
          'vgg',
          8,
          False,
          batch_size=2,
          repeated_augmentation=repeated_augmentation.RepeatedAugmentation(2),
        )

  def test_several_workers_need_a_seed(self):
    with self.assertRaisesRegex(ValueError, 'needs the same input seed'):
      self._batches(
        repeated_augmentation.RepeatedAugmentation(2, 2, 0, 1), seed=None
      )


if __name__ == '__main__':
  tf.test.main()
