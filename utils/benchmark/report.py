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
"""The arithmetic and the report of the benchmark (`benchmark_lib.py`).

Throughput is the median images/s over the timed steps, with the min-max
spread. Achieved GFLOP/s is 2 * MACs * (3 for training, 1 for inference) *
images/s. Ratios of implementations timed together (`benchmark_paired`) are
medians of per-round ratios; `format_table` prints both, `write_json_lines`
keeps every result for later plots.
"""

import collections
import json
import os
import statistics

import numpy as np
import tensorflow.compat.v1 as tf

from utils.benchmark import machine
from utils.benchmark import registry

_KEY_FIELDS = (
  'implementation model_name mode precision xla batch_size image_size data'
).split()
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


def _key(result):
  return tuple(result[f] for f in _KEY_FIELDS)


def speed_ratio(numerator, denominator, field='step_seconds'):
  """How many times faster `numerator` ran than `denominator`.

  For results timed together (`benchmark_paired`: the same non-empty
  'pair_ids'), the median over rounds of the per-round ratio of step times:
  both steps of a round saw the same load, so this is far steadier on a
  shared machine than the ratio of the medians, which is used otherwise.
  `field='latency_seconds'` compares the batch-1 runs the same way.
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


def comparison_ratios(results):
  """The speed ratios (`speed_ratio`) of the results timed together.

  Returns:
    A list of (description, ratio) for every pair present in `results`:
    each implementation against the baselines its registry class declares
    (ours / tf_slim and ours / keras, folded / ours, tf_function / ours,
    an exported model / our fp32 eval graph at the batch size and at batch
    1, ...), and within one implementation: bfloat16, int8 or float16 /
    fp32, XLA on / off, real data / synthetic images.
  """
  by_key = {_key(r): r for r in results}
  ratios = []

  def add(numerator, denominator, what, field='step_seconds'):
    if denominator is None:
      return
    if field != 'step_seconds' and not (
      numerator.get(field) and denominator.get(field)
    ):
      return  # No latency measured.
    setting = [
      numerator['model_name'],
      numerator['mode'],
      numerator['precision'],
    ]
    if numerator['xla']:
      setting.append('xla')
    if numerator['data'] != 'synthetic':
      setting.append(numerator['data'])
    setting.append(
      'b%d %dpx' % (numerator['batch_size'], numerator['image_size'])
    )
    ratios.append(
      (
        '%s: %s' % (' '.join(setting), what),
        speed_ratio(numerator, denominator, field),
      )
    )

  for key, result in by_key.items():
    cls = registry.RUNNERS.get(result['implementation'])
    for baseline in cls.baselines if cls else ():
      other = (baseline.name,) + key[1:]
      if baseline.fp32:
        other = other[:3] + ('fp32',) + other[4:]
      what = baseline.label % result
      add(result, by_key.get(other), what)
      if baseline.latency:
        add(result, by_key.get(other), what + ', batch 1', 'latency_seconds')
    if result['precision'] != 'fp32':
      add(
        result,
        by_key.get(key[:3] + ('fp32',) + key[4:]),
        '%s %s / fp32' % (result['implementation'], result['precision']),
      )
    if result['xla']:
      add(
        result,
        by_key.get(key[:4] + (False,) + key[5:]),
        '%s XLA on / off' % result['implementation'],
      )
    if result['data'] != 'synthetic':
      add(
        result,
        by_key.get(key[:-1] + ('synthetic',)),
        'real data / synthetic images',
      )
  return ratios


def _milliseconds(value):
  return '-' if value is None else '%.2f' % value


_HEADER = (
  '%-11s %-18s %-9s %-8s %-3s %-9s %5s %4s %9s %19s %7s %8s %6s %5s %8s %8s'
)
_HEADER_NAMES = (
  'impl|model|mode|prec|xla|data|batch|size|img/s|[min - max]|GMACs|GFLOP/s'
  '|%peak|bf16|b1 ms|b1 p99'
)
_ROW = '%-11s %-18s %-9s %-8s %-3s %-9s %5d %4d %9.2f [%7.2f - %7.2f] %7.3f '
_ROW += '%8.1f %6s %5s %8s %8s'
_ROW_FIELDS = (
  'implementation model_name mode precision batch_size image_size '
  'images_per_sec images_per_sec_min images_per_sec_max gmacs_per_image '
  'achieved_gflops'
).split()


def format_table(results, peaks=None, machine_info=None):
  """The results as a text table (and the ratios below it).

  With `machine_info` (`machine.describe()`), the table starts with the CPU
  model and its matrix units, and the matmul peaks name the units again.
  """
  peaks = peaks or {}
  header = _HEADER % tuple(_HEADER_NAMES.split('|'))
  lines = [header, '-' * len(header)]
  if machine_info:
    lines.insert(0, machine.format_machine(machine_info))
  for r in results:
    peak = peaks.get(r['precision'])
    bf16 = r.get('bfloat16_conv_fraction')
    values = (
      tuple(r[name] for name in _ROW_FIELDS[:4])
      + ('on' if r['xla'] else 'off', r['data'][:9])
      + tuple(r[name] for name in _ROW_FIELDS[4:])
      + (
        '%.1f' % (100.0 * r['achieved_gflops'] / peak) if peak else '-',
        '-' if bf16 is None else '%.2f' % bf16,
        _milliseconds(r.get('latency_ms_p50')),
        _milliseconds(r.get('latency_ms_p99')),
      )
    )
    lines.append(_ROW % values)
  if peaks:
    lines.append(
      'matmul peak (GFLOP/s): '
      + ', '.join('%s %.1f' % item for item in sorted(peaks.items()))
      + (
        '; matrix units: %s'
        % (' '.join(machine_info['cpu_matrix_units']) or 'none')
        if machine_info
        else ''
      )
    )
  ratios = comparison_ratios(results)
  if ratios:
    lines.append('speed ratios (paired: median of per-round ratios):')
    lines.extend('  %-76s %6.3fx' % item for item in ratios)
  return '\n'.join(lines)


def write_json_lines(results, path, run_fields=None):
  """Appends one JSON object per result to `path`.

  Each line is the result's fields and the run's (`machine.run_fields`:
  'run_date', 'run_commit', 'run_command', 'cpu_model', 'cpu_matrix_units';
  None: this process's `machine.this_run()`).
  """
  run_fields = machine.this_run() if run_fields is None else run_fields
  directory = os.path.dirname(path)
  if directory:
    tf.io.gfile.makedirs(directory)
  with open(path, 'a') as f:
    for result in results:
      f.write(json.dumps(dict(result, **run_fields)) + '\n')


def merge_repeats(runs):
  """Merges the runs of the same setting: their steps pooled, stats redone.

  Rounds that alternate the implementations (ours, reference, ours, ...)
  spread the load of a shared machine over all of them; the median over the
  pooled steps is then a fair comparison.

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
    merged[key]['step_seconds'].extend(run['step_seconds'])
    merged[key]['latency_seconds'].extend(run.get('latency_seconds') or [])
    merged[key]['pair_ids'].extend(run.get('pair_ids') or [])
    merged[key]['repeats'] += 1
  for result in merged.values():
    result.update(
      images_per_second_stats(result['step_seconds'], result['batch_size'])
    )
    if result['latency_seconds']:
      result.update(latency_stats(result['latency_seconds']))
    else:
      del result['latency_seconds']
    result['achieved_gflops'] = achieved_gflops(
      result['gmacs_per_image'], result['images_per_sec'], result['mode']
    )
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
