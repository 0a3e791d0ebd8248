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
"""ResNet v2: residual networks with pre-activation units.

[1] Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun.
    Identity Mappings in Deep Residual Networks. arXiv:1603.05027
[2] Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun.
    Deep Residual Learning for Image Recognition. arXiv:1512.03385

Each unit starts with batch norm + ReLU (`preact`) and ends with a plain
convolution with biases (`conv3`, or `conv2` in basic units); the projection
`shortcut` takes the pre-activated input and has biases too; the root `conv1`
has neither batch norm nor activation, and `postnorm` normalises the output of
the last block. Strides sit in the last unit of each block (slim's convention,
see resnet_v1.py). Variable names and shapes are those of the official slim
`resnet_v2_*` checkpoints.

Typical use for classification:

   from nets import resnet_v2
   import tf_slim as slim
   with slim.arg_scope(resnet_v2.resnet_arg_scope()):
     net, end_points = resnet_v2.resnet_v2_101(inputs, 1001, is_training=False)

Typical use for dense prediction (semantic segmentation, detection):

   with slim.arg_scope(resnet_v2.resnet_arg_scope()):
     net, end_points = resnet_v2.resnet_v2_101(inputs, 21, is_training=False,
                                               global_pool=False,
                                               output_stride=16)
"""

import functools

import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import resnet_builder
from nets import resnet_utils
from nets import signatures

resnet_arg_scope = resnet_utils.resnet_arg_scope

# The v2 root convolution has neither batch norm nor activation: the first
# unit's `preact` normalises its output.
_ROOT_ARG_SCOPE = {'activation_fn': None, 'normalizer_fn': None}


@slim.add_arg_scope
def bottleneck(
  inputs,
  depth,
  depth_bottleneck,
  stride,
  rate=1,
  outputs_collections=None,
  scope=None,
  cardinality=1,
  se_ratio=None,
  unit_rate=1,
  shortcut_type='B',
  stride_in='conv2',
  nominal_stride=None,
  drop_path_rate=0.0,
):
  """Bottleneck residual unit variant with BN before convolutions.

  `preact` (batch norm + ReLU), a 1x1 `conv1`, a 3x3 `conv2` with the stride
  (grouped in `cardinality` groups for ResNeXt), a 1x1 `conv3` with biases and
  no normalisation, optionally an SE gate `se`, and the shortcut added. With
  the defaults its variables are exactly slim's.

  Args:
    inputs: A tensor of size [batch, height, width, channels].
    depth: The depth of the ResNet unit output.
    depth_bottleneck: The depth of the bottleneck layers.
    stride: The ResNet unit's stride. Determines the amount of downsampling of
      the units output compared to its input.
    rate: An integer, rate for atrous convolution.
    outputs_collections: Collection to add the ResNet unit output.
    scope: Optional variable_scope.
    cardinality: Number of groups of `conv2` (ResNeXt); 1 for ResNet.
    se_ratio: None, or the SE reduction factor.
    unit_rate: Multiplier of `rate` for this unit (multi-grid).
    shortcut_type: 'A', 'B' or 'D', see `resnet_utils.shortcut`.
    stride_in, nominal_stride: See `resnet_v1.bottleneck`.
    drop_path_rate: See `resnet_v1.bottleneck`.

  Returns:
    The ResNet unit's output.
  """
  resnet_builder.check_cardinality(cardinality, depth_bottleneck)
  resnet_builder.check_se_ratio(se_ratio, depth)
  (stride1, _), (stride2, rate2) = resnet_builder.unit_convs(
    stride, rate * unit_rate, stride_in, nominal_stride
  )
  with tf.variable_scope(scope, 'bottleneck_v2', [inputs]) as sc:
    preact = slim.batch_norm(inputs, activation_fn=tf.nn.relu, scope='preact')
    shortcut = resnet_utils.shortcut(
      inputs,
      depth,
      stride,
      shortcut_type,
      preact=preact,
      rate=rate,
      nominal_stride=nominal_stride,
    )
    residual = slim.conv2d(
      preact, depth_bottleneck, [1, 1], stride=stride1, scope='conv1'
    )
    residual = resnet_utils.grouped_conv2d_same(
      residual,
      depth_bottleneck,
      3,
      stride2,
      cardinality,
      rate=rate2,
      scope='conv2',
    )
    residual = slim.conv2d(
      residual,
      depth,
      [1, 1],
      stride=1,
      normalizer_fn=None,
      activation_fn=None,
      scope='conv3',
    )
    residual = resnet_builder.residual_options(
      residual, depth, se_ratio, drop_path_rate
    )
    output = shortcut + residual
    return slim.utils.collect_named_outputs(
      outputs_collections, sc.name, output
    )


