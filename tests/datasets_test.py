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
"""Tests for utils/datasets: tf.Example helpers, label files, staged outputs,
the data set table, get_dataset() and the embedded digits data set."""

import io
import os
import tempfile

from absl.testing import parameterized
import numpy as np
from PIL import Image
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import tf_compat  # noqa: F401
from tests import test_util
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import digits


def setUpModule():
  tf.disable_eager_execution()


def read_examples(path):
  """Returns the tf.Examples of a TFRecord file, in order."""
  return [
    tf.train.Example.FromString(r) for r in tf.io.tf_record_iterator(path)
  ]


def example_image(example):
  data = example.features.feature['image/encoded'].bytes_list.value[0]
  return np.asarray(Image.open(io.BytesIO(data)))


def example_label(example):
  return example.features.feature['image/class/label'].int64_list.value[0]


class DatasetUtilsTest(tf.test.TestCase, parameterized.TestCase):
  def test_features(self):
    self.assertEqual([3], dataset_utils.int64_feature(3).int64_list.value)
    self.assertEqual(
      [1, 2], dataset_utils.int64_feature([1, 2]).int64_list.value
    )
    self.assertEqual(
      [b'png'], dataset_utils.bytes_feature('png').bytes_list.value
    )
    self.assertEqual(
      [b'a', b'b'], dataset_utils.bytes_feature([b'a', 'b']).bytes_list.value
    )
    self.assertAllClose(
      [0.5, 2.0], dataset_utils.float_feature([0.5, 2]).float_list.value
    )

  def test_image_to_tfexample_uses_slim_keys(self):
    example = dataset_utils.image_to_tfexample(b'DATA', b'png', 3, 4, 7)
    feature = example.features.feature
    self.assertCountEqual(
      [
        'image/encoded',
        'image/format',
        'image/class/label',
        'image/height',
        'image/width',
      ],
      list(feature),
    )
    self.assertEqual([b'DATA'], feature['image/encoded'].bytes_list.value)
    self.assertEqual([b'png'], feature['image/format'].bytes_list.value)
    self.assertEqual([7], feature['image/class/label'].int64_list.value)
    self.assertEqual([3], feature['image/height'].int64_list.value)
    self.assertEqual([4], feature['image/width'].int64_list.value)

  @parameterized.named_parameters(
    ('gray', (5, 7)), ('gray1', (5, 7, 1)), ('rgb', (5, 7, 3))
  )
  def test_encode_png_is_lossless(self, shape):
    image = np.random.RandomState(0).randint(0, 256, shape).astype(np.uint8)
    decoded = np.asarray(
      Image.open(io.BytesIO(dataset_utils.encode_png(image)))
    )
    self.assertAllEqual(image.reshape(decoded.shape), decoded)

  @parameterized.named_parameters(
    ('float', np.zeros((2, 2), np.float32), 'uint8 image; got dtype float32'),
    ('channels', np.zeros((2, 2, 4), np.uint8), r'got shape \(2, 2, 4\)'),
  )
  def test_encode_png_rejects(self, image, regex):
    with self.assertRaisesRegex(ValueError, regex):
      dataset_utils.encode_png(image)

  def test_label_file_round_trip(self):
    directory = self.get_temp_dir()
    labels = {0: 'background', 1: 'tench, Tinca tinca', 2: 'a:b', 10: 'café'}
    self.assertFalse(dataset_utils.has_labels(directory, 'mine.txt'))
    dataset_utils.write_label_file(labels, directory, filename='mine.txt')
    self.assertTrue(dataset_utils.has_labels(directory, 'mine.txt'))
    with open(os.path.join(directory, 'mine.txt'), encoding='utf-8') as f:
      self.assertEqual(
        '0:background\n1:tench, Tinca tinca\n2:a:b\n10:café\n', f.read()
      )
    self.assertEqual(
      labels, dataset_utils.read_label_file(directory, 'mine.txt')
    )

  def test_label_file_errors(self):
    directory = self.get_temp_dir()
    with self.assertRaisesRegex(ValueError, 'label 3 contains a line break'):
      dataset_utils.write_label_file({3: 'a\nb'}, directory, 'bad.txt')
    with self.assertRaisesRegex(IOError, 'No labels file .*absent.txt'):
      dataset_utils.read_label_file(directory, 'absent.txt')
    with open(os.path.join(directory, 'bad.txt'), 'w') as f:
      f.write('0:zero\nnot a label\n')
    with self.assertRaisesRegex(
      ValueError, r"Line 2 of .*bad.txt is 'not a label'"
    ):
      dataset_utils.read_label_file(directory, 'bad.txt')

  @parameterized.named_parameters(
    ('even', 9, 3, [(0, 3), (3, 6), (6, 9)]),
    ('uneven', 10, 3, [(0, 4), (4, 7), (7, 10)]),
    ('more_shards', 2, 4, [(0, 1), (1, 2), (2, 2), (2, 2)]),
  )
  def test_shard_ranges(self, num_items, num_shards, expected):
    self.assertEqual(
      expected, dataset_utils.shard_ranges(num_items, num_shards)
    )

  def test_shard_ranges_rejects_zero_shards(self):
    with self.assertRaisesRegex(ValueError, 'num_shards .* got 0'):
      dataset_utils.shard_ranges(3, 0)

  def test_staged_outputs_moves_files_on_success(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    with dataset_utils.StagedOutputs(directory, 'unit') as staged:
      for name in ('labels.txt', 'a.tfrecord'):
        with open(staged.path(name), 'w') as f:
          f.write(name)
      os.makedirs(os.path.join(staged.directory, 'scratch'))
      self.assertEqual(
        [], [n for n in os.listdir(directory) if not n.startswith('.')]
      )
    self.assertCountEqual(['labels.txt', 'a.tfrecord'], os.listdir(directory))

  def test_staged_outputs_leaves_nothing_on_error(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    with self.assertRaisesRegex(RuntimeError, 'midway'):
      with dataset_utils.StagedOutputs(directory, 'unit') as staged:
        with open(staged.path('a.tfrecord'), 'w') as f:
          f.write('partial')
        raise RuntimeError('midway')
    self.assertEqual([], os.listdir(directory))

  def test_staged_outputs_removes_stale_staging(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    stale = os.path.join(directory, '.incomplete-unit-old')
    os.makedirs(stale)
    other = os.path.join(directory, '.incomplete-other-old')
    os.makedirs(other)
    with dataset_utils.StagedOutputs(directory, 'unit'):
      pass
    self.assertFalse(os.path.exists(stale))
    self.assertTrue(os.path.exists(other))


class DigitsTest(tf.test.TestCase, parameterized.TestCase):
  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.dataset_dir = test_util.class_temp_dir(cls)
    digits.convert(cls.dataset_dir)

  def test_pixel_mapping(self):
    # Hand-computed round(255 * v / 16), halves up (only v = 8 is a half).
    expected = [
      0,
      16,
      32,
      48,
      64,
      80,
      96,
      112,
      128,
      143,
      159,
      175,
      191,
      207,
      223,
      239,
      255,
    ]
    self.assertAllEqual(expected, digits.to_uint8(np.arange(17.0)))

  @parameterized.named_parameters(
    ('fraction', [0.5]), ('negative', [-1.0]), ('large', [17.0])
  )
  def test_pixel_mapping_rejects(self, values):
    with self.assertRaisesRegex(ValueError, r'integers in \[0, 16\]'):
      digits.to_uint8(values)

  def test_split_sizes_and_disjointness(self):
    train = digits.load_split('train')[2]
    test = digits.load_split('test')[2]
    self.assertLen(train, 1437)
    self.assertLen(test, 360)
    self.assertEmpty(np.intersect1d(train, test))
    self.assertAllEqual(np.arange(1797), np.union1d(train, test))

  def test_split_is_stratified(self):
    from sklearn import datasets as sk_datasets

    target = sk_datasets.load_digits().target
    _, test_labels, _ = digits.load_split('test')
    per_class = np.bincount(test_labels, minlength=10)
    proportional = np.bincount(target) * 360.0 / len(target)
    self.assertAllLessEqual(np.abs(per_class - proportional), 1.0)
    self.assertEqual(360, per_class.sum())

  def test_split_is_deterministic(self):
    first = digits.stratified_split(np.arange(50) % 5, 10)
    second = digits.stratified_split(np.arange(50) % 5, 10)
    self.assertAllEqual(first[1], second[1])
    self.assertAllEqual([2] * 5, np.bincount(first[1] % 5))

  def test_stratified_split_rejects_bad_size(self):
    with self.assertRaisesRegex(ValueError, r'num_test must be in \[0, 4\]'):
      digits.stratified_split([0, 1, 0, 1], 5)

  @parameterized.named_parameters(('train', 'train'), ('test', 'test'))
  def test_expected_pixels_match_scikit_learn(self, split):
    from sklearn import datasets as sk_datasets

    source = sk_datasets.load_digits()
    images, labels, indices = digits.load_split(split)
    expected = np.floor(source.images[indices] * 255.0 / 16.0 + 0.5)
    self.assertEqual(np.uint8, images.dtype)
    self.assertAllEqual(expected.astype(np.uint8), images)
    self.assertAllEqual(source.target[indices], labels)

  @parameterized.named_parameters(('train', 'train'), ('test', 'test'))
  def test_records_hold_exact_pixels_and_labels(self, split):
    images, labels, _ = digits.load_split(split)
    examples = read_examples(
      os.path.join(self.dataset_dir, 'digits_%s.tfrecord' % split)
    )
    self.assertLen(examples, len(labels))
    self.assertAllEqual(images, np.stack([example_image(e) for e in examples]))
    self.assertAllEqual(labels, [example_label(e) for e in examples])
    self.assertEqual(
      [b'png'], examples[0].features.feature['image/format'].bytes_list.value
    )

  def test_get_dataset(self):
    train = dataset_factory.get_dataset('digits', 'train', self.dataset_dir)
    test = dataset_factory.get_dataset('digits', 'test', self.dataset_dir)
    self.assertEqual(1437, train.num_samples)
    self.assertEqual(360, test.num_samples)
    self.assertEqual(10, train.num_classes)
    self.assertEqual({i: str(i) for i in range(10)}, train.labels_to_names)
    self.assertEqual(
      [os.path.join(self.dataset_dir, 'digits_train.tfrecord')],
      train.data_sources,
    )
    self.assertCountEqual(['image', 'label'], train.items_to_descriptions)

  def test_slim_dataset_data_provider_reads_records(self):
    images, labels, _ = digits.load_split('test')
    dataset = dataset_factory.get_dataset('digits', 'test', self.dataset_dir)
    with tf.Graph().as_default():
      provider = slim.dataset_data_provider.DatasetDataProvider(
        dataset, num_readers=1, shuffle=False
      )
      image, label = provider.get(['image', 'label'])
      with self.session() as sess:
        sess.run(tf.local_variables_initializer())
        with slim.queues.QueueRunners(sess):
          image_value, label_value = sess.run([image, label])
    self.assertAllEqual(images[0][:, :, None], image_value)
    self.assertEqual(labels[0], label_value)

  def test_load_split_rejects_unknown_split(self):
    with self.assertRaisesRegex(
      ValueError, "Unknown digits split 'dev'.*test, train"
    ):
      digits.load_split('dev')


# name, split -> (num_samples, num_classes), from the published data sets.
_PUBLISHED = {
  ('cifar10', 'train'): (50000, 10),
  ('cifar10', 'test'): (10000, 10),
  ('digits', 'train'): (1437, 10),
  ('digits', 'test'): (360, 10),
  ('flowers', 'train'): (3320, 5),
  ('flowers', 'validation'): (350, 5),
  ('imagenet', 'train'): (1281167, 1001),
  ('imagenet', 'validation'): (50000, 1001),
  ('mnist', 'train'): (60000, 10),
  ('mnist', 'test'): (10000, 10),
}
# A file name each converter writes for the split.
_FILE_NAMES = {
  'cifar10': 'cifar10_%s.tfrecord',
  'digits': 'digits_%s.tfrecord',
  'flowers': 'flowers_%s_00000-of-00005.tfrecord',
  'imagenet': '%s-00000-of-00001',
  'mnist': 'mnist_%s.tfrecord',
}


class DatasetFactoryTest(tf.test.TestCase, parameterized.TestCase):
  def test_table_covers_published_splits(self):
    self.assertEqual(
      sorted({name for name, _ in _PUBLISHED}), dataset_factory.dataset_names()
    )
    for name in dataset_factory.dataset_names():
      spec = dataset_factory.get_spec(name)
      self.assertCountEqual(
        [s for n, s in _PUBLISHED if n == name], spec.splits_to_sizes
      )

  @parameterized.named_parameters(
    ('%s_%s' % key, key[0], key[1], value[0], value[1])
    for key, value in sorted(_PUBLISHED.items())
  )
  def test_descriptor(self, name, split, num_samples, num_classes):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    open(os.path.join(directory, _FILE_NAMES[name] % split), 'w').close()
    dataset = dataset_factory.get_dataset(name, split, directory)
    self.assertEqual(num_samples, dataset.num_samples)
    self.assertEqual(num_classes, dataset.num_classes)
    self.assertEqual(
      [os.path.join(directory, _FILE_NAMES[name] % split)], dataset.data_sources
    )
    self.assertIs(tf.TFRecordReader, dataset.reader)
    self.assertCountEqual(['image', 'label'], dataset.decoder.list_items())
    if name == 'imagenet':
      self.assertIsNone(dataset.labels_to_names)
    else:
      self.assertLen(dataset.labels_to_names, num_classes)

  def test_labels_file_wins(self):
    directory = self.get_temp_dir()
    open(os.path.join(directory, 'validation-00000-of-00001'), 'w').close()
    dataset_utils.write_label_file({0: 'background', 1: 'tench'}, directory)
    dataset = dataset_factory.get_dataset('imagenet', 'validation', directory)
    self.assertEqual({0: 'background', 1: 'tench'}, dataset.labels_to_names)

  def test_custom_file_pattern(self):
    directory = self.get_temp_dir()
    for name in ('mine-train-a.rec', 'mine-train-b.rec', 'mine-test-a.rec'):
      open(os.path.join(directory, name), 'w').close()
    dataset = dataset_factory.get_dataset(
      'mnist', 'train', directory, file_pattern='mine-%s-*.rec'
    )
    self.assertEqual(
      [
        os.path.join(directory, 'mine-train-a.rec'),
        os.path.join(directory, 'mine-train-b.rec'),
      ],
      dataset.data_sources,
    )

  def test_unknown_dataset(self):
    with self.assertRaisesRegex(
      ValueError,
      "Unknown data set 'cifar100'; known data sets: cifar10, "
      'digits, flowers, imagenet, mnist',
    ):
      dataset_factory.get_dataset('cifar100', 'train', self.get_temp_dir())

  def test_unknown_split(self):
    with self.assertRaisesRegex(
      ValueError,
      "Unknown split 'validation' of data set 'mnist'; known "
      'splits: test, train',
    ):
      dataset_factory.get_dataset('mnist', 'validation', self.get_temp_dir())

  def test_missing_dataset_dir(self):
    missing = os.path.join(self.get_temp_dir(), 'nowhere')
    with self.assertRaisesRegex(
      IOError, "dataset_dir '%s' does not exist" % missing
    ):
      dataset_factory.get_dataset('mnist', 'train', missing)

  def test_pattern_without_files(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    with self.assertRaisesRegex(
      IOError,
      'No file matches %s' % os.path.join(directory, r'flowers_train_\*'),
    ):
      dataset_factory.get_dataset('flowers', 'train', directory)

  def test_convert_unknown_dataset(self):
    with self.assertRaisesRegex(ValueError, "Unknown data set 'svhn'"):
      dataset_factory.convert_dataset('svhn', self.get_temp_dir())


if __name__ == '__main__':
  tf.test.main()
