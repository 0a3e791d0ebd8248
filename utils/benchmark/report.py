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
"""The arithmetic and the report of the benchmark (`grid.py`).

Throughput is the median images/s over the timed steps, with the min-max
spread. Achieved GFLOP/s is 2 * MACs * (3 for training, 1 for inference) *
images/s. Ratios of implementations timed together are medians of per-round
ratios; `format_table` prints both, `write_json_lines` keeps every result.
"""

import collections
import json
import os
import statistics

import numpy as np

from utils.benchmark import machine
from utils.benchmark import registry

_KEY_FIELDS = (
  'implementation model_name mode precision xla batch_size image_size data'
).split()
# The ratios within one implementation: (field, baseline's value, label).
_WITHIN = (
  ('precision', 'fp32', '%(implementation)s %(precision)s / fp32'),
  ('xla', False, '%(implementation)s XLA on / off'),
  ('data', 'synthetic', 'real data / synthetic images'),
)
# Training does ~3x the forward work (forward, input and filter gradients).
TRAIN_WORK_FACTOR = 3


def images_per_second_stats(step_seconds, batch_size):
  """Median, min and max images/s over per-step times (seconds)."""
  if not step_seconds:
    raise ValueError('No step was timed; got step_seconds=%r' % (step_seconds,))
  rates = [batch_size / s for s in step_seconds]
  return {
    'images_per_sec': statistics.median(rates),
    'images_per_sec_min': min(rates),
    'images_per_sec_max': max(rates),
  }


def latency_stats(latency_seconds):
  """Median and 99th percentile (linear interpolation) in milliseconds."""
  if not latency_seconds:
    raise ValueError(
      'No latency was timed; got latency_seconds=%r' % (latency_seconds,)
    )
  milliseconds = 1000.0 * np.asarray(latency_seconds, np.float64)
  return {
    'latency_ms_p50': float(np.percentile(milliseconds, 50)),
    'latency_ms_p99': float(np.percentile(milliseconds, 99)),
  }


def achieved_gflops(gmacs_per_image, images_per_sec, mode):
  """2 * MACs * (3 for training, 1 for inference) * images/s, in GFLOP/s."""
  factor = TRAIN_WORK_FACTOR if mode == 'train' else 1
  return 2.0 * gmacs_per_image * factor * images_per_sec


def add_stats(result, peaks=None):
  """Sets the statistics of `result` from its 'step_seconds' and
  'latency_seconds' (if any), and its 'peak_gflops' and 'peak_fraction' if
  `peaks` ({precision: matmul GFLOP/s}) has its precision; returns it."""
  result.update(
    images_per_second_stats(result['step_seconds'], result['batch_size'])
  )
  if result.get('latency_seconds'):
    result.update(latency_stats(result['latency_seconds']))
  result['achieved_gflops'] = achieved_gflops(
    result['gmacs_per_image'], result['images_per_sec'], result['mode']
  )
  if result['precision'] in (peaks or {}):
    result['peak_gflops'] = peaks[result['precision']]
    result['peak_fraction'] = result['achieved_gflops'] / result['peak_gflops']
  return result


def _key(result, **changes):
  """The result's setting key, with some of `_KEY_FIELDS` changed."""
  return tuple(changes.get(f, result[f]) for f in _KEY_FIELDS)


def speed_ratio(numerator, denominator, field='step_seconds'):
  """How many times faster `numerator` ran than `denominator`.

  For results timed together (the same non-empty 'pair_ids'), the median
  of the per-round ratios of step times (both steps of a round saw the same
  load); otherwise the ratio of the medians. `field='latency_seconds'`
  compares the batch-1 runs the same way.
  """
  pair_ids = numerator.get('pair_ids')
  if (
    pair_ids
    and pair_ids == denominator.get('pair_ids')
    and len(numerator[field]) == len(denominator[field])
  ):
    return statistics.median(
      d / n for n, d in zip(numerator[field], denominator[field])
    )
  if field == 'step_seconds':
    return numerator['images_per_sec'] / denominator['images_per_sec']
  return statistics.median(denominator[field]) / statistics.median(
    numerator[field]
  )


def _setting_label(result):
  """'model mode precision [xla] [data] bN Spx' of a result."""
  words = [result['model_name'], result['mode'], result['precision']]
  if result['xla']:
    words.append('xla')
  if result['data'] != 'synthetic':
    words.append(result['data'])
  words.append('b%d %dpx' % (result['batch_size'], result['image_size']))
  return ' '.join(words)


def comparison_ratios(results):
  """The speed ratios (`speed_ratio`) of the results timed together.

  Returns:
    A list of (description, ratio) for every pair present in `results`:
    each implementation against the baselines its registry class declares
    (at the batch size, and at batch 1 where declared), and within one
    implementation: a precision / fp32, XLA on / off, real data / synthetic
    images.
  """
  by_key = {_key(r): r for r in results}
  ratios = []
  for result in by_key.values():
    pairs = []  # (denominator's key, what, field)
    cls = registry.RUNNERS.get(result['implementation'])
    for baseline in cls.baselines if cls else ():
      fp32 = {'precision': 'fp32'} if baseline.fp32 else {}
      other = _key(result, implementation=baseline.name, **fp32)
      what = baseline.label % result
      pairs.append((other, what, 'step_seconds'))
      if baseline.latency:
        pairs.append((other, what + ', batch 1', 'latency_seconds'))
    for field, base, label in _WITHIN:
      if result[field] != base:
        other = _key(result, **{field: base})
        pairs.append((other, label % result, 'step_seconds'))
    for other, what, field in pairs:
      denominator = by_key.get(other)
      measured = field == 'step_seconds' or (
        result.get(field) and denominator and denominator.get(field)
      )
      if denominator is None or not measured:
        continue
      ratio = speed_ratio(result, denominator, field)
      ratios.append(('%s: %s' % (_setting_label(result), what), ratio))
  return ratios


