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
"""Throughput of the registered networks: measurements and their grid.

A measurement (`benchmark_paired`) builds implementations (`registry.py`) of
one `config.Setting`, warms them up, then times `num_steps` rounds of one
step of each, in an order that rotates from round to round so that on a
shared machine they all see the same load; `latency_steps` adds as many
rounds of single images. `step_overhead` fits step time = fixed + per-image
* batch. `run_benchmarks` runs a grid of settings, all checked before
anything runs, prints the table of `report.py` and appends JSON lines.

Library use needs TF1 graph semantics first (`nets.tf_compat.
enable_graph_mode()`), as the scripts do.
"""

import dataclasses
import itertools
import os
import platform
import statistics
import time

import numpy as np
import tensorflow.compat.v1 as tf

from utils import checks
from utils import conv_gradients
from utils import precision
from utils.benchmark import config
from utils.benchmark import machine
from utils.benchmark import registry
from utils.benchmark import report
from utils.benchmark import runner
from utils.benchmark import worker

_PAIR_IDS = itertools.count()


def check_data(data):
  """Checks that `data` (a `config.DataConfig` or None) names records.

  Raises:
    ValueError: For an unknown data set or split.
    IOError: For a missing directory or no matching file.
  """
  if data is not None:
    from utils import input_pipeline
    from utils.datasets import dataset_factory

    dataset = dataset_factory.get_dataset(
      data.dataset_name, data.split_name, data.dataset_dir
    )
    input_pipeline.resolve_data_files(dataset.data_sources)


def check_setting(setting, implementation=None):
  """Validates a `config.Setting`, for `implementation` if not None.

  Raises:
    ValueError: Naming the first bad value and what is allowed.
  """
  from nets import nets_factory

  nets_factory.get_spec(setting.model_name)
  checks.check_choice('mode', setting.mode, config.MODES)
  checks.check_bool('xla', setting.xla)
  named = dict(message=checks.POSITIVE_INT_NAMED)
  checks.check_positive_int('batch_size', setting.batch_size, **named)
  if setting.image_size is not None:
    checks.check_positive_int('image_size', setting.image_size, **named)
  conv_gradients.check_mode(setting.conv_gradients)
  if implementation is not None:
    registry.check(registry.get(implementation), setting)


def matmul_peak(
  precision_name='fp32', size=4096, num_runs=5, intra_op=None, inter_op=None
):
  """GFLOP/s of a size x size matmul of variables (best of `num_runs`).

  Raises:
    ValueError: On a bad precision, size or num_runs.
  """
  precision.check_precision(precision_name)
  for name, value in (('size', size), ('num_runs', num_runs)):
    checks.check_positive_int(name, value, message=checks.POSITIVE_INT_NAMED)
  dtype = tf.bfloat16 if precision_name == 'bfloat16' else tf.float32
  with tf.Graph().as_default():
    a = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    b = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    product = tf.matmul(a, b).op
    session_config = precision.session_config('fp32', False, intra_op, inter_op)
    with tf.Session(config=session_config) as sess:
      sess.run(tf.global_variables_initializer())
      sess.run(product)
      best = min(
        runner.timed(lambda: sess.run(product)) for _ in range(num_runs)
      )
  return 2.0 * size**3 / best / 1e9


def benchmark_network(implementation, setting, timing=None):
  """Times one implementation of one setting (`benchmark_paired`).

  Args:
    implementation: A name of `registry.RUNNERS`.
    setting: A `config.Setting`.
    timing: A `config.Timing` (None: its defaults).

  Returns:
    A dict (one JSON line): the settings, 'images_per_sec' (median),
    'images_per_sec_min', 'images_per_sec_max', 'step_seconds',
    'gmacs_per_image', 'achieved_gflops', the runner's `fields` (graphs:
    'bfloat16_conv_fraction', 'xla_clusters', 'conv_ops'); with
    `timing.latency_steps`: 'latency_seconds', 'latency_ms_p50' and
    'latency_ms_p99'; with `timing.profile`, 'op_seconds_by_type'.

  Raises:
    ValueError: On bad settings (see `check_setting`).
  """
  return benchmark_paired([implementation], setting, timing)[0]


