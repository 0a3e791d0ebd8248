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
"""The public signatures of the model functions: slim's and DeepLab's.

Every registered model function (`resnet_v1_50`, `resnext_50_32x4d`, ...) is
made by `public_network`, so they all share research/slim's argument order and
defaults, their `__name__` and default `scope` are their registry name, and
they carry `default_image_size`. DeepLab's beta backbones are made by
`deeplab_network`, with DeepLab's signature and defaults. The functions made
here only bind arguments: the networks are built by `build_fn` (a block table
and the generic builder of `resnet_builder.py`).
"""


def public_network(
  name, build_fn, description, default_image_size=224, **options
):
  """Makes a registered network function with slim's public signature.

  Every public model function (`resnet_v1_50`, `resnext_50_32x4d`, ...) is made
  here, so they all share slim's argument order (that of slim's
  `resnet_v1_50`; slim's 152/200 had `store_non_strided_activations` and
  `spatial_squeeze` swapped) and their default `scope` is their name.

  Args:
    name: The function's name and default scope.
    build_fn: `build_fn(inputs, num_classes, **kwargs)` builds the network.
    description: First docstring sentence.
    default_image_size: The function's `default_image_size` attribute.
    **options: Variant options passed to `build_fn`; the caller's keywords win.

  Returns:
    The function `name(inputs, num_classes=None, is_training=True,
    global_pool=True, output_stride=None, spatial_squeeze=True,
    store_non_strided_activations=False, min_base_depth=8,
    depth_multiplier=1, reuse=None, scope=name, **kwargs)`.
  """

  def network(
    inputs,
    num_classes=None,
    is_training=True,
    global_pool=True,
    output_stride=None,
    spatial_squeeze=True,
    store_non_strided_activations=False,
    min_base_depth=8,
    depth_multiplier=1,
    reuse=None,
    scope=name,
    **kwargs,
  ):
    return build_fn(
      inputs,
      num_classes,
      is_training=is_training,
      global_pool=global_pool,
      output_stride=output_stride,
      spatial_squeeze=spatial_squeeze,
      store_non_strided_activations=store_non_strided_activations,
      min_base_depth=min_base_depth,
      depth_multiplier=depth_multiplier,
      reuse=reuse,
      scope=scope,
      **dict(options, **kwargs),
    )

  network.__name__ = network.__qualname__ = name
  network.__doc__ = (
    '%s\n\nSee the generic builder (resnet_v1() or resnet_v2()) for the '
    'arguments and return values; depth_multiplier, min_base_depth and the '
    'variant options are those of the block-table function.' % description
  )
  network.default_image_size = default_image_size
  return network


def deeplab_network(
  name, build_fn, description, scope, default_image_size=224, **options
):
  """Makes a network function with DeepLab's signature and defaults.

  DeepLab's `resnet_v1_beta.py` (models/research/deeplab/core) defines
  `resnet_v1_50_beta(inputs, num_classes=None, is_training=None,
  global_pool=False, output_stride=None, multi_grid=None, reuse=None,
  scope='resnet_v1_50')`: a dense-prediction backbone by default, batch
  norm's mode left to the enclosing arg scope, no spatial squeeze, and the
  scope of the plain network, which is how its released ImageNet checkpoints
  name their variables (`resnet_v1_50/conv1_1/weights`, ...). This function
  has that signature (positional order included) and those defaults; our
  other arguments are keywords after them, `spatial_squeeze` defaulting to
  False as DeepLab never squeezes.

  Args:
    name: The function's name (the registry key).
    build_fn: `build_fn(inputs, num_classes, **kwargs)` builds the network.
    description: First docstring sentence.
    scope: The default scope (DeepLab's).
    default_image_size: The function's `default_image_size` attribute.
    **options: Variant options passed to `build_fn`; the caller's keywords win.

  Returns:
    The network function.
  """

  def network(
    inputs,
    num_classes=None,
    is_training=None,
    global_pool=False,
    output_stride=None,
    multi_grid=None,
    reuse=None,
    scope=scope,
    spatial_squeeze=False,
    **kwargs,
  ):
    return build_fn(
      inputs,
      num_classes,
      is_training=is_training,
      global_pool=global_pool,
      output_stride=output_stride,
      multi_grid=multi_grid,
      reuse=reuse,
      scope=scope,
      spatial_squeeze=spatial_squeeze,
      **dict(options, **kwargs),
    )

  network.__name__ = network.__qualname__ = name
  network.__doc__ = (
    "%s\n\nDeepLab's signature and defaults (scope %r, global_pool=False, "
    'is_training=None, spatial_squeeze=False); see '
    'signatures.deeplab_network, and the generic builder resnet_v1() for '
    'the arguments and return values.' % (description, scope)
  )
  network.default_image_size = default_image_size
  return network
