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
"""Tests for utils/training/mixing.py: Mixup and CutMix images and targets
for a given lambda and box against timm's Mixup (batch mode) written out
in numpy, the random mixing's invariants, and the settings' errors."""

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from utils.training import mixing


def setUpModule():
  tf.disable_eager_execution()


def reference_targets(labels, num_classes, lam, smoothing):
  """timm's mixup_target: smoothed one-hot, mixed with the flipped batch."""
  off = smoothing / num_classes
  on = 1.0 - smoothing + off
  y = np.full((len(labels), num_classes), off)
  y[np.arange(len(labels)), labels] = on
  return lam * y + (1.0 - lam) * y[::-1]


def reference_box(height, width, lam, cy, cx):
  """timm's rand_bbox for a given centre, and cutmix_bbox_and_lam's lam."""
  ratio = np.sqrt(1.0 - lam)
  cut_h, cut_w = int(height * ratio), int(width * ratio)
  yl = np.clip(cy - cut_h // 2, 0, height)
  yh = np.clip(cy + (cut_h + 1) // 2, 0, height)
  xl = np.clip(cx - cut_w // 2, 0, width)
  xh = np.clip(cx + (cut_w + 1) // 2, 0, width)
  corrected = 1.0 - (yh - yl) * (xh - xl) / float(height * width)
  return (yl, yh, xl, xh), corrected


def batch(size=4, height=6, width=8):
  return (
    np.random.RandomState(0).rand(size, height, width, 3).astype(np.float32)
  )


class MixingValuesTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('no_smoothing', 0.7, 0.0), ('smoothing', 0.3, 0.1)
  )
  def test_targets(self, lam, smoothing):
    labels = np.array([0, 3, 1, 3, 2])
    with tf.Graph().as_default():
      targets = mixing.mixed_targets(tf.constant(labels), 4, lam, smoothing)
      with self.session() as sess:
        value = sess.run(targets)
    self.assertAllClose(
      reference_targets(labels, 4, lam, smoothing), value, atol=1e-6
    )
    self.assertAllClose(np.ones(5), value.sum(axis=1), atol=1e-6)

  def test_mixup_images(self):
    images = batch()
    with tf.Graph().as_default():
      mixed = mixing.mixup_images(tf.constant(images), 0.35)
      with self.session() as sess:
        value = sess.run(mixed)
    self.assertAllClose(0.35 * images + 0.65 * images[::-1], value, atol=1e-6)

  @parameterized.named_parameters(
    ('inside', 0.6, 3, 4),
    ('clipped_corner', 0.3, 0, 7),
    ('clipped_bottom', 0.5, 5, 2),
  )
  def test_cutmix_box_and_images(self, lam, cy, cx):
    images = batch()
    (yl, yh, xl, xh), expected_lam = reference_box(6, 8, lam, cy, cx)
    expected = images.copy()
    expected[:, yl:yh, xl:xh] = images[::-1][:, yl:yh, xl:xh]
    with tf.Graph().as_default():
      box, corrected = mixing.cutmix_box(6, 8, lam, cy, cx)
      mixed = mixing.cutmix_images(tf.constant(images), box)
      with self.session() as sess:
        box_v, lam_v, mixed_v = sess.run([box, corrected, mixed])
    self.assertEqual((yl, yh, xl, xh), tuple(box_v))
    self.assertNear(expected_lam, lam_v, 1e-6)
    self.assertAllEqual(expected, mixed_v)


class MixBatchTest(tf.test.TestCase, parameterized.TestCase):
  def _runs(self, config, runs=40, smoothing=0.0):
    images = batch()
    labels = np.array([0, 1, 2, 3])
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      out = mixing.mix_batch(
        tf.constant(images), tf.constant(labels), 5, config, smoothing
      )
      with self.session() as sess:
        return images, labels, [sess.run(out) for _ in range(runs)]

  def test_mixup_images_and_targets_agree(self):
    images, labels, runs = self._runs(mixing.Mixing(mixup_alpha=0.2))
    for mixed, targets in runs:
      lam = targets[0, labels[0]]  # share of image 0's own class.
      self.assertAllClose(
        lam * images + (1 - lam) * images[::-1], mixed, atol=1e-5
      )
      self.assertAllClose(
        reference_targets(labels, 5, lam, 0.0), targets, atol=1e-6
      )

  def test_cutmix_lam_is_kept_area(self):
    images, labels, runs = self._runs(mixing.Mixing(cutmix_alpha=1.0))
    for mixed, targets in runs:
      pasted = np.any(mixed[0] != images[0], axis=-1)
      lam = 1.0 - pasted.sum() / float(pasted.size)
      self.assertAllClose(
        reference_targets(labels, 5, lam, 0.0), targets, atol=1e-6
      )
      # Every pixel comes from the image or its mirror in the batch.
      self.assertAllEqual(
        np.where(pasted[None, :, :, None], images[::-1], images), mixed
      )

  def test_unmixed_batch_keeps_images_with_smoothed_targets(self):
    # A batch is mixed with probability 1e-9: never, in 5 runs.
    images, labels, runs = self._runs(
      mixing.Mixing(mixup_alpha=1.0, prob=1e-9), runs=5, smoothing=0.1
    )
    for mixed, targets in runs:
      self.assertAllEqual(images, mixed)
      self.assertAllClose(
        reference_targets(labels, 5, 1.0, 0.1), targets, atol=1e-6
      )

  def test_switch_uses_both(self):
    images, _, runs = self._runs(
      mixing.Mixing(mixup_alpha=1.0, cutmix_alpha=1.0, switch_prob=0.5)
    )
    kinds = set()
    for mixed, _ in runs:
      changed = np.any(mixed[0] != images[0], axis=-1)
      kinds.add('cutmix' if not changed.all() else 'mixup')
    self.assertEqual({'cutmix', 'mixup'}, kinds)


class MixingErrorTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('mixup_alpha', dict(mixup_alpha=-0.2), 'mixup_alpha must be >= 0'),
    ('cutmix_alpha', dict(cutmix_alpha=-1), 'cutmix_alpha must be >= 0'),
    ('prob', dict(prob=1.5), 'mix_prob must be <= 1'),
    ('negative_prob', dict(prob=-0.5), 'mix_prob must be >= 0'),
    ('switch_prob', dict(switch_prob=-0.1), 'mix_switch_prob must be >= 0'),
  )
  def test_bad_settings_raise(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      mixing.Mixing(**kwargs)

  def test_mix_batch_without_mixing_raises(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, 'needs mixup_alpha or'):
        mixing.mix_batch(
          tf.zeros([2, 4, 4, 3]), tf.zeros([2], tf.int32), 3, mixing.Mixing()
        )


if __name__ == '__main__':
  tf.test.main()
