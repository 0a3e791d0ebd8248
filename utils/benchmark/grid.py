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

  results, peaks = grid.run_benchmarks(
      ['resnet_v1_50'], modes=['train', 'inference'],
      precisions=['fp32', 'bfloat16'], compare=True, paired=True)

Library use needs TF1 graph semantics first (`nets.tf_compat.
enable_graph_mode()`), as the scripts do.
"""

import itertools

from utils import checks
from utils.benchmark import benchmark_lib
from utils.benchmark import machine
from utils.benchmark import report
from utils.benchmark import runners


def run_benchmarks(
  model_names,
  modes=('train',),
  precisions=('fp32',),
  xla_values=(False,),
  batch_size=32,
  image_size=None,
  num_warmup_steps=5,
  num_steps=20,
  data=None,
  compare=False,
  folded_bn=False,
  measure_peak=True,
  peak_size=4096,
  num_classes=None,
  model_kwargs=None,
  intra_op=None,
  inter_op=None,
  output_json=None,
  repeats=1,
  profile=False,
  paired=False,
  isolate=True,
  synthetic_baseline=False,
  measure_step_overhead=False,
  tf2=False,
  runtimes=('tf',),
  latency_steps=0,
  print_fn=print,
):
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
    runtimes: Some of `benchmark_lib.RUNTIMES`: 'tf' (our graphs and the
      references), and the exported models in 'onnxruntime' and 'tflite'
      (inference, no XLA, synthetic images; precisions
      `benchmark_lib.EXPORTED_PRECISIONS`). Precisions apply where they
      exist: bfloat16 to TensorFlow, int8 and float16 to the exported
      models. With `paired`, an inference setting with exported runtimes is
      one paired run over all its precisions.
    latency_steps: Inference: also time this many single-image runs of each
      implementation (batch-1 latency: median and 99th percentile).
    print_fn: Where the progress lines and the table go.

  Returns:
    (results, peaks): the merged result dicts, then the `step_overhead`
    results if any, and {precision: best matmul GFLOP/s}.

  Raises:
    ValueError: On a bad setting, before anything runs.
  """
  from utils import precision

  model_names, modes, precisions = (
    list(model_names),
    list(modes),
    list(precisions),
  )
  xla_values = [benchmark_lib.parse_bool(x) for x in xla_values]
  checks.check_positive_int(
    'repeats', repeats, message=checks.POSITIVE_INT_NAMED
  )
  if measure_step_overhead:
    benchmark_lib.overhead_batch_sizes(batch_size)
  for name, values in (
    ('model_names', model_names),
    ('modes', modes),
    ('precisions', precisions),
    ('xla_values', xla_values),
  ):
    if not values:
      raise ValueError('%s must not be empty; got %r' % (name, values))
  runtimes = list(runtimes)
  unknown = [r for r in runtimes if r not in benchmark_lib.RUNTIMES]
  if unknown or not runtimes:
    raise ValueError(
      'runtimes must be some of %s; got %r'
      % (', '.join(benchmark_lib.RUNTIMES), runtimes)
    )
  checks.check_int(
    'latency_steps', latency_steps, 0, message=checks.NON_NEGATIVE_INT_NAMED
  )
  settings = list(itertools.product(model_names, modes, precisions, xla_values))
  # What every measurement shares: the arguments of `benchmark_paired` and
  # `step_overhead` after the setting.
  common = dict(
    batch_size=batch_size,
    image_size=image_size,
    num_warmup_steps=num_warmup_steps,
    num_steps=num_steps,
    num_classes=num_classes,
    model_kwargs=model_kwargs,
    intra_op=intra_op,
    inter_op=inter_op,
    isolate=isolate,
  )
  plan = _plan(
    settings,
    common,
    data,
    compare,
    folded_bn,
    paired,
    synthetic_baseline,
    runtimes,
    tf2,
  )
  benchmark_lib.check_data(data)
  if any(xla_values):
    # Before the first session of the process (see utils/precision.py).
    precision.enable_cpu_global_jit()
  machine_info = machine.describe()
  print_fn(machine.format_machine(machine_info))
  peaks = {}
  runs = []
  for repeat in range(repeats):
    # The peak is measured in every round and the best kept: on a shared
    # machine a single measurement may catch a busy moment.
    for prec in (
      [p for p in precisions if p in precision.PRECISIONS]
      if measure_peak
      else ()
    ):
      peak = benchmark_lib.matmul_peak(
        prec, peak_size, intra_op=intra_op, inter_op=inter_op
      )
      peaks[prec] = max(peaks.get(prec, 0.0), peak)
      print_fn(
        'matmul %dx%d %s: %.1f GFLOP/s' % (peak_size, peak_size, prec, peak)
      )
    runs.extend(
      _run_round(
        plan,
        repeat,
        repeats,
        peaks,
        common,
        profile,
        output_json,
        latency_steps,
        print_fn,
      )
    )
  results = report.merge_repeats(runs)
  for result in results:
    if result['precision'] in peaks:
      result['peak_gflops'] = peaks[result['precision']]
      result['peak_fraction'] = (
        result['achieved_gflops'] / result['peak_gflops']
      )
  overheads = []
  for model_name, mode, prec, xla in settings if measure_step_overhead else ():
    if prec not in precision.PRECISIONS:
      continue  # The exported models' precisions: no graph of ours.
    print_fn(
      'running ours %s %s %s xla=%s at batch %d, %d and %d (fixed '
      'per-step cost) ...'
      % (
        (model_name, mode, prec, xla)
        + benchmark_lib.overhead_batch_sizes(batch_size)
      )
    )
    overheads.append(
      benchmark_lib.step_overhead(
        model_name, mode, prec, xla, data=data, **common
      )
    )
    if output_json:
      report.write_json_lines(overheads[-1:], output_json)
  print_fn(report.format_table(results, peaks, machine_info))
  if overheads:
    print_fn(report.format_overheads(overheads))
  return results + overheads, peaks


