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
"""torchvision's ImageNet preprocessing, for weights converted from it.

The transforms torchvision's ImageNet weights were trained and evaluated with
(its classification reference scripts and the weights' `transforms()`):

Training (`RandomResizedCrop`, `RandomHorizontalFlip`): a random crop of 8%
to 100% of the image area with an aspect ratio in [3/4, 4/3], resized
bilinearly to the output size, flipped left-right with probability 1/2.

Evaluation (`Resize(256)`, `CenterCrop(224)`): the smaller side is resized to
`output_size / CROP_FRACTION` (256 for 224) and the central window cropped.

Both scale pixels to [0, 1] and normalise each RGB channel by torchvision's
`MEAN` and `STD`; the output is float32 in about [-2.12, 2.64]. With
`use_grayscale`, the luma channel is normalised by the luma of the means and
stds.
"""

import tensorflow.compat.v1 as tf

from utils.preprocessing import preprocessing_utils

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
# Resize(256) before CenterCrop(224).
CROP_FRACTION = 224.0 / 256.0
AREA_RANGE = (0.08, 1.0)
ASPECT_RATIO_RANGE = (3.0 / 4.0, 4.0 / 3.0)


def _luma(values):
  return sum(
    w * v for w, v in zip(preprocessing_utils.GRAYSCALE_WEIGHTS, values)
  )


def normalize(image, use_grayscale=False):
  """[0, 1] RGB -> (image - MEAN) / STD, or its luma counterpart."""
  if use_grayscale:
    return (preprocessing_utils.to_grayscale(image) - _luma(MEAN)) / _luma(STD)
  return (image - tf.constant(MEAN, tf.float32)) / tf.constant(STD, tf.float32)


def preprocess_for_train(
  image, output_height, output_width, use_grayscale=False, augment_fn=None
):
  """Random resized crop, flip and `augment_fn`; see the module docstring."""
  begin, size, _ = tf.image.sample_distorted_bounding_box(
    tf.shape(image),
    bounding_boxes=tf.zeros([1, 0, 4]),
    min_object_covered=0.0,
    aspect_ratio_range=ASPECT_RATIO_RANGE,
    area_range=AREA_RANGE,
    max_attempts=10,
    use_image_if_no_bounding_boxes=True,
  )
  image = tf.slice(image, begin, size)
  image = tf.image.resize_images(
    image, [output_height, output_width], method=tf.image.ResizeMethod.BILINEAR
  )
  image.set_shape([output_height, output_width, 3])
  image = tf.image.random_flip_left_right(image)
  image = preprocessing_utils.augment_uint8(image, augment_fn, 1.0)
  return normalize(image, use_grayscale)


def preprocess_for_eval(
  image,
  output_height,
  output_width,
  crop_fraction=CROP_FRACTION,
  use_grayscale=False,
  resize_size=None,
):
  """Resize of the smaller side and central crop; see the module docstring."""
  side = resize_size or int(max(output_height, output_width) / crop_fraction)
  image = preprocessing_utils.resize_smallest_side(image, side)
  image = preprocessing_utils.central_crop(image, output_height, output_width)
  return normalize(image, use_grayscale)


def preprocess_image(
  image,
  output_height,
  output_width,
  is_training=False,
  use_grayscale=False,
  crop_fraction=CROP_FRACTION,
  augment_fn=None,
  resize_size=None,
):
  """Preprocesses one image the torchvision way.

  Args:
    image: A [height, width, channels] image, channels 1 or 3; uint8 (values
      0..255) or float (values in [0, 1]).
    output_height: The output height, a positive int.
    output_width: The output width, a positive int.
    is_training: Training (random) or evaluation (deterministic) mode.
    use_grayscale: Output one luma channel instead of RGB.
    crop_fraction: Evaluation only: the crop's share of the resized smaller
      side, in (0, 1].
    augment_fn: Training only: None, or a uint8 augmentation (RandAugment,
      TrivialAugment) applied after the flip, before the normalization.
    resize_size: Evaluation only: the smaller side before the central crop,
      instead of the one of `crop_fraction`.

  Returns:
    A float32 [output_height, output_width, 3 (1 with use_grayscale)] tensor.

  Raises:
    ValueError: on a bad output size, crop fraction or image shape.
  """
  preprocessing_utils.check_output_size(output_height, output_width)
  if (
    isinstance(crop_fraction, bool)
    or not isinstance(crop_fraction, (int, float))
    or not 0.0 < crop_fraction <= 1.0
  ):
    raise ValueError(
      'crop_fraction must be in (0, 1]; got %r.' % (crop_fraction,)
    )
  preprocessing_utils.check_resize_size(resize_size)
  image = preprocessing_utils.to_rgb(image)
  # uint8 0..255 -> float 0..1; float images are taken to be in [0, 1].
  image = tf.image.convert_image_dtype(image, tf.float32)
  if is_training:
    return preprocess_for_train(
      image, output_height, output_width, use_grayscale, augment_fn
    )
  return preprocess_for_eval(
    image,
    output_height,
    output_width,
    crop_fraction,
    use_grayscale,
    resize_size,
  )
