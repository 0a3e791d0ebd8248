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
"""Wide ResNets: ResNet v1 bottlenecks with twice the inner width.

[1] Sergey Zagoruyko, Nikos Komodakis. Wide Residual Networks.
    arXiv:1605.07146

torchvision's (and timm's) `wide_resnet50_2` and `wide_resnet101_2` are the
bottleneck "WRN-50-2" of [1] (section 4, ImageNet): ResNet-50/101 whose
bottleneck convolutions (`conv1`, `conv2`, the input of `conv3`) are twice
as wide, 128 ... 1024 channels, while each unit's output depth stays
`4 * base_depth`. That is `resnet_v1.bottleneck` with `width_per_group=128`
(the ResNeXt width rule with one group), in torchvision's layout, so no new
unit code: these are rows of options over `resnet_v1.resnet_v1_n`.

Typical use:

   from nets import resnet_v1, wide_resnet
   with slim.arg_scope(resnet_v1.resnet_arg_scope()):
     net, end_points = wide_resnet.wide_resnet_50_2_tv(inputs, 1000,
                                                      is_training=False)
"""

import functools

from nets import resnet_builder
from nets import resnet_v1
from nets import signatures

# The width of the bottleneck of base depth 64 (torchvision's
# width_per_group): twice the 64 of ResNet.
WIDTH_PER_GROUP = 128


def _public(depth, name):
  return signatures.public_network(
    name,
    functools.partial(resnet_v1.resnet_v1_n, depth),
    'Wide ResNet-%d-2 (bottleneck) of [1]%s.'
    % (depth, resnet_v1.TORCHVISION_NOTE),
    width_per_group=WIDTH_PER_GROUP,
    **resnet_builder.TORCHVISION_LAYOUT,
  )


# Imported weights: torchvision's wide_resnet50_2 and wide_resnet101_2.
wide_resnet_50_2_tv = _public(50, 'wide_resnet_50_2_tv')
wide_resnet_101_2_tv = _public(101, 'wide_resnet_101_2_tv')
