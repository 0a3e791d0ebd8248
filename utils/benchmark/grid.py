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
"""A grid of benchmark settings: rounds, matmul peaks, the table, JSON lines.

`run_benchmarks` combines networks, modes, precisions and XLA settings,
checks them all before anything runs, then measures each (with
`benchmark_lib`, optionally paired with the references and repeated over
rounds), prints a table and the ratios of interest (ours / reference,
bfloat16 / fp32, folded / unfolded, XLA on / off, real / synthetic data,
exported models / our graph; `report.py`) and appends JSON lines. It is what
benchmark_networks.py runs:

  results, peaks = grid.run_benchmarks(config.BenchmarkConfig(
      ['resnet_v1_50'], modes=['train', 'inference'],
      precisions=['fp32', 'bfloat16'], compare=True, paired=True))

Library use needs TF1 graph semantics first (`nets.tf_compat.
enable_graph_mode()`), as the scripts do.
"""

import dataclasses
import itertools

from utils import precision
from utils.benchmark import benchmark_lib
from utils.benchmark import machine
from utils.benchmark import registry
from utils.benchmark import report


def run_benchmarks(config, print_fn=print):
  """Runs the grid of settings, prints the table, writes JSON lines.

  Args:
    config: A `config.BenchmarkConfig`.
    print_fn: Where the progress lines and the table go.

  Returns:
    (results, peaks): the merged result dicts, then the `step_overhead`
    results if any, and {precision: best matmul GFLOP/s}.

  Raises:
    ValueError: On a bad setting, before anything runs.
  """
  known = registry.runtimes()
  if not config.runtimes or set(config.runtimes) - set(known):
    raise ValueError(
      'runtimes must be some of %s; got %r'
      % (', '.join(known), list(config.runtimes))
    )
  if config.step_overhead:
    benchmark_lib.overhead_batch_sizes(config.setting.batch_size)
  settings = [
    dataclasses.replace(
      config.setting, model_name=m, mode=mode, precision=p, xla=x
    )
    for m, mode, p, x in itertools.product(
      config.model_names, config.modes, config.precisions, config.xla_values
    )
  ]
  plan = _plan(config, settings)
  benchmark_lib.check_data(config.setting.data)
  if any(config.xla_values):
    # Before the first session of the process (see utils/precision.py).
    precision.enable_cpu_global_jit()
  machine_info = machine.describe()
  print_fn(machine.format_machine(machine_info))
  peaks = {}
  runs = []
  timing = config.timing
  for repeat in range(config.repeats):
    # The peak is measured in every round and the best kept: on a shared
    # machine a single measurement may catch a busy moment.
    for prec in config.precisions if config.measure_peak else ():
      if prec not in precision.PRECISIONS:
        continue
      peak = benchmark_lib.matmul_peak(
        prec,
        config.peak_size,
        intra_op=timing.intra_op,
        inter_op=timing.inter_op,
      )
      peaks[prec] = max(peaks.get(prec, 0.0), peak)
      print_fn(
        'matmul %dx%d %s: %.1f GFLOP/s'
        % (config.peak_size, config.peak_size, prec, peak)
      )
    for entry in plan:
      runs.extend(_run_entry(config, entry, repeat, peaks, print_fn))
  results = report.merge_repeats(runs)
  for result in results:
    _add_peak(result, peaks)
  overheads = []
  for setting in settings if config.step_overhead else ():
    if registry.problem(registry.OURS, setting):
      continue  # The exported models' precisions: no graph of ours.
    print_fn(
      'running ours %s %s %s xla=%s at batch %d, %d and %d (fixed '
      'per-step cost) ...'
      % (
        (setting.model_name, setting.mode, setting.precision, setting.xla)
        + benchmark_lib.overhead_batch_sizes(setting.batch_size)
      )
    )
    overheads.append(benchmark_lib.step_overhead(setting, timing))
    if config.output_json:
      report.write_json_lines(overheads[-1:], config.output_json)
  print_fn(report.format_table(results, peaks, machine_info))
  if overheads:
    print_fn(report.format_overheads(overheads))
  return results + overheads, peaks


