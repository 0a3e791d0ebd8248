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
"""The committed fixture of timm's and torchvision's stronger ResNets.

As tests/torchvision_fixture.py, for the networks of timm's ResNet-D and
SE-ResNeXt layouts and torchvision's wide ResNets:
`scripts/make_timm_fixture.py` (needs torch, torchvision and timm) builds
each model of `MODELS` with its library's own code, loads the weights
`torchvision_fixture.seeded_state_dict` makes from the model's state-dict
names and shapes, runs it in eval mode on `torchvision_fixture.input_image`
at each size of `torchvision_fixture.SIZES` (torchvision's wide ResNets also
with `replace_stride_with_dilation`, output stride 16 and 8), and stores in
`FIXTURE_PATH`:

  <model>/state_dict   JSON [[name, shape, dtype], ...] in the model's order
  <model>/checksum     float64 sum of |w| over the seeded state dict
  <model>/num_params   the model's parameter count (its `parameters()`)
  <model>/logits/<size>/<output_stride or 32>   float32 [1, 1000]
  <model>/float64_error   the largest relative difference, over the sizes,
                       between the source's float32 logits and those of the
                       same model run in float64 (how well the recorded
                       logits are conditioned)
  versions             JSON {torch, torchvision, timm, numpy}

The `_tiny` models are the same builders with one unit per block (timm's
`layers=(1, 1, 1, 1)`; torchvision's `ResNet` class with those layers), so
that every layout is compared with its source in `make test`.

The full SE-ResNeXts get their bottlenecks' last batch-norm gammas scaled
by `SE_LAST_BN_SCALE` (`Model.last_bn_scale`): with the plain seeded gammas
their activations grow about 1.4 times per unit and rounding errors grow
faster still, so that timm's own float32 and float64 logits differ by 4e-3
relative and no float32 comparison within 1e-5 would mean anything. With
the scaled gammas the two agree within 7e-7, as for the other models
(1.4e-6 for resnet152d, the deepest).
"""

import collections
import os

from tests import torchvision_fixture

FIXTURE_PATH = os.path.join(
  os.path.dirname(os.path.abspath(__file__)), 'data', 'timm_fixture.npz'
)

# library: 'timm' or 'torchvision'. builder: the library's model function.
# network: our registered network. units: None for the builder's network,
# or the units per block of a shallower copy. last_bn_scale: the seeded
# weights' `last_bn_scale` (torchvision_fixture.seeded_state_dict).
Model = collections.namedtuple(
  'Model',
  ['library', 'builder', 'network', 'units', 'last_bn_scale'],
  defaults=(1.0,),
)
TINY_UNITS = (1, 1, 1, 1)
SE_LAST_BN_SCALE = 0.3
MODELS = {
  'resnet18d': Model('timm', 'resnet18d', 'resnet_v1_18d', None),
  'resnet34d': Model('timm', 'resnet34d', 'resnet_v1_34d', None),
  'resnet50d': Model('timm', 'resnet50d', 'resnet_v1_50d', None),
  'resnet101d': Model('timm', 'resnet101d', 'resnet_v1_101d', None),
  'resnet152d': Model('timm', 'resnet152d', 'resnet_v1_152d', None),
  'seresnext50_32x4d': Model(
    'timm',
    'seresnext50_32x4d',
    'se_resnext_50_32x4d_timm',
    None,
    SE_LAST_BN_SCALE,
  ),
  'seresnext101_32x4d': Model(
    'timm',
    'seresnext101_32x4d',
    'se_resnext_101_32x4d_timm',
    None,
    SE_LAST_BN_SCALE,
  ),
  'wide_resnet50_2': Model(
    'torchvision', 'wide_resnet50_2', 'wide_resnet_50_2_tv', None
  ),
  'wide_resnet101_2': Model(
    'torchvision', 'wide_resnet101_2', 'wide_resnet_101_2_tv', None
  ),
  'resnet50d_tiny': Model('timm', 'resnet50d', 'resnet_v1_50d', TINY_UNITS),
  'seresnext50_32x4d_tiny': Model(
    'timm', 'seresnext50_32x4d', 'se_resnext_50_32x4d_timm', TINY_UNITS
  ),
  'wide_resnet50_2_tiny': Model(
    'torchvision', 'wide_resnet50_2', 'wide_resnet_50_2_tv', TINY_UNITS
  ),
}
# torchvision's replace_stride_with_dilation is ours under output_stride;
# timm's dilated ResNet-D pools differently (see resnet_builder's
# RESNET_D_LAYOUT), so only torchvision's models are recorded dilated.
DILATED_MODELS = tuple(
  name for name, model in MODELS.items() if model.library == 'torchvision'
)


def load():
  """The fixture as a dict (JSON entries decoded)."""
  return torchvision_fixture.load(FIXTURE_PATH)


def state_dict(fixture, model):
  """The seeded state dict of `model`, checked against the fixture."""
  return torchvision_fixture.state_dict(
    fixture, model, MODELS[model].last_bn_scale
  )
