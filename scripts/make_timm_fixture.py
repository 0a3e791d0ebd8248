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
r"""Regenerates tests/data/timm_fixture.npz with real timm and torchvision.

Needs torch, torchvision and timm (never installed in the project's
environment; use a separate one):

  python3.11 -m venv /tmp/torchenv
  /tmp/torchenv/bin/pip install torch torchvision timm numpy
  /tmp/torchenv/bin/python scripts/make_timm_fixture.py

For each model of tests/timm_fixture.py it builds the library's model
(`timm.create_model(<builder>)`, `torchvision.models.<builder>()`, untrained;
the `_tiny` ones with one unit per block), records its parameter count,
loads the seeded weights tests/torchvision_fixture.py makes from the model's
own state-dict names and shapes (with the model's `last_bn_scale`), and
records the eval-mode logits at 224 and 225 pixels (torchvision's models
also with `replace_stride_with_dilation` at output stride 16 and 8), and how
far they are from the same model's logits in float64. The file is written
atomically.
"""

import copy
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests import timm_fixture  # noqa: E402
from tests import torchvision_fixture  # noqa: E402


def _build(model, **kwargs):
  """The untrained source model of a `timm_fixture.Model`, in eval mode."""
  import timm
  from torchvision import models
  from torchvision.models import resnet

  if model.library == 'timm':
    if model.units is not None:
      kwargs['layers'] = model.units
    return timm.create_model(model.builder, pretrained=False, **kwargs).eval()
  if model.units is None:
    return getattr(models, model.builder)(**kwargs).eval()
  # torchvision's wide_resnet50_2 is ResNet(Bottleneck, ..., width 128).
  width = {'wide_resnet50_2': 128}[model.builder]
  return resnet.ResNet(
    resnet.Bottleneck, list(model.units), width_per_group=width, **kwargs
  ).eval()


def _logits(torch, net, image, dtype=None):
  with torch.no_grad():
    batch = torch.from_numpy(np.transpose(image, (0, 3, 1, 2)).copy())
    if dtype is None:
      return net(batch).numpy().astype(np.float32)
    return net(batch.to(dtype)).numpy()


def _float64_error(torch, net, logits):
  """Largest relative difference of `logits` {size: float32} from `net`'s
  logits in float64."""
  net64 = copy.deepcopy(net).double()
  error = 0.0
  for size, value in logits.items():
    image = torchvision_fixture.input_image(size)
    exact = _logits(torch, net64, image, torch.float64)
    error = max(
      error, float(np.max(np.abs(value - exact)) / np.max(np.abs(exact)))
    )
  return error


def main():
  import timm
  import torch
  import torchvision

  torch.set_num_threads(2)
  arrays = {
    'versions': np.array(
      json.dumps(
        {
          'torch': torch.__version__,
          'torchvision': torchvision.__version__,
          'timm': timm.__version__,
          'numpy': np.__version__,
        }
      )
    )
  }
  for name, model in timm_fixture.MODELS.items():
    net = _build(model)
    spec = [
      [key, list(value.shape), str(value.numpy().dtype)]
      for key, value in net.state_dict().items()
    ]
    state = torchvision_fixture.seeded_state_dict(
      spec, torchvision_fixture.seed(name), model.last_bn_scale
    )
    tensors = {k: torch.from_numpy(v) for k, v in state.items()}
    net.load_state_dict(tensors)
    arrays[name + '/state_dict'] = np.array(json.dumps(spec))
    arrays[name + '/checksum'] = np.array(torchvision_fixture.checksum(state))
    arrays[name + '/num_params'] = np.array(
      sum(p.numel() for p in net.parameters()), np.int64
    )
    variants = [(torchvision_fixture.NOMINAL_OUTPUT_STRIDE, net)]
    if name in timm_fixture.DILATED_MODELS:
      for output_stride, dilation in sorted(
        torchvision_fixture.DILATION.items()
      ):
        dilated = _build(model, replace_stride_with_dilation=list(dilation))
        dilated.load_state_dict(tensors)
        variants.append((output_stride, dilated))
    for size in torchvision_fixture.SIZES:
      image = torchvision_fixture.input_image(size)
      for output_stride, variant in variants:
        key = torchvision_fixture.logits_key(name, size, output_stride)
        arrays[key] = _logits(torch, variant, image)
        print(key, float(np.abs(arrays[key]).max()), flush=True)
    nominal = {
      size: arrays[torchvision_fixture.logits_key(name, size)]
      for size in torchvision_fixture.SIZES
    }
    arrays[name + '/float64_error'] = np.array(
      _float64_error(torch, net, nominal)
    )
    print(name, 'float64 error', arrays[name + '/float64_error'], flush=True)
  temp = timm_fixture.FIXTURE_PATH + '.tmp.npz'
  np.savez_compressed(temp, **arrays)
  os.replace(temp, timm_fixture.FIXTURE_PATH)
  print(
    'Wrote',
    timm_fixture.FIXTURE_PATH,
    os.path.getsize(timm_fixture.FIXTURE_PATH),
    'bytes',
  )


if __name__ == '__main__':
  main()