@slim.add_arg_scope
def basic_block(
  inputs,
  depth,
  stride,
  rate=1,
  outputs_collections=None,
  scope=None,
  se_ratio=None,
  unit_rate=1,
  shortcut_type='B',
  stride_in='conv2',
  nominal_stride=None,
  drop_path_rate=0.0,
):
  """Pre-activation basic unit of [1] (two 3x3 convs).

  `preact`, a 3x3 `conv1`, a 3x3 `conv2` with the stride, biases and no
  normalisation, optionally an SE gate, and the shortcut added. Stride
  placement and shortcuts as in `resnet_v1.basic_block`.

  Args:
    inputs: A tensor of size [batch, height, width, channels].
    depth: The depth of the unit's output (and of both convs).
    stride: The unit's stride.
    rate: An integer, rate for atrous convolution.
    outputs_collections: Collection to add the unit output.
    scope: Optional variable_scope, `basic_block_v2` by default.
    se_ratio: None, or the SE reduction factor.
    unit_rate: Multiplier of `rate` for this unit (multi-grid).
    shortcut_type: 'A', 'B' or 'D', see `resnet_utils.shortcut`.
    stride_in, nominal_stride: See `resnet_v1.basic_block`.
    drop_path_rate: See `resnet_v1.bottleneck`.

  Returns:
    The unit's output.
  """
  resnet_builder.check_se_ratio(se_ratio, depth)
  (stride1, rate1), (stride2, rate2) = resnet_builder.unit_convs(
    stride, rate * unit_rate, stride_in, nominal_stride
  )
  with tf.variable_scope(scope, 'basic_block_v2', [inputs]) as sc:
    preact = slim.batch_norm(inputs, activation_fn=tf.nn.relu, scope='preact')
    shortcut = resnet_utils.shortcut(
      inputs,
      depth,
      stride,
      shortcut_type,
      preact=preact,
      rate=rate,
      nominal_stride=nominal_stride,
    )
    residual = resnet_utils.conv2d_same(
      preact, depth, 3, stride1, rate=rate1, scope='conv1'
    )
    with slim.arg_scope([slim.conv2d], normalizer_fn=None, activation_fn=None):
      residual = resnet_utils.conv2d_same(
        residual, depth, 3, stride2, rate=rate2, scope='conv2'
      )
    residual = resnet_builder.residual_options(
      residual, depth, se_ratio, drop_path_rate
    )
    output = shortcut + residual
    return slim.utils.collect_named_outputs(
      outputs_collections, sc.name, output
    )


# The unit functions of this family, for the block helpers of resnet_builder.
UNITS = resnet_builder.UnitFns(bottleneck=bottleneck, basic=basic_block)


def resnet_v2(
  inputs,
  blocks,
  num_classes=None,
  is_training=True,
  global_pool=True,
  output_stride=None,
  include_root_block=True,
  spatial_squeeze=True,
  reuse=None,
  scope=None,
  store_non_strided_activations=False,
  root_block_fn=None,
  drop_path_rate=0.0,
  zero_init_residual=False,
):
  """Generator for v2 (preactivation) ResNet models.

  The arguments, return values and end points are those of
  `resnet_v1.resnet_v1`, with the v2 structure: the root `conv1` has no batch
  norm or activation, and `postnorm` (batch norm + ReLU) follows the last
  block. (As in slim, `reuse` and `scope` come before
  `store_non_strided_activations` here; pass it by keyword.)

  Args:
    inputs: A tensor of size [batch, height_in, width_in, channels].
    blocks: A list of length equal to the number of ResNet blocks. Each element
      is a resnet_utils.Block object describing the units in the block.
    num_classes: Number of predicted classes for classification tasks.
      If 0 or None, we return the features before the logit layer.
    is_training: Whether batch_norm layers are in training mode; None defers to
      an outer `slim.arg_scope`.
    global_pool: If True, we perform global average pooling before computing the
      logits. Set to True for image classification, False for dense prediction.
    output_stride: None for the nominal stride, or the requested ratio of input
      to output resolution (a multiple of the root block's stride).
    include_root_block: If True, include the root block (7x7 `conv1` without
      batch norm and activation, then max pool `pool1`).
    spatial_squeeze: if True, logits is of shape [B, C], if false logits is
      of shape [B, 1, 1, C].
    reuse: whether or not the network and its variables should be reused. To be
      able to reuse 'scope' must be given.
    scope: Optional variable_scope.
    store_non_strided_activations: See `resnet_v1.resnet_v1`.
    root_block_fn: See `resnet_v1.resnet_v1`.
    drop_path_rate: See `resnet_v1.resnet_v1`.
    zero_init_residual: Must be False: a pre-activation branch ends in a
      convolution, with no batch norm whose gamma could start at 0.

  Returns:
    net: As in `resnet_v1.resnet_v1`; the features are those after `postnorm`.
    end_points: As in `resnet_v1.resnet_v1`; unit outputs are keyed
      `<scope>/blockN/unit_M/bottleneck_v2` (or `basic_block_v2`).

  Raises:
    ValueError: If the target output_stride is not valid, num_classes is
      negative, inputs are not rank 4, drop_path_rate is outside [0, 1) or
      zero_init_residual is set.
    TypeError: If `spatial_squeeze`, `store_non_strided_activations` or
      `reuse` got a value of the wrong kind, as when pip tf_slim's older
      argument order passes `reuse` and `scope` positionally.
  """
  if zero_init_residual:
    raise ValueError(
      'zero_init_residual=True needs post-activation units (resnet_v1 and '
      'its variants): a pre-activation (v2) residual branch ends in a '
      'convolution, not a batch norm; got zero_init_residual=%r for a v2 '
      'network' % (zero_init_residual,)
    )
  return resnet_builder.build_network(
    inputs,
    blocks=blocks,
    num_classes=num_classes,
    is_training=is_training,
    global_pool=global_pool,
    output_stride=output_stride,
    include_root_block=include_root_block,
    root_block_fn=root_block_fn,
    spatial_squeeze=spatial_squeeze,
    store_non_strided_activations=store_non_strided_activations,
    reuse=reuse,
    scope=scope,
    default_scope='resnet_v2',
    root_arg_scope=_ROOT_ARG_SCOPE,
    postnorm=True,
    drop_path_rate=drop_path_rate,
  )


