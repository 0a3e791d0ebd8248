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
"""The CIFAR ResNets of the papers, for 32x32 inputs.

[1] Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun.
    Deep Residual Learning for Image Recognition. arXiv:1512.03385, sec. 4.2
[2] Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun.
    Identity Mappings in Deep Residual Networks. arXiv:1603.05027
[3] Saining Xie, Ross Girshick, Piotr Dollar, Zhuowen Tu, Kaiming He.
    Aggregated Residual Transformations for Deep Neural Networks.
    arXiv:1611.05431, sec. 5.3

All have a 3x3 stem without max pooling (root stride 1) and three stages; the
first unit of stages 2 and 3 subsamples, as in the papers (unlike slim's
ImageNet networks, which stride in the last unit).

* `resnet_cifar_N` (N = 6n + 2; [1]): post-activation basic units, 16/32/64
  filters, n units per stage. Shortcuts of type 'A' by default: a parameter
  free subsampling plus zero-padded channels, which gives the paper's 0.27M
  parameters for N = 20.
* `resnet_v2_cifar_110` ([2]): pre-activation basic units, 18 per stage.
  `resnet_v2_cifar_164` and `resnet_v2_cifar_1001` ([2]): pre-activation
  bottlenecks (outputs 64/128/256, bottlenecks 16/32/64), 18 and 111 per stage.
  Shortcuts of type 'B' (1x1 projection where the depth changes), as in the
  authors' code.
* `resnext_cifar_29_8x64d`, `resnext_cifar_29_16x64d` ([3]): a 64-filter stem
  and three stages of three bottlenecks with outputs 256/512/1024 and a group
  width of 64 at the first stage that doubles per stage; 'B' shortcuts.

The shortcut type is the argument `shortcut_type` ('A': zero padding, 'B':
projection when shapes change) of every function here.

Typical use:

   from nets import resnet_cifar, resnet_utils
   with slim.arg_scope(resnet_utils.resnet_arg_scope()):
     logits, end_points = resnet_cifar.resnet_cifar_20(images, 10,
                                                       is_training=True)
"""

import collections
import functools

import tf_slim as slim

from nets import resnet_builder
from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2
from nets import signatures

DEFAULT_IMAGE_SIZE = 32
STAGE_STRIDES = (1, 2, 2)

# One row of `CIFAR_CONFIGS`.
#   units: the unit functions, `resnet_v1.UNITS` (post-activation) or
#     `resnet_v2.UNITS` (pre-activation).
#   unit_kind: 'basic' (two 3x3 convs, output = base depth) or 'bottleneck'
#     (output = 4 * base depth).
#   units_per_stage: units in each of the three stages.
#   stem_depth: filters of the 3x3 stem `conv1`.
#   base_depths: the base depth of each stage.
#   shortcut_type: the default shortcut, 'A' or 'B' (`resnet_utils.shortcut`).
#   cardinality, width_per_group: ResNeXt options (`bottleneck_block`).
CifarConfig = collections.namedtuple(
  'CifarConfig',
  [
    'units',
    'unit_kind',
    'units_per_stage',
    'stem_depth',
    'base_depths',
    'shortcut_type',
    'cardinality',
    'width_per_group',
  ],
)


def _resnet(units_per_stage):
  return CifarConfig(
    resnet_v1.UNITS, 'basic', units_per_stage, 16, (16, 32, 64), 'A', 1, None
  )


def _preact(unit_kind, units_per_stage):
  return CifarConfig(
    resnet_v2.UNITS, unit_kind, units_per_stage, 16, (16, 32, 64), 'B', 1, None
  )


def _resnext(cardinality):
  return CifarConfig(
    resnet_v1.UNITS, 'bottleneck', 3, 64, (64, 128, 256), 'B', cardinality, 64
  )


# [1] table 6 (n = (depth - 2) / 6 units per stage), [2] section 4 and [3]
# section 5.3.
CIFAR_CONFIGS = {
  'resnet_cifar_20': _resnet(3),
  'resnet_cifar_32': _resnet(5),
  'resnet_cifar_44': _resnet(7),
  'resnet_cifar_56': _resnet(9),
  'resnet_cifar_110': _resnet(18),
  'resnet_cifar_1202': _resnet(200),
  'resnet_v2_cifar_110': _preact('basic', 18),
  'resnet_v2_cifar_164': _preact('bottleneck', 18),
  'resnet_v2_cifar_1001': _preact('bottleneck', 111),
  'resnext_cifar_29_8x64d': _resnext(8),
  'resnext_cifar_29_16x64d': _resnext(16),
}