def benchmark_paired(
  implementations, setting, timing=None, synthetic_baseline=False
):
  """Times several implementations of one setting, step by step in turn.

  Args:
    implementations: Names of `registry.RUNNERS`, or (name, precision)
      pairs to pair different precisions (e.g. ONNX Runtime int8 against
      our fp32 graph), or (name, precision, model_file) triples to time
      given exports; a bare name runs in `setting.precision`.
    setting, timing: As in `benchmark_network`.
    synthetic_baseline: With real `setting.data`, also time 'ours' on
      synthetic images (its result has data 'synthetic').

  Returns:
    One result dict (see `benchmark_network`) per implementation, in order,
    then the synthetic baseline's.

  Raises:
    ValueError: On bad settings, before anything is built.
  """
  if not implementations:
    raise ValueError(
      'implementations must not be empty; got %r' % (implementations,)
    )
  members = []
  for item in implementations:
    name, prec, *path = item if isinstance(item, tuple) else (item, None)
    member = dataclasses.replace(
      setting,
      precision=prec or setting.precision,
      model_file=path[0] if path else setting.model_file,
    )
    check_setting(member, name)
    members.append((registry.get(name), member))
  timing = timing or config.Timing()
  if timing.latency_steps and setting.mode != 'inference':
    raise ValueError(
      'Batch-1 latency is an inference measurement; got '
      'latency_steps=%r with mode=%r' % (timing.latency_steps, setting.mode)
    )
  check_data(setting.data)
  if synthetic_baseline and setting.data is None:
    raise ValueError(
      'synthetic_baseline compares real data with synthetic '
      'images; pass data=config.DataConfig(...) or leave '
      'synthetic_baseline=False'
    )
  if synthetic_baseline:
    members.append((registry.OURS, dataclasses.replace(setting, data=None)))
  return _run_interleaved(members, timing)


