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
"""The committed torchvision fixture: seeded weights and recorded outputs.

`scripts/make_torchvision_fixture.py` (needs torch and torchvision) builds
each model of `MODELS` with torchvision's own model code, gives it the
weights `seeded_state_dict` makes from the model's state-dict names and
shapes (He-scaled convolutions; batch-norm gammas, betas and running
statistics far from the identity), runs it in eval mode on `input_image`
at each size of `SIZES`, and for the bottleneck models also with
`replace_stride_with_dilation` (output stride 16 and 8), and stores in
`FIXTURE_PATH`:

  <model>/state_dict   JSON [[name, shape, dtype], ...] in torchvision's order
  <model>/checksum     float64 sum of |w| over the seeded state dict
  <model>/logits/<size>/<output_stride or 32>   float32 [1, 1000]
  versions             JSON {torch, torchvision, numpy}

The weights themselves are not stored (ResNet-50 alone is 100 MB): this
module regenerates them bit for bit from the names, shapes and seed
(numpy's legacy `RandomState` stream is frozen), and the checksum proves it.
So the tests compare our networks with torchvision's real outputs without
torch, with a fixture of a few hundred kilobytes. Only numpy is imported
here, so the fixture script runs in a torch environment without TensorFlow.
"""

import json
import os
import zlib

import numpy as np

FIXTURE_PATH = os.path.join(
  os.path.dirname(os.path.abspath(__file__)), 'data', 'torchvision_fixture.npz'
)
# A small real .safetensors file written by the `safetensors` package (by the
# same script), to check our reader against the real writer.
SAFETENSORS_SAMPLE_PATH = os.path.join(
  os.path.dirname(os.path.abspath(__file__)),
  'data',
  'safetensors_sample.safetensors',
)

# torchvision builder -> our registered network.
MODELS = {
  'resnet18': 'resnet_v1_18_tv',
  'resnet34': 'resnet_v1_34_tv',
  'resnet50': 'resnet_v1_50_tv',
  'resnet101': 'resnet_v1_101_tv',
  'resnet152': 'resnet_v1_152_tv',
  'resnext50_32x4d': 'resnext_50_32x4d_tv',
  'resnext101_32x8d': 'resnext_101_32x8d_tv',
}
# torchvision refuses dilation in basic blocks (resnet18/34).
DILATED_MODELS = (
  'resnet50',
  'resnet101',
  'resnet152',
  'resnext50_32x4d',
  'resnext101_32x8d',
)
# torchvision's replace_stride_with_dilation for each output stride.
DILATION = {16: (False, False, True), 8: (False, True, True)}
SIZES = (224, 225)
NOMINAL_OUTPUT_STRIDE = 32


def seed(model):
  return zlib.crc32(model.encode('utf-8'))


def seeded_state_dict(spec, model_seed, last_bn_scale=1.0):
  """The fixture's weights for a state-dict spec [[name, shape, dtype]].

  Convolutions get He-normal weights (std sqrt(2 / fan_in)), the fc layer
  std sqrt(1 / fan_in); batch-norm gammas and running variances U(0.5, 1.5),
  betas, running means and biases N(0, 0.1^2); num_batches_tracked a count.
  `last_bn_scale` multiplies the gamma of each bottleneck unit's last batch
  norm (`<unit>.bn3.weight`) after the draw, so the random stream is the same
  for every scale: below 1 each residual branch adds less than the shortcut
  carries, as zero-initialised last gammas do in training.
  """
  rng = np.random.RandomState(model_seed)
  state = {}
  for name, shape, dtype in spec:
    shape = tuple(shape)
    last = name.rsplit('.', 1)[-1]
    if last == 'num_batches_tracked':
      state[name] = np.array(rng.randint(1, 1000), dtype=np.int64)
      continue
    if last == 'weight' and len(shape) > 1:
      fan_in = int(np.prod(shape[1:]))
      gain = 2.0 if len(shape) == 4 else 1.0
      value = rng.normal(0.0, np.sqrt(gain / fan_in), shape)
    elif last in ('weight', 'running_var'):
      value = rng.uniform(0.5, 1.5, shape)
    else:
      value = rng.normal(0.0, 0.1, shape)
    if name.endswith('.bn3.weight'):
      value = value * last_bn_scale
    state[name] = value.astype(np.dtype(dtype))
  return state


def checksum(state):
  return float(sum(np.abs(v.astype(np.float64)).sum() for v in state.values()))


def input_image(size):
  """The input of the recorded outputs: [1, size, size, 3] (NHWC)."""
  rng = np.random.RandomState(size)
  return rng.uniform(-2.0, 2.0, (1, size, size, 3)).astype(np.float32)


def logits_key(model, size, output_stride=NOMINAL_OUTPUT_STRIDE):
  return '%s/logits/%d/%d' % (model, size, output_stride)


def load(path=FIXTURE_PATH):
  """A fixture (this one by default) as a dict, JSON entries decoded."""
  with np.load(path, allow_pickle=False) as data:
    fixture = {}
    for key in data.files:
      value = data[key]
      if key == 'versions' or key.endswith('/state_dict'):
        value = json.loads(str(value))
      fixture[key] = value
  return fixture


def state_dict(fixture, model, last_bn_scale=1.0):
  """The seeded state dict of `model`, checked against the fixture."""
  state = seeded_state_dict(
    fixture[model + '/state_dict'], seed(model), last_bn_scale
  )
  expected = float(fixture[model + '/checksum'])
  if not np.isclose(checksum(state), expected, rtol=1e-12, atol=0.0):
    raise ValueError(
      'The seeded weights of %s do not reproduce the '
      "fixture's (checksum %r, expected %r): regenerate it with its "
      'script, scripts/make_torchvision_fixture.py or make_timm_fixture.py'
      % (model, checksum(state), expected)
    )
  return state
