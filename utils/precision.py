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
"""Precision and XLA switches shared by the benchmark, training and eval.

Everything is a session option, so the model code stays fp32 and unchanged:

  config = precision.session_config(precision='bfloat16', xla=False)
  with tf.Session(config=config) as sess:            # or MonitoredSession,
    ...                                               # slim.learning.train(
                                                      #   session_config=...)

bfloat16. `precision='bfloat16'` turns on grappler's oneDNN auto-mixed-
precision rewrite (`RewriterConfig.auto_mixed_precision_onednn_bfloat16`, the
TF 2.21 name; `auto_mixed_precision_mkl` is its deprecated alias). When the
session runs the graph, the rewrite casts the inputs of the ops on its allow
list (Conv2D, MatMul and their gradients) to bfloat16, lets the ops between
them that follow their inputs' type (Relu, BiasAdd, Add, Pad, MaxPool, batch
norm, ...) run in bfloat16 too, and casts back to float32 where a float32-only
op follows (the loss, the optimizer). Variables are never rewritten: they
stay float32 and are read through a Cast, so the optimizer updates float32
master weights. Batch norm
(FusedBatchNormV3 and its gradient) takes bfloat16 activations but keeps its
scale, offset, mean and variance, and the moving averages it updates, in
float32 (its `U` type). The rewrite only helps on CPUs with native bfloat16
(AVX512_BF16 or AMX); `rewrite_stats` shows whether it happened.

XLA. `xla=True` sets `global_jit_level=ON_1`, TensorFlow's auto-clustering.
On CPU, TensorFlow ignores that level unless the process-wide flag
`--tf_xla_cpu_global_jit` is in `TF_XLA_FLAGS` when the first session of the
process starts; `session_config(xla=True)` adds it to the environment, which
is enough when it is called before any session exists (as the scripts do).
Otherwise, or to compile a chosen part of the graph only, build those ops
inside `xla_scope(True)` (explicit clustering works without the flag).
`rewrite_stats` counts the XLA clusters that ran.
"""

import collections
import contextlib
import os

import tensorflow.compat.v1 as tf

from utils import checks

PRECISIONS = ('fp32', 'bfloat16')
CPU_GLOBAL_JIT_FLAG = '--tf_xla_cpu_global_jit'

# Ops whose type names contain these are convolutions or matrix products,
# whatever the rewrites renamed them to (_MklNativeConv2D, _FusedConv2D,
# _MklNativeFusedMatMul, Conv2DBackpropFilter, ...).
_CONV_TOKENS = ('Conv2D', 'DepthwiseConv2d')
_MATMUL_TOKENS = ('MatMul',)
_XLA_OPS = ('_XlaCompile', '_XlaRun', 'XlaLaunch')
# One of these per XLA cluster (_XlaCompile pairs with an _XlaRun).
_XLA_CLUSTER_OPS = ('_XlaCompile', 'XlaLaunch')


def check_precision(precision):
  """Returns `precision` if it is one of `PRECISIONS`.

  Raises:
    ValueError: Otherwise, naming the value and the valid ones.
  """
  return checks.check_choice('precision', precision, PRECISIONS)


def enable_cpu_global_jit():
  """Adds `--tf_xla_cpu_global_jit` to `TF_XLA_FLAGS` (once).

  TensorFlow reads the flag when the first session of the process starts, so
  call this before that; later calls cannot change the process's setting.

  Returns:
    True if the flag was added now, False if it was already there.
  """
  flags = os.environ.get('TF_XLA_FLAGS', '')
  if CPU_GLOBAL_JIT_FLAG in flags.split():
    return False
  os.environ['TF_XLA_FLAGS'] = (flags + ' ' + CPU_GLOBAL_JIT_FLAG).strip()
  return True


def session_config(
  precision='fp32', xla=False, intra_op=None, inter_op=None, base_config=None
):
  """A `tf.ConfigProto` with the requested precision and XLA settings.

  Args:
    precision: 'fp32', or 'bfloat16' for oneDNN's bfloat16 auto mixed
      precision (see the module docstring; variables and batch-norm statistics
      stay float32).
    xla: Whether to turn on XLA auto-clustering (`global_jit_level=ON_1`; on
      CPU also `enable_cpu_global_jit()`).
    intra_op: None (TensorFlow's default) or the threads of one op.
    inter_op: None (TensorFlow's default) or the ops run in parallel.
    base_config: Optional `tf.ConfigProto` to start from (it is copied, never
      modified).

  Returns:
    A new `tf.ConfigProto`.

  Raises:
    ValueError: On an unknown `precision`, a non-boolean `xla` or a bad
      thread count, naming the value.
  """
  check_precision(precision)
  checks.check_bool('xla', xla)
  checks.check_threads('intra_op', intra_op)
  checks.check_threads('inter_op', inter_op)
  config = tf.ConfigProto()
  if base_config is not None:
    config.CopyFrom(base_config)
  rewrite_options = config.graph_options.rewrite_options
  if precision == 'bfloat16':
    rewrite_options.auto_mixed_precision_onednn_bfloat16 = rewrite_options.ON
  if xla:
    config.graph_options.optimizer_options.global_jit_level = (
      tf.OptimizerOptions.ON_1
    )
    enable_cpu_global_jit()
  if intra_op is not None:
    config.intra_op_parallelism_threads = intra_op
  if inter_op is not None:
    config.inter_op_parallelism_threads = inter_op
  return config


