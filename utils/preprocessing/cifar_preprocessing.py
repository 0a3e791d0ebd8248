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
"""CIFAR-style preprocessing, as slim's cifarnet_preprocessing.

Training: the image is zero-padded by `padding` (4) pixels on each side, a
random output_height x output_width crop is taken and flipped left-right with
probability 1/2 (the augmentation of He et al., arXiv:1512.03385, section
4.2). Evaluation takes the image as is.

Images whose size differs from the output size (8x8 digits, 28x28 MNIST, or
CIFAR at another resolution) are first resized bilinearly to the output size,
in both modes, so training and evaluation see the same scale.

With `resize_size`, evaluation resizes the smaller side to it and crops the
centre instead. Training applies `augment_fn` (RandAugment, TrivialAugment)
after the flip.

Both end with `tf.image.per_image_standardization` (as slim): the output is
float32 with zero mean and unit variance per image (a constant image maps to
zeros). With `use_grayscale`, the image is converted to one luma channel before
the standardization.
"""

import tensorflow.compat.v1 as tf

from utils import checks
from utils.preprocessing import preprocessing_utils

PADDING = 4


def _resize_to_output(image, output_height, output_width):
  static = image.shape.as_list()[:2]
  if static == [output_height, output_width]:
    return image
  # Bilinear resizing to the same size is the identity, so dynamic shapes can
  # always be resized.
  image = tf.image.resize_images(
    image, [output_height, output_width], method=tf.image.ResizeMethod.BILINEAR
  )
  image.set_shape([output_height, output_width, 3])
  return image


def preprocess_image(
  image,
  output_height,
  output_width,
  is_training=False,
  use_grayscale=False,
  padding=PADDING,
  augment_fn=None,
  resize_size=None,
):
  """Preprocesses one image the CIFAR way.

  Args:
    image: A [height, width, channels] image, channels 1 or 3.
    output_height: The output height, a positive int.
    output_width: The output width, a positive int.
    is_training: Training (random) or evaluation (deterministic) mode.
    use_grayscale: Output one luma channel instead of RGB.
    padding: Training only: zero padding on each side before the random crop.
    augment_fn: Training only: None, or a uint8 augmentation (RandAugment,
      TrivialAugment) applied after the flip, before the standardization.
    resize_size: Evaluation only: None, or resize the smaller side to it and
      crop the centre (instead of resizing to the output size).

  Returns:
    A float32 [output_height, output_width, 3 (1 with use_grayscale)] tensor,
    standardized per image.

  Raises:
    ValueError: on a bad output size, padding or image shape.
  """
  preprocessing_utils.check_output_size(output_height, output_width)
  checks.check_int('padding', padding, 0, message=checks.NON_NEGATIVE_INT)
  preprocessing_utils.check_resize_size(resize_size)
  image = tf.cast(preprocessing_utils.to_rgb(image), tf.float32)
  if resize_size and not is_training:
    image = preprocessing_utils.resize_and_crop(
      image, resize_size, output_height, output_width
    )
  else:
    image = _resize_to_output(image, output_height, output_width)
  if is_training:
    if padding:
      image = tf.pad(image, [[padding, padding], [padding, padding], [0, 0]])
    image = tf.random_crop(image, [output_height, output_width, 3])
    image = tf.image.random_flip_left_right(image)
    image = preprocessing_utils.augment_uint8(image, augment_fn, 255.0)
  if use_grayscale:
    image = preprocessing_utils.to_grayscale(image)
  return tf.image.per_image_standardization(image)
