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
"""Tests for utils/preprocessing/image_ops.py and auto_augment.py.

Each operation on a fixed image against PIL's operation of the same name and
argument (the reference implementations of RandAugment and TrivialAugment
are PIL-based). Pointwise and blending operations match PIL exactly. The
geometric ones (rotate, shear, translate) sample bilinearly with float32
weights where PIL's are double, and both truncate: a value within 1e-5 of
an integer can land on either side, so those are allowed to differ by one
grey level on at most 5% of the values (measured: at most 3%).

The policies are run many times on a fixed image with the magnitude noise
off: every output must be one of the PIL reference images of the policy's
definition (written out here, as timm's `rand-m7-n1-inc1` at probability 1
and torchvision's TrivialAugmentWide define them), and every operation must
occur.
"""

from absl.testing import parameterized
import numpy as np
from PIL import Image
from PIL import ImageEnhance
from PIL import ImageOps
import tensorflow.compat.v1 as tf

from utils.preprocessing import auto_augment
from utils.preprocessing import image_ops

_FILL = (124, 116, 104)
_GEOMETRIC_TOLERANCE = 0.05


def setUpModule():
  tf.disable_eager_execution()


def fixed_image(height=29, width=37):
  """Smooth colour content (a bicubic upscale) with noise, in [20, 230]."""
  rng = np.random.RandomState(0)
  small = rng.randint(0, 256, (5, 6, 3)).astype(np.uint8)
  image = np.asarray(
    Image.fromarray(small).resize((width, height), Image.BICUBIC), np.int32
  )
  image = image + rng.randint(-10, 11, image.shape)
  return np.clip(image, 20, 230).astype(np.uint8)


def pil_posterize(pil, bits):
  """ImageOps.posterize, also for 0 bits (all black), which PIL 13 refuses."""
  if bits == 0:
    return Image.fromarray(np.zeros_like(np.asarray(pil)))
  return ImageOps.posterize(pil, bits)


def pil_solarize_add(pil, addition, threshold=128):
  lut = [min(255, i + addition) if i < threshold else i for i in range(256)]
  return pil.point(lut * 3)


def pil_affine(pil, matrix, fill):
  return pil.transform(
    pil.size, Image.AFFINE, matrix, resample=Image.BILINEAR, fillcolor=fill
  )


# (name, TF op, PIL op, geometric) on an image, one argument each.
_OPS = {
  'identity': (image_ops.identity, lambda p: p, False),
  'autocontrast': (image_ops.autocontrast, ImageOps.autocontrast, False),
  'equalize': (image_ops.equalize, ImageOps.equalize, False),
  'invert': (image_ops.invert, ImageOps.invert, False),
  'posterize_2': (
    lambda x: image_ops.posterize(x, 2),
    lambda p: ImageOps.posterize(p, 2),
    False,
  ),
  'posterize_0': (
    lambda x: image_ops.posterize(x, 0),
    lambda p: pil_posterize(p, 0),
    False,
  ),
  'posterize_8': (
    lambda x: image_ops.posterize(x, 8),
    lambda p: ImageOps.posterize(p, 8),
    False,
  ),
  'solarize_77': (
    lambda x: image_ops.solarize(x, 77),
    lambda p: ImageOps.solarize(p, 77),
    False,
  ),
  'solarize_93_5': (
    lambda x: image_ops.solarize(x, 93.5),
    lambda p: ImageOps.solarize(p, 93.5),
    False,
  ),
  'solarize_add_77': (
    lambda x: image_ops.solarize_add(x, 77),
    lambda p: pil_solarize_add(p, 77),
    False,
  ),
  'color_0_37': (
    lambda x: image_ops.color(x, 0.37),
    lambda p: ImageEnhance.Color(p).enhance(0.37),
    False,
  ),
  'color_1_63': (
    lambda x: image_ops.color(x, 1.63),
    lambda p: ImageEnhance.Color(p).enhance(1.63),
    False,
  ),
  'contrast_0_2': (
    lambda x: image_ops.contrast(x, 0.2),
    lambda p: ImageEnhance.Contrast(p).enhance(0.2),
    False,
  ),
  'contrast_1_63': (
    lambda x: image_ops.contrast(x, 1.63),
    lambda p: ImageEnhance.Contrast(p).enhance(1.63),
    False,
  ),
  'brightness_0_1': (
    lambda x: image_ops.brightness(x, 0.1),
    lambda p: ImageEnhance.Brightness(p).enhance(0.1),
    False,
  ),
  'brightness_1_7': (
    lambda x: image_ops.brightness(x, 1.7),
    lambda p: ImageEnhance.Brightness(p).enhance(1.7),
    False,
  ),
  'sharpness_0_1': (
    lambda x: image_ops.sharpness(x, 0.1),
    lambda p: ImageEnhance.Sharpness(p).enhance(0.1),
    False,
  ),
  'sharpness_1_9': (
    lambda x: image_ops.sharpness(x, 1.9),
    lambda p: ImageEnhance.Sharpness(p).enhance(1.9),
    False,
  ),
  'shear_x_0_21': (
    lambda x: image_ops.shear_x(x, 0.21, _FILL),
    lambda p: pil_affine(p, (1, 0.21, 0, 0, 1, 0), _FILL),
    True,
  ),
  'shear_y_minus_0_3': (
    lambda x: image_ops.shear_y(x, -0.3, _FILL),
    lambda p: pil_affine(p, (1, 0, 0, -0.3, 1, 0), _FILL),
    True,
  ),
  'translate_x_7_3': (
    lambda x: image_ops.translate_x(x, 7.3, _FILL),
    lambda p: pil_affine(p, (1, 0, 7.3, 0, 1, 0), _FILL),
    True,
  ),
  'translate_y_minus_5': (
    lambda x: image_ops.translate_y(x, -5, (0, 0, 0)),
    lambda p: pil_affine(p, (1, 0, 0, 0, 1, -5), (0, 0, 0)),
    True,
  ),
  'rotate_21': (
    lambda x: image_ops.rotate(x, 21.0, _FILL),
    lambda p: p.rotate(21.0, resample=Image.BILINEAR, fillcolor=_FILL),
    True,
  ),
  'rotate_minus_135': (
    lambda x: image_ops.rotate(x, -135.0, _FILL),
    lambda p: p.rotate(-135.0, resample=Image.BILINEAR, fillcolor=_FILL),
    True,
  ),
}


class ImageOpsTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(*[(name, name) for name in sorted(_OPS)])
  def test_op_matches_pil(self, name):
    tf_op, pil_op, geometric = _OPS[name]
    image = fixed_image()
    expected = np.asarray(pil_op(Image.fromarray(image)))
    with tf.Graph().as_default():
      output = tf_op(tf.constant(image))
      self.assertEqual(tf.uint8, output.dtype)
      with self.session() as sess:
        actual = sess.run(output)
    self.assertEqual(image.shape, actual.shape)
    diff = np.abs(actual.astype(np.int32) - expected.astype(np.int32))
    if geometric:
      self.assertLessEqual(diff.max(), 1)
      self.assertLessEqual((diff > 0).mean(), _GEOMETRIC_TOLERANCE)
    else:
      self.assertAllEqual(expected, actual)

  def test_geometric_ops_move_content(self):
    # An integer translation moves pixels exactly, and fills the rest.
    image = fixed_image()
    with tf.Graph().as_default():
      moved = image_ops.translate_x(tf.constant(image), 4, _FILL)
      with self.session() as sess:
        actual = sess.run(moved)
    self.assertAllEqual(image[:, 4:], actual[:, :-4])
    self.assertAllEqual(np.broadcast_to(_FILL, (29, 4, 3)), actual[:, -4:])

  def test_equalize_and_autocontrast_keep_constant_channels(self):
    image = np.full((6, 7, 3), 90, np.uint8)
    with tf.Graph().as_default():
      outputs = [
        image_ops.equalize(tf.constant(image)),
        image_ops.autocontrast(tf.constant(image)),
      ]
      with self.session() as sess:
        for actual in sess.run(outputs):
          self.assertAllEqual(image, actual)


