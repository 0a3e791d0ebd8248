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
"""The one generic ResNet builder, its argument checks and block helpers.

[1] Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun.
    Deep Residual Learning for Image Recognition. arXiv:1512.03385
[2] Liang-Chieh Chen, George Papandreou, Florian Schroff, Hartwig Adam.
    Rethinking Atrous Convolution for Semantic Image Segmentation.
    arXiv:1706.05587

Every network of the package is a list of `resnet_utils.Block`s built by the
helpers here (`bottleneck_block`, `basic_block_group`, `imagenet_blocks`) from
unit functions they are given, and one call of `build_network`. The public
generators `resnet_v1.resnet_v1` and `resnet_v2.resnet_v2` keep slim's
positional signatures and call `build_network` with keywords; the unit
functions live in `resnet_v1.py` (post-activation) and `resnet_v2.py`
(pre-activation). This module imports neither, so the package has no import
cycle: `resnet_v2` and the variant modules import `resnet_builder` and
`resnet_utils` only (and `resnet_v1` where they reuse its units).
"""

import collections
import contextlib
import math
import numbers

import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import resnet_utils

# Units per block, from table 1 of [1] (200 from fb.resnet.torch).
UNITS_PER_BLOCK = {
  18: (2, 2, 2, 2),
  34: (3, 4, 6, 3),
  50: (3, 4, 6, 3),
  101: (3, 4, 23, 3),
  152: (3, 8, 36, 3),
  200: (3, 24, 36, 3),
}
# Depths below 50 use two 3x3 convs per unit (basic units).
BASIC_DEPTHS = (18, 34)
BASE_DEPTHS = (64, 128, 256, 512)
# slim convention: the stride sits on the last unit of blocks 1 to 3.
BLOCK_STRIDES = (2, 2, 2, 1)
# [1], torchvision and Keras's ResNet50 (v1): on the first unit of blocks 2-4.
FIRST_UNIT_BLOCK_STRIDES = (1, 2, 2, 2)
# Which convolution of a unit holds its stride (`stride_in` of the units):
# slim's bottleneck and basic units stride their last 3x3 conv (`conv2`);
# torchvision's basic units and Keras's ResNet50 (Caffe's layout) stride
# `conv1` (a 3x3 and a 1x1 conv respectively).
STRIDE_IN = ('conv1', 'conv2')

# The layouts of imported weights (utils/convert/, convert_weights.py): root
# and block-table options under which torchvision's and Keras's ResNets are
# exactly ours (equal logits). All three pad
# `pool1` symmetrically. torchvision ("ResNet v1.5") strides the first unit of
# blocks 2-4, in the 3x3 conv (conv2 of bottlenecks, conv1 of basic units);
# Keras's ResNet50/101/152 (Caffe's layout) too, in the bottleneck's 1x1
# conv1; Keras's ResNet50V2 is slim's v2 layout. (At the nominal stride the
# Caffe layout computes what slim's does: a strided 1x1 conv1 and 1x1
# shortcut commute with subsampling, so moving the stride into the previous
# unit's 3x3 conv2 changes nothing but the block end points' resolution and
# the MACs. We keep Keras's layout for its end points and its atrous
# features; the root alone makes stock slim differ at even sizes.)
TORCHVISION_LAYOUT = {
  'root_block_fn': resnet_utils.symmetric_root_block,
  'first_unit_stride': True,
  'basic_stride_in': 'conv1',
}
KERAS_V1_LAYOUT = {
  'root_block_fn': resnet_utils.symmetric_root_block,
  'first_unit_stride': True,
  'stride_in': 'conv1',
}
KERAS_V2_LAYOUT = {'root_block_fn': resnet_utils.symmetric_root_block}
# ResNet-D (He et al. 2019, "Bag of Tricks", arXiv:1812.01187) as timm builds
# its resnet{18,34,50,101,152}d: torchvision's layout with the deep stem
# (three 3x3 convs 32-32-64) and average-pool projections (`shortcut_type`
# 'D'). Under `output_stride` ours stays the nominal network at the
# subsampled positions; timm's dilated variant pools adjacent pixels of the
# denser map (zero padding counted), which is not.
RESNET_D_LAYOUT = dict(
  TORCHVISION_LAYOUT,
  root_block_fn=resnet_utils.deep_root_block,
  shortcut_type='D',
)

