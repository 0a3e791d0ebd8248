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
"""PIL's image operations in TensorFlow ops, for RandAugment and TrivialAugment.

The reference implementations of these policies (timm's auto_augment.py,
torchvision's transforms.autoaugment) apply PIL's `ImageOps`,
`ImageEnhance` and `Image.transform`; each function here computes the PIL
operation of the same name on one uint8 [height, width, 3] image, in graph
mode, with its arguments as Python numbers or scalar tensors (so that a
policy can draw them at run time). Every function returns a uint8 image of
the input's shape.

Rounding follows PIL: blends (`ImageEnhance`) truncate, RGB to luma is
ITU-R 601-2 in 16-bit fixed point, look-up tables are clipped to [0, 255].
The geometric operations sample bilinearly at PIL's pixel centres with PIL's
edge handling (a source point inside the image is interpolated from the
edge-clamped neighbours; one outside it takes `fill`); TensorFlow's
bilinear weights are float32 where PIL's are double, so single pixels can
differ by one grey level.
"""

import math

import tensorflow.compat.v1 as tf

# ImageFilter.SMOOTH, the degenerate image of ImageEnhance.Sharpness.
_SMOOTH_KERNEL = ((1, 1, 1), (1, 5, 1), (1, 1, 1))
_SMOOTH_SCALE = 13.0


def _float(x):
  return tf.cast(x, tf.float32)


def _to_uint8_truncated(x):
  """Clips to [0, 255] and truncates, as PIL's (UINT8) casts of floats."""
  return tf.cast(tf.clip_by_value(x, 0.0, 255.0), tf.uint8)


def _apply_lut(image, lut):
  """Maps every channel value v of uint8 `image` to lut[channel][v].

  Args:
    image: uint8 [height, width, 3].
    lut: int32 [3, 256] (one table per channel) or [256].
  """
  lut = tf.clip_by_value(tf.cast(lut, tf.int32), 0, 255)
  if lut.shape.ndims == 1:
    return tf.cast(tf.gather(lut, tf.cast(image, tf.int32)), tf.uint8)
  index = tf.cast(image, tf.int32) + tf.constant([0, 256, 512], tf.int32)
  return tf.cast(tf.gather(tf.reshape(lut, [-1]), index), tf.uint8)


def _blend(degenerate, image, factor):
  """PIL's Image.blend(degenerate, image, factor): d + factor * (i - d)."""
  degenerate = _float(degenerate)
  mixed = degenerate + _float(factor) * (_float(image) - degenerate)
  return _to_uint8_truncated(mixed)


def _luma(image):
  """PIL's RGB to 'L' conversion (ITU-R 601-2 in 16-bit fixed point).

  Returns:
    int32 [height, width, 1].
  """
  rgb = tf.cast(image, tf.int32)
  weighted = rgb * tf.constant([19595, 38470, 7471], tf.int32)
  return tf.bitwise.right_shift(
    tf.reduce_sum(weighted, axis=-1, keepdims=True) + 0x8000, 16
  )


def _histograms(image):
  """Per-channel histograms of uint8 `image`: int32 [3, 256]."""
  channels = tf.transpose(tf.reshape(tf.cast(image, tf.int32), [-1, 3]))
  offsets = channels + tf.constant([[0], [256], [512]], tf.int32)
  counts = tf.math.bincount(
    tf.reshape(offsets, [-1]), minlength=768, maxlength=768, dtype=tf.int32
  )
  return tf.reshape(counts, [3, 256])


def identity(image):
  """The image unchanged."""
  return tf.identity(image)


def invert(image):
  """ImageOps.invert: 255 - v."""
  return 255 - image


def posterize(image, bits):
  """ImageOps.posterize: keeps the `bits` (0..8) most significant bits."""
  shift = 8 - tf.cast(bits, tf.int32)
  mask = tf.bitwise.left_shift(tf.constant(255, tf.int32), shift)
  return tf.cast(
    tf.bitwise.bitwise_and(tf.cast(image, tf.int32), mask), tf.uint8
  )


