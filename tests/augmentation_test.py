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
"""Tests for utils/preprocessing/augmentation.py and the factory's
augmentation and eval_resize_size: where the augmentations act in each
preprocessing, and FixRes evaluation against a hand-made resize and crop."""

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from utils.preprocessing import augmentation
from utils.preprocessing import preprocessing_factory
from utils.preprocessing import preprocessing_utils
from utils.preprocessing import torchvision_preprocessing


def setUpModule():
  tf.disable_eager_execution()


def random_image(shape, seed=0):
  return np.random.RandomState(seed).randint(0, 256, shape).astype(np.uint8)


def _run(build):
  with tf.Graph().as_default():
    tf.set_random_seed(0)
    output = build()
    with tf.Session() as sess:
      return sess.run(output)


class AugmentedPreprocessingTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    *[(name, name) for name in preprocessing_factory.preprocessing_names()]
  )
  def test_training_with_augmentation(self, name):
    config = augmentation.Augmentation('trivialaugment_wide', random_erase=0.5)
    fn = preprocessing_factory.get_preprocessing(
      name, is_training=True, augmentation=config
    )
    value = _run(lambda: fn(tf.constant(random_image((40, 36, 3))), 32, 32))
    self.assertEqual((32, 32, 3), value.shape)
    self.assertTrue(np.all(np.isfinite(value)))

  def test_erasing_acts_on_normalized_output(self):
    # Erasing with probability 1 of a constant image: the box holds N(0, 1)
    # noise, the rest the normalized constant.
    config = augmentation.Augmentation(random_erase=1.0)
    fn = preprocessing_factory.get_preprocessing(
      'torchvision', is_training=True, augmentation=config
    )
    image = np.full((32, 32, 3), 128, np.uint8)
    value = _run(lambda: fn(tf.constant(image), 32, 32))
    constant = (128 / 255.0 - np.array(torchvision_preprocessing.MEAN)) / (
      np.array(torchvision_preprocessing.STD)
    )
    kept = np.all(np.abs(value - constant) < 1e-5, axis=-1)
    self.assertGreater(kept.sum(), 0)
    self.assertLess(kept.sum(), 32 * 32)

  def test_augment_uint8_identity_rounds(self):
    image = np.random.RandomState(1).rand(5, 6, 3).astype(np.float32)
    value = _run(
      lambda: preprocessing_utils.augment_uint8(
        tf.constant(image), tf.identity, 1.0
      )
    )
    self.assertAllClose(np.round(image * 255) / 255, value, atol=1e-6)

  def test_no_augmentation_is_unchanged(self):
    image = random_image((40, 36, 3))
    plain = preprocessing_factory.get_preprocessing('cifar', is_training=True)
    default = preprocessing_factory.get_preprocessing(
      'cifar', is_training=True, augmentation=augmentation.Augmentation()
    )
    a = _run(lambda: plain(tf.constant(image), 32, 32))
    b = _run(lambda: default(tf.constant(image), 32, 32))
    self.assertAllEqual(a, b)


class EvalResizeTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('torchvision', 'torchvision', 1.0 / 255.0),
    ('vgg', 'vgg', 1.0),
    ('inception', 'inception', 1.0 / 255.0),
    ('cifar', 'cifar', 1.0),
  )
  def test_resize_then_central_crop(self, name, scale):
    # 60x45 resized to smaller side 40 is 53x40; the central 32x32 crop.
    image = random_image((60, 45, 3))
    fn = preprocessing_factory.get_preprocessing(name, eval_resize_size=40)
    plain = preprocessing_factory.get_preprocessing(name)

    def expected_crop():
      x = tf.cast(tf.constant(image), tf.float32) * scale
      return preprocessing_utils.resize_and_crop(x, 40, 32, 32)

    value, crop, default = (
      _run(lambda: fn(tf.constant(image), 32, 32)),
      _run(expected_crop),
      _run(lambda: plain(tf.constant(image), 32, 32)),
    )
    # Each preprocessing normalizes per channel (cifar per image): the
    # output is an affine map of the crop, so it ranks pixels like the crop.
    flat_v = value.reshape(-1, 3)
    flat_c = crop.reshape(-1, 3)
    for c in range(3):
      corr = np.corrcoef(flat_v[:, c], flat_c[:, c])[0, 1]
      self.assertGreater(corr, 0.9999)
    self.assertNotAllClose(value, default)

  def test_bad_eval_resize_size_raises(self):
    with self.assertRaisesRegex(ValueError, 'eval_resize_size must be'):
      preprocessing_factory.get_preprocessing('vgg', eval_resize_size=0)

  def test_bad_augmentation_raises(self):
    with self.assertRaisesRegex(TypeError, 'augmentation must be None'):
      preprocessing_factory.get_preprocessing(
        'vgg', is_training=True, augmentation='randaugment'
      )
    with self.assertRaisesRegex(ValueError, 'random_erase must be'):
      augmentation.Augmentation(random_erase=-0.1)

  @parameterized.named_parameters(
    ('policy', dict(auto_augment='autoaugment'), 'Unknown auto_augment'),
    (
      'magnitude_without_policy',
      dict(randaugment_magnitude=31),
      'randaugment_magnitude must be <= 30',
    ),
  )
  def test_bad_augmentation_settings_raise(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      augmentation.Augmentation(**kwargs)


if __name__ == '__main__':
  tf.test.main()
