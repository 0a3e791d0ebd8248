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
"""Inception-style preprocessing (Szegedy et al., arXiv:1409.4842, section 6).

Training: a random crop covering 5% to 100% of the image with an aspect ratio
in [3/4, 4/3] that contains at least 10% of the bounding box (the whole image
by default) is drawn with `tf.image.sample_distorted_bounding_box`, resized to
the output size, flipped left-right with probability 1/2 and colour distorted
(brightness and saturation in a random order; with fast_mode=False also hue
and contrast, in one of four orders, and a random resize method).

Evaluation: the central `central_fraction` (0.875) of the image is cropped and
resized bilinearly to the output size.

Pixels are scaled to [0, 1] first and mapped to [-1, 1] at the end, so the
output is float32 in [-1, 1]. With `use_grayscale`, the image is converted to
one luma channel before that final scaling.
"""

import tensorflow.compat.v1 as tf

from utils.preprocessing import preprocessing_utils

CENTRAL_FRACTION = 0.875
_RESIZE_METHODS = (
  tf.image.ResizeMethod.BILINEAR,
  tf.image.ResizeMethod.NEAREST_NEIGHBOR,
  tf.image.ResizeMethod.BICUBIC,
  tf.image.ResizeMethod.AREA,
)


def _random_choice(branches):
  """Calls one of `branches` (zero-argument functions), chosen uniformly."""
  if len(branches) == 1:
    return branches[0]()
  index = tf.random_uniform([], maxval=len(branches), dtype=tf.int32)
  return tf.switch_case(index, branches)


def distort_color(image, fast_mode=True):
  """Random colour distortion of a float image in [0, 1], clipped to [0, 1].

  Args:
    image: A float32 [height, width, 3] image in [0, 1].
    fast_mode: Only brightness and saturation (2 orders); otherwise also hue
      and contrast, in one of 4 orders.

  Returns:
    The distorted image, same shape, in [0, 1].
  """

  def brightness(x):
    return tf.image.random_brightness(x, max_delta=32.0 / 255.0)

  def saturation(x):
    return tf.image.random_saturation(x, lower=0.5, upper=1.5)

  def hue(x):
    return tf.image.random_hue(x, max_delta=0.2)

  def contrast(x):
    return tf.image.random_contrast(x, lower=0.5, upper=1.5)

  if fast_mode:
    orders = [(brightness, saturation), (saturation, brightness)]
  else:
    orders = [
      (brightness, saturation, hue, contrast),
      (saturation, brightness, contrast, hue),
      (contrast, hue, brightness, saturation),
      (hue, saturation, contrast, brightness),
    ]

  def apply(order):
    def fn():
      x = image
      for op in order:
        x = op(x)
      return tf.clip_by_value(x, 0.0, 1.0)

    return fn

  distorted = _random_choice([apply(order) for order in orders])
  distorted.set_shape(image.shape)
  return distorted


def _resize(image, height, width, method):
  return tf.cast(
    tf.image.resize_images(image, [height, width], method=method), tf.float32
  )


def preprocess_for_train(
  image,
  output_height,
  output_width,
  bbox=None,
  fast_mode=True,
  use_grayscale=False,
  augment_fn=None,
):
  """Distorted crop, flip, `augment_fn` and colour distortion; see the module
  docstring."""
  if bbox is None:
    bbox = tf.constant([0.0, 0.0, 1.0, 1.0], dtype=tf.float32, shape=[1, 1, 4])
  begin, size, _ = tf.image.sample_distorted_bounding_box(
    tf.shape(image),
    bounding_boxes=bbox,
    min_object_covered=0.1,
    aspect_ratio_range=(0.75, 1.33),
    area_range=(0.05, 1.0),
    max_attempts=100,
    use_image_if_no_bounding_boxes=True,
  )
  image = tf.slice(image, begin, size)
  image.set_shape([None, None, 3])
  methods = _RESIZE_METHODS[:1] if fast_mode else _RESIZE_METHODS
  image = _random_choice(
    [
      lambda m=m: _resize(image, output_height, output_width, m)
      for m in methods
    ]
  )
  image.set_shape([output_height, output_width, 3])
  image = tf.image.random_flip_left_right(image)
  image = preprocessing_utils.augment_uint8(image, augment_fn, 1.0)
  image = distort_color(image, fast_mode)
  if use_grayscale:
    image = preprocessing_utils.to_grayscale(image)
  return (image - 0.5) * 2.0


def preprocess_for_eval(
  image,
  output_height,
  output_width,
  central_fraction=CENTRAL_FRACTION,
  use_grayscale=False,
  resize_size=None,
):
  """Central crop and resize; see the module docstring."""
  if resize_size:
    image = preprocessing_utils.resize_and_crop(
      image, resize_size, output_height, output_width
    )
  elif central_fraction:
    image = tf.image.central_crop(image, central_fraction=central_fraction)
  image = _resize(
    image, output_height, output_width, tf.image.ResizeMethod.BILINEAR
  )
  image.set_shape([output_height, output_width, 3])
  if use_grayscale:
    image = preprocessing_utils.to_grayscale(image)
  return (image - 0.5) * 2.0


def preprocess_image(
  image,
  output_height,
  output_width,
  is_training=False,
  use_grayscale=False,
  bbox=None,
  fast_mode=True,
  central_fraction=CENTRAL_FRACTION,
  augment_fn=None,
  resize_size=None,
):
  """Preprocesses one image the Inception way.

  Args:
    image: A [height, width, channels] image, channels 1 or 3; uint8 (values
      0..255) or float (values in [0, 1]).
    output_height: The output height, a positive int.
    output_width: The output width, a positive int.
    is_training: Training (random) or evaluation (deterministic) mode.
    use_grayscale: Output one luma channel instead of RGB.
    bbox: Training only: float32 [1, num_boxes, 4] boxes (ymin, xmin, ymax,
      xmax in [0, 1]) the crop should cover; None means the whole image.
    fast_mode: Training only: see `distort_color`; also fixes the resize
      method to bilinear.
    central_fraction: Evaluation only: the central fraction kept, in (0, 1],
      or None for no crop.
    augment_fn: Training only: None, or a uint8 augmentation (RandAugment,
      TrivialAugment) applied after the flip, before the colour distortion.
    resize_size: Evaluation only: None, or resize the smaller side to it and
      crop the centre (instead of `central_fraction`).

  Returns:
    A float32 [output_height, output_width, 3 (1 with use_grayscale)] tensor
    in [-1, 1].

  Raises:
    ValueError: on a bad output size, central fraction or image shape.
  """
  preprocessing_utils.check_output_size(output_height, output_width)
  if central_fraction is not None and not 0.0 < central_fraction <= 1.0:
    raise ValueError(
      'central_fraction must be in (0, 1] or None; got %r.'
      % (central_fraction,)
    )
  preprocessing_utils.check_resize_size(resize_size)
  image = preprocessing_utils.to_rgb(image)
  # uint8 0..255 -> float 0..1; float images are taken to be in [0, 1].
  image = tf.image.convert_image_dtype(image, tf.float32)
  if is_training:
    return preprocess_for_train(
      image,
      output_height,
      output_width,
      bbox,
      fast_mode,
      use_grayscale,
      augment_fn,
    )
  return preprocess_for_eval(
    image,
    output_height,
    output_width,
    central_fraction,
    use_grayscale,
    resize_size,
  )
