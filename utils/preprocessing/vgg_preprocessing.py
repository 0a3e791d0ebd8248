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
"""VGG-style preprocessing, used by the ResNet and VGG networks of slim.

Training: the smaller side is resized to a random size in
[resize_side_min, resize_side_max] keeping the aspect ratio (scale
augmentation of Simonyan & Zisserman, arXiv:1409.1556, section 3.1), then a
random output_height x output_width crop is taken and flipped left-right with
probability 1/2.

Evaluation: the smaller side is resized to resize_side_min and the central
output_height x output_width window is cropped.

Both subtract the ImageNet per-channel means (123.68, 116.78, 103.94) from
pixels in [0, 255]; the output is float32 in [-123.68, 151.22]. With
`use_grayscale`, the image is converted to one luma channel before the mean
subtraction, and the luma of the means is subtracted.

Small images (8x8 digits, 28x28 MNIST) work at any output size: the resize
side is never smaller than max(output_height, output_width), so images are
scaled up as needed.
"""

import tensorflow.compat.v1 as tf

from utils.preprocessing import preprocessing_utils

RGB_MEANS = (123.68, 116.78, 103.94)
GRAY_MEAN = sum(
  w * m for w, m in zip(preprocessing_utils.GRAYSCALE_WEIGHTS, RGB_MEANS)
)
RESIZE_SIDE_MIN = 256
RESIZE_SIDE_MAX = 512


def _subtract_means(image, use_grayscale):
  if use_grayscale:
    return preprocessing_utils.to_grayscale(image) - GRAY_MEAN
  return image - tf.constant(RGB_MEANS, dtype=tf.float32)


def train_crop(
  image,
  output_height,
  output_width,
  resize_side_min=RESIZE_SIDE_MIN,
  resize_side_max=RESIZE_SIDE_MAX,
):
  """Scale augmentation, random crop and flip of a float RGB image."""
  floor = max(output_height, output_width)
  low = max(resize_side_min, floor)
  high = max(resize_side_max, low)
  side = tf.random_uniform([], minval=low, maxval=high + 1, dtype=tf.int32)
  image = preprocessing_utils.resize_smallest_side(image, side)
  image = tf.random_crop(image, [output_height, output_width, 3])
  return tf.image.random_flip_left_right(image)


def eval_crop(image, output_height, output_width, resize_side=RESIZE_SIDE_MIN):
  """Resize of the smaller side and central crop of a float RGB image."""
  side = max(resize_side, output_height, output_width)
  image = preprocessing_utils.resize_smallest_side(image, side)
  return preprocessing_utils.central_crop(image, output_height, output_width)


def preprocess_for_train(
  image,
  output_height,
  output_width,
  resize_side_min=RESIZE_SIDE_MIN,
  resize_side_max=RESIZE_SIDE_MAX,
  use_grayscale=False,
):
  """Scale augmentation, random crop and flip; see the module docstring."""
  image = train_crop(
    image, output_height, output_width, resize_side_min, resize_side_max
  )
  return _subtract_means(image, use_grayscale)


def preprocess_for_eval(
  image,
  output_height,
  output_width,
  resize_side=RESIZE_SIDE_MIN,
  use_grayscale=False,
):
  """Resize of the smaller side and central crop; see the module docstring."""
  image = eval_crop(image, output_height, output_width, resize_side)
  return _subtract_means(image, use_grayscale)


def crop_image(
  image,
  output_height,
  output_width,
  is_training=False,
  resize_side_min=RESIZE_SIDE_MIN,
  resize_side_max=RESIZE_SIDE_MAX,
  augment_fn=None,
  resize_size=None,
):
  """The VGG crops of `preprocess_image`, without the mean subtraction.

  Returns:
    A float32 [output_height, output_width, 3] RGB tensor in [0, 255].

  Raises:
    ValueError: on a bad output size, resize range or image shape.
  """
  preprocessing_utils.check_output_size(output_height, output_width)
  if not 0 < resize_side_min <= resize_side_max:
    raise ValueError(
      'Need 0 < resize_side_min <= resize_side_max; got %r and '
      '%r.' % (resize_side_min, resize_side_max)
    )
  preprocessing_utils.check_resize_size(resize_size)
  image = tf.cast(preprocessing_utils.to_rgb(image), tf.float32)
  if is_training:
    image = train_crop(
      image, output_height, output_width, resize_side_min, resize_side_max
    )
    return preprocessing_utils.augment_uint8(image, augment_fn, 255.0)
  return eval_crop(
    image, output_height, output_width, resize_size or resize_side_min
  )


def preprocess_image(
  image,
  output_height,
  output_width,
  is_training=False,
  use_grayscale=False,
  resize_side_min=RESIZE_SIDE_MIN,
  resize_side_max=RESIZE_SIDE_MAX,
  augment_fn=None,
  resize_size=None,
):
  """Preprocesses one image the VGG way.

  Args:
    image: A [height, width, channels] image, channels 1 or 3, uint8 (or any
      real dtype with values in [0, 255]).
    output_height: The output height, a positive int.
    output_width: The output width, a positive int.
    is_training: Training (random) or evaluation (deterministic) mode.
    use_grayscale: Output one luma channel instead of RGB.
    resize_side_min: Lower bound of the random smaller side when training, and
      the smaller side when evaluating.
    resize_side_max: Upper bound of the random smaller side when training.
    augment_fn: Training only: None, or a uint8 augmentation (RandAugment,
      TrivialAugment) applied after the crop and flip.
    resize_size: Evaluation only: the smaller side instead of
      `resize_side_min`.

  Returns:
    A float32 [output_height, output_width, 3 (1 with use_grayscale)] tensor.

  Raises:
    ValueError: on a bad output size, resize range or image shape.
  """
  image = crop_image(
    image,
    output_height,
    output_width,
    is_training,
    resize_side_min,
    resize_side_max,
    augment_fn,
    resize_size,
  )
  return _subtract_means(image, use_grayscale)
