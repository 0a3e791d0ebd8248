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
"""Throughput of the registered networks: training steps and inference.

One measurement (`benchmark_network`) builds one implementation
(`registry.py`) of one `config.Setting` (network, mode, precision, XLA,
batch and image size, synthetic or real data), warms up, then times
`num_steps` steps one by one; throughput is the median images/s with the
min-max spread over the steps (`report.py`).

Work per image is counted on the graph that was built
(`nets/graph_stats.py`): the forward conv/matmul MACs. Achieved GFLOP/s is
2 * MACs * (3 for training, 1 for inference) * images/s, and is compared with
the GFLOP/s of a 4096 x 4096 matmul in the same precision (`matmul_peak`).

`benchmark_paired` runs several implementations of one setting with their
steps interleaved, so that on a machine shared with other jobs they all see
the same load; each can run in its own process. Its members may differ in
precision (ONNX Runtime int8 against our fp32 graph). In inference mode,
`latency_steps` adds as many rounds of single-image runs: the batch-1
latency of every implementation that supports it, median and 99th
percentile. On real data it can time our network on synthetic images
alongside (`synthetic_baseline`): their ratio is what the input pipeline
costs. `step_overhead` times one setting at three batch sizes and fits step
time = fixed + per-image * batch: the fixed part is the per-step cost that
does not shrink with fewer images (framework dispatch, session call,
optimizer updates). `grid.run_benchmarks` runs a grid of settings with these.

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
from utils.benchmark import config
from utils.benchmark import registry
from utils.benchmark import report
from utils.benchmark import runner
from utils.benchmark import worker

MODES = runner.MODES
data_config = config.DataConfig  # The data set of a `config.Setting`.
_PAIR_IDS = itertools.count()


def check_data(data):
  """Checks that `data` (a `config.DataConfig` or None) names records.

  Raises:
    ValueError: For an unknown data set or split, naming it.
    IOError: For a missing directory or no matching file, naming the path
      and how to make it (download_and_convert_data.py).
  """
  if data is None:
    return

  from utils import input_pipeline
  from utils.datasets import dataset_factory

  dataset = dataset_factory.get_dataset(
    data.dataset_name, data.split_name, data.dataset_dir
  )
  input_pipeline.resolve_data_files(dataset.data_sources)


def check_settings(implementation, setting):
  """Validates one implementation of one `config.Setting`.

  Raises:
    ValueError: Naming the first bad value and what is allowed.
  """
  check_setting(setting)
  registry.check(registry.get(implementation), setting)


def check_setting(setting):
  """Validates what every implementation needs of a `config.Setting`.

  Raises:
    ValueError: Naming the first bad value and what is allowed.
  """
  from nets import nets_factory

  nets_factory.get_spec(setting.model_name)
  if setting.mode not in MODES:
    raise ValueError(
      'mode must be one of %s; got mode=%r' % (', '.join(MODES), setting.mode)
    )
  checks.check_bool('xla', setting.xla)
  checks.check_positive_int(
    'batch_size', setting.batch_size, message=checks.POSITIVE_INT_NAMED
  )
  if setting.image_size is not None:
    checks.check_positive_int(
      'image_size', setting.image_size, message=checks.POSITIVE_INT_NAMED
    )
  conv_gradients.check_mode(setting.conv_gradients)


def matmul_peak(
  precision_name='fp32', size=4096, num_runs=5, intra_op=None, inter_op=None
):
  """GFLOP/s of a size x size matmul in fp32 or bfloat16 (best of runs).

  The operands are variables of the precision's dtype (bfloat16 runs oneDNN's
  native bfloat16 matmul), and only the op is run, so nothing is copied back.

  Raises:
    ValueError: On a bad precision, size or num_runs.
  """
  from utils import precision

  precision.check_precision(precision_name)
  for name, value in (('size', size), ('num_runs', num_runs)):
    checks.check_positive_int(name, value, message=checks.POSITIVE_INT_NAMED)
  dtype = tf.bfloat16 if precision_name == 'bfloat16' else tf.float32
  with tf.Graph().as_default():
    a = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    b = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    product = tf.matmul(a, b)
    session_config = precision.session_config(
      'fp32', intra_op=intra_op, inter_op=inter_op
    )
    with tf.Session(config=session_config) as sess:
      sess.run(tf.global_variables_initializer())
      sess.run(product.op)
      best = float('inf')
      for _ in range(num_runs):
        start = time.perf_counter()
        sess.run(product.op)
        best = min(best, time.perf_counter() - start)
  return 2.0 * size**3 / best / 1e9


def benchmark_network(implementation, setting, timing=None):
  """Times one implementation of one setting, in a fresh graph and session.

  Args:
    implementation: A name of `registry.names()`.
    setting: A `config.Setting`.
    timing: A `config.Timing` (None: its defaults); with `profile`, also
      one traced step's time per op type ('op_seconds_by_type'); with
      `latency_steps` (inference), as many runs of one image after the
      timed steps.

  Returns:
    A dict (one JSON line): the settings, 'images_per_sec' (median),
    'images_per_sec_min', 'images_per_sec_max', 'step_seconds',
    'gmacs_per_image', 'achieved_gflops', and of the partition graphs that
    ran (graph implementations): 'bfloat16_conv_fraction', 'xla_clusters'
    and 'conv_ops' (convolution kernels by type and dtype). With
    `latency_steps`: 'latency_seconds', 'latency_ms_p50' and
    'latency_ms_p99' (median and 99th percentile of one image's run).

  Raises:
    ValueError: On bad settings (see `check_settings`).
  """
  return benchmark_paired([implementation], setting, timing)[0]


def benchmark_paired(
  implementations, setting, timing=None, synthetic_baseline=False
):
  """Times several implementations of one setting, step by step in turn.

  All the implementations are built first (each in its own process with
  `timing.isolate`, or in its own graph and session here); then each timed
  round runs one step of every implementation, in an order that rotates from
  round to round. On a machine shared with other jobs every implementation
  thus sees the same load, which makes their ratios far steadier than
  back-to-back runs. With one implementation this is `benchmark_network`.

  Args:
    implementations: Names of `registry.names()`, or (name, precision)
      pairs to pair different precisions (e.g. ONNX Runtime int8 against
      our fp32 graph); a bare name runs in `setting.precision`.
    setting, timing: As in `benchmark_network`.
    synthetic_baseline: With real `setting.data`, also time 'ours' on
      synthetic images (its result has data 'synthetic'), so that the ratio
      says what the input pipeline costs.

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
  timing = timing or config.Timing()
  members = []
  for item in implementations:
    name, precision = item if isinstance(item, tuple) else (item, None)
    member = dataclasses.replace(
      setting, precision=precision or setting.precision
    )
    check_settings(name, member)
    members.append((registry.get(name), member))
  if timing.latency_steps and setting.mode != 'inference':
    raise ValueError(
      'Batch-1 latency is an inference measurement; got '
      'latency_steps=%r with mode=%r' % (timing.latency_steps, setting.mode)
    )
  check_data(setting.data)
  if synthetic_baseline and setting.data is None:
    raise ValueError(
      'synthetic_baseline compares real data with synthetic '
      'images; pass data=data_config(...) or leave '
      'synthetic_baseline=False'
    )
  if synthetic_baseline:
    baseline = dataclasses.replace(setting, data=None)
    members.append((registry.OURS, baseline))
  return _run_interleaved(members, timing)


def step_overhead(setting, timing=None):
  """The per-step cost of our network that does not scale with the batch.

  Times 'ours' at batch_size // 2, batch_size and 2 * batch_size with the
  steps interleaved (as `benchmark_paired`) and fits the median step times
  with a line, step seconds = fixed + per_image * batch. `fixed` is what a
  step costs beyond its images: session call, executor dispatch of every op,
  the optimizer's updates and other batch-independent kernels. It is an
  upper bound on the framework's own overhead.

  Args:
    setting, timing: As in `benchmark_network`; batch_size at least 2.

  Returns:
    The result dict of the batch_size run (see `benchmark_network`) with
    'measurement': 'step_overhead', 'overhead_batch_sizes',
    'overhead_step_seconds' (their medians), 'fixed_seconds_per_step',
    'seconds_per_image' and 'overhead_fraction' (fixed / the median step
    time at batch_size; near zero or negative: no measurable fixed cost).

  Raises:
    ValueError: On bad settings, before anything is built.
  """
  ours = registry.OURS
  check_settings(ours.name, setting)
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


def _rotated(indices, i):
  """`indices` starting at position i modulo their number."""
  return [indices[(i + j) % len(indices)] for j in range(len(indices))]


def _run_interleaved(members, timing):
  """Builds a runner per (Runner class, Setting) member and times them.

  Each round runs one step of every runner, in an order that rotates from
  round to round; step i of every result ran in round i. Then, with
  `timing.latency_steps`, as many rounds of one single-image run of every
  runner that supports it.

  Returns:
    One result dict per member, in order.
  """
  from nets import nets_factory

  latency = timing.latency_steps > 0
  started, settings = [], []
  try:
    for cls, setting in members:
      image_size = (
        setting.image_size
        or nets_factory.get_spec(setting.model_name).default_image_size
      )
      setting = dataclasses.replace(setting, image_size=image_size)
      if setting.data is None and setting.num_classes is None:
        # A synthetic baseline gets the head of the real-data runs before it.
        setting = dataclasses.replace(
          setting,
          num_classes=next(
            (r.num_classes for r, s in zip(started, settings) if s.data),
            None,
          ),
        )
      settings.append(setting)
      started.append(worker.make_runner(cls, setting, timing, latency))
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
      built.close()
  # `report.comparison_ratios` compares them round by round.
  pair_id = '%s-%d-%d' % (platform.node(), os.getpid(), next(_PAIR_IDS))
  results = []
  for k, (cls, _) in enumerate(members):
    result = _result(cls, settings[k], timing, started[k], step_seconds[k])
    if latency_seconds[k]:
      result['latency_seconds'] = latency_seconds[k]
      result.update(report.latency_stats(latency_seconds[k]))
    if profiles[k] is not None:
      result['op_seconds_by_type'] = profiles[k]
    result['pair_ids'] = [pair_id] if len(members) > 1 else []
    results.append(result)
  return results


def _result(cls, setting, timing, built, step_seconds):
  """The result dict of one member (see `benchmark_network`)."""
  data = setting.data
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
    'num_classes': built.num_classes,
    'model_kwargs': dict(setting.model_kwargs),
    'num_warmup_steps': timing.num_warmup_steps,
    'num_steps': len(step_seconds),
    'tf_version': tf.__version__,
    'host': platform.node(),
    'time': time.time(),
  }
  result.update(
    report.images_per_second_stats(step_seconds, setting.batch_size)
  )
  result['step_seconds'] = list(step_seconds)
  result.update(built.fields)
  result['achieved_gflops'] = report.achieved_gflops(
    result['gmacs_per_image'], result['images_per_sec'], setting.mode
  )
  return result