def cifar_blocks(
  config,
  shortcut_type=None,
  se_ratio=None,
  depth_multiplier=1.0,
  min_base_depth=8,
):
  """The three stages of a CIFAR ResNet.

  Args:
    config: A `CifarConfig`.
    shortcut_type: None for the config's, or 'A' / 'B' (see
      `resnet_utils.shortcut`).
    se_ratio: None, or the SE reduction factor.
    depth_multiplier: Multiplier of every base depth (at least
      `min_base_depth`).
    min_base_depth: See `depth_multiplier`.

  Returns:
    A list of three `Block`s; the first unit of stages 2 and 3 subsamples.

  Raises:
    ValueError: On a bad `shortcut_type`, `depth_multiplier` or unit kind.
  """
  shortcut_type = shortcut_type or config.shortcut_type
  if shortcut_type not in resnet_utils.SHORTCUT_TYPES:
    raise ValueError(
      'shortcut_type must be one of %s; got %r'
      % (resnet_utils.SHORTCUT_TYPES, shortcut_type)
    )
  resnet_builder.check_depth_multiplier(depth_multiplier)
  if config.unit_kind not in ('basic', 'bottleneck'):
    raise ValueError(
      "unit_kind must be 'basic' or 'bottleneck'; got %r" % (config.unit_kind,)
    )
  blocks = []
  for i, (base, stride) in enumerate(zip(config.base_depths, STAGE_STRIDES)):
    base = resnet_builder.scaled_depth(base, depth_multiplier, min_base_depth)
    scope = 'block%d' % (i + 1)
    if config.unit_kind == 'basic':
      blocks.append(
        resnet_builder.basic_block_group(
          scope,
          base,
          config.units_per_stage,
          stride,
          config.units.basic,
          first_unit_stride=True,
          se_ratio=se_ratio,
          shortcut_type=shortcut_type,
        )
      )
    else:
      blocks.append(
        resnet_builder.bottleneck_block(
          scope,
          base,
          config.units_per_stage,
          stride,
          config.units.bottleneck,
          cardinality=config.cardinality,
          width_per_group=config.width_per_group,
          se_ratio=se_ratio,
          first_unit_stride=True,
          shortcut_type=shortcut_type,
        )
      )
  return blocks


def resnet_cifar_n(
  name,
  inputs,
  num_classes=None,
  scope=None,
  depth_multiplier=1.0,
  min_base_depth=8,
  shortcut_type=None,
  se_ratio=None,
  **kwargs,
):
  """Builds the CIFAR network `name` of `CIFAR_CONFIGS`.

  Args:
    name: A key of `CIFAR_CONFIGS`.
    inputs: A tensor of size [batch, height, width, channels] (32x32 for the
      papers' figures).
    num_classes: As in `resnet_v1.resnet_v1`.
    scope: Optional variable_scope.
    depth_multiplier, min_base_depth, se_ratio: See `cifar_blocks`.
    shortcut_type: None for the network's default ('A' for `resnet_cifar_*`,
      'B' otherwise), or 'A' / 'B'.
    **kwargs: Arguments of the generic builder (`resnet_v1.resnet_v1` or
      `resnet_v2.resnet_v2`).

  Returns:
    net, end_points: As in `resnet_v1.resnet_v1`.
  """
  config = CIFAR_CONFIGS[name]
  blocks = cifar_blocks(
    config, shortcut_type, se_ratio, depth_multiplier, min_base_depth
  )
  stem_depth = resnet_builder.scaled_depth(
    config.stem_depth, depth_multiplier, min_base_depth
  )
  builder = (
    resnet_v1.resnet_v1
    if config.units is resnet_v1.UNITS
    else resnet_v2.resnet_v2
  )
  return builder(
    inputs,
    blocks,
    num_classes,
    scope=scope,
    root_block_fn=_cifar_root(stem_depth),
    **kwargs,
  )


def _cifar_root(depth):
  """The CIFAR stem: one 3x3 convolution `conv1` of `depth` filters."""

  def root(net):
    return slim.conv2d(net, depth, [3, 3], stride=1, scope='conv1')

  root.stride = 1
  return root


def _public(name, what):
  return signatures.public_network(
    name,
    functools.partial(resnet_cifar_n, name),
    what,
    default_image_size=DEFAULT_IMAGE_SIZE,
  )


resnet_cifar_20 = _public('resnet_cifar_20', 'ResNet-20 for CIFAR of [1].')
resnet_cifar_32 = _public('resnet_cifar_32', 'ResNet-32 for CIFAR of [1].')
resnet_cifar_44 = _public('resnet_cifar_44', 'ResNet-44 for CIFAR of [1].')
resnet_cifar_56 = _public('resnet_cifar_56', 'ResNet-56 for CIFAR of [1].')
resnet_cifar_110 = _public('resnet_cifar_110', 'ResNet-110 for CIFAR of [1].')
resnet_cifar_1202 = _public(
  'resnet_cifar_1202', 'ResNet-1202 for CIFAR of [1].'
)
resnet_v2_cifar_110 = _public(
  'resnet_v2_cifar_110', 'Pre-activation ResNet-110 for CIFAR of [2].'
)
resnet_v2_cifar_164 = _public(
  'resnet_v2_cifar_164', 'Pre-activation ResNet-164 for CIFAR of [2].'
)
resnet_v2_cifar_1001 = _public(
  'resnet_v2_cifar_1001', 'Pre-activation ResNet-1001 for CIFAR of [2].'
)
resnext_cifar_29_8x64d = _public(
  'resnext_cifar_29_8x64d', 'ResNeXt-29 (8x64d) for CIFAR of [3].'
)
resnext_cifar_29_16x64d = _public(
  'resnext_cifar_29_16x64d', 'ResNeXt-29 (16x64d) for CIFAR of [3].'
)
