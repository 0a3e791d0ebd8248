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
"""Squeeze-and-Excitation ResNets and ResNeXts.

[1] Jie Hu, Li Shen, Gang Sun. Squeeze-and-Excitation Networks.
    arXiv:1709.01507

SE-ResNet is `resnet_v1.bottleneck` with `se_ratio=16`: the residual branch is
scaled channel-wise by a gate (global average pool, 1x1 `fc1` with biases and
ReLU to depth // 16, 1x1 `fc2` with biases and sigmoid) before the addition,
in the scope `.../bottleneck_v1/se` (figure 3 of [1]). SE-ResNeXt adds the
ResNeXt options. The gate works the same in pre-activation units
(`resnet_v2.bottleneck(..., se_ratio=16)`). Variables of the plain network keep
their names; `se/fc1` and `se/fc2` are additional.

Typical use:

   from nets import resnet_v1, se_resnet
   with slim.arg_scope(resnet_v1.resnet_arg_scope()):
     net, end_points = se_resnet.se_resnet_50(inputs, 1000, is_training=False)
"""

import functools

from nets import resnet_builder
from nets import resnet_v1
from nets import signatures

# The reduction ratio r of [1], section 6.1.
SE_RATIO = 16

# name: (depth, cardinality, width_per_group); cardinality 1 is a plain ResNet.
SE_CONFIGS = {
  'se_resnet_50': (50, 1, None),
  'se_resnet_101': (101, 1, None),
  'se_resnet_152': (152, 1, None),
  'se_resnext_50_32x4d': (50, 32, 4),
  'se_resnext_101_32x4d': (101, 32, 4),
}


def _public(name, config=None, note='', **options):
  depth, cardinality, width = SE_CONFIGS[config or name]
  what = (
    'SE-ResNet-%d' % depth
    if cardinality == 1
    else 'SE-ResNeXt-%d (%dx%dd)' % (depth, cardinality, width)
  )
  return signatures.public_network(
    name,
    functools.partial(resnet_v1.resnet_v1_n, depth),
    '%s of [1]%s.' % (what, note),
    cardinality=cardinality,
    width_per_group=width,
    se_ratio=SE_RATIO,
    **options,
  )


se_resnet_50 = _public('se_resnet_50')
se_resnet_101 = _public('se_resnet_101')
se_resnet_152 = _public('se_resnet_152')
se_resnext_50_32x4d = _public('se_resnext_50_32x4d')
se_resnext_101_32x4d = _public('se_resnext_101_32x4d')
# Imported weights: timm's seresnext50_32x4d and seresnext101_32x4d. Its SE
# gate has make_divisible(depth / 16, 8) channels, which is depth // 16 for
# every unit depth of these networks (256 ... 2048).
TIMM_NOTE = (
  " in timm's layout (torchvision's: symmetric pool1 padding, strides in "
  'the first unit of blocks 2-4, in the 3x3 conv), for weights converted '
  'by convert_weights.py'
)
se_resnext_50_32x4d_timm = _public(
  'se_resnext_50_32x4d_timm',
  'se_resnext_50_32x4d',
  TIMM_NOTE,
  **resnet_builder.TORCHVISION_LAYOUT,
)
se_resnext_101_32x4d_timm = _public(
  'se_resnext_101_32x4d_timm',
  'se_resnext_101_32x4d',
  TIMM_NOTE,
  **resnet_builder.TORCHVISION_LAYOUT,
)