resnet_v2.default_image_size = 224


def resnet_v2_block(scope, base_depth, num_units, stride, **options):
  """Helper function for creating a resnet_v2 bottleneck block.

  Args:
    scope: The scope of the block.
    base_depth: The depth of the bottleneck layer for each unit.
    num_units: The number of units in the block.
    stride: The stride of the block, implemented as a stride in the last unit.
      All other units have stride=1.
    **options: Variant options of `resnet_builder.bottleneck_block`.

  Returns:
    A resnet_v2 bottleneck block.
  """
  return resnet_builder.bottleneck_block(
    scope, base_depth, num_units, stride, bottleneck, **options
  )


def resnet_v2_n(
  depth,
  inputs,
  num_classes=None,
  scope=None,
  depth_multiplier=1.0,
  min_base_depth=8,
  cardinality=1,
  width_per_group=None,
  se_ratio=None,
  multi_grid=None,
  first_unit_stride=False,
  stride_in='conv2',
  basic_stride_in='conv2',
  shortcut_type='B',
  **kwargs,
):
  """Builds the ImageNet ResNet v2 of `depth` layers; see `resnet_v2`.

  The variant options are those of `resnet_builder.imagenet_blocks`; every
  other keyword goes to `resnet_v2`.
  """
  blocks = resnet_builder.imagenet_blocks(
    depth,
    UNITS,
    depth_multiplier=depth_multiplier,
    min_base_depth=min_base_depth,
    cardinality=cardinality,
    width_per_group=width_per_group,
    se_ratio=se_ratio,
    multi_grid=multi_grid,
    first_unit_stride=first_unit_stride,
    stride_in=stride_in,
    basic_stride_in=basic_stride_in,
    shortcut_type=shortcut_type,
  )
  return resnet_v2(inputs, blocks, num_classes, scope=scope, **kwargs)


def _public(depth, name, note='', **options):
  return signatures.public_network(
    name,
    functools.partial(resnet_v2_n, depth),
    'ResNet-%d v2 of [1]%s.' % (depth, note),
    **options,
  )


KERAS_NOTE = (
  " in Keras's ResNet50V2 layout (slim's, with symmetric pool1 "
  'padding), for weights converted by convert_weights.py'
)


resnet_v2_18 = _public(18, 'resnet_v2_18')
resnet_v2_34 = _public(34, 'resnet_v2_34')
resnet_v2_50 = _public(50, 'resnet_v2_50')
resnet_v2_101 = _public(101, 'resnet_v2_101')
resnet_v2_152 = _public(152, 'resnet_v2_152')
resnet_v2_200 = _public(200, 'resnet_v2_200')
# Imported weights: Keras's ResNet50V2, ResNet101V2, ResNet152V2.
resnet_v2_50_keras = _public(
  50, 'resnet_v2_50_keras', KERAS_NOTE, **resnet_builder.KERAS_V2_LAYOUT
)
resnet_v2_101_keras = _public(
  101, 'resnet_v2_101_keras', KERAS_NOTE, **resnet_builder.KERAS_V2_LAYOUT
)
resnet_v2_152_keras = _public(
  152, 'resnet_v2_152_keras', KERAS_NOTE, **resnet_builder.KERAS_V2_LAYOUT
)
