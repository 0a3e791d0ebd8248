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
"""Which parameter server holds each variable: round robin or greedy by bytes.

`tf.train.replica_device_setter` asks a strategy for the ps task of every
variable op it places, in creation order. slim's (and the setter's) default
is round robin: the i-th variable goes to task i mod num_ps, whatever its
size, so one large layer can make one ps the bottleneck of every step.
'greedy' gives each variable to the task that holds the fewest bytes so far
(the lowest index on a tie), as the former
`tf.contrib.training.GreedyLoadBalancingStrategy` with `byte_size_load_fn`
did; TensorFlow 2 no longer ships it.

Typical use:

  setter = tf.train.replica_device_setter(
      ps_tasks=4, ps_strategy=device_strategy('greedy', 4))
  tasks = assign([4096, 8, 2359296], 2, 'greedy')  # [0, 1, 1]
"""

import numpy as np

from utils import checks

PS_STRATEGIES = ('round_robin', 'greedy')


def check_ps_strategy(ps_strategy):
  """Raises a ValueError naming `ps_strategy` if it is not a known one."""
  checks.check_choice(
    'ps_strategy', ps_strategy, PS_STRATEGIES, message=checks.ONE_OF_SENTENCE
  )


def variable_op_bytes(op):
  """The bytes of the variable an op creates (its `shape` and `dtype`).

  Args:
    op: A variable op (VarHandleOp, VariableV2, ...).

  Returns:
    The number of bytes; 0 when the op has no fully known shape.
  """
  try:
    shape = op.get_attr('shape')  # A TensorShapeProto.
    dtype = op.get_attr('dtype')  # A tf.DType.
  except ValueError:  # An op without them (a queue, a table).
    return 0
  sizes = [d.size for d in shape.dim]
  if shape.unknown_rank or any(s < 0 for s in sizes):
    return 0
  return int(np.prod(sizes, dtype=np.int64)) * dtype.size


class RoundRobin(object):
  """A `ps_strategy`: task i mod num_tasks for the i-th op (the setter's)."""

  def __init__(self, num_tasks):
    self._num_tasks = num_tasks
    self._next = 0

  def __call__(self, op):
    del op
    task = self._next
    self._next = (self._next + 1) % self._num_tasks
    return task


class GreedyByBytes(object):
  """A `ps_strategy`: each op to the task with the fewest bytes so far."""

  def __init__(self, num_tasks):
    self._loads = np.zeros(num_tasks, dtype=np.int64)

  def __call__(self, op):
    return self.place(variable_op_bytes(op))

  def place(self, nbytes):
    """The task of a variable of `nbytes` bytes (and counts it there)."""
    task = int(np.argmin(self._loads))
    self._loads[task] += nbytes
    return task


def device_strategy(ps_strategy, num_tasks):
  """The `ps_strategy` argument of `tf.train.replica_device_setter`.

  Returns None for 'round_robin' (the setter's own default, unchanged) and a
  `GreedyByBytes` for 'greedy'.

  Raises:
    ValueError: on an unknown `ps_strategy`.
  """
  check_ps_strategy(ps_strategy)
  return GreedyByBytes(num_tasks) if ps_strategy == 'greedy' else None


def assign(variable_bytes, num_tasks, ps_strategy):
  """The ps task of each variable, as the device setter would place them.

  Args:
    variable_bytes: The bytes of each variable the setter places, in
      creation order.
    num_tasks: The number of ps tasks (>= 1).
    ps_strategy: One of `PS_STRATEGIES`.

  Returns:
    A list of task indices, one per variable.

  Raises:
    ValueError: on an unknown `ps_strategy`.
  """
  check_ps_strategy(ps_strategy)
  if ps_strategy == 'round_robin':
    return [i % num_tasks for i in range(len(variable_bytes))]
  greedy = GreedyByBytes(num_tasks)
  return [greedy.place(n) for n in variable_bytes]


def imbalance(loads):
  """The largest load over the mean load (1.0: perfectly balanced)."""
  loads = np.asarray(loads, dtype=np.float64)
  return float(loads.max() / loads.mean()) if loads.sum() else 1.0