def xla_scope(enabled):
  """A context in which the ops built are compiled by XLA if `enabled`.

  This is `tf.xla.experimental.jit_scope()`: explicit clustering, which works
  on CPU without `--tf_xla_cpu_global_jit`. Gradients of ops built in the
  scope are compiled too. With `enabled=False` it does nothing.
  """
  if enabled:
    return tf.xla.experimental.jit_scope(compile_ops=True)
  return contextlib.nullcontext()


# conv_ops / matmul_ops: op type -> {dtype name: count}, over the graphs that
# ran (partition graphs and the functions in their libraries); the ops inside
# XLA clusters are compiled by XLA and not seen. xla_clusters: the number of
# XLA clusters (one _XlaCompile, or XlaLaunch, each).
RewriteStats = collections.namedtuple(
  'RewriteStats', ['conv_ops', 'matmul_ops', 'xla_clusters']
)


def _dtype_name(node):
  for key in ('T', 'Tinput', 'Tin'):
    if key in node.attr:
      return tf.as_dtype(node.attr[key].type).name
  return 'unknown'


def _count(nodes, stats):
  for node in nodes:
    if node.op in _XLA_OPS:
      stats['xla'] += node.op in _XLA_CLUSTER_OPS
      continue
    if node.op.startswith('Const') or node.op.startswith('Cast'):
      continue
    if any(token in node.op for token in _CONV_TOKENS):
      stats['conv'][node.op][_dtype_name(node)] += 1
    elif any(token in node.op for token in _MATMUL_TOKENS):
      stats['matmul'][node.op][_dtype_name(node)] += 1


def graph_def_stats(graph_defs):
  """Counts conv/matmul ops by type and dtype, and XLA ops, in GraphDefs.

  Args:
    graph_defs: `tf.GraphDef`s, e.g. `RunMetadata.partition_graphs`.

  Returns:
    A `RewriteStats`.
  """
  stats = {
    'conv': collections.defaultdict(collections.Counter),
    'matmul': collections.defaultdict(collections.Counter),
    'xla': 0,
  }
  for graph_def in graph_defs:
    _count(graph_def.node, stats)
    for function in graph_def.library.function:
      _count(function.node_def, stats)
  return RewriteStats(
    {k: dict(v) for k, v in stats['conv'].items()},
    {k: dict(v) for k, v in stats['matmul'].items()},
    stats['xla'],
  )


def rewrite_stats(session, fetches, feed_dict=None):
  """Runs `fetches` once and reports what the graph rewrites made of them.

  The graphs that really ran are the session's partition graphs (after
  grappler, the oneDNN layout pass and XLA clustering); they are requested
  with `RunOptions(output_partition_graphs=True)`. Note that this runs the
  fetches (a training step updates the variables).

  Args:
    session: A `tf.Session`, with the config under test.
    fetches: What to run, as for `session.run`.
    feed_dict: Optional feeds.

  Returns:
    A `RewriteStats`; e.g. `bfloat16_fraction(stats)` tells whether the
    bfloat16 rewrite happened.
  """
  run_metadata = tf.RunMetadata()
  session.run(
    fetches,
    feed_dict=feed_dict,
    options=tf.RunOptions(output_partition_graphs=True),
    run_metadata=run_metadata,
  )
  return graph_def_stats(run_metadata.partition_graphs)


def bfloat16_fraction(stats, kind='conv'):
  """The fraction of conv (or 'matmul') ops of `stats` that run in bfloat16.

  Returns:
    A float in [0, 1], or None if there is no such op.

  Raises:
    ValueError: If `kind` is not 'conv' or 'matmul'.
  """
  if kind not in ('conv', 'matmul'):
    raise ValueError("kind must be 'conv' or 'matmul'; got kind=%r" % (kind,))
  by_type = stats.conv_ops if kind == 'conv' else stats.matmul_ops
  total = sum(sum(c.values()) for c in by_type.values())
  if not total:
    return None
  bf16 = sum(c.get('bfloat16', 0) for c in by_type.values())
  return bf16 / total
