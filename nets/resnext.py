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
"""ResNeXt: ResNet v1 with grouped bottlenecks.

[1] Saining Xie, Ross Girshick, Piotr Dollar, Zhuowen Tu, Kaiming He.
    Aggregated Residual Transformations for Deep Neural Networks.
    arXiv:1611.05431

A ResNeXt "NxMd" network is `resnet_v1.bottleneck` with `cardinality=N` and a
bottleneck depth of `N * M * base_depth / 64` (table 1 of [1]; the width rule
of torchvision and timm), the grouped 3x3 convolution in `conv2`, the output
depth `4 * base_depth` as in ResNet. No new unit code: these are rows of
options over `resnet_v1.resnet_v1_n`, with slim's layout (stride in the last
unit of a block), so `output_stride` and every other `resnet_v1` argument
work as there.

Typical use:

   from nets import resnet_v1, resnext
   with slim.arg_scope(resnet_v1.resnet_arg_scope()):
     net, end_points = resnext.resnext_50_32x4d(inputs, 1000,
                                                is_training=False)
"""

import functools

from nets import resnet_builder
from nets import resnet_v1
from nets import signatures

# name: (depth, cardinality, width_per_group), from table 1 and section 5.1 of
# [1].
RESNEXT_CONFIGS = {
  'resnext_50_32x4d': (50, 32, 4),
  'resnext_101_32x4d': (101, 32, 4),
  'resnext_101_32x8d': (101, 32, 8),
  'resnext_101_64x4d': (101, 64, 4),
}


def _public(name, config=None, note='', **options):
  depth, cardinality, width = RESNEXT_CONFIGS[config or name]
  return signatures.public_network(
    name,
    functools.partial(resnet_v1.resnet_v1_n, depth),
    'ResNeXt-%d (%dx%dd) of [1]%s.' % (depth, cardinality, width, note),
    cardinality=cardinality,
    width_per_group=width,
    **options,
  )


resnext_50_32x4d = _public('resnext_50_32x4d')
resnext_101_32x4d = _public('resnext_101_32x4d')
resnext_101_32x8d = _public('resnext_101_32x8d')
resnext_101_64x4d = _public('resnext_101_64x4d')
# Imported weights: torchvision's resnext50_32x4d and resnext101_32x8d.
resnext_50_32x4d_tv = _public(
  'resnext_50_32x4d_tv',
  'resnext_50_32x4d',
  resnet_v1.TORCHVISION_NOTE,
  **resnet_builder.TORCHVISION_LAYOUT,
)
resnext_101_32x8d_tv = _public(
  'resnext_101_32x8d_tv',
  'resnext_101_32x8d',
  resnet_v1.TORCHVISION_NOTE,
  **resnet_builder.TORCHVISION_LAYOUT,
)
