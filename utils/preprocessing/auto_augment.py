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
"""RandAugment and TrivialAugment (wide), on one uint8 image in TF ops.

RandAugment (Cubuk et al. 2020, arXiv:1909.13719) as timm defines it by
`rand-m{M}-n{N}-mstd{S}-inc1` (the "ResNet strikes back" recipes): each of
`num_ops` layers picks one of 15 operations uniformly (with replacement) and
applies it with probability 0.5, at a magnitude drawn from N(M, S) and
clipped to [0, magnitude_max] (timm's default bound is 10, its
`_LEVEL_DENOM`); the operation's argument is the magnitude's fraction
m / 10 of its range:

  autocontrast, equalize, invert: no argument
  rotate: +-30 m/10 degrees
  posterize: 4 - int(4 m/10) bits kept ('increasing'; else int(4 m/10))
  solarize: threshold 256 - int(256 m/10) ('increasing'; else int(256 m/10))
  solarize_add: + min(128, int(110 m/10)) below 128
  color, contrast, brightness, sharpness: factor max(0.1, 1 +- 0.9 m/10)
    ('increasing'; else 0.1 + 1.8 m/10)
  shear_x, shear_y: +-0.3 m/10
  translate_x, translate_y: +-0.45 m/10 of the width (height)

where +- is a random sign. `increasing` ('inc1') makes every operation more
severe with the magnitude. Points moved in from outside the image take
`fill`, timm's image mean (124, 116, 104).

TrivialAugment wide (Mueller & Hutter 2021, arXiv:2103.10158) as
torchvision's `TrivialAugmentWide` (the IMAGENET1K_V2 recipe): one of 14
operations, uniformly, always applied, at one of 31 magnitude bins
(uniformly), with a random sign where marked:

  identity, autocontrast, equalize: no argument
  shear_x, shear_y: +-linspace(0, 0.99)
  translate_x, translate_y: +-int(linspace(0, 32)) pixels
  rotate: +-linspace(0, 135) degrees
  brightness, color, contrast, sharpness: factor 1 +- linspace(0, 0.99)
  posterize: 8 - round(bin / 5) bits
  solarize: threshold linspace(255, 0)

with fill 0. Both sample bilinearly (timm picks bilinear or bicubic at
random, torchvision's reference scripts bilinear).

`AutoAugment` (a frozen dataclass) holds a policy's settings; `POLICIES`
is the registry of policies by name, and `augment_fn(config)` returns the
function for `AutoAugment` settings.
"""

import dataclasses

import tensorflow.compat.v1 as tf

from utils import checks
from utils.preprocessing import image_ops

# timm's `_LEVEL_DENOM`: magnitude 10 is an operation's full range.
LEVEL_DENOM = 10.0
# The magnitudes accepted: torchvision's RandAugment scale (31 bins).
MAX_MAGNITUDE = 30
# timm's fill for RandAugment: round(255 * ImageNet mean).
RAND_AUGMENT_FILL = (124, 116, 104)
TRIVIAL_AUGMENT_FILL = (0, 0, 0)
TRIVIAL_AUGMENT_BINS = 31


def _random_sign(value):
  """`value` negated with probability 1/2."""
  negate = tf.random.uniform([]) < 0.5
  return tf.where(negate, -value, value)


def _fraction(magnitude):
  return magnitude / LEVEL_DENOM


def _enhance_factor(magnitude, increasing):
  if increasing:
    return tf.maximum(0.1, 1.0 + _random_sign(_fraction(magnitude) * 0.9))
  return _fraction(magnitude) * 1.8 + 0.1


def _rand_augment_ops(increasing, fill, translate_pct):
  """timm's RandAugment operations: functions (image, magnitude) -> image."""

  def floor_int(x):
    return tf.cast(tf.floor(x), tf.int32)

  def posterize(image, m):
    bits = floor_int(_fraction(m) * 4.0)
    return image_ops.posterize(image, 4 - bits if increasing else bits)

  def solarize(image, m):
    threshold = tf.minimum(256, floor_int(_fraction(m) * 256.0))
    return image_ops.solarize(
      image, 256 - threshold if increasing else threshold
    )

  def enhance(op):
    return lambda image, m: op(image, _enhance_factor(m, increasing))

  def translate(op, axis):
    def apply(image, m):
      size = tf.cast(tf.shape(image)[axis], tf.float32)
      pixels = _random_sign(_fraction(m) * translate_pct) * size
      return op(image, pixels, fill)

    return apply

  return (
    lambda image, m: image_ops.autocontrast(image),
    lambda image, m: image_ops.equalize(image),
    lambda image, m: image_ops.invert(image),
    lambda image, m: image_ops.rotate(
      image, _random_sign(_fraction(m) * 30.0), fill
    ),
    posterize,
    solarize,
    lambda image, m: image_ops.solarize_add(
      image, tf.minimum(128, floor_int(_fraction(m) * 110.0))
    ),
    enhance(image_ops.color),
    enhance(image_ops.contrast),
    enhance(image_ops.brightness),
    enhance(image_ops.sharpness),
    lambda image, m: image_ops.shear_x(
      image, _random_sign(_fraction(m) * 0.3), fill
    ),
    lambda image, m: image_ops.shear_y(
      image, _random_sign(_fraction(m) * 0.3), fill
    ),
    translate(image_ops.translate_x, 1),
    translate(image_ops.translate_y, 0),
  )


