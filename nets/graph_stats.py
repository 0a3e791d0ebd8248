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
"""Multiply-accumulate and parameter counts read from a built graph.

Shared by `nets/summary.py` (per-block tables) and
`utils/benchmark/` (GMACs per image and achieved GFLOP/s). Only
convolutions and matrix products are counted, as in the published figures
(torchvision's "GFLOPS", which are
multiply-accumulates, and slim's): batch norm, activations, pooling and
additions are cheap memory-bound ops and are left out.

A forward op's MACs, from its static shapes:

  Conv2D                 out_n * out_h * out_w * k_h * k_w * (in_c / groups)
                         * out_c; TensorFlow's filter already holds in_c /
                         groups, so grouped convolutions need no special case
                         and dilation changes nothing.
  DepthwiseConv2dNative  out_n * out_h * out_w * k_h * k_w * in_c * multiplier
  MatMul, BatchMatMul*   batch * M * K * N (with the transpose attributes)

Gradient ops (Conv2DBackprop*, the MatMuls of tf.gradients) are not forward
ops: `forward_ops` keeps only the ancestors of the given outputs, so a training
graph is counted once, like its inference graph. Training costs about three
times the forward MACs (forward, input gradient, filter gradient), the usual
rule used by `utils/benchmark/report.py`.
"""

import collections
import re

import numpy as np
import tensorflow.compat.v1 as tf

CONV_OPS = ('Conv2D', 'DepthwiseConv2dNative')
MATMUL_OPS = ('MatMul', 'BatchMatMul', 'BatchMatMulV2', 'BatchMatMulV3')
MAC_OPS = CONV_OPS + MATMUL_OPS

# Top-level scopes of a network that belong to the root block and the head
# (see nets/resnet_utils.py and resnet_builder.build_network).
_ROOT_PREFIXES = ('conv1', 'pool1')
_BLOCK_RE = re.compile(r'^block\d+$')


def _static_shape(tensor, op):
  shape = tensor.get_shape()
  if shape.ndims is None or not shape.is_fully_defined():
    raise ValueError(
      'MACs of op %r (%s) need static shapes; got %s for %s. '
      'Build the graph with a fixed input size.'
      % (op.name, op.type, shape, tensor.name)
    )
  return shape.as_list()


def op_macs(op):
  """The multiply-accumulates of one op of the graph (0 if not counted).

  Args:
    op: A `tf.Operation`.

  Returns:
    An int: the MACs of the whole op (all examples of its batch).

  Raises:
    ValueError: If the op is counted but a shape it needs is not static, or a
      data format other than NHWC is used; the message names the op.
  """
  if op.type not in MAC_OPS:
    return 0
  if op.type in CONV_OPS:
    data_format = op.get_attr('data_format')
    if data_format not in (b'NHWC', 'NHWC'):
      raise ValueError(
        'MACs of op %r: only NHWC convolutions are counted; '
        'got data_format=%r' % (op.name, data_format)
      )
    out_n, out_h, out_w, out_c = _static_shape(op.outputs[0], op)
    k_h, k_w, k_in, k_out = _static_shape(op.inputs[1], op)
    # Conv2D: k_in = in_c / groups. Depthwise: k_in = in_c, k_out = the
    # channel multiplier. The same product either way.
    return out_n * out_h * out_w * k_h * k_w * k_in * k_out
  a_shape = _static_shape(op.inputs[0], op)
  out_shape = _static_shape(op.outputs[0], op)
  if op.type == 'MatMul':
    transposed = op.get_attr('transpose_a')
  else:
    transposed = op.get_attr('adj_x')
  inner = a_shape[-2] if transposed else a_shape[-1]
  return int(np.prod(out_shape, dtype=np.int64)) * inner


def forward_ops(outputs):
  """The ops the tensors `outputs` depend on (data inputs only), in graph order.

  Args:
    outputs: A tensor or a list of tensors (e.g. the logits of a training
      graph, which leaves the gradient ops out).

  Returns:
    A list of `tf.Operation`s, sorted by creation order.
  """
  if isinstance(outputs, (tf.Tensor, tf.Operation)):
    outputs = [outputs]
  pending = [t.op if isinstance(t, tf.Tensor) else t for t in outputs]
  seen = {}
  while pending:
    op = pending.pop()
    if op.name in seen:
      continue
    seen[op.name] = op
    pending.extend(t.op for t in op.inputs)
  if not seen:
    return []
  graph = next(iter(seen.values())).graph
  order = {op.name: i for i, op in enumerate(graph.get_operations())}
  return sorted(seen.values(), key=lambda op: order[op.name])


def count_macs(ops):
  """Total MACs of `ops` (see `op_macs`), e.g. `count_macs(forward_ops(x))`."""
  return int(sum(op_macs(op) for op in ops))


def macs_by_type(ops):
  """A dict op type -> MACs of `ops`, for the counted types that occur."""
  totals = collections.Counter()
  for op in ops:
    macs = op_macs(op)
    if macs:
      totals[op.type] += macs
  return dict(totals)


def network_part(name, scope):
  """The part of a network a graph or variable name belongs to.

  Args:
    name: An op or variable name such as 'resnet_v1_50/block2/unit_1/...'.
    scope: The network's scope ('resnet_v1_50').

  Returns:
    'root' (`conv1*`, `pool1`), 'blockN', 'head' (everything else in `scope`:
    `postnorm`, `pool5`, `logits`, ...) or None for names outside `scope`.
  """
  prefix = scope.rstrip('/') + '/'
  if not name.startswith(prefix):
    return None
  first = name[len(prefix) :].split('/', 1)[0]
  if _BLOCK_RE.match(first):
    return first
  if first.startswith(_ROOT_PREFIXES):
    return 'root'
  return 'head'


def part_order(parts):
  """Sorts part names as root, block1, block2, ..., head."""

  def key(part):
    if part == 'root':
      return (0, 0)
    if part == 'head':
      return (2, 0)
    return (1, int(part[len('block') :]))

  return sorted(parts, key=key)


def macs_by_part(ops, scope):
  """A dict part (see `network_part`) -> MACs of the `ops` in `scope`."""
  totals = collections.Counter()
  for op in ops:
    part = network_part(op.name, scope)
    if part is not None:
      totals[part] += op_macs(op)
  return dict(totals)


def params_by_part(variables, scope):
  """A dict part -> number of parameters of `variables` in `scope`."""
  totals = collections.Counter()
  for var in variables:
    part = network_part(var.op.name, scope)
    if part is not None:
      totals[part] += int(np.prod(var.shape.as_list(), dtype=np.int64))
  return dict(totals)
