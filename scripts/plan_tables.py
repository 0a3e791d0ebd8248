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
r"""Markdown tables of the cluster plan's JSON lines (for docs/distributed.md).

  python -m utils.distributed.plan --json ... | python scripts/plan_tables.py

One table per link bandwidth: per worker count, the predicted step time and
scaling efficiency of asynchronous and synchronous ps/worker and of ring
all-reduce, the bytes on the network per asynchronous global step and on
its busiest ps, and the smallest ps count whose links keep up. Then the
imbalance lines (largest ps load / mean) of each ps strategy.
"""

import collections
import json
import sys


def render(lines):
  """The markdown of the plan's JSON lines."""
  rows = collections.defaultdict(dict)
  imbalance = []
  for line in lines:
    if not line.strip():
      continue
    record = json.loads(line)
    if 'imbalance' in record:
      imbalance.append(record)
      continue
    key = (record['bandwidth_gbps'], record['workers'])
    rows[key][record['mode']] = record
  out = []
  for bandwidth in sorted({b for b, _ in rows}):
    first = next(r for (b, _), r in sorted(rows.items()) if b == bandwidth)
    ps_tasks = first['async']['ps_tasks']
    out.append(
      '%g Gb/s links, %d ps tasks, compute %.3f s per step:'
      % (bandwidth, ps_tasks, first['async']['compute_seconds'])
    )
    out.append('')
    out.append(
      '| workers | async step s (eff.) | sync step s (eff.) '
      '| all-reduce step s (eff.) | async MB / global step '
      '| busiest ps MB | smallest ps count |'
    )
    out.append('|---:|---:|---:|---:|---:|---:|---:|')
    for (b, workers), modes in sorted(rows.items()):
      if b != bandwidth:
        continue
      cells = [
        '%.3f (%.2f)' % (modes[m]['predicted_step_s'], modes[m]['efficiency'])
        for m in ('async', 'sync', 'allreduce')
      ]
      smallest = modes['async']['min_ps_tasks']
      out.append(
        '| %d | %s | %.1f | %.1f | %s |'
        % (
          workers,
          ' | '.join(cells),
          modes['async']['bytes_per_step'] / 1e6,
          modes['async']['busiest_ps_bytes_per_step'] / 1e6,
          'none up to 64' if smallest is None else smallest,
        )
      )
    out.append('')
  if imbalance:
    out.append('| ps strategy | ps tasks | busiest ps / mean |')
    out.append('|---|---:|---:|')
    for record in imbalance:
      out.append(
        '| %s | %d | %.2f |'
        % (record['ps_strategy'], record['ps_tasks'], record['imbalance'])
      )
    out.append('')
  return '\n'.join(out)


if __name__ == '__main__':
  sys.stdout.write(render(sys.stdin.readlines()))