# The names of the operations, in the order of _rand_augment_ops.
RAND_AUGMENT_OPS = (
  'autocontrast',
  'equalize',
  'invert',
  'rotate',
  'posterize',
  'solarize',
  'solarize_add',
  'color',
  'contrast',
  'brightness',
  'sharpness',
  'shear_x',
  'shear_y',
  'translate_x',
  'translate_y',
)


def _checked_image(image):
  image = tf.convert_to_tensor(image, name='image')
  if image.dtype != tf.uint8:
    raise ValueError(
      'Auto-augmentation takes a uint8 image; got dtype %s.' % image.dtype.name
    )
  if image.shape.ndims is not None and (
    image.shape.ndims != 3 or image.shape[-1] not in (None, 3)
  ):
    raise ValueError(
      'Auto-augmentation takes one [height, width, 3] image; got shape %s.'
      % image.shape
    )
  return image


def _check_rand_augment_args(
  num_ops, magnitude, magnitude_std, prob, magnitude_max
):
  checks.check_int('num_ops', num_ops, 0, message=checks.NON_NEGATIVE_INT)
  checks.check_number('magnitude', magnitude, minimum=0, maximum=MAX_MAGNITUDE)
  checks.check_number('magnitude_std', magnitude_std, minimum=0)
  checks.check_number('prob', prob, minimum=0, maximum=1)
  checks.check_number('magnitude_max', magnitude_max, minimum=0, strict=True)


def rand_augment(
  image,
  num_ops=2,
  magnitude=9,
  magnitude_std=0.5,
  increasing=True,
  prob=0.5,
  magnitude_max=LEVEL_DENOM,
  fill=RAND_AUGMENT_FILL,
  translate_pct=0.45,
):
  """RandAugment on one image, as timm's `rand-m{M}-n{N}-mstd{S}-inc1`.

  See the module docstring for the operations and their magnitudes.

  Args:
    image: uint8 [height, width, 3].
    num_ops: Layers (N), each one random operation.
    magnitude: The mean magnitude M, in [0, 30] (10 is an operation's full
      range; larger values matter only with a larger `magnitude_max`).
    magnitude_std: Standard deviation S of the magnitude's Gaussian noise;
      0 keeps M; above 100 (or infinity) it is drawn uniformly from
      [0, M] instead (as timm).
    increasing: Operations whose severity increases with the magnitude
      (timm's 'inc1').
    prob: Probability that a layer applies its operation.
    magnitude_max: The sampled magnitude is clipped to [0, magnitude_max].
    fill: The RGB value of points moved in from outside the image.
    translate_pct: The translation at magnitude 10, as a fraction of the
      image size.

  Returns:
    uint8 [height, width, 3].

  Raises:
    ValueError: on an argument out of range or an image that is not uint8
      [height, width, 3].
  """
  _check_rand_augment_args(
    num_ops, magnitude, magnitude_std, prob, magnitude_max
  )
  image = _checked_image(image)
  ops = _rand_augment_ops(increasing, fill, translate_pct)
  with tf.name_scope('rand_augment'):
    for _ in range(num_ops):
      index = tf.random.uniform([], 0, len(ops), dtype=tf.int32)
      if magnitude_std > 100:  # timm: uniform above 100 (and infinity).
        m = tf.random.uniform([], 0.0, float(magnitude))
      elif magnitude_std > 0:
        m = tf.random.normal([], float(magnitude), float(magnitude_std))
      else:
        m = tf.constant(float(magnitude))
      m = tf.clip_by_value(m, 0.0, float(magnitude_max))
      # Only the chosen operation runs, and only when the layer applies.
      image = tf.cond(
        tf.random.uniform([]) < prob,
        lambda x=image, m=m, index=index: tf.switch_case(
          index, [(lambda op=op: op(x, m)) for op in ops]
        ),
        lambda x=image: x,
      )
      image.set_shape([None, None, 3])
  return image