def rand_augment_references(pil, m):
  """Every image timm's rand-m{m}-inc1 layer can give (noise off, p = 1).

  The level-to-argument rules of timm's auto_augment.py, increasing
  variants: rotate +-30 m/10 degrees, posterize 4 - int(4 m/10) bits,
  solarize 256 - int(256 m/10), solarize_add min(128, int(110 m/10)),
  enhancements max(0.1, 1 +- 0.9 m/10), shear +-0.3 m/10, translate
  +-0.45 m/10 of the size.
  """
  f = m / 10.0
  width, height = pil.size
  refs = {
    'autocontrast': [ImageOps.autocontrast(pil)],
    'equalize': [ImageOps.equalize(pil)],
    'invert': [ImageOps.invert(pil)],
    'posterize': [pil_posterize(pil, 4 - int(f * 4))],
    'solarize': [ImageOps.solarize(pil, 256 - min(256, int(f * 256)))],
    'solarize_add': [pil_solarize_add(pil, min(128, int(f * 110)))],
  }
  for name, enhancer in [
    ('color', ImageEnhance.Color),
    ('contrast', ImageEnhance.Contrast),
    ('brightness', ImageEnhance.Brightness),
    ('sharpness', ImageEnhance.Sharpness),
  ]:
    refs[name] = [
      enhancer(pil).enhance(max(0.1, 1.0 + s * f * 0.9)) for s in (1, -1)
    ]
  signs = (1, -1)
  refs['rotate'] = [
    pil.rotate(s * f * 30, resample=Image.BILINEAR, fillcolor=_FILL)
    for s in signs
  ]
  refs['shear_x'] = [
    pil_affine(pil, (1, s * f * 0.3, 0, 0, 1, 0), _FILL) for s in signs
  ]
  refs['shear_y'] = [
    pil_affine(pil, (1, 0, 0, s * f * 0.3, 1, 0), _FILL) for s in signs
  ]
  refs['translate_x'] = [
    pil_affine(pil, (1, 0, s * f * 0.45 * width, 0, 1, 0), _FILL) for s in signs
  ]
  refs['translate_y'] = [
    pil_affine(pil, (1, 0, 0, 0, 1, s * f * 0.45 * height), _FILL)
    for s in signs
  ]
  return refs


def trivial_augment_references(pil, bins=31):
  """Every image torchvision's TrivialAugmentWide can give, per operation.

  torchvision's augmentation space: shear and enhancement magnitudes
  linspace(0, 0.99, 31), translation linspace(0, 32, 31) truncated to int,
  rotation linspace(0, 135, 31), all with a random sign; posterize
  8 - round(bin / 5) bits; solarize threshold linspace(255, 0, 31). Fill 0.
  """
  black = (0, 0, 0)
  unit = np.linspace(0.0, 0.99, bins)
  refs = {
    'identity': [pil],
    'autocontrast': [ImageOps.autocontrast(pil)],
    'equalize': [ImageOps.equalize(pil)],
    'posterize': [
      ImageOps.posterize(pil, int(8 - round(b / ((bins - 1) / 6.0))))
      for b in range(bins)
    ],
    'solarize': [
      ImageOps.solarize(pil, t) for t in np.linspace(255.0, 0.0, bins)
    ],
  }
  signed = [s * v for v in unit for s in (1, -1)]
  for name, enhancer in [
    ('brightness', ImageEnhance.Brightness),
    ('color', ImageEnhance.Color),
    ('contrast', ImageEnhance.Contrast),
    ('sharpness', ImageEnhance.Sharpness),
  ]:
    refs[name] = [enhancer(pil).enhance(1.0 + v) for v in signed]
  refs['shear_x'] = [pil_affine(pil, (1, v, 0, 0, 1, 0), black) for v in signed]
  refs['shear_y'] = [pil_affine(pil, (1, 0, 0, v, 1, 0), black) for v in signed]
  pixels = [s * int(v) for v in np.linspace(0.0, 32.0, bins) for s in (1, -1)]
  refs['translate_x'] = [
    pil_affine(pil, (1, 0, t, 0, 1, 0), black) for t in pixels
  ]
  refs['translate_y'] = [
    pil_affine(pil, (1, 0, 0, 0, 1, t), black) for t in pixels
  ]
  refs['rotate'] = [
    pil.rotate(s * v, resample=Image.BILINEAR, fillcolor=black)
    for v in np.linspace(0.0, 135.0, bins)
    for s in (1, -1)
  ]
  return refs


_GEOMETRIC = ('rotate', 'shear_x', 'shear_y', 'translate_x', 'translate_y')


def _stacked(references):
  return {
    name: np.stack([np.asarray(i, np.int32) for i in images])
    for name, images in references.items()
  }


def _matching_ops(actual, stacked):
  """The operations with a reference image close to `actual` (see close)."""
  matches = []
  for name, images in stacked.items():
    diff = np.abs(images - actual.astype(np.int32)[None])
    worst = diff.reshape(len(images), -1).max(axis=1)
    if name in _GEOMETRIC:
      share = (diff > 0).reshape(len(images), -1).mean(axis=1)
      ok = (worst <= 1) & (share <= _GEOMETRIC_TOLERANCE)
    else:
      ok = worst == 0
    if ok.any():
      matches.append(name)
  return matches


