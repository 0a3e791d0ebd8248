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
r"""Regenerates tests/data/training_fixture.json with torch and timm.

Needs torch and timm (never installed in the project's environment; use a
separate one):

  python3.11 -m venv /tmp/torchenv
  /tmp/torchenv/bin/pip install torch timm numpy
  /tmp/torchenv/bin/python scripts/make_training_fixture.py

Four float32 parameters, as the training groups them: two weights (rank 2,
one of them all zeros so its norm is 0) with weight decay, and a batch-norm
scale and a bias (rank 1) without. Each optimizer takes three steps on fixed
gradients with a learning rate that changes every step; the file records the
initial values, the gradients, the learning rates and the parameters after
each step of

  * `torch.optim.AdamW` (decoupled weight decay 0.05, eps 1e-8), and
  * `timm.optim.Lamb` with its defaults (eps 1e-6, global gradient-norm
    clipping at `max_grad_norm=1.0`, trust ratio only where weight decay
    applies), weight decay 0.02; the gradients' global norm is above 1 at
    every step, so the clipping is exercised.

It also records timm's `BinaryCrossEntropy` (mean over batch and classes) of
fixed logits on integer labels with label smoothing 0.1, and on mixed
targets, each without and with `target_threshold=0.2`.

The file is written atomically.
"""

import json
import os

import numpy as np
import timm
from timm.loss import BinaryCrossEntropy
from timm.optim import Lamb
import torch

_OUTPUT = os.path.join(
  os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
  'tests',
  'data',
  'training_fixture.json',
)

# name -> (shape, decayed): rank >= 2 decayed, rank <= 1 not.
_PARAMS = (
  ('weights', (3, 4), True),
  ('zero_weights', (2, 2), True),
  ('gamma', (4,), False),
  ('biases', (5,), False),
)
_LEARNING_RATES = (0.01, 0.005, 0.002)
_ADAMW = dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05)
_LAMB = dict(betas=(0.9, 0.999), eps=1e-6, weight_decay=0.02, max_grad_norm=1.0)


def _inputs():
  rng = np.random.RandomState(19)
  initial, grads = {}, []
  for name, shape, _ in _PARAMS:
    value = rng.uniform(-1, 1, shape).astype(np.float32)
    initial[name] = np.zeros(shape, np.float32) if 'zero' in name else value
  for _ in _LEARNING_RATES:
    grads.append(
      {
        name: rng.normal(0, 1, shape).astype(np.float32)
        for name, shape, _ in _PARAMS
      }
    )
  return initial, grads


def _run(make_optimizer, weight_decay, initial, grads):
  params = {
    name: torch.nn.Parameter(torch.tensor(initial[name]))
    for name, _, _ in _PARAMS
  }
  groups = [
    {'params': [params[n] for n, _, d in _PARAMS if d]},
    {'params': [params[n] for n, _, d in _PARAMS if not d], 'weight_decay': 0},
  ]
  optimizer = make_optimizer(groups, weight_decay)
  after = []
  for lr, step_grads in zip(_LEARNING_RATES, grads):
    for group in optimizer.param_groups:
      group['lr'] = lr
    for name, param in params.items():
      param.grad = torch.tensor(step_grads[name])
    optimizer.step()
    after.append({n: p.detach().numpy().tolist() for n, p in params.items()})
  return after


def _bce():
  rng = np.random.RandomState(20)
  logits = rng.normal(0, 2, (4, 5)).astype(np.float32)
  labels = np.array([0, 3, 4, 1], np.int64)
  # Mixed targets as mixup makes them (lam 0.7, the batch flipped) from
  # labels smoothed by 0.1.
  smooth = np.full((4, 5), 0.1 / 5, np.float32)
  smooth[np.arange(4), labels] += 0.9
  mixed = (0.7 * smooth + 0.3 * smooth[::-1]).astype(np.float32)
  cases = {}
  for threshold in (None, 0.2):
    suffix = '' if threshold is None else '_threshold'
    loss = BinaryCrossEntropy(smoothing=0.1, target_threshold=threshold)
    cases['labels' + suffix] = float(
      loss(torch.tensor(logits), torch.tensor(labels))
    )
    cases['mixed' + suffix] = float(
      loss(torch.tensor(logits), torch.tensor(mixed))
    )
  return {
    'logits': logits.tolist(),
    'labels': labels.tolist(),
    'mixed_targets': mixed.tolist(),
    'label_smoothing': 0.1,
    'target_threshold': 0.2,
    'loss': cases,
  }


def main():
  initial, grads = _inputs()
  adamw = _run(
    lambda groups, wd: torch.optim.AdamW(
      groups,
      lr=_LEARNING_RATES[0],
      betas=_ADAMW['betas'],
      eps=_ADAMW['eps'],
      weight_decay=wd,
      foreach=False,
    ),
    _ADAMW['weight_decay'],
    initial,
    grads,
  )
  lamb = _run(
    lambda groups, wd: Lamb(
      groups,
      lr=_LEARNING_RATES[0],
      betas=_LAMB['betas'],
      eps=_LAMB['eps'],
      weight_decay=wd,
      max_grad_norm=_LAMB['max_grad_norm'],
      foreach=False,
    ),
    _LAMB['weight_decay'],
    initial,
    grads,
  )
  fixture = {
    'versions': {'torch': torch.__version__, 'timm': timm.__version__},
    'params': [[n, list(s), d] for n, s, d in _PARAMS],
    'initial': {n: v.tolist() for n, v in initial.items()},
    'grads': [{n: g.tolist() for n, g in step.items()} for step in grads],
    'learning_rates': list(_LEARNING_RATES),
    'adamw': {
      'betas': list(_ADAMW['betas']),
      'eps': _ADAMW['eps'],
      'weight_decay': _ADAMW['weight_decay'],
      'after_step': adamw,
    },
    'bce': _bce(),
    'lamb': {
      'betas': list(_LAMB['betas']),
      'eps': _LAMB['eps'],
      'weight_decay': _LAMB['weight_decay'],
      'max_grad_norm': _LAMB['max_grad_norm'],
      'after_step': lamb,
    },
  }
  tmp = _OUTPUT + '.tmp'
  with open(tmp, 'w') as f:
    json.dump(fixture, f, indent=1)
    f.write('\n')
  os.replace(tmp, _OUTPUT)
  print('Wrote %s' % _OUTPUT)


if __name__ == '__main__':
  main()
