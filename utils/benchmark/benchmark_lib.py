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

One measurement (`benchmark_network`) builds one implementation of one
setting (network, mode, precision, XLA, batch and image size, synthetic or
real data; `runners.py` builds and steps it), warms up, then
times `num_steps` steps one by one; throughput is the median images/s with
the min-max spread over the steps (`report.py`).

Work per image is counted on the graph that was built
(`nets/graph_stats.py`): the forward conv/matmul MACs. Achieved GFLOP/s is
2 * MACs * (3 for training, 1 for inference) * images/s, and is compared with
the GFLOP/s of a 4096 x 4096 matmul in the same precision (`matmul_peak`).

Implementations (`IMPLEMENTATIONS`):
  ours      this package's network (`nets_factory`).
  folded    inference only: the graph `utils/export/export_lib.py` exports
            (batch norm folded into the convolutions, variables frozen to
            constants), on random weights with random batch-norm statistics.
  frozen    inference only: the same without folding (the eval graph with
            its variables frozen), which separates the two effects.
  tf_slim   the pip tf_slim 1.1.0 reference network (`tf_slim.nets`) for the
            names in `runners.TF_SLIM_REFERENCES`; this comparison
            is the only user of `tf_slim.nets` in the project.
  keras     Keras 3's `keras.applications` model for the names in
            `runners.KERAS_REFERENCES`, timed with `train_on_batch`
            / `predict_on_batch` in a subprocess (Keras 3 runs eagerly and
            tf.function, which does not mix with this process's graph mode).
            Its GMACs are counted on the Keras layers: Keras's ResNet50/
            101/152 put the stride in the first 1x1 convolution of a block
            (Caffe's layout) and do more MACs per image than slim's layout
            (3.86 against 3.48 GMACs at 224); the V2 models have slim's
            layout and the same MACs as ours.
  tf_function our network as a TF2 tf_keras layer (nets/tf2.py), the
            training step one `tf.function` (`tf2_runner.py`); in a
            subprocess with TF_USE_LEGACY_KERAS=1. Against 'ours' it says
            what TF2 execution costs over graph mode.
  eager     the same step executed eagerly, op by op (fp32, no XLA).
  onnxruntime, tflite
            inference only: the exported models of the folded graph in ONNX
            Runtime and TFLite (LiteRT), in precision fp32, float16 or int8
            (`exported_runners.py`), on synthetic images.

`benchmark_paired` runs several implementations of one setting with their
steps interleaved, so that on a machine shared with other jobs they all see
the same load; each can run in its own process. Its members may differ in
precision (ONNX Runtime int8 against our fp32 graph). In inference mode,
`latency_steps` adds as many rounds of single-image runs: the batch-1
latency of every implementation, median and 99th percentile. On real data
it can time our network on synthetic images alongside
(`synthetic_baseline`): their ratio is what the input pipeline costs.
`step_overhead` times one setting at three batch sizes and fits step time
= fixed + per-image * batch: the fixed part is the per-step cost that does
not shrink with fewer images (framework dispatch, session call, optimizer
updates). `grid.run_benchmarks` runs a grid of settings with these.

Library use needs TF1 graph semantics first (`nets.tf_compat.
enable_graph_mode()`), as the scripts do.
"""

import collections
import itertools
import os
import platform
import statistics
import time

import numpy as np
import tensorflow.compat.v1 as tf

from utils import checks
from utils.benchmark import exported_runners
from utils.benchmark import report
from utils.benchmark import runners

MODES = ('train', 'inference')
IMPLEMENTATIONS = (
  ('ours', 'frozen', 'folded', 'tf_slim', 'keras')
  + exported_runners.RUNTIMES
  + runners.TF2_IMPLEMENTATIONS
)
# --runtime: 'tf' is TensorFlow's graphs (ours, and frozen/folded, tf_slim,
# keras, tf_function, eager when asked for); the others run the exported
# model (`exported_runners.py`).
RUNTIMES = ('tf',) + exported_runners.RUNTIMES
# Precisions of the exported models; TensorFlow's are utils/precision.py's.
EXPORTED_PRECISIONS = exported_runners.PRECISIONS
DataConfig = runners.DataConfig

_PAIR_IDS = itertools.count()


def data_config(
  dataset_name,
  dataset_dir,
  split_name='train',
  labels_offset=0,
  num_readers=4,
  num_preprocessing_threads=4,
):
  """A `DataConfig` for a data set converted by download_and_convert_data."""
  return DataConfig(
    dataset_name,
    dataset_dir,
    split_name,
    labels_offset,
    num_readers,
    num_preprocessing_threads,
  )


def check_data(data):
  """Checks that `data` (a `DataConfig` or None) names readable records.

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


def _check_positive_int(name, value):
  checks.check_positive_int(name, value, message=checks.POSITIVE_INT_NAMED)


def check_settings(
  model_name,
  mode,
  precision_name,
  xla,
  batch_size,
  image_size,
  num_warmup_steps,
  num_steps,
  implementation='ours',
):
  """Validates one measurement's settings.

  Raises:
    ValueError: Naming the first bad value and what is allowed.
  """
  from nets import nets_factory
  from utils import precision

  nets_factory.get_spec(model_name)
  if mode not in MODES:
    raise ValueError(
      'mode must be one of %s; got mode=%r' % (', '.join(MODES), mode)
    )
  if implementation in exported_runners.RUNTIMES:
    if precision_name not in EXPORTED_PRECISIONS:
      raise ValueError(
        'The %s runtime runs precision %s; got precision=%r'
        % (implementation, ', '.join(EXPORTED_PRECISIONS), precision_name)
      )
    if mode != 'inference' or xla:
      raise ValueError(
        'The %s runtime runs inference without XLA; got '
        'mode=%r, xla=%r' % (implementation, mode, xla)
      )
  elif precision_name in EXPORTED_PRECISIONS and (
    precision_name not in precision.PRECISIONS
  ):
    raise ValueError(
      'precision=%r is a precision of the exported models: '
      "add --runtime=onnxruntime and/or tflite (TensorFlow's "
      'graphs run %s)' % (precision_name, ', '.join(precision.PRECISIONS))
    )
  else:
    precision.check_precision(precision_name)
  checks.check_bool('xla', xla)
  _check_positive_int('batch_size', batch_size)
  if image_size is not None:
    _check_positive_int('image_size', image_size)
  _check_positive_int('num_warmup_steps', num_warmup_steps)
  _check_positive_int('num_steps', num_steps)
  if implementation not in IMPLEMENTATIONS:
    raise ValueError(
      'implementation must be one of %s; got '
      'implementation=%r' % (', '.join(IMPLEMENTATIONS), implementation)
    )
  if implementation in ('frozen', 'folded') and mode != 'inference':
    raise ValueError(
      'The %r implementation is an inference graph; got '
      'mode=%r' % (implementation, mode)
    )
  if implementation == 'eager' and (precision_name != 'fp32' or xla):
    raise ValueError(
      'Eager execution has no graph for the bfloat16 rewrite '
      'or XLA; got precision=%r, xla=%r with '
      "implementation='eager' (use 'tf_function')" % (precision_name, xla)
    )
  tf_slim_names = runners.TF_SLIM_REFERENCES
  keras_names = runners.KERAS_REFERENCES
  if implementation == 'tf_slim' and model_name not in tf_slim_names:
    raise ValueError(
      'pip tf_slim has no reference for model_name=%r; it has '
      '%s' % (model_name, ', '.join(sorted(tf_slim_names)))
    )
  if implementation == 'keras' and model_name not in keras_names:
    raise ValueError(
      'keras.applications has no reference for model_name=%r; '
      'it has %s' % (model_name, ', '.join(sorted(keras_names)))
    )


def parse_bool(value):
  """'on'/'off', 'true'/'false', '1'/'0' (any case) or a bool -> bool.

  Raises:
    ValueError: For anything else, naming the value.
  """
  if isinstance(value, bool):
    return value
  text = str(value).strip().lower()
  if text in ('1', 'true', 'on', 'yes'):
    return True
  if text in ('0', 'false', 'off', 'no'):
    return False
  raise ValueError('Expected on/off or true/false; got %r' % (value,))


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
  _check_positive_int('size', size)
  _check_positive_int('num_runs', num_runs)
  dtype = tf.bfloat16 if precision_name == 'bfloat16' else tf.float32
  with tf.Graph().as_default():
    a = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    b = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    product = tf.matmul(a, b)
    config = precision.session_config(
      'fp32', intra_op=intra_op, inter_op=inter_op
    )
    with tf.Session(config=config) as sess:
      sess.run(tf.global_variables_initializer())
      sess.run(product.op)
      best = float('inf')
      for _ in range(num_runs):
        start = time.perf_counter()
        sess.run(product.op)
        best = min(best, time.perf_counter() - start)
  return 2.0 * size**3 / best / 1e9


def _result(
  runner,
  implementation,
  model_name,
  mode,
  precision_name,
  xla,
  batch_size,
  image_size,
  num_warmup_steps,
  step_seconds,
  data,
  num_classes,
  model_kwargs,
  profile=None,
  latency_seconds=(),
):
  result = _settings(
    implementation,
    model_name,
    mode,
    precision_name,
    xla,
    batch_size,
    image_size,
    num_warmup_steps,
    len(step_seconds),
    'synthetic' if data is None else data.dataset_name,
    getattr(runner, 'num_classes', num_classes),
    dict(model_kwargs or {}),
  )
  result.update(report.images_per_second_stats(step_seconds, batch_size))
  result['step_seconds'] = list(step_seconds)
  if latency_seconds:
    result['latency_seconds'] = list(latency_seconds)
    result.update(report.latency_stats(latency_seconds))
  result.update(runner.result_fields(batch_size))
  result['achieved_gflops'] = report.achieved_gflops(
    result['gmacs_per_image'], result['images_per_sec'], mode
  )
  if profile is not None:
    result['op_seconds_by_type'] = profile
  return result


def benchmark_network(
  model_name,
  mode='train',
  precision_name='fp32',
  xla=False,
  batch_size=32,
  image_size=None,
  num_warmup_steps=5,
  num_steps=20,
  data=None,
  implementation='ours',
  num_classes=None,
  model_kwargs=None,
  intra_op=None,
  inter_op=None,
  seed=0,
  profile=False,
  isolate=False,
  latency_steps=0,
):
  """Times one network in one setting, in a fresh graph and session.

  Args:
    model_name: A registered network name.
    mode: 'train' (a momentum step with batch-norm updates) or 'inference'.
    precision_name: 'fp32' or 'bfloat16' (see utils/precision.py).
    xla: Whether to turn on XLA auto-clustering.
    batch_size: Images per step.
    image_size: Input size; None for the network's default.
    num_warmup_steps: Untimed steps after the first (graph-optimizing) one.
    num_steps: Timed steps.
    data: None for synthetic images, or a `DataConfig` (`data_config`).
    implementation: One of `IMPLEMENTATIONS` ('keras' runs in a subprocess).
    num_classes: Classes of the head; None for the registry's (1000 for
      ImageNet networks) or the data set's.
    model_kwargs: Further keywords of our model function (e.g.
      `depth_multiplier`); not supported by the references.
    intra_op, inter_op: Thread pool sizes (None: TensorFlow's default).
    seed: Graph-level random seed.
    profile: Also run one traced step and report the time per op type
      ('op_seconds_by_type', see `profile_step`; graph implementations).
    isolate: Build and run the graph in its own process (`WorkerRunner`);
      'keras' always is.
    latency_steps: Inference: after the timed steps, time this many runs
      of one image (batch-1 latency).

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
  return benchmark_paired(
    [implementation],
    model_name,
    mode,
    precision_name,
    xla,
    batch_size,
    image_size,
    num_warmup_steps,
    num_steps,
    data,
    num_classes,
    model_kwargs,
    intra_op,
    inter_op,
    seed,
    profile,
    isolate,
    latency_steps=latency_steps,
  )[0]


def benchmark_paired(
  implementations,
  model_name,
  mode='train',
  precision_name='fp32',
  xla=False,
  batch_size=32,
  image_size=None,
  num_warmup_steps=5,
  num_steps=20,
  data=None,
  num_classes=None,
  model_kwargs=None,
  intra_op=None,
  inter_op=None,
  seed=0,
  profile=False,
  isolate=True,
  synthetic_baseline=False,
  latency_steps=0,
):
  """Times several implementations of one setting, step by step in turn.

  All the implementations are built first (each in its own process with
  `isolate`, or in its own graph and session here; Keras always in its own
  process); then each timed round runs one step of every implementation, in
  an order that rotates from round to round. On a machine shared with other
  jobs every implementation thus sees the same load, which makes their
  ratios far steadier than back-to-back runs. With one implementation this
  is `benchmark_network`.

  Args:
    implementations: A list of `IMPLEMENTATIONS`, or of (implementation,
      precision) pairs to pair different precisions (e.g. ONNX Runtime int8
      against our fp32 graph); a bare name runs in `precision_name`.
    isolate: One process per implementation (see
      `runners.WorkerRunner`).
    synthetic_baseline: With real `data`, also time 'ours' on synthetic
      images (its result has data 'synthetic'), so that the ratio says what
      the input pipeline costs.
    latency_steps: Inference: after the timed rounds, this many rounds of
      one single-image run of every implementation (batch-1 latency, in the
      same rotating order).
    (the others as in `benchmark_network`.)

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
  pairs = [
    item if isinstance(item, tuple) else (item, precision_name)
    for item in implementations
  ]
  for implementation, member_precision in pairs:
    check_settings(
      model_name,
      mode,
      member_precision,
      xla,
      batch_size,
      image_size,
      num_warmup_steps,
      num_steps,
      implementation,
    )
    if model_kwargs and implementation in ('tf_slim', 'keras'):
      raise ValueError(
        'The %s reference takes no model_kwargs; got %r'
        % (implementation, model_kwargs)
      )
    if implementation in ('keras',) + exported_runners.RUNTIMES and (
      data is not None
    ):
      raise ValueError(
        'The %s %s runs on synthetic data only; got data=%r'
        % (
          implementation,
          'reference' if implementation == 'keras' else 'runtime',
          data,
        )
      )
  checks.check_int(
    'latency_steps', latency_steps, 0, message=checks.NON_NEGATIVE_INT_NAMED
  )
  if latency_steps and mode != 'inference':
    raise ValueError(
      'Batch-1 latency is an inference measurement; got '
      'latency_steps=%r with mode=%r' % (latency_steps, mode)
    )
  check_data(data)
  if synthetic_baseline and data is None:
    raise ValueError(
      'synthetic_baseline compares real data with synthetic '
      'images; pass data=data_config(...) or leave '
      'synthetic_baseline=False'
    )
  members = [
    (implementation, data, batch_size, member_precision)
    for implementation, member_precision in pairs
  ]
  if synthetic_baseline:
    members.append(('ours', None, batch_size, precision_name))
  return _run_interleaved(
    members,
    model_name,
    mode,
    xla,
    image_size,
    num_warmup_steps,
    num_steps,
    num_classes,
    model_kwargs,
    intra_op,
    inter_op,
    seed,
    profile,
    isolate,
    latency_steps,
  )


def step_overhead(
  model_name,
  mode='train',
  precision_name='fp32',
  xla=False,
  batch_size=32,
  image_size=None,
  num_warmup_steps=5,
  num_steps=20,
  data=None,
  num_classes=None,
  model_kwargs=None,
  intra_op=None,
  inter_op=None,
  seed=0,
  isolate=True,
):
  """The per-step cost of our network that does not scale with the batch.

  Times 'ours' at batch_size // 2, batch_size and 2 * batch_size with the
  steps interleaved (as `benchmark_paired`) and fits the median step times
  with a line, step seconds = fixed + per_image * batch. `fixed` is what a
  step costs beyond its images: session call, executor dispatch of every op,
  the optimizer's updates and other batch-independent kernels. It is an
  upper bound on the framework's own overhead.

  Args:
    (as in `benchmark_network`; batch_size must be at least 2.)

  Returns:
    The result dict of the batch_size run (see `benchmark_network`) with
    'measurement': 'step_overhead', 'overhead_batch_sizes',
    'overhead_step_seconds' (their medians), 'fixed_seconds_per_step',
    'seconds_per_image' and 'overhead_fraction' (fixed / the median step
    time at batch_size; near zero or negative: no measurable fixed cost).

  Raises:
    ValueError: On bad settings, before anything is built.
  """
  check_settings(
    model_name,
    mode,
    precision_name,
    xla,
    batch_size,
    image_size,
    num_warmup_steps,
    num_steps,
  )
  check_data(data)
  sizes = overhead_batch_sizes(batch_size)
  results = _run_interleaved(
    [('ours', data, size, precision_name) for size in sizes],
    model_name,
    mode,
    xla,
    image_size,
    num_warmup_steps,
    num_steps,
    num_classes,
    model_kwargs,
    intra_op,
    inter_op,
    seed,
    False,
    isolate,
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


def _run_interleaved(
  members,
  model_name,
  mode,
  xla,
  image_size,
  num_warmup_steps,
  num_steps,
  num_classes,
  model_kwargs,
  intra_op,
  inter_op,
  seed,
  profile,
  isolate,
  latency_steps=0,
):
  """Builds a runner per (implementation, data, batch_size, precision) member
  and times them.

  Each round runs one step of every runner, in an order that rotates from
  round to round; step i of every result ran in round i. Then, with
  `latency_steps`, as many rounds of one single-image run of every runner.

  Returns:
    One result dict per member, in order.
  """
  from nets import nets_factory

  image_size = (
    image_size or nets_factory.get_spec(model_name).default_image_size
  )

  def own_kwargs(implementation):  # The references take none.
    return None if implementation in ('tf_slim', 'keras') else model_kwargs

  started = []
  classes = [num_classes] * len(members)
  try:
    for i, (implementation, data, batch_size, prec) in enumerate(members):
      if data is None and num_classes is None:
        # A synthetic baseline gets the head of the real-data runs before it.
        classes[i] = next(
          (
            runner.num_classes
            for runner, member in zip(started, members)
            if member[1] is not None
          ),
          None,
        )
      started.append(
        runners.make_runner(
          implementation,
          model_name,
          mode,
          prec,
          xla,
          batch_size,
          image_size,
          data,
          classes[i],
          own_kwargs(implementation),
          intra_op,
          inter_op,
          seed,
          isolate,
          latency=latency_steps > 0,
        )
      )
    for _ in range(num_warmup_steps):
      for runner in started:
        runner.step()
    step_seconds = [[] for _ in started]
    for i in range(num_steps):
      for j in range(len(started)):
        k = (i + j) % len(started)  # Rotate the order.
        step_seconds[k].append(started[k].step())
    latency_seconds = [[] for _ in started]
    # The TF2 workers (tf2_runner.py) time batches only.
    timed = [
      k
      for k, member in enumerate(members)
      if member[0] not in runners.TF2_IMPLEMENTATIONS
    ]
    for i in range(latency_steps if timed else 0):
      for j in range(len(timed)):
        k = timed[(i + j) % len(timed)]
        latency_seconds[k].append(started[k].step_latency())
    profiles = [
      runner.profile()
      if profile and member[0] not in (('keras',) + runners.TF2_IMPLEMENTATIONS)
      else None
      for runner, member in zip(started, members)
    ]
  finally:
    for runner in started:
      runner.close()
  results = [
    _result(
      runner,
      implementation,
      model_name,
      mode,
      prec,
      xla,
      batch_size,
      image_size,
      num_warmup_steps,
      seconds,
      data,
      member_classes,
      own_kwargs(implementation),
      op_profile,
      latency,
    )
    for runner, (
      implementation,
      data,
      batch_size,
      prec,
    ), seconds, latency, op_profile, member_classes in zip(
      started, members, step_seconds, latency_seconds, profiles, classes
    )
  ]
  # `report.comparison_ratios` compares them round by round.
  pair_id = '%s-%d-%d' % (platform.node(), os.getpid(), next(_PAIR_IDS))
  for result in results:
    result['pair_ids'] = [pair_id] if len(results) > 1 else []
  return results


def _settings(
  implementation,
  model_name,
  mode,
  precision_name,
  xla,
  batch_size,
  image_size,
  num_warmup_steps,
  num_steps,
  data,
  num_classes,
  model_kwargs,
):
  return collections.OrderedDict(
    [
      ('implementation', implementation),
      ('model_name', model_name),
      ('reference', runners.reference_name(implementation, model_name)),
      ('mode', mode),
      ('precision', precision_name),
      ('xla', xla),
      ('batch_size', batch_size),
      ('image_size', image_size),
      ('data', data),
      ('num_classes', num_classes),
      ('model_kwargs', model_kwargs),
      ('num_warmup_steps', num_warmup_steps),
      ('num_steps', num_steps),
      ('tf_version', tf.__version__),
      ('host', platform.node()),
      ('time', time.time()),
    ]
  )
