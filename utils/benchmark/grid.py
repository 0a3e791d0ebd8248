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
bfloat16 / fp32, folded / unfolded, XLA on / off, real / synthetic data;
`report.py`) and appends JSON lines. It is what benchmark_networks.py runs:

  results, peaks = grid.run_benchmarks(
      ['resnet_v1_50'], modes=['train', 'inference'],
      precisions=['fp32', 'bfloat16'], compare=True, paired=True)

Library use needs TF1 graph semantics first (`nets.tf_compat.
enable_graph_mode()`), as the scripts do.
"""

import itertools

from utils import checks
from utils.benchmark import benchmark_lib
from utils.benchmark import report
from utils.benchmark import runners


def run_benchmarks(model_names, modes=('train',), precisions=('fp32',),
                   xla_values=(False,), batch_size=32, image_size=None,
                   num_warmup_steps=5, num_steps=20, data=None,
                   compare=False, folded_bn=False, measure_peak=True,
                   peak_size=4096, num_classes=None, model_kwargs=None,
                   intra_op=None, inter_op=None, output_json=None,
                   repeats=1, profile=False, paired=False, isolate=True,
                   synthetic_baseline=False, measure_step_overhead=False,
                   tf2=False, print_fn=print):
  """Runs the grid of settings, prints the table, writes JSON lines.

  Args:
    model_names: Registered network names.
    modes, precisions, xla_values: The settings to combine with each network.
    batch_size, image_size, num_warmup_steps, num_steps, data, num_classes,
      model_kwargs, intra_op, inter_op: As in
      `benchmark_lib.benchmark_network`.
    compare: Also time the tf_slim and keras references (where they exist).
    folded_bn: Also time the exported folded-BN graph, and the frozen graph
      without folding ('inference' only).
    measure_peak: Measure the matmul peak of each precision first.
    peak_size: The matmul size of the peak measurement.
    output_json: None, or a file to append the JSON lines to (one per run).
    repeats: Rounds over all the settings; the runs of a setting are merged
      (`report.merge_repeats`) for the table.
    profile: Print (and record) the time per op type of one traced step of
      each graph-mode run.
    paired: Run the implementations of a setting together, alternating
      their steps (`benchmark_paired`), instead of one after the other.
    isolate: Run every measurement in its own process (see
      `runners.WorkerRunner`).
    synthetic_baseline: With real `data`, also time 'ours' on synthetic
      images (paired with the real-data run when `paired`).
    measure_step_overhead: After the grid, measure each setting's fixed
      per-step cost (`step_overhead`, ours only) and print it below the
      table.
    tf2: Also time our network as a TF2 layer, in a tf.function and (fp32
      without XLA) eagerly.
    print_fn: Where the progress lines and the table go.

  Returns:
    (results, peaks): the merged result dicts, then the `step_overhead`
    results if any, and {precision: best matmul GFLOP/s}.

  Raises:
    ValueError: On a bad setting, before anything runs.
  """
  from utils import precision
  model_names, modes, precisions = list(model_names), list(modes), list(
      precisions)
  xla_values = [benchmark_lib.parse_bool(x) for x in xla_values]
  checks.check_positive_int('repeats', repeats,
                            message=checks.POSITIVE_INT_NAMED)
  if measure_step_overhead:
    benchmark_lib.overhead_batch_sizes(batch_size)
  for name, values in (('model_names', model_names), ('modes', modes),
                       ('precisions', precisions),
                       ('xla_values', xla_values)):
    if not values:
      raise ValueError('%s must not be empty; got %r' % (name, values))
  settings = list(itertools.product(model_names, modes, precisions,
                                    xla_values))
  # What every measurement shares: the arguments of `benchmark_paired` and
  # `step_overhead` after the setting.
  common = dict(batch_size=batch_size, image_size=image_size,
                num_warmup_steps=num_warmup_steps, num_steps=num_steps,
                num_classes=num_classes, model_kwargs=model_kwargs,
                intra_op=intra_op, inter_op=inter_op, isolate=isolate)
  plan = _plan(settings, common, data, compare, folded_bn, paired,
               synthetic_baseline, tf2)
  benchmark_lib.check_data(data)
  if any(xla_values):
    # Before the first session of the process (see utils/precision.py).
    precision.enable_cpu_global_jit()
  peaks = {}
  runs = []
  for repeat in range(repeats):
    # The peak is measured in every round and the best kept: on a shared
    # machine a single measurement may catch a busy moment.
    for prec in precisions if measure_peak else ():
      peak = benchmark_lib.matmul_peak(prec, peak_size, intra_op=intra_op,
                                       inter_op=inter_op)
      peaks[prec] = max(peaks.get(prec, 0.0), peak)
      print_fn('matmul %dx%d %s: %.1f GFLOP/s'
               % (peak_size, peak_size, prec, peak))
    runs.extend(_run_round(plan, repeat, repeats, peaks, common, profile,
                           output_json, print_fn))
  results = report.merge_repeats(runs)
  for result in results:
    if result['precision'] in peaks:
      result['peak_gflops'] = peaks[result['precision']]
      result['peak_fraction'] = (result['achieved_gflops'] /
                                 result['peak_gflops'])
  overheads = []
  for model_name, mode, prec, xla in (settings if measure_step_overhead
                                      else ()):
    print_fn('running ours %s %s %s xla=%s at batch %d, %d and %d (fixed '
             'per-step cost) ...' % (
                 (model_name, mode, prec, xla) +
                 benchmark_lib.overhead_batch_sizes(batch_size)))
    overheads.append(benchmark_lib.step_overhead(
        model_name, mode, prec, xla, data=data, **common))
    if output_json:
      report.write_json_lines(overheads[-1:], output_json)
  print_fn(report.format_table(results, peaks))
  if overheads:
    print_fn(report.format_overheads(overheads))
  return results + overheads, peaks


def _plan(settings, common, data, compare, folded_bn, paired,
          synthetic_baseline, tf2=False):
  """Checks each setting; returns the measurements of one round.

  Args:
    settings: (model_name, mode, precision, xla) tuples.
    common: The shared keyword arguments (see `run_benchmarks`).
    data, compare, folded_bn, paired, synthetic_baseline, tf2: See
      `run_benchmarks`.

  Returns:
    A list of (implementations, model_name, mode, precision, xla, data,
    synthetic_baseline) tuples, one per `benchmark_paired` call.

  Raises:
    ValueError: On a bad setting.
  """
  plan = []
  for model_name, mode, prec, xla in settings:
    benchmark_lib.check_settings(
        model_name, mode, prec, xla, common['batch_size'],
        common['image_size'], common['num_warmup_steps'],
        common['num_steps'])
    implementations = ['ours']
    if folded_bn and mode == 'inference':
      implementations.extend(['frozen', 'folded'])
    if tf2:
      implementations.append('tf_function')
      if prec == 'fp32' and not xla:
        implementations.append('eager')
    if compare and not common['model_kwargs']:
      if model_name in runners.TF_SLIM_REFERENCES:
        implementations.append('tf_slim')
      if (model_name in runners.KERAS_REFERENCES and data is None and
          runners.keras_available()):
        implementations.append('keras')
    baseline = synthetic_baseline and data is not None
    if paired:
      plan.append((tuple(implementations), model_name, mode, prec, xla,
                   data, baseline))
    else:
      plan.extend(((impl,), model_name, mode, prec, xla, data, False)
                  for impl in implementations)
      if baseline:
        plan.append((('ours',), model_name, mode, prec, xla, None, False))
  return plan


def _run_round(plan, repeat, repeats, peaks, common, profile, output_json,
               print_fn):
  """Runs the measurements of `plan` once; returns their result dicts."""
  runs = []
  for impls, model_name, mode, prec, xla, entry_data, baseline in plan:
    print_fn('running %s%s %s %s %s xla=%s on %s (round %d of %d) ...'
             % ('+'.join(impls), '+synthetic' if baseline else '',
                model_name, mode, prec, xla,
                'synthetic images' if entry_data is None else
                entry_data.dataset_dir, repeat + 1, repeats))
    results = benchmark_lib.benchmark_paired(
        list(impls), model_name, mode, prec, xla, data=entry_data,
        profile=profile, synthetic_baseline=baseline, **common)
    for result in results:
      result['repeat'] = repeat
      if prec in peaks:
        result['peak_gflops'] = peaks[prec]
        result['peak_fraction'] = result['achieved_gflops'] / peaks[prec]
      runs.append(result)
      if output_json:
        report.write_json_lines([result], output_json)
      print_fn('  %s%s: %.2f images/s' % (
          result['implementation'],
          '' if result['data'] == 'synthetic' else ' on ' + result['data'],
          result['images_per_sec']))
      if 'op_seconds_by_type' in result:
        print_fn('  op time (one traced step): ' + ', '.join(
            '%s %.2fs' % item
            for item in result['op_seconds_by_type'].items()))
  return runs
