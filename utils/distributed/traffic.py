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
"""What one training step sends between a worker and the parameter servers.

Read from the training graph as TensorFlow's distributed runtime runs it:
every op is placed where the placer puts it (its colocation group first,
then the variable whose resource or reference it takes, then its own device,
else the worker), and every tensor the step needs on another task crosses the
network once per receiving task (the runtime's Send/Recv pairs, one per
tensor and destination). A control edge between tasks is a Send/Recv of an
empty tensor. Constants (scalar hyper-parameters) cross nothing: Grappler's
constant folding copies them to every device. The ops a step runs are those
its fetches reach through data and control inputs.

Each op has a *root*: `WORKER`, or the ps op it is placed with (a variable
the device setter placed, or an op placed on a ps explicitly, such as the
synchronous replicas' token queue). Transfers are kept between roots, so
that the load of each ps can be computed for any placement of the
variables (ps_placement.assign) without building the graph again.
"""

import collections

import tensorflow.compat.v1 as tf

from utils.distributed import ps_placement

WORKER = 'worker'
# The op types the device setter places on the ps tasks (TensorFlow's
# device_setter.STANDARD_PS_OPS), in the order it creates them.
_PS_OPS = frozenset(
  [
    'Variable',
    'VariableV2',
    'AutoReloadVariable',
    'VarHandleOp',
    'ResourceConditionalAccumulator',
    'MutableHashTable',
    'MutableHashTableV2',
    'MutableHashTableOfTensors',
    'MutableHashTableOfTensorsV2',
    'MutableDenseHashTable',
    'MutableDenseHashTableV2',
  ]
)
# What a transfer carries, for the breakdown of a step.
KINDS = (
  'variables',
  'gradients',
  'batch_norm',
  'global_step',
  'sync_replicas',
  'other',
  'control',
)

# A tensor (or control edge, nbytes 0) that root `dst` needs from root `src`;
# it crosses the network when they are on different tasks, once per
# receiving task (`task_traffic`).
#   name: the tensor name (or the op name of a control edge);
#   nbytes: its bytes (from the static shape and dtype);
#   key_bytes: the length of the runtime's rendezvous key naming it;
#   kind: one of KINDS.
Transfer = collections.namedtuple(
  'Transfer', ['name', 'nbytes', 'src', 'dst', 'kind', 'key_bytes']
)

# The traffic of one step of one worker.
#   variables: (op name, bytes) of each call of the device setter's
#     strategy, in order (what ps_placement.assign takes); an op's task is
#     that of its first call (a later call, from an outer device scope, keeps
#     the task already set);
#   attached: other ps root op name -> the setter-placed op it goes with;
#   tasks: ps root op name -> ps task in the built graph;
#   transfers: the list of `Transfer`s.
StepTraffic = collections.namedtuple(
  'StepTraffic', ['variables', 'attached', 'tasks', 'transfers']
)

# Device names as the runtime writes them in rendezvous keys.
_DEVICE = '/job:%s/replica:0/task:%d/device:CPU:0'


def _task(device):
  spec = tf.DeviceSpec.from_string(device or '')
  return spec.job, spec.task or 0


def _is_placed_input(tensor):
  """True for inputs that pin an op to their producer's device."""
  return tensor.dtype == tf.resource or tensor.dtype != tensor.dtype.base_dtype


class _Placer(object):
  """Roots of the ops of a graph (see the module docstring)."""

  def __init__(self, graph):
    self._graph = graph
    self._roots = {}

  def root(self, op):
    if op.name in self._roots:
      return self._roots[op.name]
    self._roots[op.name] = WORKER  # Guards against colocation cycles.
    result = self._find(op)
    self._roots[op.name] = result
    return result

  def _find(self, op):
    own = ('loc:@' + op.name).encode()
    for group in op.colocation_groups():
      if group != own:
        return self.root(self._graph.get_operation_by_name(group[5:].decode()))
    for tensor in op.inputs:
      if _is_placed_input(tensor):
        return self.root(tensor.op)
    if _task(op.device)[0] == 'ps':
      return op.name
    return WORKER


def _constant(op, memo):
  """Whether `op`'s outputs are constants that Grappler folds.

  A constant is copied to every device that needs it instead of being sent
  (Grappler's constant folding): Const ops, and stateless ops of constants
  only (an Identity of a Const, a scalar hyper-parameter).
  """
  if op.name not in memo:
    memo[op.name] = op.type == 'Const' or (
      bool(op.inputs)
      and not op.control_inputs
      and not op.op_def.is_stateful
      and all(_constant(t.op, memo) for t in op.inputs)
    )
  return memo[op.name]


def _closure(fetches):
  ops, stack = set(), [getattr(f, 'op', f) for f in fetches]
  while stack:
    op = stack.pop()
    if op in ops:
      continue
    ops.add(op)
    stack.extend(t.op for t in op.inputs)
    stack.extend(op.control_inputs)
  return ops