class PolicyTest(tf.test.TestCase, parameterized.TestCase):
  def _samples(self, build, runs):
    image = fixed_image(18, 22)
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      output = build(tf.constant(image))
      self.assertEqual([18, 22, 3], output.shape.as_list())
      with self.session() as sess:
        return image, [sess.run(output) for _ in range(runs)]

  def test_rand_augment_outputs_are_timm_ops(self):
    image, samples = self._samples(
      lambda x: auto_augment.rand_augment(
        x, num_ops=1, magnitude=7, magnitude_std=0.0, prob=1.0
      ),
      150,
    )
    references = _stacked(rand_augment_references(Image.fromarray(image), 7))
    self.assertCountEqual(auto_augment.RAND_AUGMENT_OPS, references)
    seen = set()
    for actual in samples:
      matches = _matching_ops(actual, references)
      self.assertNotEmpty(matches, 'an output is no timm RandAugment op')
      seen.update(matches)
    self.assertCountEqual(auto_augment.RAND_AUGMENT_OPS, seen)

  def test_rand_augment_magnitude_clipped_to_ten(self):
    # timm clips the magnitude to _LEVEL_DENOM: m=25 acts as m=10.
    image, samples = self._samples(
      lambda x: auto_augment.rand_augment(
        x, num_ops=1, magnitude=25, magnitude_std=0.0, prob=1.0
      ),
      60,
    )
    references = _stacked(rand_augment_references(Image.fromarray(image), 10))
    for actual in samples:
      self.assertNotEmpty(_matching_ops(actual, references))

  def test_rand_augment_probability_zero_is_identity(self):
    image, samples = self._samples(
      lambda x: auto_augment.rand_augment(x, num_ops=1, prob=0.0), 3
    )
    for actual in samples:
      self.assertAllEqual(image, actual)

  def test_trivial_augment_outputs_are_torchvision_ops(self):
    image, samples = self._samples(auto_augment.trivial_augment_wide, 150)
    references = _stacked(trivial_augment_references(Image.fromarray(image)))
    self.assertCountEqual(auto_augment.TRIVIAL_AUGMENT_OPS, references)
    seen = set()
    for actual in samples:
      matches = _matching_ops(actual, references)
      self.assertNotEmpty(matches, 'an output is no TrivialAugmentWide op')
      seen.update(matches)
    self.assertCountEqual(auto_augment.TRIVIAL_AUGMENT_OPS, seen)

  @parameterized.named_parameters(
    ('randaugment', 'randaugment'),
    ('trivialaugment_wide', 'trivialaugment_wide'),
  )
  def test_augment_fn_from_registry(self, policy):
    config = auto_augment.AutoAugment(policy, num_ops=1, magnitude=9)
    image, samples = self._samples(auto_augment.augment_fn(config), 3)
    for actual in samples:
      self.assertEqual(image.shape, actual.shape)
      self.assertEqual(np.uint8, actual.dtype)


class AutoAugmentErrorTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('unknown_policy', dict(policy='autoaugment'), 'Unknown auto_augment'),
    (
      'magnitude_above_30',
      dict(policy='randaugment', magnitude=31),
      'randaugment_magnitude must be <= 30',
    ),
    (
      'negative_magnitude',
      dict(policy='randaugment', magnitude=-1),
      'randaugment_magnitude must be >= 0',
    ),
    (
      'negative_std',
      dict(policy='randaugment', magnitude_std=-0.5),
      'randaugment_magnitude_std must be >= 0',
    ),
    (
      'negative_num_ops',
      dict(policy='randaugment', num_ops=-1),
      'randaugment_num_ops must be a non-negative integer',
    ),
  )
  def test_bad_config_raises(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      auto_augment.AutoAugment(**kwargs)

  def test_augment_fn_takes_a_config(self):
    with self.assertRaisesRegex(TypeError, 'must be an auto_augment'):
      auto_augment.augment_fn('randaugment')

  def test_float_image_raises(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, 'takes a uint8 image'):
        auto_augment.trivial_augment_wide(tf.zeros([4, 4, 3]))

  def test_rand_augment_bad_probability_raises(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, 'prob must be <= 1'):
        auto_augment.rand_augment(tf.zeros([4, 4, 3], tf.uint8), prob=1.5)


if __name__ == '__main__':
  tf.test.main()
