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
"""Image operations shared by the preprocessing modules.

All functions work on one image of shape [height, width, channels] in graph
mode; sizes may be dynamic.
"""

import tensorflow.compat.v1 as tf

from utils import checks

# tf.image.rgb_to_grayscale's luma weights; used to turn per-channel means
# into the mean of the greyscale image.
GRAYSCALE_WEIGHTS = (0.2989, 0.5870, 0.1140)


def check_output_size(output_height, output_width):
  """Raises ValueError unless both sizes are positive Python integers."""
  for name, value in (
    ('output_height', output_height),
    ('output_width', output_width),
  ):
    checks.check_positive_int(name, value)


def to_rgb(image):
  """Returns `image` with 3 channels; greyscale images are replicated.

  The networks take 3-channel input, while MNIST and digits are greyscale.

  Args:
    image: A tensor of shape [height, width, channels], channels 1 or 3.

  Returns:
    A tensor of shape [height, width, 3] and the dtype of `image`.

  Raises:
    ValueError: if `image` is not rank 3 or has a static channel count other
      than 1 or 3.
  """
  image = tf.convert_to_tensor(image, name='image')
  if image.shape.ndims is not None and image.shape.ndims != 3:
    raise ValueError(
      'Preprocessing takes one image of shape [height, width, '
      'channels]; got shape %s.' % image.shape
    )
  image.set_shape([None, None, None])
  channels = tf.compat.dimension_value(image.shape[2])
  if channels == 3:
    return image
  if channels == 1:
    return tf.tile(image, [1, 1, 3])
  if channels is not None:
    raise ValueError(
      'Preprocessing takes images with 1 or 3 channels; got %d.' % channels
    )
  image = tf.cond(
    tf.equal(tf.shape(image)[2], 1),
    lambda: tf.tile(image, [1, 1, 3]),
    lambda: image,
  )
  image.set_shape([None, None, 3])
  return image


def resize_smallest_side(image, smallest_side):
  """Resizes `image` so that its smaller side is `smallest_side`.

  The aspect ratio is kept (up to rounding). Bilinear interpolation, as slim.

  Args:
    image: A [height, width, channels] tensor.
    smallest_side: An int32 scalar (Python int or tensor).

  Returns:
    A float32 [new_height, new_width, channels] tensor.
  """
  shape = tf.shape(image)
  height = tf.cast(shape[0], tf.float32)
  width = tf.cast(shape[1], tf.float32)
  side = tf.cast(smallest_side, tf.float32)
  scale = side / tf.minimum(height, width)
  # max(side, ...) guards the smaller side against float rounding.
  new_height = tf.cast(tf.maximum(side, tf.rint(height * scale)), tf.int32)
  new_width = tf.cast(tf.maximum(side, tf.rint(width * scale)), tf.int32)
  resized = tf.image.resize_images(
    image,
    tf.stack([new_height, new_width]),
    method=tf.image.ResizeMethod.BILINEAR,
  )
  resized.set_shape([None, None, image.shape[2]])
  return tf.cast(resized, tf.float32)


def central_crop(image, crop_height, crop_width):
  """Crops the central [crop_height, crop_width] window of `image`.

  The image must be at least that large (callers resize first). With an odd
  margin the extra row or column is dropped at the bottom or right.
  """
  shape = tf.shape(image)
  top = (shape[0] - crop_height) // 2
  left = (shape[1] - crop_width) // 2
  cropped = tf.slice(
    image, tf.stack([top, left, 0]), tf.stack([crop_height, crop_width, -1])
  )
  cropped.set_shape([crop_height, crop_width, image.shape[2]])
  return cropped


def to_grayscale(image):
  """Converts a [height, width, 3] float image to [height, width, 1]."""
  return tf.image.rgb_to_grayscale(image)


def augment_uint8(image, augment_fn, max_value):
  """Applies a uint8 augmentation to a float image in [0, max_value].

  RandAugment and TrivialAugment work on uint8 pixels, as their PIL
  references; the image is rounded to uint8 for `augment_fn` and scaled back.

  Args:
    image: A float [height, width, 3] image with values in [0, max_value].
    augment_fn: None (the image is returned as is) or a function uint8
      [height, width, 3] -> uint8 [height, width, 3].
    max_value: The value of white (1.0 or 255.0).

  Returns:
    A float32 image of the same shape and scale.
  """
  if augment_fn is None:
    return image
  pixels = tf.clip_by_value(tf.round(image * (255.0 / max_value)), 0.0, 255.0)
  augmented = augment_fn(tf.cast(pixels, tf.uint8))
  augmented = tf.cast(augmented, tf.float32) * (max_value / 255.0)
  augmented.set_shape(image.shape)
  return augmented


def resize_and_crop(image, resize_size, crop_height, crop_width):
  """Resizes the smaller side to `resize_size`, then crops the centre.

  The evaluation of FixRes (Touvron et al. 2019) and torchvision's
  `Resize(resize_size)`, `CenterCrop(crop_size)`; the smaller side is at
  least the crop's larger side.

  Returns:
    A float32 [crop_height, crop_width, channels] tensor.
  """
  side = max(resize_size, crop_height, crop_width)
  image = resize_smallest_side(image, side)
  return central_crop(image, crop_height, crop_width)


def check_resize_size(resize_size):
  """Raises ValueError unless `resize_size` is None or a positive integer."""
  return checks.check_int('eval_resize_size', resize_size, 1, allow_none=True)