def solarize(image, threshold):
  """ImageOps.solarize: v for v < threshold, else 255 - v."""
  return tf.where(_float(image) < _float(threshold), image, 255 - image)


def solarize_add(image, addition, threshold=128):
  """timm's solarize_add: min(255, v + addition) for v < threshold, else v."""
  added = tf.minimum(
    tf.cast(image, tf.int32) + tf.cast(addition, tf.int32), 255
  )
  return tf.where(
    _float(image) < _float(threshold), tf.cast(added, tf.uint8), image
  )


def autocontrast(image):
  """ImageOps.autocontrast (cutoff 0): each channel stretched to [0, 255].

  A channel's lowest value lo maps to 0 and its highest hi to 255, through
  int(v * scale - lo * scale) with scale = 255 / (hi - lo); a constant
  channel is kept.
  """
  values = tf.reshape(tf.cast(image, tf.float64), [-1, 3])
  lo = tf.reduce_min(values, axis=0)[:, None]
  hi = tf.reduce_max(values, axis=0)[:, None]
  # PIL's table, in double precision as in Python.
  scale = 255.0 / tf.maximum(hi - lo, 1.0)
  ix = tf.range(256, dtype=tf.float64)[None, :]
  lut = tf.floor(tf.clip_by_value(ix * scale + -lo * scale, 0.0, 255.0))
  lut = tf.where(
    tf.broadcast_to(hi > lo, [3, 256]),
    tf.cast(lut, tf.int32),
    tf.broadcast_to(tf.range(256)[None, :], [3, 256]),
  )
  return _apply_lut(image, lut)