def _tensor_bytes(tensor):
  if tensor.dtype == tf.string:
    raise ValueError(
      'Tensor %s (a string) crosses tasks; its size is not known from the '
      'graph.' % tensor.name
    )
  shape = tensor.shape
  if not shape.is_fully_defined():
    raise ValueError(
      'Tensor %s crosses tasks but its shape %s is not fully known; the '
      'traffic needs static shapes (a fixed batch size).' % (tensor.name, shape)
    )
  return shape.num_elements() * tensor.dtype.base_dtype.size


def _kind(tensor_op, src, dst, trainable, global_step):
  """The `KINDS` entry of a tensor produced by `tensor_op`."""
  ps_root = dst if src == WORKER else src
  name = tensor_op.name
  if ps_root == global_step:
    if 'sync' in tensor_op.type.lower() or 'Queue' in tensor_op.type:
      return 'sync_replicas'
    return 'global_step'
  if 'Queue' in tensor_op.type or 'Accumulator' in tensor_op.type:
    return 'sync_replicas'
  if src == WORKER:
    if name.startswith('gradients') or '/gradients' in name:
      return 'gradients'
    if 'BatchNorm' in name and ps_root not in trainable:
      return 'batch_norm'
    if 'local_step' in name or 'sync_rep' in name:
      return 'sync_replicas'
    return 'other'
  return 'variables' if ps_root in trainable else 'batch_norm'


def step_traffic(graph, fetches, setter_calls=None):
  """The `StepTraffic` of running `fetches` on a worker.

  Args:
    graph: A training graph whose variables a `tf.train.replica_device_setter`
      placed on ps tasks.
    fetches: What the step runs (tensors, ops or resource variables).
    setter_calls: The (op name, bytes) of each call of the device setter's
      strategy while the graph was built (`SetterRecorder`); None: the ps
      variables in creation order, one call each.

  Returns:
    A `StepTraffic`.

  Raises:
    ValueError: if the graph has no variable on a ps task, or a tensor that
      crosses tasks has no static size.
  """
  placer = _Placer(graph)
  tasks = {}
  if setter_calls is not None:
    variables = list(setter_calls)
  else:
    # Colocated ops (optimizer slots) are placed with their variable, not by
    # the setter.
    variables = [
      (op.name, ps_placement.variable_op_bytes(op))
      for op in graph.get_operations()
      if op.type in _PS_OPS
      and _task(op.device)[0] == 'ps'
      and placer.root(op) == op.name
    ]
  if not variables:
    raise ValueError(
      'No variable of the graph is on a ps task: build it with ps tasks '
      '(num_ps_tasks > 0).'
    )
  trainable = {
    placer.root(v.op) for v in graph.get_collection('trainable_variables')
  }
  global_step = tf.train.get_global_step(graph)
  global_step = placer.root(global_step.op) if global_step is not None else None

  fetch_tensors = []
  with graph.as_default():
    for f in fetches:
      if isinstance(f, tf.Variable):
        f = f.read_value()  # What a session fetches for a variable.
      fetch_tensors.append(f)
  ops = _closure(fetch_tensors)
  edges = {}  # (tensor or op name, source and destination roots) -> Transfer
  names = {}  # op name -> its edge number in the rendezvous key.
  consts = {}

  def add(name, tensor_op, nbytes, src, dst, kind):
    key = (name, src, dst)
    if key in edges:
      return
    edge_name = 'edge_%d_%s' % (
      names.setdefault(name, len(names) + 1),
      tensor_op.name,
    )
    key_bytes = (
      len(_DEVICE % ('worker' if src == WORKER else 'ps', 0))
      + len(_DEVICE % ('worker' if dst == WORKER else 'ps', 0))
      + len(edge_name)
      + 16
      + 3
      + 4
    )
    edges[key] = Transfer(name, nbytes, src, dst, kind, key_bytes)

  for op in [o for o in graph.get_operations() if o in ops]:
    dst = placer.root(op)
    for tensor in op.inputs:
      src = placer.root(tensor.op)
      if src == dst or _is_placed_input(tensor) or _constant(tensor.op, consts):
        continue
      add(
        tensor.name,
        tensor.op,
        _tensor_bytes(tensor),
        src,
        dst,
        _kind(tensor.op, src, dst, trainable, global_step),
      )
    for control in op.control_inputs:
      src = placer.root(control)
      if src != dst:
        add('^' + control.name, control, 0, src, dst, 'control')
  for tensor in fetch_tensors:
    if isinstance(tensor, tf.Tensor):
      src = placer.root(tensor.op)
      if src != WORKER:
        add(
          tensor.name,
          tensor.op,
          _tensor_bytes(tensor),
          src,
          WORKER,
          _kind(tensor.op, src, WORKER, trainable, global_step),
        )
  roots = {t.src for t in edges.values()} | {t.dst for t in edges.values()}
  attached = {}
  # Ops named after a variable (optimizer slots, moving averages,
  # accumulators) are created on its device: the setter's calls do not move
  # them.
  called = list(collections.OrderedDict((name, 0) for name, _ in variables))
  called = [
    name
    for name in called
    if _owner(graph.get_operation_by_name(name), called) is None
  ]
  device_of = {
    name: graph.get_operation_by_name(name).device for name in called
  }
  for root in sorted(roots - {WORKER} - set(called)):
    attached[root] = _attach(
      graph.get_operation_by_name(root), called, global_step, device_of
    )
  for root in set(called) | set(attached):
    tasks[root] = _task(graph.get_operation_by_name(root).device)[1]
  return StepTraffic(variables, attached, tasks, list(edges.values()))


