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
r"""Regenerates tests/data/repeat_aug_sampler.json with timm's sampler.

Needs torch and timm (never installed in the project's environment; use a
separate one):

  /work/torchenv/bin/python scripts/make_repeat_aug_fixture.py

For each case (data set size, repeats, replicas) it records the indices that
timm's `RepeatAugSampler` (DeiT's RASampler) gives each rank for one epoch,
unshuffled, so that index i is the i-th record of the stream. The file is
written atomically.
"""

import json
import os

_CASES = (
  # (size, num_repeats, num_replicas)
  (10, 3, 2),
  (12, 2, 2),
  (9, 3, 3),
  (16, 2, 4),
)
_PATH = os.path.join(
  os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
  'tests',
  'data',
  'repeat_aug_sampler.json',
)


def main():
  from timm.data.distributed_sampler import RepeatAugSampler

  cases = []
  for size, repeats, replicas in _CASES:
    ranks = [
      list(
        RepeatAugSampler(
          list(range(size)),
          num_replicas=replicas,
          rank=rank,
          shuffle=False,
          num_repeats=repeats,
        )
      )
      for rank in range(replicas)
    ]
    cases.append(
      dict(size=size, num_repeats=repeats, num_replicas=replicas, ranks=ranks)
    )
  temp = _PATH + '.tmp'
  with open(temp, 'w') as f:
    json.dump(
      dict(
        source='timm.data.distributed_sampler.RepeatAugSampler', cases=cases
      ),
      f,
      indent=1,
    )
  os.replace(temp, _PATH)
  print('Wrote', _PATH)


if __name__ == '__main__':
  main()