# The unit functions of one family: `bottleneck(inputs, depth,
# depth_bottleneck, stride, rate=1, ...)` and `basic(inputs, depth, stride,
# rate=1, ...)`; `resnet_v1.UNITS` and `resnet_v2.UNITS`.
UnitFns = collections.namedtuple('UnitFns', ['bottleneck', 'basic'])


def _is_int(value):
  return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_cardinality(cardinality, depth_bottleneck):
  """Raises ValueError unless `cardinality` divides `depth_bottleneck`."""
  if (
    not _is_int(cardinality)
    or cardinality < 1
    or (depth_bottleneck % cardinality)
  ):
    raise ValueError(
      'cardinality must be a positive integer dividing the bottleneck depth '
      '%d; got cardinality=%r' % (depth_bottleneck, cardinality)
    )


def check_se_ratio(se_ratio, depth):
  """Raises ValueError unless `se_ratio` is None or a number in [1, depth]."""
  if se_ratio is None:
    return
  if (
    isinstance(se_ratio, bool)
    or not isinstance(se_ratio, numbers.Real)
    or not 1 <= se_ratio <= depth
  ):
    raise ValueError(
      'se_ratio is the SE reduction factor r (the gate has depth // r '
      'channels) and must be a number in [1, %d], or None for no SE; got '
      'se_ratio=%r' % (depth, se_ratio)
    )


def check_depth_multiplier(depth_multiplier):
  """Raises ValueError unless `depth_multiplier` is a number >= 0.

  0 is allowed, as in slim: every base depth is then `min_base_depth`
  (slim's own tests pin networks to it this way).
  """
  if (
    isinstance(depth_multiplier, bool)
    or not isinstance(depth_multiplier, numbers.Real)
    or math.isnan(depth_multiplier)
    or depth_multiplier < 0
  ):
    raise ValueError(
      'depth_multiplier must be a number >= 0 (0 sets every '
      'base depth to min_base_depth); got depth_multiplier=%r'
      % (depth_multiplier,)
    )


def check_stride_in(stride_in):
  """Raises ValueError unless `stride_in` is one of `STRIDE_IN`."""
  if stride_in not in STRIDE_IN:
    raise ValueError(
      'stride_in must be one of %s; got stride_in=%r' % (STRIDE_IN, stride_in)
    )