def _owner(op, variables):
  """The variable whose name `op`'s extends, or None.

  An optimizer slot or moving average is '<var>/<name>', a gradient
  accumulator has the shared name '<var>:0/grad_accum'.
  """
  try:
    shared = op.get_attr('shared_name').decode()
  except ValueError:
    shared = ''
  owners = [
    name
    for name in variables
    if name != op.name
    and (op.name.startswith(name + '/') or shared.startswith(name + ':'))
  ]
  return max(owners, key=len) if owners else None


def _attach(op, variables, global_step, device_of):
  """The setter-placed op that another ps op goes with.

  Its owner (`_owner`), else the global step when on its device (the
  synchronous replicas' token queue), else the first variable of its device
  (per-device grouping ops, which carry control edges only).

  Args:
    op: The op.
    variables: The setter-placed ops' names, in order.
    global_step: The global step's root.
    device_of: op name -> its device in the built graph.
  """
  owner = _owner(op, variables)
  if owner is not None:
    return owner
  if global_step in variables and op.device == device_of[global_step]:
    return global_step
  same = [name for name in variables if device_of[name] == op.device]
  return same[0] if same else global_step


# The traffic of each task in one step (one list entry per ps task).
#   ps_in, ps_out: bytes each ps receives and sends;
#   ps_transfers: tensors each ps receives or sends;
#   worker_in, worker_out: bytes the worker receives and sends;
#   transfers: the `Transfer`s that cross the network;
#   by_kind: KINDS entry -> bytes;
#   tasks: root -> ps task (the placement).
TaskTraffic = collections.namedtuple(
  'TaskTraffic',
  [
    'ps_in',
    'ps_out',
    'ps_transfers',
    'worker_in',
    'worker_out',
    'transfers',
    'by_kind',
    'tasks',
  ],
)


def task_of_roots(traffic, variable_tasks=None):
  """Root -> ps task: as built, or for `variable_tasks` (one per variable).

  Args:
    traffic: A `StepTraffic`.
    variable_tasks: None (the placement of the built graph), or the task of
      each call of `traffic.variables` (`ps_placement.assign`); the ops
      attached to a variable go with it.
  """
  if variable_tasks is None:
    return dict(traffic.tasks)
  tasks = {}
  for (name, _), task in zip(traffic.variables, variable_tasks):
    if name not in traffic.attached:
      tasks.setdefault(name, task)  # The first call decides.
  for root, variable in traffic.attached.items():
    tasks[root] = tasks[variable]
  return tasks


def task_traffic(traffic, tasks, num_ps):
  """The `TaskTraffic` of a step when root r is on ps task `tasks[r]`.

  Each tensor crosses once per receiving task (TensorFlow's Send/Recv pairs
  are per tensor and destination device).
  """
  ps_in, ps_out = [0] * num_ps, [0] * num_ps
  ps_transfers = [0] * num_ps
  worker_in = worker_out = 0
  crossing = {}
  by_kind = collections.Counter()
  for t in traffic.transfers:
    src = -1 if t.src == WORKER else tasks[t.src]
    dst = -1 if t.dst == WORKER else tasks[t.dst]
    if src == dst or (t.name, dst) in crossing:
      continue
    crossing[(t.name, dst)] = t
    by_kind[t.kind] += t.nbytes
    if src < 0:
      worker_out += t.nbytes
    else:
      ps_out[src] += t.nbytes
      ps_transfers[src] += 1
    if dst < 0:
      worker_in += t.nbytes
    else:
      ps_in[dst] += t.nbytes
      ps_transfers[dst] += 1
  return TaskTraffic(
    ps_in,
    ps_out,
    ps_transfers,
    worker_in,
    worker_out,
    list(crossing.values()),
    dict(by_kind),
    dict(tasks),
  )


class SetterRecorder(object):
  """A device setter's `ps_strategy` that records its calls.

  `calls` is the (op name, bytes) of every op the setter asked it to place,
  in order: the input of `step_traffic`'s `setter_calls`.
  """

  def __init__(self, strategy):
    self._strategy = strategy
    self.calls = []

  def __call__(self, op):
    self.calls.append((op.name, ps_placement.variable_op_bytes(op)))
    return self._strategy(op)