def _plan(
  settings,
  common,
  data,
  compare,
  folded_bn,
  paired,
  synthetic_baseline,
  runtimes=('tf',),
  tf2=False,
):
  """Checks each setting; returns the measurements of one round.

  Args:
    settings: (model_name, mode, precision, xla) tuples.
    common: The shared keyword arguments (see `run_benchmarks`).
    data, compare, folded_bn, paired, synthetic_baseline, runtimes, tf2: See
      `run_benchmarks`.

  Returns:
    A list of (members, model_name, mode, precision, xla, data,
    synthetic_baseline) tuples, one per `benchmark_paired` call; members are
    (implementation, precision) pairs, precision names the setting ('fp32/
    int8' for a paired run over precisions).

  Raises:
    ValueError: On a bad setting, or a precision that nothing runs.
  """
  from utils import precision

  exported = [r for r in runtimes if r != 'tf']
  if exported and data is not None:
    raise ValueError(
      'The %s runtime(s) run on synthetic images only; got '
      'data in %r' % ('/'.join(exported), data.dataset_dir)
    )
  check = [
    common[name]
    for name in ('batch_size', 'image_size', 'num_warmup_steps', 'num_steps')
  ]
  groups = {}  # (model_name, mode, xla) -> [(precision, members)]
  used = set()
  for model_name, mode, prec, xla in settings:
    members = []
    if 'tf' in runtimes and prec in precision.PRECISIONS:
      benchmark_lib.check_settings(model_name, mode, prec, xla, *check)
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
        if (
          model_name in runners.KERAS_REFERENCES
          and data is None
          and runners.keras_available()
        ):
          implementations.append('keras')
      members.extend((impl, prec) for impl in implementations)
    if (
      mode == 'inference'
      and not xla
      and prec in benchmark_lib.EXPORTED_PRECISIONS
    ):
      for runtime in exported:
        benchmark_lib.check_settings(
          model_name, mode, prec, xla, *check, implementation=runtime
        )
        members.append((runtime, prec))
    if members:
      used.add(prec)
      groups.setdefault((model_name, mode, xla), []).append((prec, members))
  for model_name, mode, prec, xla in settings:
    if prec not in used:
      # Nothing runs it: the closest implementation's error says why.
      benchmark_lib.check_settings(
        model_name,
        mode,
        prec,
        xla,
        *check,
        implementation=(exported or ['ours'])[0],
      )
      raise ValueError(
        'precision=%r has nothing to run with runtimes %s '
        '(the exported models run inference only)' % (prec, ','.join(runtimes))
      )
  baseline = synthetic_baseline and data is not None
  plan = []
  for (model_name, mode, xla), entries in groups.items():
    if paired and exported and mode == 'inference':
      # One paired run over the precisions too: the exported models' int8
      # against our fp32 graph is the comparison of interest.
      plan.append(
        (
          tuple(m for _, members in entries for m in members),
          model_name,
          mode,
          '/'.join(p for p, _ in entries),
          xla,
          data,
          baseline,
        )
      )
    elif paired:
      plan.extend(
        (tuple(members), model_name, mode, prec, xla, data, baseline)
        for prec, members in entries
      )
    else:
      for prec, members in entries:
        plan.extend(
          ((member,), model_name, mode, prec, xla, data, False)
          for member in members
        )
        if baseline:
          plan.append(
            ((('ours', prec),), model_name, mode, prec, xla, None, False)
          )
  return plan


def _run_round(
  plan,
  repeat,
  repeats,
  peaks,
  common,
  profile,
  output_json,
  latency_steps,
  print_fn,
):
  """Runs the measurements of `plan` once; returns their result dicts."""
  runs = []
  for impls, model_name, mode, prec, xla, entry_data, baseline in plan:
    names = [impl for impl, _ in impls]
    print_fn(
      'running %s%s %s %s %s xla=%s on %s (round %d of %d) ...'
      % (
        '+'.join(sorted(set(names), key=names.index)),
        '+synthetic' if baseline else '',
        model_name,
        mode,
        prec,
        xla,
        'synthetic images' if entry_data is None else entry_data.dataset_dir,
        repeat + 1,
        repeats,
      )
    )
    results = benchmark_lib.benchmark_paired(
      list(impls),
      model_name,
      mode,
      impls[0][1],
      xla,
      data=entry_data,
      profile=profile,
      synthetic_baseline=baseline,
      latency_steps=latency_steps if mode == 'inference' else 0,
      **common,
    )
    for result in results:
      result['repeat'] = repeat
      if prec in peaks:
        result['peak_gflops'] = peaks[prec]
        result['peak_fraction'] = result['achieved_gflops'] / peaks[prec]
      runs.append(result)
      if output_json:
        report.write_json_lines([result], output_json)
      print_fn(
        '  %s%s%s: %.2f images/s%s'
        % (
          result['implementation'],
          '' if result['precision'] == prec else ' ' + result['precision'],
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
  return runs
