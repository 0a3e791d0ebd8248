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
"""Tests for utils/preprocessing/random_erasing.py: the box of given draws
against the published formula (timm's RandomErasing, Zhong et al.), and the
statistics of random boxes: probability, area, aspect ratio, N(0, 1) fill."""

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from utils.preprocessing import random_erasing


def setUpModule():
  tf.disable_eager_execution()


def reference_box(height, width, areas, aspects, top_fraction, left_fraction):
  """timm's RandomErasing._erase for given draws, in plain Python."""
  for area, aspect in zip(areas, aspects):
    h = int(round(np.sqrt(area * aspect)))
    w = int(round(np.sqrt(area / aspect)))
    if w < width and h < height:
      top = int(top_fraction * (height - h + 1))
      left = int(left_fraction * (width - w + 1))
      return True, top, left, h, w
  return False, None, None, 0, 0


class ErasingBoxTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    # The first attempt fits.
    ('first', 40, 30, [300.0, 100.0], [2.0, 1.0], 0.5, 0.25),
    # The first is too tall (h = 42 >= 40): the second is used.
    ('second', 40, 30, [600.0, 90.0], [3.0, 0.4], 0.99, 0.0),
    # None fits.
    ('none', 10, 10, [400.0, 200.0], [1.0, 3.0], 0.3, 0.3),
  )
  def test_box_matches_formula(
    self, height, width, areas, aspects, top_fraction, left_fraction
  ):
    expected = reference_box(
      height, width, areas, aspects, top_fraction, left_fraction
    )
    with tf.Graph().as_default():
      box = random_erasing.erasing_box(
        tf.constant(height),
        tf.constant(width),
        tf.constant(areas),
        tf.constant(aspects),
        tf.constant(top_fraction),
        tf.constant(left_fraction),
      )
      with self.session() as sess:
        found, top, left, h, w = sess.run(box)
    self.assertEqual(expected[0], found)
    self.assertEqual((expected[3], expected[4]), (h, w))
    if found:
      self.assertEqual((expected[1], expected[2]), (top, left))


class RandomErasingTest(tf.test.TestCase):
  def _erase_many(self, probability, runs, image):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      output = random_erasing.random_erasing(tf.constant(image), probability)
      with self.session() as sess:
        return [sess.run(output) for _ in range(runs)]

  def test_erased_boxes_follow_the_definition(self):
    height, width = 48, 40
    image = np.full((height, width, 3), 7.0, np.float32)
    areas, aspects, noise = [], [], []
    for out in self._erase_many(1.0, 300, image):
      erased = np.any(out != 7.0, axis=2)
      rows = np.flatnonzero(erased.any(axis=1))
      cols = np.flatnonzero(erased.any(axis=0))
      self.assertGreater(rows.size, 0)  # probability 1, and boxes fit.
      h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
      # One solid rectangle, with every channel replaced.
      self.assertEqual(h * w, erased.sum())
      box = out[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
      self.assertFalse(np.any(box == 7.0))
      areas.append(h * w / float(height * width))
      aspects.append(h / float(w))
      noise.append(box.ravel())
    areas, aspects = np.array(areas), np.array(aspects)
    # Rounding of h and w moves the area and ratio a little past the range.
    self.assertGreater(areas.min(), 0.015)
    self.assertLess(areas.max(), 0.36)
    self.assertGreater(aspects.min(), 0.25)
    self.assertLess(aspects.max(), 4.0)
    # Uniform area in [0.02, 1/3]: mean 0.177; log-uniform aspect: mean log 0.
    self.assertNear(0.177, areas.mean(), 0.02)
    self.assertNear(0.0, np.log(aspects).mean(), 0.15)
    noise = np.concatenate(noise)
    self.assertNear(0.0, noise.mean(), 0.02)
    self.assertNear(1.0, noise.std(), 0.02)

  def test_probability(self):
    image = np.zeros((16, 16, 3), np.float32)
    outs = self._erase_many(0.25, 400, image)
    erased = np.mean([np.any(out != 0.0) for out in outs])
    # Binomial(400, 0.25): standard deviation 0.022.
    self.assertNear(0.25, erased, 0.08)

  def test_probability_zero_keeps_image(self):
    image = np.random.RandomState(0).randn(8, 9, 3).astype(np.float32)
    for out in self._erase_many(0.0, 5, image):
      self.assertAllEqual(image, out)

  def test_bad_probability_raises(self):
    with tf.Graph().as_default():
      for value in (-0.1, 1.5):
        with self.assertRaisesRegex(ValueError, 'random_erase must be'):
          random_erasing.random_erasing(tf.zeros([4, 4, 3]), value)


if __name__ == '__main__':
  tf.test.main()