def equalize(image):
  """ImageOps.equalize: per-channel histogram equalization.

  With h the channel's histogram and step = (sum(h) - h[last used
  value]) // 255, value i maps to (step // 2 + sum(h[:i])) // step; a
  channel with one value, or step 0, is kept.
  """
  hist = _histograms(image)
  used = hist > 0
  # The count of each channel's highest value.
  last_index = 255 - tf.argmax(tf.cast(tf.reverse(used, [1]), tf.int32), axis=1)
  last_count = tf.gather(hist, last_index, axis=1, batch_dims=1)
  step = (tf.reduce_sum(hist, axis=1) - last_count) // 255
  safe_step = tf.maximum(step, 1)[:, None]
  before = tf.cumsum(hist, axis=1, exclusive=True)
  lut = (safe_step // 2 + before) // safe_step
  keep = tf.logical_or(
    tf.reduce_sum(tf.cast(used, tf.int32), axis=1) <= 1, tf.equal(step, 0)
  )
  lut = tf.where(
    tf.broadcast_to(keep[:, None], [3, 256]),
    tf.broadcast_to(tf.range(256)[None, :], [3, 256]),
    lut,
  )
  return _apply_lut(image, lut)


def color(image, factor):
  """ImageEnhance.Color: blend of the luma image and the image."""
  degenerate = tf.tile(_luma(image), [1, 1, 3])
  return _blend(degenerate, image, factor)


def contrast(image, factor):
  """ImageEnhance.Contrast: blend of the mean luma (rounded) and the image."""
  luma = _float(_luma(image))
  mean = tf.floor(tf.reduce_mean(tf.cast(luma, tf.float64)) + 0.5)
  return _blend(tf.cast(mean, tf.float32), image, factor)


def brightness(image, factor):
  """ImageEnhance.Brightness: blend of black and the image."""
  return _blend(0.0, image, factor)


def sharpness(image, factor):
  """ImageEnhance.Sharpness: blend of ImageFilter.SMOOTH and the image.

  SMOOTH is the 3x3 kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13, rounded;
  PIL leaves the outermost rows and columns unfiltered.
  """
  x = _float(image)
  kernel = tf.constant(_SMOOTH_KERNEL, tf.float32) / _SMOOTH_SCALE
  kernel = tf.tile(kernel[:, :, None, None], [1, 1, 3, 1])
  smooth = tf.nn.depthwise_conv2d(
    x[None], kernel, strides=[1, 1, 1, 1], padding='VALID'
  )[0]
  smooth = tf.clip_by_value(tf.floor(smooth + 0.5), 0.0, 255.0)
  smooth = tf.pad(smooth - x[1:-1, 1:-1], [[1, 1], [1, 1], [0, 0]]) + x
  return _blend(smooth, image, factor)


def affine_transform(image, matrix, fill):
  """Image.transform(size, AFFINE, matrix, BILINEAR, fillcolor=fill).

  Output pixel (x, y) takes the input at (a x' + b y' + c, d x' + e y' + f)
  for matrix (a, b, c, d, e, f), in PIL's coordinates (x' = x + 0.5, y' =
  y + 0.5: pixel centres). Points inside the image are interpolated
  bilinearly from edge-clamped neighbours; points outside take `fill`.

  Args:
    image: uint8 [height, width, 3].
    matrix: Six float scalars (Python numbers or tensors).
    fill: Three numbers, the value of points outside the image.

  Returns:
    uint8 [height, width, 3].
  """
  shape = tf.shape(image)
  height, width = shape[0], shape[1]
  a, b, c, d, e, f = [tf.cast(m, tf.float32) for m in matrix]
  # TensorFlow samples index coordinates: index = PIL coordinate - 0.5.
  transform = tf.stack(
    [
      a,
      b,
      a * 0.5 + b * 0.5 + c - 0.5,
      d,
      e,
      d * 0.5 + e * 0.5 + f - 0.5,
      0.0,
      0.0,
    ]
  )
  warped = tf.raw_ops.ImageProjectiveTransformV3(
    images=_float(image)[None],
    transforms=transform[None],
    output_shape=tf.stack([height, width]),
    fill_value=0.0,
    interpolation='BILINEAR',
    fill_mode='NEAREST',
  )[0]
  xs = _float(tf.range(width)) + 0.5
  ys = _float(tf.range(height)) + 0.5
  src_x = a * xs[None, :] + b * ys[:, None] + c
  src_y = d * xs[None, :] + e * ys[:, None] + f
  inside = (
    (src_x >= 0.0)
    & (src_x < _float(width))
    & (src_y >= 0.0)
    & (src_y < _float(height))
  )
  fill = tf.broadcast_to(tf.constant(fill, tf.float32), tf.shape(warped))
  result = tf.where(
    tf.broadcast_to(inside[:, :, None], tf.shape(warped)), warped, fill
  )
  result = _to_uint8_truncated(result)
  result.set_shape(image.shape)
  return result


def shear_x(image, factor, fill):
  """Affine (1, factor, 0, 0, 1, 0): input x = x + factor * y."""
  return affine_transform(image, (1.0, factor, 0.0, 0.0, 1.0, 0.0), fill)


def shear_y(image, factor, fill):
  """Affine (1, 0, 0, factor, 1, 0): input y = y + factor * x."""
  return affine_transform(image, (1.0, 0.0, 0.0, factor, 1.0, 0.0), fill)


def translate_x(image, pixels, fill):
  """Affine (1, 0, pixels, 0, 1, 0): the content moves left by `pixels`."""
  return affine_transform(image, (1.0, 0.0, pixels, 0.0, 1.0, 0.0), fill)


def translate_y(image, pixels, fill):
  """Affine (1, 0, 0, 0, 1, pixels): the content moves up by `pixels`."""
  return affine_transform(image, (1.0, 0.0, 0.0, 0.0, 1.0, pixels), fill)


def rotate(image, degrees, fill):
  """Image.rotate(degrees): counter-clockwise about the image centre.

  As PIL: the matrix (cos, sin, c, -sin, cos, f) of the angle -degrees
  (in radians), with c and f chosen so that the centre (width / 2,
  height / 2) is fixed; the size is kept.
  """
  shape = tf.shape(image)
  cx = _float(shape[1]) / 2.0
  cy = _float(shape[0]) / 2.0
  angle = -_float(degrees) * (math.pi / 180.0)
  cos, sin = tf.cos(angle), tf.sin(angle)
  matrix = (
    cos,
    sin,
    cx - cos * cx - sin * cy,
    -sin,
    cos,
    cy + sin * cx - cos * cy,
  )
  return affine_transform(image, matrix, fill)
