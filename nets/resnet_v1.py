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
"""ResNet v1: the original (post-activation) residual networks.

[1] Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun.
    Deep Residual Learning for Image Recognition. arXiv:1512.03385
[2] Saining Xie, Ross Girshick, Piotr Dollar, Zhuowen Tu, Kaiming He.
    Aggregated Residual Transformations for Deep Neural Networks (ResNeXt).
    arXiv:1611.05431
[3] Jie Hu, Li Shen, Gang Sun. Squeeze-and-Excitation Networks.
    arXiv:1709.01507
[4] Liang-Chieh Chen, George Papandreou, Florian Schroff, Hartwig Adam.
    Rethinking Atrous Convolution for Semantic Image Segmentation (the "beta"
    root and multi-grid). arXiv:1706.05587
[5] Tong He, Zhi Zhang, Hang Zhang, Zhongyue Zhang, Junyuan Xie, Mu Li.
    Bag of Tricks for Image Classification with Convolutional Neural
    Networks (ResNet-D). arXiv:1812.01187

Convention (slim's, kept so slim checkpoints restore): the stride of a block
sits in its *last* unit, in the 3x3 convolution, whereas [1] and torchvision
subsample in the first unit. Parameter shapes do not depend on it. The
networks here are identical to the official slim `resnet_v1_*` checkpoints
(variable names, shapes, end points).

ResNeXt [2] and SE [3] are options of the same `bottleneck` (`cardinality`,
`se_ratio`); ResNet-18/34 use `basic_block`. This module holds the v1 units,
the generator `resnet_v1` (slim's signature, over the generic builder of
`resnet_builder.py`, which also holds the block tables and helpers) and the
thin public functions (`resnet_v1_50`, ...); the variants' public functions
live in `resnext.py`, `se_resnet.py` and `resnet_cifar.py`.

Typical use for classification:

   from nets import resnet_v1
   import tf_slim as slim
   with slim.arg_scope(resnet_v1.resnet_arg_scope()):
     net, end_points = resnet_v1.resnet_v1_101(inputs, 1000, is_training=False)

Typical use for dense prediction (semantic segmentation, detection):

   with slim.arg_scope(resnet_v1.resnet_arg_scope()):
     net, end_points = resnet_v1.resnet_v1_101(inputs, 21, is_training=False,
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


@slim.add_arg_scope
def bottleneck(
  inputs,
  depth,
  depth_bottleneck,
  stride,
  rate=1,
  outputs_collections=None,
  scope=None,
  use_bounded_activations=False,
  cardinality=1,
  se_ratio=None,
  unit_rate=1,
  shortcut_type='B',
  stride_in='conv2',
  nominal_stride=None,
  drop_path_rate=0.0,
  zero_init_residual=False,
):
  """Bottleneck residual unit variant with BN after convolutions.

  The post-activation bottleneck of [1] (figure 5, right), with batch norm
  after each convolution and ReLU after the addition: a 1x1
  `conv1` down to `depth_bottleneck`, a 3x3 `conv2` with the stride (grouped
  in `cardinality` groups for ResNeXt [2]), a 1x1 `conv3` up to `depth`,
  optionally an SE gate `se` [3] on that branch, the shortcut added and ReLU.
  With the defaults its variables are exactly slim's.

  Args:
    inputs: A tensor of size [batch, height, width, channels].
    depth: The depth of the ResNet unit output.
    depth_bottleneck: The depth of the bottleneck layers.
    stride: The ResNet unit's stride. Determines the amount of downsampling of
      the units output compared to its input.
    rate: An integer, rate for atrous convolution.
    outputs_collections: Collection to add the ResNet unit output.
    scope: Optional variable_scope.
    use_bounded_activations: Whether or not to use bounded activations. Bounded
      activations better lend themselves to quantized inference.
    cardinality: Number of groups of `conv2` (ResNeXt); 1 for ResNet.
    se_ratio: None, or the SE reduction factor (16 in [3]).
    unit_rate: Multiplier of `rate` for this unit (DeepLab's multi-grid).
    shortcut_type: 'A', 'B' or 'D', see `resnet_utils.shortcut`.
    stride_in: 'conv2' (slim, torchvision) or 'conv1' (the 1x1 conv; Keras's
      ResNet50 and Caffe's layout), see `resnet_builder.unit_convs`.
    nominal_stride: The unit's stride in the nominal network, given by
      `stack_blocks_dense`; None means `stride`. With `stride_in='conv1'` it
      sets the rate of `conv2` when the unit runs with a smaller stride.
    drop_path_rate: The probability of dropping the residual branch in
      training (stochastic depth, `resnet_utils.drop_path`), after the SE
      gate; 0 for none.
    zero_init_residual: Whether the batch-norm gamma of `conv3` starts at 0
      (`resnet_builder.last_norm_scope`).

  Returns:
    The ResNet unit's output.

  Raises:
    ValueError: If `cardinality`, `se_ratio` or `stride_in` is invalid.
  """
  resnet_builder.check_cardinality(cardinality, depth_bottleneck)
  resnet_builder.check_se_ratio(se_ratio, depth)
  (stride1, _), (stride2, rate2) = resnet_builder.unit_convs(
    stride, rate * unit_rate, stride_in, nominal_stride
  )
  with tf.variable_scope(scope, 'bottleneck_v1', [inputs]) as sc:
    shortcut = resnet_utils.shortcut(
      inputs,
      depth,
      stride,
      shortcut_type,
      use_bounded_activations=use_bounded_activations,
      rate=rate,
      nominal_stride=nominal_stride,
    )
    # A 1x1 conv needs no padding, whatever its stride.
    residual = slim.conv2d(
      inputs, depth_bottleneck, [1, 1], stride=stride1, scope='conv1'
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
    with resnet_builder.last_norm_scope(zero_init_residual):
      residual = slim.conv2d(
        residual, depth, [1, 1], stride=1, activation_fn=None, scope='conv3'
      )
    residual = resnet_builder.residual_options(
      residual, depth, se_ratio, drop_path_rate
    )
    output = _merge(shortcut, residual, use_bounded_activations)
    return slim.utils.collect_named_outputs(
      outputs_collections, sc.name, output
    )


def _merge(shortcut, residual, use_bounded_activations):
  if use_bounded_activations:
    # Bound both terms so the sum stays in [-12, 12] before ReLU6.
    residual = tf.clip_by_value(residual, -6.0, 6.0)
    return tf.nn.relu6(shortcut + residual)
  return tf.nn.relu(shortcut + residual)


@slim.add_arg_scope
def basic_block(
  inputs,
  depth,
  stride,
  rate=1,
  outputs_collections=None,
  scope=None,
  use_bounded_activations=False,
  se_ratio=None,
  unit_rate=1,
  shortcut_type='B',
  stride_in='conv2',
  nominal_stride=None,
  drop_path_rate=0.0,
  zero_init_residual=False,
):
  """Basic residual unit of [1] (two 3x3 convs), for ResNet-18/34 and CIFAR.

  `conv1` is 3x3, `conv2` 3x3 with the stride and without activation,
  optionally an SE gate, then the shortcut is added and ReLU applied. The
  stride sits in the unit's last 3x3 conv, as slim puts it in the bottleneck's
  `conv2`: only then does the unit run atrous (stride 1, `rate`) compute the
  nominal unit's values at the subsampled positions, which `output_stride`
  needs. ([1] and torchvision stride `conv1`, and torchvision refuses
  dilation in basic units for that reason; `stride_in='conv1'` gives their
  layout, and `nominal_stride` keeps it exact under `output_stride`.)
  Parameter shapes are the same either way. The shortcut is a
  projection (type 'B') or zero padding (type 'A') only when the depth
  changes; a stride alone is a parameter-free subsampling, as in slim's
  bottleneck, so ResNet-18/34 have the parameter counts of [1].

  Args:
    inputs: A tensor of size [batch, height, width, channels].
    depth: The depth of the unit's output (and of both convs).
    stride: The unit's stride.
    rate: An integer, rate for atrous convolution.
    outputs_collections: Collection to add the unit output.
    scope: Optional variable_scope, `basic_block_v1` by default.
    use_bounded_activations: As in `bottleneck`.
    se_ratio: None, or the SE reduction factor.
    unit_rate: Multiplier of `rate` for this unit (multi-grid).
    shortcut_type: 'A', 'B' or 'D', see `resnet_utils.shortcut`.
    stride_in: 'conv2' (ours) or 'conv1' (torchvision), see
      `resnet_builder.unit_convs`.
    nominal_stride, drop_path_rate: See `bottleneck`.
    zero_init_residual: Whether the batch-norm gamma of `conv2` starts at 0.

  Returns:
    The unit's output.
  """
  resnet_builder.check_se_ratio(se_ratio, depth)
  (stride1, rate1), (stride2, rate2) = resnet_builder.unit_convs(
    stride, rate * unit_rate, stride_in, nominal_stride
  )
  with tf.variable_scope(scope, 'basic_block_v1', [inputs]) as sc:
    shortcut = resnet_utils.shortcut(
      inputs,
      depth,
      stride,
      shortcut_type,
      use_bounded_activations=use_bounded_activations,
      rate=rate,
      nominal_stride=nominal_stride,
    )
    residual = resnet_utils.conv2d_same(
      inputs, depth, 3, stride1, rate=rate1, scope='conv1'
    )
    with (
      slim.arg_scope([slim.conv2d], activation_fn=None),
      resnet_builder.last_norm_scope(zero_init_residual),
    ):
      residual = resnet_utils.conv2d_same(
        residual, depth, 3, stride2, rate=rate2, scope='conv2'
      )
    residual = resnet_builder.residual_options(
      residual, depth, se_ratio, drop_path_rate
    )
    output = _merge(shortcut, residual, use_bounded_activations)
    return slim.utils.collect_named_outputs(
      outputs_collections, sc.name, output
    )


# The unit functions of this family, for the block helpers of resnet_builder.
UNITS = resnet_builder.UnitFns(bottleneck=bottleneck, basic=basic_block)


def resnet_v1(
  inputs,
  blocks,
  num_classes=None,
  is_training=True,
  global_pool=True,
  output_stride=None,
  include_root_block=True,
  spatial_squeeze=True,
  store_non_strided_activations=False,
  reuse=None,
  scope=None,
  root_block_fn=None,
  drop_path_rate=0.0,
  zero_init_residual=False,
):
  """Generator for v1 ResNet models.

  This function generates a family of ResNet v1 models. See the resnet_v1_*()
  methods for specific model instantiations, obtained by selecting different
  block instantiations that produce ResNets of various depths.

  Training for image classification on Imagenet is usually done with [224, 224]
  inputs, resulting in [7, 7] feature maps at the output of the last ResNet
  block for the ResNets defined in [1] that have nominal stride equal to 32.
  For dense prediction tasks use inputs whose spatial dimensions are multiples
  of 32 plus 1, e.g. [321, 321]: the feature maps at the ResNet output then have
  spatial shape [(height - 1) / output_stride + 1, (width - 1) / output_stride +
  1] with corners aligned to the input's corners. [225, 225] inputs give [8, 8]
  feature maps at the output of the last block.

  For dense prediction run the network fully convolutionally
  (`global_pool=False`); `output_stride=16` computes denser features at a
  small cost (atrous convolution, arXiv:1606.00915).

  Args:
    inputs: A tensor of size [batch, height_in, width_in, channels].
    blocks: A list of length equal to the number of ResNet blocks. Each element
      is a resnet_utils.Block object describing the units in the block.
    num_classes: Number of predicted classes for classification tasks.
      If 0 or None, we return the features before the logit layer.
    is_training: Whether batch_norm layers are in training mode. If this is set
      to None, the callers can specify slim.batch_norm's is_training parameter
      from an outer slim.arg_scope.
    global_pool: If True, we perform global average pooling before computing the
      logits. Set to True for image classification, False for dense prediction.
    output_stride: If None, then the output will be computed at the nominal
      network stride. If output_stride is not None, it specifies the requested
      ratio of input to output spatial resolution: a multiple of the root
      block's stride (4 for ImageNet roots, 1 for CIFAR) reachable by the
      blocks.
    include_root_block: If True, include the root block (slim's: 7x7 conv
      `conv1` followed by max-pooling `pool1`), if False excludes it.
    spatial_squeeze: if True, logits is of shape [B, C], if false logits is
      of shape [B, 1, 1, C], where B is batch_size and C is number of classes.
      To use this parameter, the input images must be smaller than 300x300
      pixels, in which case the output logit layer does not contain spatial
      information and can be removed.
    store_non_strided_activations: If True, we compute non-strided (undecimated)
      activations at the last unit of each block and store them in the
      `outputs_collections` before subsampling them. This gives us access to
      higher resolution intermediate activations which are useful in some
      dense prediction problems but increases 4x the computation and memory cost
      at the last unit of each block.
    reuse: whether or not the network and its variables should be reused. To be
      able to reuse 'scope' must be given.
    scope: Optional variable_scope.
    root_block_fn: The root block, a function of `net`; its attribute `stride`
      (4 if absent) is its total stride. `resnet_utils.root_block` by default;
      see also `resnet_utils.beta_root_block`, `resnet_utils.deep_root_block`
      and `resnet_cifar`. (Not in slim; DeepLab's resnet_v1_beta has it.)
    drop_path_rate: Stochastic depth (Huang et al., arXiv:1603.09382): in
      training, unit i of the n units (0-based, over all blocks) drops its
      residual branch per example with probability
      `drop_path_rate * i / (n - 1)` (timm's linear rule) and scales a kept
      branch by the inverse keep probability; the identity at evaluation.
      A number in [0, 1); 0 (the default) adds nothing to the graph. See
      `resnet_builder.with_unit_options`.
    zero_init_residual: If True, the last batch norm of every unit's residual
      branch starts with gamma 0 (Goyal et al., arXiv:1706.02677), so every
      unit starts as ReLU of its shortcut. Only the initial values change.

  Returns:
    net: A rank-4 tensor of size [batch, height_out, width_out, channels_out].
      If global_pool is False, then height_out and width_out are reduced by a
      factor of output_stride compared to the respective height_in and width_in,
      else both height_out and width_out equal one. If num_classes is 0 or None,
      then net is the output of the last ResNet block, potentially after global
      average pooling. If num_classes a non-zero integer, net contains the
      pre-softmax activations ([batch, num_classes] when spatial_squeeze).
    end_points: A dictionary from components of the network to the
      corresponding activation. Keys are scoped names such as
      `resnet_v1_50/conv1`, `resnet_v1_50/block1/unit_1/bottleneck_v1`,
      `resnet_v1_50/block4` and `resnet_v1_50/logits`, plus the unscoped legacy
      keys `global_pool` (with global_pool) and `predictions` (with classes),
      and `<scope>/spatial_squeeze`.

  Raises:
    ValueError: If the target output_stride is not valid, num_classes is
      negative, inputs are not rank 4 or drop_path_rate is outside [0, 1).
    TypeError: If `spatial_squeeze`, `store_non_strided_activations` or
      `reuse` got a value of the wrong kind, as when pip tf_slim's older
      argument order passes `reuse` and `scope` positionally.
  """
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
    default_scope='resnet_v1',
    drop_path_rate=drop_path_rate,
    zero_init_residual=zero_init_residual,
  )


resnet_v1.default_image_size = 224


def resnet_v1_block(scope, base_depth, num_units, stride, **options):
  """Helper function for creating a resnet_v1 bottleneck block.

  Args:
    scope: The scope of the block.
    base_depth: The depth of the bottleneck layer for each unit; the unit's
      output depth is 4 * base_depth.
    num_units: The number of units in the block.
    stride: The stride of the block, implemented as a stride in the last unit.
      All other units have stride=1.
    **options: Variant options of `resnet_builder.bottleneck_block`
      (`cardinality`, `width_per_group`, `se_ratio`, `multi_grid`, ...).

  Returns:
    A resnet_v1 bottleneck block.
  """
  return resnet_builder.bottleneck_block(
    scope, base_depth, num_units, stride, bottleneck, **options
  )


def resnet_v1_n(
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
  """Builds the ImageNet ResNet v1 of `depth` layers; see `resnet_v1`.

  The variant and layout options (`cardinality`, `width_per_group`,
  `se_ratio`, `multi_grid`, `first_unit_stride`, `stride_in`,
  `basic_stride_in`, `shortcut_type`) are those of
  `resnet_builder.imagenet_blocks`; every other keyword goes to `resnet_v1`
  (an unknown one is a TypeError there).
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
  return resnet_v1(inputs, blocks, num_classes, scope=scope, **kwargs)


def _public(depth, name, note='', **options):
  return signatures.public_network(
    name,
    functools.partial(resnet_v1_n, depth),
    'ResNet-%d v1 of [1]%s.' % (depth, note),
    **options,
  )


# The layouts of converted weights (see resnet_builder.TORCHVISION_LAYOUT).
TORCHVISION_NOTE = (
  " in torchvision's layout (symmetric pool1 padding, "
  'strides in the first unit of blocks 2-4, in the first '
  '3x3 conv), for weights converted by convert_weights.py'
)
RESNET_D_NOTE = (
  ", ResNet-D of [5] in timm's layout (torchvision's, with the deep stem and "
  'average-pool projections), for weights converted by convert_weights.py'
)
KERAS_NOTE = (
  " in Keras's ResNet50 layout (symmetric pool1 padding, strides "
  'in the 1x1 conv1 of the first unit of blocks 2-4), for '
  'weights converted by convert_weights.py'
)


def _beta(depth, name):
  return signatures.deeplab_network(
    name,
    functools.partial(resnet_v1_n, depth),
    'ResNet-%d v1 with the beta root of [4].' % depth,
    scope='resnet_v1_%d' % depth,
    root_block_fn=resnet_utils.beta_root_block,
  )


resnet_v1_18 = _public(18, 'resnet_v1_18')
resnet_v1_34 = _public(34, 'resnet_v1_34')
resnet_v1_50 = _public(50, 'resnet_v1_50')
resnet_v1_101 = _public(101, 'resnet_v1_101')
resnet_v1_152 = _public(152, 'resnet_v1_152')
resnet_v1_200 = _public(200, 'resnet_v1_200')
# DeepLab's backbones, with DeepLab's signature, defaults and scopes (their
# checkpoints name variables resnet_v1_50/...); multi_grid=(1, 2, 4) for
# multi-grid.
resnet_v1_50_beta = _beta(50, 'resnet_v1_50_beta')
resnet_v1_101_beta = _beta(101, 'resnet_v1_101_beta')
# Imported weights: torchvision's resnet18 ... resnet152 and Keras's ResNet50,
# ResNet101, ResNet152.
resnet_v1_18_tv = _public(
  18, 'resnet_v1_18_tv', TORCHVISION_NOTE, **resnet_builder.TORCHVISION_LAYOUT
)
resnet_v1_34_tv = _public(
  34, 'resnet_v1_34_tv', TORCHVISION_NOTE, **resnet_builder.TORCHVISION_LAYOUT
)
resnet_v1_50_tv = _public(
  50, 'resnet_v1_50_tv', TORCHVISION_NOTE, **resnet_builder.TORCHVISION_LAYOUT
)
resnet_v1_101_tv = _public(
  101, 'resnet_v1_101_tv', TORCHVISION_NOTE, **resnet_builder.TORCHVISION_LAYOUT
)
resnet_v1_152_tv = _public(
  152, 'resnet_v1_152_tv', TORCHVISION_NOTE, **resnet_builder.TORCHVISION_LAYOUT
)
resnet_v1_50_keras = _public(
  50, 'resnet_v1_50_keras', KERAS_NOTE, **resnet_builder.KERAS_V1_LAYOUT
)
resnet_v1_101_keras = _public(
  101, 'resnet_v1_101_keras', KERAS_NOTE, **resnet_builder.KERAS_V1_LAYOUT
)
resnet_v1_152_keras = _public(
  152, 'resnet_v1_152_keras', KERAS_NOTE, **resnet_builder.KERAS_V1_LAYOUT
)
# timm's resnet18d ... resnet152d.
resnet_v1_18d = _public(
  18, 'resnet_v1_18d', RESNET_D_NOTE, **resnet_builder.RESNET_D_LAYOUT
)
resnet_v1_34d = _public(
  34, 'resnet_v1_34d', RESNET_D_NOTE, **resnet_builder.RESNET_D_LAYOUT
)
resnet_v1_50d = _public(
  50, 'resnet_v1_50d', RESNET_D_NOTE, **resnet_builder.RESNET_D_LAYOUT
)
resnet_v1_101d = _public(
  101, 'resnet_v1_101d', RESNET_D_NOTE, **resnet_builder.RESNET_D_LAYOUT
)
resnet_v1_152d = _public(
  152, 'resnet_v1_152d', RESNET_D_NOTE, **resnet_builder.RESNET_D_LAYOUT
)
