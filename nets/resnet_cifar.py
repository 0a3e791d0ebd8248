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

import functools

import tf_slim as slim

from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2

DEFAULT_IMAGE_SIZE = 32
STAGE_STRIDES = (1, 2, 2)

# name: (version, unit kind, units per stage, stem depth, stage base depths,
#        default shortcut type, cardinality, width_per_group).
CIFAR_CONFIGS = {
    'resnet_cifar_20': (1, 'basic', 3, 16, (16, 32, 64), 'A', 1, None),
    'resnet_cifar_32': (1, 'basic', 5, 16, (16, 32, 64), 'A', 1, None),
    'resnet_cifar_44': (1, 'basic', 7, 16, (16, 32, 64), 'A', 1, None),
    'resnet_cifar_56': (1, 'basic', 9, 16, (16, 32, 64), 'A', 1, None),
    'resnet_cifar_110': (1, 'basic', 18, 16, (16, 32, 64), 'A', 1, None),
    'resnet_cifar_1202': (1, 'basic', 200, 16, (16, 32, 64), 'A', 1, None),
    'resnet_v2_cifar_110': (2, 'basic', 18, 16, (16, 32, 64), 'B', 1, None),
    'resnet_v2_cifar_164': (2, 'bottleneck', 18, 16, (16, 32, 64), 'B', 1,
                            None),
    'resnet_v2_cifar_1001': (2, 'bottleneck', 111, 16, (16, 32, 64), 'B', 1,
                             None),
    'resnext_cifar_29_8x64d': (1, 'bottleneck', 3, 64, (64, 128, 256), 'B', 8,
                               64),
    'resnext_cifar_29_16x64d': (1, 'bottleneck', 3, 64, (64, 128, 256), 'B',
                                16, 64),
}


def cifar_blocks(version, unit_kind, num_units, base_depths,
                 shortcut_type='A', cardinality=1, width_per_group=None,
                 se_ratio=None, depth_multiplier=1.0, min_base_depth=8):
  """The three stages of a CIFAR ResNet.

  Args:
    version: 1 (post-activation) or 2 (pre-activation) units.
    unit_kind: 'basic' (two 3x3 convs, output = base depth) or 'bottleneck'
      (output = 4 * base depth).
    num_units: Units per stage.
    base_depths: The base depth of each stage.
    shortcut_type: 'A' or 'B', see `resnet_utils.shortcut`.
    cardinality, width_per_group: ResNeXt options, see
      `resnet_v1.resnet_v1_block`.
    se_ratio: None, or the SE reduction factor.
    depth_multiplier: Multiplier of every base depth (at least
      `min_base_depth`).
    min_base_depth: See `depth_multiplier`.

  Returns:
    A list of three `Block`s.

  Raises:
    ValueError: On a bad `shortcut_type`, `depth_multiplier` or unit kind.
  """
  if shortcut_type not in resnet_utils.SHORTCUT_TYPES:
    raise ValueError('shortcut_type must be one of %s; got %r'
                     % (resnet_utils.SHORTCUT_TYPES, shortcut_type))
  if depth_multiplier <= 0:
    raise ValueError('depth_multiplier must be a positive number; got '
                     'depth_multiplier=%r' % (depth_multiplier,))
  module = resnet_v1 if version == 1 else resnet_v2
  blocks = []
  for i, (base, stride) in enumerate(zip(base_depths, STAGE_STRIDES)):
    base = max(int(base * depth_multiplier), min_base_depth)
    scope = 'block%d' % (i + 1)
    if unit_kind == 'basic':
      blocks.append(resnet_v1.basic_block_group(
          scope, base, num_units, stride, first_unit_stride=True,
          se_ratio=se_ratio, shortcut_type=shortcut_type,
          unit_fn=module.basic_block))
    elif unit_kind == 'bottleneck':
      blocks.append(resnet_v1.resnet_v1_block(
          scope, base, num_units, stride, cardinality=cardinality,
          width_per_group=width_per_group, se_ratio=se_ratio,
          unit_fn=module.bottleneck, first_unit_stride=True,
          shortcut_type=shortcut_type))
    else:
      raise ValueError("unit_kind must be 'basic' or 'bottleneck'; got %r"
                       % (unit_kind,))
  return blocks


def resnet_cifar_n(name, inputs, num_classes=None, scope=None,
                   depth_multiplier=1.0, min_base_depth=8, shortcut_type=None,
                   se_ratio=None, **kwargs):
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
  (version, unit_kind, num_units, stem_depth, base_depths, default_shortcut,
   cardinality, width_per_group) = CIFAR_CONFIGS[name]
  blocks = cifar_blocks(version, unit_kind, num_units, base_depths,
                        shortcut_type or default_shortcut, cardinality,
                        width_per_group, se_ratio, depth_multiplier,
                        min_base_depth)
  stem_depth = max(int(stem_depth * depth_multiplier), min_base_depth)
  builder = resnet_v1.resnet_v1 if version == 1 else resnet_v2.resnet_v2
  return builder(inputs, blocks, num_classes, scope=scope,
                 root_block_fn=_cifar_root(stem_depth), **kwargs)


def _cifar_root(depth):
  """The CIFAR stem: one 3x3 convolution `conv1` of `depth` filters."""
  def root(net):
    return slim.conv2d(net, depth, [3, 3], stride=1, scope='conv1')
  root.stride = 1
  return root


def _public(name, what):
  return resnet_utils.public_network(
      name, functools.partial(resnet_cifar_n, name), what,
      default_image_size=DEFAULT_IMAGE_SIZE)


resnet_cifar_20 = _public('resnet_cifar_20', 'ResNet-20 for CIFAR of [1].')
resnet_cifar_32 = _public('resnet_cifar_32', 'ResNet-32 for CIFAR of [1].')
resnet_cifar_44 = _public('resnet_cifar_44', 'ResNet-44 for CIFAR of [1].')
resnet_cifar_56 = _public('resnet_cifar_56', 'ResNet-56 for CIFAR of [1].')
resnet_cifar_110 = _public('resnet_cifar_110', 'ResNet-110 for CIFAR of [1].')
resnet_cifar_1202 = _public('resnet_cifar_1202',
                            'ResNet-1202 for CIFAR of [1].')
resnet_v2_cifar_110 = _public('resnet_v2_cifar_110',
                              'Pre-activation ResNet-110 for CIFAR of [2].')
resnet_v2_cifar_164 = _public('resnet_v2_cifar_164',
                              'Pre-activation ResNet-164 for CIFAR of [2].')
resnet_v2_cifar_1001 = _public('resnet_v2_cifar_1001',
                               'Pre-activation ResNet-1001 for CIFAR of [2].')
resnext_cifar_29_8x64d = _public('resnext_cifar_29_8x64d',
                                 'ResNeXt-29 (8x64d) for CIFAR of [3].')
resnext_cifar_29_16x64d = _public('resnext_cifar_29_16x64d',
                                  'ResNeXt-29 (16x64d) for CIFAR of [3].')
