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
"""Caffe's preprocessing, for weights converted from Keras's ResNet50/101/152.

Keras's `keras.applications.resnet.preprocess_input` (mode 'caffe') turns RGB
pixels in [0, 255] into BGR and subtracts the ImageNet means of Caffe's
ResNets, without scaling. The crops are VGG's (`vgg_preprocessing`: scale
augmentation, random crop and flip for training; resize of the smaller side
to 256 and central crop for evaluation), then the channels are reversed and
`BGR_MEANS` subtracted. With `use_grayscale`, the luma channel minus the luma
of the means.
"""

import tensorflow.compat.v1 as tf

from utils.preprocessing import preprocessing_utils
from utils.preprocessing import vgg_preprocessing

# keras.applications.imagenet_utils, mode 'caffe' (B, G, R).
BGR_MEANS = (103.939, 116.779, 123.68)
GRAY_MEAN = sum(
  w * m
  for w, m in zip(preprocessing_utils.GRAYSCALE_WEIGHTS, reversed(BGR_MEANS))
)


def to_bgr_minus_means(image, use_grayscale=False):
  """[0, 255] RGB -> BGR minus `BGR_MEANS` (or luma minus its mean)."""
  if use_grayscale:
    return preprocessing_utils.to_grayscale(image) - GRAY_MEAN
  return tf.reverse(image, axis=[-1]) - tf.constant(BGR_MEANS, tf.float32)


def preprocess_image(
  image,
  output_height,
  output_width,
  is_training=False,
  use_grayscale=False,
  resize_side_min=vgg_preprocessing.RESIZE_SIDE_MIN,
  resize_side_max=vgg_preprocessing.RESIZE_SIDE_MAX,
  augment_fn=None,
  resize_size=None,
):
  """Preprocesses one image for Caffe-style (Keras v1) ResNet weights.

  Args:
    image: A [height, width, channels] image, channels 1 or 3, uint8 (or any
      real dtype with values in [0, 255]).
    output_height: The output height, a positive int.
    output_width: The output width, a positive int.
    is_training: Training (random) or evaluation (deterministic) mode.
    use_grayscale: Output one luma channel instead of BGR.
    resize_side_min, resize_side_max, augment_fn, resize_size: See
      `vgg_preprocessing`.

  Returns:
    A float32 [output_height, output_width, 3 (1 with use_grayscale)] tensor
    in BGR order.

  Raises:
    ValueError: on a bad output size, resize range or image shape.
  """
  image = vgg_preprocessing.crop_image(
    image,
    output_height,
    output_width,
    is_training,
    resize_side_min,
    resize_side_max,
    augment_fn,
    resize_size,
  )
  return to_bgr_minus_means(image, use_grayscale)
