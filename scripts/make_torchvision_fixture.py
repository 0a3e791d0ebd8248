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
r"""Regenerates tests/data/torchvision_fixture.npz with real torchvision.

Needs torch, torchvision and safetensors (never installed in the project's
environment; use a separate one):

  python3.11 -m venv /tmp/torchenv
  /tmp/torchenv/bin/pip install torch torchvision numpy safetensors
  /tmp/torchenv/bin/python scripts/make_torchvision_fixture.py

For each model of tests/torchvision_fixture.py it builds torchvision's model
(`torchvision.models.<name>()`, untrained), loads the seeded weights that
module makes from the model's own state-dict names and shapes, and records
the eval-mode logits at 224 and 225 pixels, and for bottleneck models those
of `replace_stride_with_dilation` at output stride 16 and 8. It also writes
tests/data/safetensors_sample.safetensors with the `safetensors` package.
Both files are written atomically.
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests import torchvision_fixture  # noqa: E402


def _atomic_savez(path, arrays):
  temp = path + '.tmp.npz'
  np.savez_compressed(temp, **arrays)
  os.replace(temp, path)


def _logits(torch, model, image):
  with torch.no_grad():
    batch = torch.from_numpy(np.transpose(image, (0, 3, 1, 2)).copy())
    return model(batch).numpy().astype(np.float32)


def main():
  import safetensors.numpy
  import torch
  import torchvision
  from torchvision import models

  torch.set_num_threads(2)
  arrays = {
    'versions': np.array(
      json.dumps(
        {
          'torch': torch.__version__,
          'torchvision': torchvision.__version__,
          'numpy': np.__version__,
        }
      )
    )
  }
  for name in torchvision_fixture.MODELS:
    builder = getattr(models, name)
    model = builder().eval()
    spec = [
      [key, list(value.shape), str(value.numpy().dtype)]
      for key, value in model.state_dict().items()
    ]
    state = torchvision_fixture.seeded_state_dict(
      spec, torchvision_fixture.seed(name)
    )
    model.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    arrays[name + '/state_dict'] = np.array(json.dumps(spec))
    arrays[name + '/checksum'] = np.array(torchvision_fixture.checksum(state))
    variants = [(torchvision_fixture.NOMINAL_OUTPUT_STRIDE, model)]
    if name in torchvision_fixture.DILATED_MODELS:
      for output_stride, dilation in sorted(
        torchvision_fixture.DILATION.items()
      ):
        dilated = builder(replace_stride_with_dilation=list(dilation)).eval()
        dilated.load_state_dict(
          {k: torch.from_numpy(v) for k, v in state.items()}
        )
        variants.append((output_stride, dilated))
    for size in torchvision_fixture.SIZES:
      image = torchvision_fixture.input_image(size)
      for output_stride, net in variants:
        key = torchvision_fixture.logits_key(name, size, output_stride)
        arrays[key] = _logits(torch, net, image)
        print(key, float(np.abs(arrays[key]).max()), flush=True)
  _atomic_savez(torchvision_fixture.FIXTURE_PATH, arrays)

  rng = np.random.RandomState(0)
  sample = {
    'f32': rng.normal(size=(2, 3)).astype(np.float32),
    'f16': rng.normal(size=(4,)).astype(np.float16),
    'i64': np.arange(5, dtype=np.int64).reshape(5, 1),
    'scalar': np.array(3.5, np.float64),
  }
  temp = torchvision_fixture.SAFETENSORS_SAMPLE_PATH + '.tmp'
  safetensors.numpy.save_file(sample, temp, metadata={'format': 'np'})
  os.replace(temp, torchvision_fixture.SAFETENSORS_SAMPLE_PATH)
  bf16 = torch.tensor([1.0, -2.5, 3.140625], dtype=torch.bfloat16)
  import safetensors.torch

  temp = torchvision_fixture.SAFETENSORS_SAMPLE_PATH.replace(
    '.safetensors', '_bf16.safetensors'
  )
  safetensors.torch.save_file({'bf16': bf16}, temp + '.tmp')
  os.replace(temp + '.tmp', temp)
  print(
    'Wrote',
    torchvision_fixture.FIXTURE_PATH,
    os.path.getsize(torchvision_fixture.FIXTURE_PATH),
    'bytes',
  )


if __name__ == '__main__':
  main()