def overhead_batch_sizes(batch_size):
  """The batch sizes `step_overhead` fits: batch_size // 2, itself, twice.

  Raises:
    ValueError: If batch_size < 2 (the smallest would be empty).
  """
  if batch_size < 2:
    raise ValueError(
      'step_overhead fits three batch sizes (batch_size // 2, '
      'batch_size, 2 * batch_size) and needs batch_size >= 2; '
      'got batch_size=%r' % (batch_size,)
    )
  return (batch_size // 2, batch_size, 2 * batch_size)


def step_overhead(setting, timing=None):
  """The per-step cost of our network that does not scale with the batch.

  Times 'ours' at `overhead_batch_sizes`, interleaved, and fits the median
  step times with a line, seconds = fixed + per_image * batch.

  Args:
    setting, timing: As in `benchmark_network`; batch_size at least 2.

  Returns:
    The result dict of the batch_size run with 'measurement':
    'step_overhead', 'overhead_batch_sizes', 'overhead_step_seconds' (their
    medians), 'fixed_seconds_per_step', 'seconds_per_image' and
    'overhead_fraction' (fixed / the median step time at batch_size).

  Raises:
    ValueError: On bad settings, before anything is built.
  """
  ours = registry.OURS
  check_setting(setting, ours.name)
  check_data(setting.data)
  sizes = overhead_batch_sizes(setting.batch_size)
  results = _run_interleaved(
    [(ours, dataclasses.replace(setting, batch_size=s)) for s in sizes],
    dataclasses.replace(
      timing or config.Timing(), profile=False, latency_steps=0
    ),
  )
  medians = [statistics.median(r['step_seconds']) for r in results]
  per_image, fixed = np.polyfit(sizes, medians, 1)
  result = results[1]
  result.update(
    measurement='step_overhead',
    overhead_batch_sizes=list(sizes),
    overhead_step_seconds=medians,
    fixed_seconds_per_step=float(fixed),
    seconds_per_image=float(per_image),
    overhead_fraction=float(fixed / medians[1]),
  )
  return result


def _rotated(indices, i):
  """`indices` starting at position i modulo their number."""
  i %= len(indices)
  return indices[i:] + indices[:i]


def _build_order(members):
  """The member indices in the order their runners are built: real-data
  runs first (the synthetic ones take their head), then the runners that
  convert a model (a child process with the largest memory peak, before
  the other workers hold theirs), then the rest; stable within each."""

  def rank(k):
    cls, setting = members[k]
    if setting.data is not None:
      return 0
    return 1 if cls.converts and not setting.model_file else 2

  return sorted(range(len(members)), key=rank)


def _run_interleaved(members, timing):
  """Builds a runner per (Runner class, Setting) member and times them in
  rounds; returns one result dict per member, in order."""
  from nets import nets_factory

  latency = timing.latency_steps > 0
  started, settings = [None] * len(members), [None] * len(members)
  try:
    for k in _build_order(members):
      cls, setting = members[k]
      spec = nets_factory.get_spec(setting.model_name)
      setting = dataclasses.replace(
        setting, image_size=setting.image_size or spec.default_image_size
      )
      if setting.data is None and setting.num_classes is None:
        # A synthetic baseline gets the head of the real-data runs.
        classes = [
          r.num_classes for r, s in zip(started, settings) if s and s.data
        ]
        setting = dataclasses.replace(
          setting, num_classes=next(iter(classes), None)
        )
      settings[k] = setting
      started[k] = worker.make_runner(cls, setting, timing, latency)
    everyone = list(range(len(started)))
    for _ in range(timing.num_warmup_steps):
      for k in everyone:
        started[k].step()
    step_seconds = [[] for _ in started]
    for i in range(timing.num_steps):
      for k in _rotated(everyone, i):
        step_seconds[k].append(started[k].step())
    latency_seconds = [[] for _ in started]
    timed = [k for k, (cls, _) in enumerate(members) if cls.latency]
    for i in range(timing.latency_steps if timed else 0):
      for k in _rotated(timed, i):
        latency_seconds[k].append(started[k].step_latency())
    profiles = [
      built.profile() if timing.profile and cls.profiles else None
      for built, (cls, _) in zip(started, members)
    ]
  finally:
    for built in started:
      if built is not None:
        built.close()
  # `report.comparison_ratios` compares the members round by round.
  pair_id = '%s-%d-%d' % (platform.node(), os.getpid(), next(_PAIR_IDS))
  results = []
  for k, (cls, _) in enumerate(members):
    setting, data = settings[k], settings[k].data
    result = {
      'implementation': cls.name,
      'model_name': setting.model_name,
      'reference': cls.reference(setting.model_name),
      'mode': setting.mode,
      'precision': setting.precision,
      'xla': setting.xla,
      'batch_size': setting.batch_size,
      'image_size': setting.image_size,
      'data': 'synthetic' if data is None else data.dataset_name,
      'num_classes': started[k].num_classes,
      'model_kwargs': dict(setting.model_kwargs),
      'model_file': setting.model_file,
      'num_warmup_steps': timing.num_warmup_steps,
      'num_steps': len(step_seconds[k]),
      'tf_version': tf.__version__,
      'host': platform.node(),
      'time': time.time(),
      'step_seconds': step_seconds[k],
      **started[k].fields,
    }
    if latency_seconds[k]:
      result['latency_seconds'] = latency_seconds[k]
    if profiles[k] is not None:
      result['op_seconds_by_type'] = profiles[k]
    result['pair_ids'] = [pair_id] if len(members) > 1 else []
    results.append(report.add_stats(result))
  return results


def run_benchmarks(cfg, print_fn=print):
  """Runs the grid of settings, prints the table, writes JSON lines.

  Args:
    cfg: A `config.BenchmarkConfig`.
    print_fn: Where the progress lines and the table go.

  Returns:
    (results, peaks): the merged result dicts, then the `step_overhead`
    results if any, and {precision: best matmul GFLOP/s}.

  Raises:
    ValueError: On a bad setting, before anything runs.
  """
  known = registry.runtimes()
  if not cfg.runtimes or set(cfg.runtimes) - set(known):
    raise ValueError(
      'runtimes must be some of %s; got %r'
      % (', '.join(known), list(cfg.runtimes))
    )
  if cfg.step_overhead:
    overhead_batch_sizes(cfg.setting.batch_size)
  settings = [
    dataclasses.replace(
      cfg.setting, model_name=m, mode=mode, precision=p, xla=x
    )
    for m, mode, p, x in itertools.product(
      cfg.model_names, cfg.modes, cfg.precisions, cfg.xla_values
    )
  ]
  plan = _plan(cfg, settings)
  check_data(cfg.setting.data)
  if any(cfg.xla_values):
    # Before the first session of the process (see utils/precision.py).
    precision.enable_cpu_global_jit()
  machine_info = machine.describe()
  print_fn(machine.format_machine(machine_info))
  peaks = {}
  runs = []
  timing = cfg.timing
  for repeat in range(cfg.repeats):
    # The peak is measured in every round and the best kept: on a shared
    # machine a single measurement may catch a busy moment.
    for prec in cfg.precisions if cfg.measure_peak else ():
      if prec not in precision.PRECISIONS:
        continue
      peak = matmul_peak(
        prec, cfg.peak_size, intra_op=timing.intra_op, inter_op=timing.inter_op
      )
      peaks[prec] = max(peaks.get(prec, 0.0), peak)
      print_fn(
        'matmul %dx%d %s: %.1f GFLOP/s'
        % (cfg.peak_size, cfg.peak_size, prec, peak)
      )
    for entry in plan:
      runs.extend(_run_entry(cfg, entry, repeat, peaks, print_fn))
  results = report.merge_repeats(runs, peaks)
  overheads = []
  for setting in settings if cfg.step_overhead else ():
    if registry.problem(registry.OURS, setting):
      continue  # The exported models' precisions: no graph of ours.
    print_fn(
      'running ours %s %s %s xla=%s at batch %d, %d and %d (fixed '
      'per-step cost) ...'
      % (
        (setting.model_name, setting.mode, setting.precision, setting.xla)
        + overhead_batch_sizes(setting.batch_size)
      )
    )
    overheads.append(step_overhead(setting, timing))
    if cfg.output_json:
      report.write_json_lines(overheads[-1:], cfg.output_json)
  print_fn(report.format_table(results, peaks, machine_info))
  if overheads:
    print_fn(report.format_overheads(overheads))
  return results + overheads, peaks


def _plan(cfg, settings):
  """Checks each setting; returns the measurements of one round: a list of
  (members, setting, label, synthetic_baseline), one per `benchmark_paired`
  call (members: (implementation, precision) pairs; label: the precisions,
  'fp32/int8' for a paired run over them)."""
  data = cfg.setting.data
  selected = [
    cls
    for cls in registry.RUNNERS.values()
    if cls.runtime in cfg.runtimes
    and (cls.option is None or getattr(cfg, cls.option))
  ]
  primaries = [registry.primary(r) for r in cfg.runtimes]
  synthetic_only = [cls.runtime for cls in primaries if not cls.real_data]
  if synthetic_only and data is not None:
    raise ValueError(
      'The %s runtime(s) run on synthetic images only; got data in %r'
      % ('/'.join(synthetic_only), data.dataset_dir)
    )
  groups = {}  # (model_name, mode, xla) -> [(setting, members)]
  for setting in settings:
    check_setting(setting)
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
        % (setting.precision, ','.join(cfg.runtimes))
      )
    key = (setting.model_name, setting.mode, setting.xla)
    groups.setdefault(key, []).append((setting, members))
  baseline = cfg.synthetic_baseline and data is not None
  plan = []
  for entries in groups.values():
    pairs = [[(c.name, s.precision) for c in m] for s, m in entries]
    across = any(
      c.runtime != registry.OURS.runtime for _, m in entries for c in m
    )
    if cfg.paired and across:
      # One paired run over the precisions too: the exported models' int8
      # against our fp32 graph is the comparison of interest.
      label = '/'.join(s.precision for s, _ in entries)
      plan.append((sum(pairs, []), entries[0][0], label, baseline))
    elif cfg.paired:
      plan.extend(
        (p, s, s.precision, baseline) for p, (s, _) in zip(pairs, entries)
      )
    else:
      for p, (s, _) in zip(pairs, entries):
        plan.extend(([member], s, s.precision, False) for member in p)
        if baseline:
          ours = [(registry.OURS.name, s.precision)]
          synthetic = dataclasses.replace(s, data=None)
          plan.append((ours, synthetic, s.precision, False))
  return plan


def _run_entry(cfg, entry, repeat, peaks, print_fn):
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
      cfg.repeats,
    )
  )
  timing = cfg.timing
  if setting.mode != 'inference':
    timing = dataclasses.replace(timing, latency_steps=0)
  results = benchmark_paired(
    pairs, setting, timing, synthetic_baseline=baseline
  )
  for result in results:
    result['repeat'] = repeat
    report.add_stats(result, peaks)
    if cfg.output_json:
      report.write_json_lines([result], cfg.output_json)
    print_fn(report.format_progress(result, label))
  return results