_HEADER = (
  '%-11s %-18s %-9s %-8s %-3s %-9s %5s %4s %9s %19s %7s %8s %6s %5s %8s %8s'
) % tuple(
  'impl|model|mode|prec|xla|data|batch|size|img/s|[min - max]|GMACs|GFLOP/s'
  '|%peak|bf16|b1 ms|b1 p99'.split('|')
)
_ROW = (
  '%(implementation)-11s %(model_name)-18s %(mode)-9s %(precision)-8s '
  '%(xla)-3s %(data)-9s %(batch_size)5d %(image_size)4d '
  '%(images_per_sec)9.2f [%(images_per_sec_min)7.2f - '
  '%(images_per_sec_max)7.2f] %(gmacs_per_image)7.3f %(achieved_gflops)8.1f '
  '%(peak)6s %(bf16)5s %(b1)8s %(p99)8s'
)


def _optional(value, fmt='%.2f'):
  return '-' if value is None else fmt % value


def format_progress(result, label):
  """The progress lines of one result of a measurement over `label`."""
  line = '  %s%s%s: %.2f images/s' % (
    result['implementation'],
    '' if result['precision'] == label else ' ' + result['precision'],
    '' if result['data'] == 'synthetic' else ' on ' + result['data'],
    result['images_per_sec'],
  )
  if 'latency_ms_p50' in result:
    line += '; batch 1: %.2f ms (p99 %.2f ms)' % (
      result['latency_ms_p50'],
      result['latency_ms_p99'],
    )
  if 'op_seconds_by_type' in result:
    line += '\n  op time (one traced step): ' + ', '.join(
      '%s %.2fs' % item for item in result['op_seconds_by_type'].items()
    )
  return line


def format_table(results, peaks=None, machine_info=None):
  """The results as a text table (and the ratios below it).

  With `machine_info` (`machine.describe()`), the table starts with the CPU
  model and its matrix units, and the matmul peaks name the units again.
  """
  peaks = peaks or {}
  lines = [_HEADER, '-' * len(_HEADER)]
  if machine_info:
    lines.insert(0, machine.format_machine(machine_info))
  for r in results:
    peak = peaks.get(r['precision'])
    percent = 100.0 * r['achieved_gflops'] / peak if peak else None
    lines.append(
      _ROW
      % dict(
        r,
        xla='on' if r['xla'] else 'off',
        data=r['data'][:9],
        peak=_optional(percent, '%.1f'),
        bf16=_optional(r.get('bfloat16_conv_fraction')),
        b1=_optional(r.get('latency_ms_p50')),
        p99=_optional(r.get('latency_ms_p99')),
      )
    )
  if peaks:
    units = ''
    if machine_info:
      units = ' '.join(machine_info['cpu_matrix_units']) or 'none'
      units = '; matrix units: ' + units
    lines.append(
      'matmul peak (GFLOP/s): '
      + ', '.join('%s %.1f' % item for item in sorted(peaks.items()))
      + units
    )
  ratios = comparison_ratios(results)
  if ratios:
    lines.append('speed ratios (paired: median of per-round ratios):')
    lines.extend('  %-76s %6.3fx' % item for item in ratios)
  return '\n'.join(lines)


def write_json_lines(results, path, run_fields=None):
  """Appends one JSON object per result to `path`.

  Each line is the result's fields and the run's (`machine.run_fields`;
  None: this process's `machine.this_run()`).
  """
  run_fields = machine.this_run() if run_fields is None else run_fields
  os.makedirs(os.path.dirname(path) or os.curdir, exist_ok=True)
  with open(path, 'a') as f:
    for result in results:
      f.write(json.dumps(dict(result, **run_fields)) + '\n')


def merge_repeats(runs, peaks=None):
  """Merges the runs of the same setting: their steps pooled, `add_stats`
  redone (with `peaks`).

  Returns:
    One result per setting, in first-run order, with 'repeats' = the number
    of runs merged.
  """
  merged = collections.OrderedDict()
  for run in runs:
    key = _key(run)
    if key not in merged:
      merged[key] = dict(
        run, step_seconds=[], repeats=0, pair_ids=[], latency_seconds=[]
      )
      merged[key].pop('repeat', None)
    for field in ('step_seconds', 'latency_seconds', 'pair_ids'):
      merged[key][field].extend(run.get(field) or [])
    merged[key]['repeats'] += 1
  for result in merged.values():
    if not result['latency_seconds']:
      del result['latency_seconds']
    add_stats(result, peaks)
  return list(merged.values())


def format_overheads(results):
  """Text lines for `step_overhead` results: the fixed per-step cost."""
  lines = [
    'fixed per-step cost (line fit of the median step time over three '
    'batch sizes):'
  ]
  for r in results:
    lines.append(
      '  %s %s %s%s: %s -> %s s; fixed %.1f ms = %.1f%% of the %.1f ms '
      'step at batch %d'
      % (
        r['model_name'],
        r['mode'],
        r['precision'],
        ' xla' if r['xla'] else '',
        '/'.join(str(b) for b in r['overhead_batch_sizes']),
        '/'.join('%.4f' % t for t in r['overhead_step_seconds']),
        1000.0 * r['fixed_seconds_per_step'],
        100.0 * r['overhead_fraction'],
        1000.0 * r['overhead_step_seconds'][1],
        r['batch_size'],
      )
    )
  return '\n'.join(lines)