def _trivial_augment_ops(num_bins, fill):
  """torchvision's TrivialAugmentWide operations: fn(image, bin) -> image."""

  def linspace(start, stop, b):
    return start + (stop - start) * tf.cast(b, tf.float32) / (num_bins - 1)

  def enhance(op):
    return lambda image, b: op(
      image, 1.0 + _random_sign(linspace(0.0, 0.99, b))
    )

  def translate(op):
    # torchvision's translate=[t, 0] is PIL's matrix (1, 0, -t, ...); the
    # sign is random, so the same distribution.
    return lambda image, b: op(
      image, _random_sign(tf.floor(linspace(0.0, 32.0, b))), fill
    )

  def posterize(image, b):
    bits = 8 - tf.cast(
      tf.round(tf.cast(b, tf.float32) / ((num_bins - 1) / 6.0)), tf.int32
    )
    return image_ops.posterize(image, bits)

  return (
    lambda image, b: image_ops.identity(image),
    lambda image, b: image_ops.shear_x(
      image, _random_sign(linspace(0.0, 0.99, b)), fill
    ),
    lambda image, b: image_ops.shear_y(
      image, _random_sign(linspace(0.0, 0.99, b)), fill
    ),
    translate(image_ops.translate_x),
    translate(image_ops.translate_y),
    lambda image, b: image_ops.rotate(
      image, _random_sign(linspace(0.0, 135.0, b)), fill
    ),
    enhance(image_ops.brightness),
    enhance(image_ops.color),
    enhance(image_ops.contrast),
    enhance(image_ops.sharpness),
    posterize,
    lambda image, b: image_ops.solarize(image, linspace(255.0, 0.0, b)),
    lambda image, b: image_ops.autocontrast(image),
    lambda image, b: image_ops.equalize(image),
  )


# The names of the operations, in the order of _trivial_augment_ops.
TRIVIAL_AUGMENT_OPS = (
  'identity',
  'shear_x',
  'shear_y',
  'translate_x',
  'translate_y',
  'rotate',
  'brightness',
  'color',
  'contrast',
  'sharpness',
  'posterize',
  'solarize',
  'autocontrast',
  'equalize',
)


def trivial_augment_wide(
  image, num_magnitude_bins=TRIVIAL_AUGMENT_BINS, fill=TRIVIAL_AUGMENT_FILL
):
  """TrivialAugment (wide) on one image, as torchvision's TrivialAugmentWide.

  See the module docstring for the operations and their magnitudes.

  Args:
    image: uint8 [height, width, 3].
    num_magnitude_bins: The number of magnitudes per operation (>= 2).
    fill: The RGB value of points moved in from outside the image.

  Returns:
    uint8 [height, width, 3].

  Raises:
    ValueError: on a bad bin count or an image that is not uint8
      [height, width, 3].
  """
  checks.check_int('num_magnitude_bins', num_magnitude_bins, 2)
  image = _checked_image(image)
  ops = _trivial_augment_ops(num_magnitude_bins, fill)
  with tf.name_scope('trivial_augment_wide'):
    index = tf.random.uniform([], 0, len(ops), dtype=tf.int32)
    magnitude_bin = tf.random.uniform([], 0, num_magnitude_bins, dtype=tf.int32)
    image = tf.switch_case(
      index, [(lambda op=op: op(image, magnitude_bin)) for op in ops]
    )
    image.set_shape([None, None, 3])
  return image


@dataclasses.dataclass(frozen=True)
class AutoAugment:
  """An auto-augmentation policy and its settings.

  Attributes:
    policy: A name of `POLICIES`.
    num_ops: RandAugment's layers per image.
    magnitude: RandAugment's mean magnitude, in [0, 30].
    magnitude_std: RandAugment's magnitude noise (standard deviation).
  """

  policy: str
  num_ops: int = 2
  magnitude: float = 9
  magnitude_std: float = 0.5

  def __post_init__(self):
    if self.policy not in POLICIES:
      raise ValueError(
        'Unknown auto_augment policy %r; known: %s.'
        % (self.policy, ', '.join(sorted(POLICIES)))
      )
    checks.check_int(
      'randaugment_num_ops', self.num_ops, 0, message=checks.NON_NEGATIVE_INT
    )
    checks.check_number(
      'randaugment_magnitude', self.magnitude, minimum=0, maximum=MAX_MAGNITUDE
    )
    checks.check_number(
      'randaugment_magnitude_std', self.magnitude_std, minimum=0
    )


def _rand_augment_policy(config):
  return lambda image: rand_augment(
    image, config.num_ops, config.magnitude, config.magnitude_std
  )


def _trivial_augment_wide_policy(config):
  del config  # TrivialAugment has no settings.
  return trivial_augment_wide


# The registry: policy name -> function(AutoAugment) -> fn(uint8 image).
POLICIES = {
  'randaugment': _rand_augment_policy,
  'trivialaugment_wide': _trivial_augment_wide_policy,
}


def augment_fn(config):
  """The function uint8 image -> uint8 image of an `AutoAugment` config."""
  if not isinstance(config, AutoAugment):
    raise TypeError(
      'config must be an auto_augment.AutoAugment; got %r.' % (config,)
    )
  return POLICIES[config.policy](config)