def unit_convs(stride, rate, stride_in='conv2', nominal_stride=None):
  """The (stride, rate) of a unit's `conv1` and `conv2`.

  With `stride_in='conv2'` (slim) `conv2` takes the stride and `conv1` runs
  at stride 1. With `stride_in='conv1'` `conv1` takes it, and the convs
  after it work on the map `conv1` subsampled. When `stack_blocks_dense` runs
  the unit with a smaller stride than its nominal one (atrous, or the last
  unit under `store_non_strided_activations`) that map is denser by
  `nominal_stride // stride`, so `conv2`'s rate grows by that factor: then
  the unit computes the nominal unit's values at the subsampled positions.
  The unit is told its
  nominal stride by `stack_blocks_dense` (`nominal_stride`); it never sees
  `output_stride`.

  Args:
    stride: The stride the unit runs with.
    rate: The atrous rate the unit runs with (times its multi-grid rate).
    stride_in: 'conv1' or 'conv2', see `STRIDE_IN`.
    nominal_stride: The unit's stride in the nominal network; None means
      `stride`.

  Returns:
    ((conv1_stride, conv1_rate), (conv2_stride, conv2_rate)).

  Raises:
    ValueError: On a bad `stride_in`, or a `nominal_stride` that is not a
      multiple of `stride`.
  """
  check_stride_in(stride_in)
  if stride_in == 'conv2':
    return (1, rate), (stride, rate)
  nominal = stride if nominal_stride is None else nominal_stride
  if not _is_int(nominal) or nominal < 1 or nominal % stride:
    raise ValueError(
      'nominal_stride must be a positive multiple of the '
      'stride %d; got nominal_stride=%r' % (stride, nominal_stride)
    )
  return (stride, rate), (1, rate * (nominal // stride))


def scaled_depth(base_depth, depth_multiplier, min_base_depth):
  """slim's depth rule: `max(int(base_depth * multiplier), min_base_depth)`."""
  return max(int(base_depth * depth_multiplier), min_base_depth)


def residual_options(residual, depth, se_ratio, drop_path_rate=0.0):
  """The options at the end of a residual branch, before the addition.

  The squeeze-and-excitation gate (None for none), then stochastic depth
  (`resnet_utils.drop_path`, whose training mode `build_network` sets), in
  the order of timm's units.
  """
  if se_ratio is not None:
    residual = resnet_utils.squeeze_excitation(
      residual, max(1, int(depth // se_ratio))
    )
  return resnet_utils.drop_path(residual, drop_path_rate)


def last_norm_scope(zero_init_residual):
  """The scope of a post-activation unit's last conv (`conv3`, basic `conv2`).

  With `zero_init_residual` the batch norm there starts with gamma 0, so the
  branch adds nothing and each unit starts as its shortcut followed by ReLU
  (Goyal et al., "Accurate, Large Minibatch SGD", arXiv:1706.02677,
  section 5.1; timm's `zero_init_last`, torchvision's
  `zero_init_residual`). Any other initializer of an enclosing arg scope's
  `param_initializers` is kept.
  """
  if not zero_init_residual:
    return contextlib.nullcontext()
  current = slim.current_arg_scope().get(
    slim.arg_scope_func_key(slim.batch_norm), {}
  )
  initializers = dict(current.get('param_initializers') or {})
  initializers['gamma'] = tf.zeros_initializer()
  return slim.arg_scope([slim.batch_norm], param_initializers=initializers)


def check_drop_path_rate(drop_path_rate):
  """Raises ValueError unless `drop_path_rate` is a number in [0, 1)."""
  if (
    isinstance(drop_path_rate, bool)
    or not isinstance(drop_path_rate, numbers.Real)
    or not 0 <= drop_path_rate < 1
  ):
    raise ValueError(
      'drop_path_rate must be a number in [0, 1) (the drop probability of '
      'the last unit; 0 turns stochastic depth off); got drop_path_rate=%r'
      % (drop_path_rate,)
    )


def drop_path_rates(num_units, drop_path_rate):
  """The drop probability of each unit under the linear rule.

  Unit i (0-based, counted over the whole network) drops its branch with
  probability `drop_path_rate * i / (num_units - 1)`: 0 for the first unit,
  `drop_path_rate` for the last (timm's `make_blocks`; the linear decay of
  Huang et al., arXiv:1603.09382, section 3). One unit gets 0.
  """
  if num_units < 2:
    return [0.0] * num_units
  return [drop_path_rate * i / (num_units - 1) for i in range(num_units)]


def with_unit_options(blocks, drop_path_rate=0.0, zero_init_residual=False):
  """`blocks` with the training options in every unit's arguments.

  Args:
    blocks: A list of `resnet_utils.Block`s.
    drop_path_rate: The stochastic depth of the last unit; the units get
      `drop_path_rates`. 0 adds nothing.
    zero_init_residual: Whether every unit gets `zero_init_residual=True`.
      False adds nothing.

  Returns:
    A list of new `Block`s (the given ones are not changed); `blocks` itself
    when both options are off, so the defaults build the same graph.

  Raises:
    ValueError: On a bad `drop_path_rate`.
  """
  check_drop_path_rate(drop_path_rate)
  if not drop_path_rate and not zero_init_residual:
    return blocks
  rates = iter(
    drop_path_rates(sum(len(b.args) for b in blocks), drop_path_rate)
  )
  result = []
  for block in blocks:
    args = []
    for unit in block.args:
      unit = dict(unit)
      rate = next(rates)
      if drop_path_rate:
        unit['drop_path_rate'] = rate
      if zero_init_residual:
        unit['zero_init_residual'] = True
      args.append(unit)
    result.append(block._replace(args=args))
  return result


def _unit_rate(multi_grid, num_units, index):
  """The `unit_rate` option of unit `index` under DeepLab's multi-grid [2]."""
  if multi_grid is None:
    return {}
  if (
    not isinstance(multi_grid, (list, tuple))
    or len(multi_grid) != num_units
    or not all(_is_int(r) and r >= 1 for r in multi_grid)
  ):
    raise ValueError(
      'multi_grid must be None or a list of %d positive integers (one rate '
      'multiplier per unit of the last block); got multi_grid=%r'
      % (num_units, multi_grid)
    )
  return {'unit_rate': int(multi_grid[index])}


def bottleneck_block(
  scope,
  base_depth,
  num_units,
  stride,
  unit_fn,
  cardinality=1,
  width_per_group=None,
  se_ratio=None,
  multi_grid=None,
  first_unit_stride=False,
  shortcut_type='B',
  stride_in='conv2',
):
  """A block of bottleneck units of output depth `4 * base_depth`.

  Args:
    scope: The scope of the block.
    base_depth: The depth of the bottleneck layer for each unit.
    num_units: The number of units in the block.
    stride: The stride of the block, in its last unit (slim's convention) or,
      with `first_unit_stride`, in its first (as [1] and the CIFAR networks).
    unit_fn: The unit function (`resnet_v1.bottleneck`, `resnet_v2.bottleneck`).
    cardinality: ResNeXt groups (1 for ResNet).
    width_per_group: ResNeXt width of a group at base depth 64; the bottleneck
      depth is `cardinality * width_per_group * base_depth // 64`. None keeps
      `base_depth`.
    se_ratio: None, or the SE reduction factor.
    multi_grid: None, or one rate multiplier per unit (DeepLab's multi-grid).
    first_unit_stride: See `stride`.
    shortcut_type: 'A' or 'B', see `resnet_utils.shortcut`; only stored in
      the units when not 'B', so slim's block tables compare equal.
    stride_in: Which conv of a unit takes the stride, see `STRIDE_IN`; only
      stored in the units when not 'conv2'.

  Returns:
    A `resnet_utils.Block`; every unit gets a dict of its own.
  """
  depth_bottleneck = base_depth
  if width_per_group is not None:
    depth_bottleneck = cardinality * width_per_group * base_depth // 64
  options = {}
  if cardinality != 1:
    options['cardinality'] = cardinality
  if se_ratio is not None:
    options['se_ratio'] = se_ratio
  if shortcut_type != 'B':
    options['shortcut_type'] = shortcut_type
  if stride_in != 'conv2':
    options['stride_in'] = stride_in
  strided = 0 if first_unit_stride else num_units - 1
  return resnet_utils.Block(
    scope,
    unit_fn,
    [
      dict(
        depth=base_depth * 4,
        depth_bottleneck=depth_bottleneck,
        stride=stride if i == strided else 1,
        **_unit_rate(multi_grid, num_units, i),
        **options,
      )
      for i in range(num_units)
    ],
  )


def basic_block_group(
  scope,
  depth,
  num_units,
  stride,
  unit_fn,
  first_unit_stride=False,
  se_ratio=None,
  multi_grid=None,
  shortcut_type='B',
  stride_in='conv2',
):
  """A block of basic units (two 3x3 convs): ResNet-18/34, CIFAR ResNets.

  Args:
    scope: The scope of the block.
    depth: The output depth of every unit.
    num_units: The number of units in the block.
    stride: The stride of the block; see `bottleneck_block`.
    unit_fn: The unit function (`resnet_v1.basic_block`, ...).
    first_unit_stride: See `bottleneck_block`.
    se_ratio: None, or the SE reduction factor.
    multi_grid: None, or one rate multiplier per unit.
    shortcut_type: 'A' or 'B', see `resnet_utils.shortcut`.
    stride_in: Which conv of a unit takes the stride, see `STRIDE_IN`; only
      stored in the units when not 'conv2'.

  Returns:
    A `resnet_utils.Block`.
  """
  strided = 0 if first_unit_stride else num_units - 1
  options = {'shortcut_type': shortcut_type}
  if stride_in != 'conv2':
    options['stride_in'] = stride_in
  if se_ratio is not None:
    options['se_ratio'] = se_ratio
  return resnet_utils.Block(
    scope,
    unit_fn,
    [
      dict(
        depth=depth,
        stride=stride if i == strided else 1,
        **_unit_rate(multi_grid, num_units, i),
        **options,
      )
      for i in range(num_units)
    ],
  )


def imagenet_blocks(
  depth,
  units,
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
):
  """The four blocks of an ImageNet ResNet of `depth` layers.

  Args:
    depth: One of `UNITS_PER_BLOCK`'s keys (18, 34, 50, 101, 152, 200).
    units: A `UnitFns` pair; basic units for depths 18 and 34, bottlenecks
      otherwise.
    depth_multiplier: Multiplier of every block's base depth.
    min_base_depth: The base depths never fall below this.
    cardinality, width_per_group: ResNeXt options, see `bottleneck_block`.
    se_ratio: None, or the SE reduction factor.
    multi_grid: None, or the rate multipliers of the units of block4.
    first_unit_stride: False for slim's layout (strides (2, 2, 2) in the last
      unit of blocks 1-3, `BLOCK_STRIDES`); True for that of [1],
      torchvision and Keras's ResNet50 (strides (2, 2, 2) in the first unit
      of blocks 2-4, `FIRST_UNIT_BLOCK_STRIDES`). Same parameters, same
      nominal output stride; different features (and MACs: 4.09 G against
      3.48 G for ResNet-50).
    stride_in: Which conv of the bottleneck units takes the stride
      (`STRIDE_IN`): 'conv2' (slim, torchvision) or 'conv1' (Keras's ResNet50,
      Caffe's layout).
    basic_stride_in: The same for basic units (depths 18 and 34): 'conv2'
      (ours) or 'conv1' (torchvision).
    shortcut_type: 'B' (projections) or 'D' (ResNet-D's average-pool
      projections), see `resnet_utils.shortcut`.

  Returns:
    A list of four `Block`s.

  Raises:
    ValueError: On an unsupported depth, a bad `depth_multiplier` or a bad
      `stride_in`.
  """
  if depth not in UNITS_PER_BLOCK:
    raise ValueError(
      'Unsupported depth %r; expected one of %s'
      % (depth, sorted(UNITS_PER_BLOCK))
    )
  check_depth_multiplier(depth_multiplier)
  check_stride_in(stride_in)
  check_stride_in(basic_stride_in)
  block_strides = (
    FIRST_UNIT_BLOCK_STRIDES if first_unit_stride else BLOCK_STRIDES
  )
  blocks = []
  for i, (num_units, base, stride) in enumerate(
    zip(UNITS_PER_BLOCK[depth], BASE_DEPTHS, block_strides)
  ):
    base = scaled_depth(base, depth_multiplier, min_base_depth)
    grid = multi_grid if i == 3 else None
    scope = 'block%d' % (i + 1)
    if depth in BASIC_DEPTHS:
      blocks.append(
        basic_block_group(
          scope,
          base,
          num_units,
          stride,
          units.basic,
          se_ratio=se_ratio,
          multi_grid=grid,
          first_unit_stride=first_unit_stride,
          stride_in=basic_stride_in,
          shortcut_type=shortcut_type,
        )
      )
    else:
      blocks.append(
        bottleneck_block(
          scope,
          base,
          num_units,
          stride,
          units.bottleneck,
          cardinality=cardinality,
          width_per_group=width_per_group,
          se_ratio=se_ratio,
          multi_grid=grid,
          first_unit_stride=first_unit_stride,
          stride_in=stride_in,
          shortcut_type=shortcut_type,
        )
      )
  return blocks


# Why a scope string or a reuse mode can land in a bool argument.
_ARGUMENT_ORDER_HINT = (
  "The generic builders and model functions follow research/slim's "
  'argument order, where spatial_squeeze (and, in v1, '
  'store_non_strided_activations) come before reuse and scope; pip '
  "tf_slim's older functions took reuse and scope right after "
  'include_root_block (output_stride in the model functions). Pass reuse= '
  'and scope= by keyword.'
)


def _is_bool_like(value):
  return isinstance(value, (bool, np.bool_)) or (
    _is_int(value) and value in (0, 1)
  )


def check_flag_args(spatial_squeeze, store_non_strided_activations, reuse):
  """Raises TypeError when a reuse mode or a scope took a bool's place.

  Old callers of pip tf_slim's builders pass `reuse` and `scope`
  positionally, where research/slim's (and ours) expect `spatial_squeeze` and
  `store_non_strided_activations` (v2: `spatial_squeeze` and `reuse`).
  """
  problems = [
    '%s must be a bool; got %s=%r (a %s)'
    % (name, name, value, type(value).__name__)
    for name, value in (
      ('spatial_squeeze', spatial_squeeze),
      ('store_non_strided_activations', store_non_strided_activations),
    )
    if not _is_bool_like(value)
  ]
  if (
    reuse is not None
    and not _is_bool_like(reuse)
    and (reuse is not tf.AUTO_REUSE)
  ):
    problems.append(
      'reuse must be True, False, None or tf.AUTO_REUSE; got '
      'reuse=%r (a %s)' % (reuse, type(reuse).__name__)
    )
  if problems:
    raise TypeError('%s. %s' % ('; '.join(problems), _ARGUMENT_ORDER_HINT))


def check_network_args(inputs, blocks, num_classes, output_stride, root_stride):
  """Validates the arguments shared by the generic builders.

  Returns:
    The output stride left for `stack_blocks_dense` after the root block.

  Raises:
    ValueError: On inputs that are not rank 4, a negative `num_classes` or an
      `output_stride` the blocks cannot reach (the message lists those they
      can).
  """
  shape = inputs.get_shape()
  if shape.ndims != 4:
    raise ValueError(
      'inputs must be a rank-4 tensor [batch, height, width, '
      'channels]; got shape %s' % shape
    )
  if num_classes is not None and (not _is_int(num_classes) or num_classes < 0):
    raise ValueError(
      'num_classes must be None or a non-negative integer; '
      'got num_classes=%r' % (num_classes,)
    )
  if output_stride is None:
    return None
  if (
    not _is_int(output_stride)
    or output_stride <= 0
    or (output_stride % root_stride)
  ):
    raise ValueError(
      'output_stride must be None or a positive multiple of %d (the root '
      "block's stride); got output_stride=%r" % (root_stride, output_stride)
    )
  reachable = [
    root_stride * stride
    for stride in resnet_utils.reachable_output_strides(blocks)
  ]
  if output_stride not in reachable:
    raise ValueError(
      'The target output_stride=%r cannot be reached by this network; '
      'reachable values are %s (or None for the nominal stride %d)'
      % (output_stride, reachable, reachable[-1])
    )
  return int(output_stride) // root_stride


def build_network(
  inputs,
  *,
  blocks,
  num_classes,
  is_training,
  global_pool,
  output_stride,
  include_root_block,
  root_block_fn,
  spatial_squeeze,
  store_non_strided_activations,
  reuse,
  scope,
  default_scope,
  root_arg_scope=None,
  postnorm=False,
  drop_path_rate=0.0,
  zero_init_residual=False,
):
  """The generic body of `resnet_v1.resnet_v1` and `resnet_v2.resnet_v2`.

  See `resnet_v1.resnet_v1` for the arguments, shapes and end points; these
  are added:

  Args:
    default_scope: The scope used when `scope` is None ('resnet_v1', ...).
    root_arg_scope: kwargs for `slim.conv2d` inside the root block (v2 roots
      have neither batch norm nor activation).
    postnorm: Whether to add v2's batch norm + ReLU `postnorm` after the last
      block.
    drop_path_rate, zero_init_residual: See `with_unit_options`. Drop path
      is active when batch norm is in training mode: `is_training`, or with
      None the enclosing arg scope's `is_training` of `slim.batch_norm`
      (True if it sets none, as batch norm's own default).

  Returns:
    net, end_points: As in `resnet_v1.resnet_v1`.

  Raises:
    ValueError: See `check_network_args`, `check_drop_path_rate`.
    TypeError: See `check_flag_args`.
  """
  check_flag_args(spatial_squeeze, store_non_strided_activations, reuse)
  blocks = with_unit_options(blocks, drop_path_rate, zero_init_residual)
  root_block_fn = root_block_fn or resnet_utils.root_block
  root_stride = getattr(root_block_fn, 'stride', 4) if include_root_block else 1
  block_output_stride = check_network_args(
    inputs, blocks, num_classes, output_stride, root_stride
  )
  # Every unit function of the blocks adds its output to the end points, so
  # a new unit function cannot silently lose its unit-level end points.
  unit_fns = sorted({block.unit_fn for block in blocks}, key=id)
  with tf.variable_scope(scope, default_scope, [inputs], reuse=reuse) as sc:
    end_points_collection = sc.original_name_scope + '_end_points'
    with slim.arg_scope(
      [slim.conv2d, resnet_utils.stack_blocks_dense] + unit_fns,
      outputs_collections=end_points_collection,
    ):
      # is_training=None defers to an enclosing arg_scope (slim's NoOpScope).
      with (
        (
          slim.arg_scope([slim.batch_norm], is_training=is_training)
          if is_training is not None
          else contextlib.nullcontext()
        ),
        slim.arg_scope(
          [resnet_utils.drop_path], is_training=_batch_norm_training()
        ),
      ):
        net = inputs
        if include_root_block:
          with slim.arg_scope([slim.conv2d], **(root_arg_scope or {})):
            net = root_block_fn(net)
        net = resnet_utils.stack_blocks_dense(
          net,
          blocks,
          block_output_stride,
          store_non_strided_activations=store_non_strided_activations,
        )
        if postnorm:
          # Pre-activation units leave the last block's output un-normalised.
          net = slim.batch_norm(net, activation_fn=tf.nn.relu, scope='postnorm')
        end_points = slim.utils.convert_collection_to_dict(
          end_points_collection
        )
        return _head(
          net, end_points, sc.name, num_classes, global_pool, spatial_squeeze
        )


def _batch_norm_training():
  """The `is_training` batch norm gets from the current arg scope."""
  scope = slim.current_arg_scope().get(
    slim.arg_scope_func_key(slim.batch_norm), {}
  )
  return scope.get('is_training', True)


def _head(
  net, end_points, scope_name, num_classes, global_pool, spatial_squeeze
):
  """Global pool `pool5`, 1x1 `logits`, `SpatialSqueeze` and `predictions`."""
  if global_pool:
    net = tf.reduce_mean(net, [1, 2], name='pool5', keepdims=True)
    end_points['global_pool'] = net
  if num_classes:
    net = slim.conv2d(
      net,
      num_classes,
      [1, 1],
      activation_fn=None,
      normalizer_fn=None,
      scope='logits',
    )
    end_points[scope_name + '/logits'] = net
    if spatial_squeeze:
      net = tf.squeeze(net, [1, 2], name='SpatialSqueeze')
      end_points[scope_name + '/spatial_squeeze'] = net
    end_points['predictions'] = slim.softmax(net, scope='predictions')
  return net, end_points
