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
"""Returns a preprocessing function by name: 'vgg', 'inception', 'cifar',
'torchvision' or 'caffe', or the name of a network (resolved by
`nets.nets_factory.default_preprocessing`).

Typical use:

  preprocessing_fn = preprocessing_factory.get_preprocessing(
      'resnet_v1_50', is_training=True)
  image = preprocessing_fn(image, 224, 224)
"""

import functools
import importlib

from utils.preprocessing import augmentation as augmentation_lib
from utils.preprocessing import caffe_preprocessing
from utils.preprocessing import cifar_preprocessing
from utils.preprocessing import inception_preprocessing
from utils.preprocessing import preprocessing_utils
from utils.preprocessing import torchvision_preprocessing
from utils.preprocessing import vgg_preprocessing

_PREPROCESSING_FNS = {
  # Keras's ResNet50/101/152 (converted weights): VGG crops, BGR - means.
  'caffe': caffe_preprocessing.preprocess_image,
  'cifar': cifar_preprocessing.preprocess_image,
  'inception': inception_preprocessing.preprocess_image,
  # torchvision's ImageNet weights (converted): [0, 1], mean/std.
  'torchvision': torchvision_preprocessing.preprocess_image,
  'vgg': vgg_preprocessing.preprocess_image,
}


def preprocessing_names():
  """Returns the sorted names of the preprocessing functions."""
  return sorted(_PREPROCESSING_FNS)


def _network_default_preprocessing(name):
  """Returns nets_factory's preprocessing for network `name`, or None."""
  try:
    nets_factory = importlib.import_module('nets.nets_factory')
  except ModuleNotFoundError as e:
    if e.name in ('nets', 'nets.nets_factory'):
      return None
    raise
  resolve = getattr(nets_factory, 'default_preprocessing', None)
  if resolve is None:
    return None
  try:
    return resolve(name)
  except ValueError:
    return None


def resolve_preprocessing_name(name):
  """Maps a preprocessing or network name to a preprocessing name.

  Args:
    name: One of `preprocessing_names()`, or a network name known to
      `nets.nets_factory`.

  Returns:
    One of `preprocessing_names()`.

  Raises:
    ValueError: for an unknown name, listing the known preprocessing names.
  """
  if name in _PREPROCESSING_FNS:
    return name
  resolved = _network_default_preprocessing(name)
  if resolved is None:
    raise ValueError(
      'Unknown preprocessing %r; known preprocessing names: %s '
      '(or a network name registered in nets/nets_factory.py).'
      % (name, ', '.join(preprocessing_names()))
    )
  if resolved not in _PREPROCESSING_FNS:
    raise ValueError(
      'nets_factory maps network %r to preprocessing %r, which '
      'is not one of %s.' % (name, resolved, ', '.join(preprocessing_names()))
    )
  return resolved


def get_preprocessing(
  name,
  is_training=False,
  use_grayscale=False,
  augmentation=None,
  eval_resize_size=None,
):
  """Returns preprocessing_fn(image, output_height, output_width, **kwargs).

  Args:
    name: The preprocessing name (one of `preprocessing_names()`) or a
      network name.
    is_training: True for the random training transformations, False for the
      deterministic evaluation ones.
    use_grayscale: If True, the function outputs one greyscale channel.
    augmentation: Training only: None, or an `augmentation.Augmentation`
      (auto-augmentation inside the preprocessing, random erasing of its
      output).
    eval_resize_size: Evaluation only: None, or the smaller side the image
      is resized to before the central crop of the output size (FixRes).

  Returns:
    A function that preprocesses one [height, width, channels] image
    (channels 1 or 3) into a float32 [output_height, output_width, 3 or 1]
    tensor. `**kwargs` go to the module's `preprocess_image` (e.g. vgg's
    `resize_side_min`, inception's `fast_mode`, cifar's `padding`). The
    function has an attribute `preprocessing_name`.

  Raises:
    ValueError: if the name is unknown, or on a bad eval_resize_size.
    TypeError: if augmentation is not an `augmentation.Augmentation`.
  """
  key = resolve_preprocessing_name(name)
  fn = _PREPROCESSING_FNS[key]
  if augmentation is not None and not isinstance(
    augmentation, augmentation_lib.Augmentation
  ):
    raise TypeError(
      'augmentation must be None or an augmentation.Augmentation; got %r.'
      % (augmentation,)
    )
  preprocessing_utils.check_resize_size(eval_resize_size)
  defaults = {}
  if is_training and augmentation is not None:
    if augmentation.augment_fn is not None:
      defaults['augment_fn'] = augmentation.augment_fn
  elif not is_training and eval_resize_size:
    defaults['resize_size'] = eval_resize_size

  @functools.wraps(fn)
  def preprocessing_fn(image, output_height, output_width, **kwargs):
    image = fn(
      image,
      output_height,
      output_width,
      is_training=is_training,
      use_grayscale=use_grayscale,
      **dict(defaults, **kwargs),
    )
    if is_training and augmentation is not None:
      image = augmentation.erase(image)
    return image

  preprocessing_fn.preprocessing_name = key
  return preprocessing_fn
