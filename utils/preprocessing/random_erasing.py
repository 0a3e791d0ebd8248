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
"""Random erasing (Zhong et al. 2020, arXiv:1708.04896) on one image.

As timm's `RandomErasing(mode='pixel')` (torchvision's `RandomErasing` has
the same box): with probability `probability`, a box is drawn up to
`max_attempts` (10) times, each with a target area uniform in
[min_area, max_area] of the image and an aspect ratio (height / width)
log-uniform in [min_aspect, 1 / min_aspect]:

  h = round(sqrt(area * aspect)),  w = round(sqrt(area / aspect));

the first attempt with h < height and w < width is placed uniformly (top in
[0, height - h], left in [0, width - w], both inclusive), and its pixels
are replaced by independent N(0, 1) values. No attempt fitting leaves the
image unchanged. It applies to the normalized image (after mean and
standard deviation), where N(0, 1) is noise of the data's own scale.
"""

import math

import tensorflow.compat.v1 as tf

from utils import checks

MIN_AREA = 0.02
MAX_AREA = 1.0 / 3.0
MIN_ASPECT = 0.3
MAX_ATTEMPTS = 10


def erasing_box(height, width, areas, aspects, top_fraction, left_fraction):
  """The erased box for given random draws (the formula of the module).

  Args:
    height, width: The image size (int32 scalars).
    areas: float [attempts], each attempt's target area in pixels.
    aspects: float [attempts], each attempt's aspect ratio (height / width).
    top_fraction, left_fraction: Uniform draws in [0, 1) that place the box:
      top = floor(top_fraction * (height - h + 1)), likewise left.

  Returns:
    (found, top, left, h, w): int32 scalars; `found` is False (and the box
    empty) when no attempt fits.
  """
  h = tf.cast(tf.round(tf.sqrt(areas * aspects)), tf.int32)
  w = tf.cast(tf.round(tf.sqrt(areas / aspects)), tf.int32)
  fits = (h < height) & (w < width)
  found = tf.reduce_any(fits)
  first = tf.argmax(tf.cast(fits, tf.int32), output_type=tf.int32)
  h = tf.where(found, h[first], 0)
  w = tf.where(found, w[first], 0)
  top = tf.cast(
    tf.floor(top_fraction * tf.cast(height - h + 1, tf.float32)), tf.int32
  )
  left = tf.cast(
    tf.floor(left_fraction * tf.cast(width - w + 1, tf.float32)), tf.int32
  )
  return found, top, left, h, w


def check_probability(probability):
  """Raises ValueError unless 0 <= probability <= 1."""
  return checks.check_number('random_erase', probability, minimum=0, maximum=1)


def random_erasing(
  image,
  probability,
  min_area=MIN_AREA,
  max_area=MAX_AREA,
  min_aspect=MIN_ASPECT,
  max_attempts=MAX_ATTEMPTS,
):
  """Erases a random box of `image` with N(0, 1) noise; see the module.

  Args:
    image: float [height, width, channels], normalized.
    probability: The probability that a box is erased.
    min_area, max_area: The target area's range, fractions of the image.
    min_aspect: The aspect ratio's range is [min_aspect, 1 / min_aspect].
    max_attempts: Draws of a box before giving up.

  Returns:
    A float tensor of the shape and dtype of `image`.

  Raises:
    ValueError: on an argument out of range.
  """
  check_probability(probability)
  checks.check_number('min_area', min_area, minimum=0, strict=True)
  checks.check_number('max_area', max_area, minimum=min_area, maximum=1)
  checks.check_number('min_aspect', min_aspect, minimum=0, strict=True)
  checks.check_positive_int('max_attempts', max_attempts)
  image = tf.convert_to_tensor(image, name='image')
  with tf.name_scope('random_erasing'):
    shape = tf.shape(image)
    height, width = shape[0], shape[1]
    area = tf.cast(height * width, tf.float32)
    areas = tf.random.uniform([max_attempts], min_area, max_area) * area
    log_aspect = math.log(min_aspect)
    aspects = tf.exp(tf.random.uniform([max_attempts], log_aspect, -log_aspect))
    found, top, left, h, w = erasing_box(
      height,
      width,
      areas,
      aspects,
      tf.random.uniform([]),
      tf.random.uniform([]),
    )
    erase = tf.logical_and(tf.random.uniform([]) < probability, found)

    def erased():
      rows = tf.range(height)
      cols = tf.range(width)
      inside = ((rows >= top) & (rows < top + h))[:, None] & (
        (cols >= left) & (cols < left + w)
      )[None, :]
      noise = tf.random.normal(shape, dtype=image.dtype)
      return tf.where(tf.broadcast_to(inside[:, :, None], shape), noise, image)

    # The noise is drawn only for images that are erased.
    return tf.cond(erase, erased, lambda: image)