def _plan(config, settings):
  """Checks each setting; returns the measurements of one round.

  Returns:
    A list of (members, setting, label, synthetic_baseline) tuples, one per
    `benchmark_paired` call: members are (implementation, precision) pairs,
    label names the precisions ('fp32/int8' for a paired run over them).

  Raises:
    ValueError: On a bad setting, or a precision that nothing runs.
  """
  data = config.setting.data
  selected = [
    cls
    for cls in registry.RUNNERS.values()
    if cls.runtime in config.runtimes
    and (cls.option is None or getattr(config, cls.option))
  ]
  primaries = [registry.primary(r) for r in config.runtimes]
  synthetic_only = [cls.runtime for cls in primaries if not cls.real_data]
  if synthetic_only and data is not None:
    raise ValueError(
      'The %s runtime(s) run on synthetic images only; got data in %r'
      % ('/'.join(synthetic_only), data.dataset_dir)
    )
  groups = {}  # (model_name, mode, xla) -> [(setting, members)]
  for setting in settings:
    benchmark_lib.check_setting(setting)
    members = [
      cls
      for cls in selected
      if not registry.problem(cls, setting) and not cls.available()
    ]
    if not members:
      # Nothing runs it: the closest implementation's error says why.
      closest = [c for c in primaries if setting.precision in c.precisions]
      registry.check((closest or primaries)[0], setting)
      raise ValueError(
        'precision=%r has nothing to run with runtimes %s (the exported '
        'models run inference only)'
        % (setting.precision, ','.join(config.runtimes))
      )
    key = (setting.model_name, setting.mode, setting.xla)
    groups.setdefault(key, []).append((setting, members))
  baseline = config.synthetic_baseline and data is not None
  plan = []
  for entries in groups.values():
    pairs = [[(c.name, s.precision) for c in m] for s, m in entries]
    across = any(
      c.runtime != registry.OURS.runtime for _, m in entries for c in m
    )
    if config.paired and across:
      # One paired run over the precisions too: the exported models' int8
      # against our fp32 graph is the comparison of interest.
      label = '/'.join(s.precision for s, _ in entries)
      plan.append((sum(pairs, []), entries[0][0], label, baseline))
    elif config.paired:
      plan.extend(
        (p, s, s.precision, baseline) for p, (s, _) in zip(pairs, entries)
      )
    else:
      for p, (s, _) in zip(pairs, entries):
        plan.extend(([member], s, s.precision, False) for member in p)
        if baseline:
          plan.append(
            (
              [(registry.OURS.name, s.precision)],
              dataclasses.replace(s, data=None),
              s.precision,
              False,
            )
          )
  return plan


def _add_peak(result, peaks):
  if result['precision'] in peaks:
    result['peak_gflops'] = peaks[result['precision']]
    result['peak_fraction'] = result['achieved_gflops'] / result['peak_gflops']


def _run_entry(config, entry, repeat, peaks, print_fn):
  """Runs one measurement of the plan; returns its result dicts."""
  pairs, setting, label, baseline = entry
  names = [name for name, _ in pairs]
  print_fn(
    'running %s%s %s %s %s xla=%s on %s (round %d of %d) ...'
    % (
      '+'.join(dict.fromkeys(names)),
      '+synthetic' if baseline else '',
      setting.model_name,
      setting.mode,
      label,
      setting.xla,
      'synthetic images' if setting.data is None else setting.data.dataset_dir,
      repeat + 1,
      config.repeats,
    )
  )
  timing = config.timing
  if setting.mode != 'inference':
    timing = dataclasses.replace(timing, latency_steps=0)
  results = benchmark_lib.benchmark_paired(
    pairs, setting, timing, synthetic_baseline=baseline
  )
  for result in results:
    result['repeat'] = repeat
    _add_peak(result, peaks)
    if config.output_json:
      report.write_json_lines([result], config.output_json)
    print_fn(
      '  %s%s%s: %.2f images/s%s'
      % (
        result['implementation'],
        '' if result['precision'] == label else ' ' + result['precision'],
        '' if result['data'] == 'synthetic' else ' on ' + result['data'],
        result['images_per_sec'],
        ''
        if 'latency_ms_p50' not in result
        else '; batch 1: %.2f ms (p99 %.2f ms)'
        % (result['latency_ms_p50'], result['latency_ms_p99']),
      )
    )
    if 'op_seconds_by_type' in result:
      print_fn(
        '  op time (one traced step): '
        + ', '.join(
          '%s %.2fs' % item for item in result['op_seconds_by_type'].items()
        )
      )
  return results
