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
"""Where the training runs: in-graph replicas ("clones") and cluster tasks.

`Deployment` groups slim's deployment flags. Clones are in-graph replicas of
the network (one per GPU, or all on the CPU), each on its own batch, whose
gradients are summed (each clone's loss is already divided by the number of
clones, so the sum is the average); the variables live on the CPU when
cloning, or on the ps tasks of a cluster (`tf.train.replica_device_setter`).

Typical use (what `train_lib.train` does):

  deployment = Deployment(num_clones=2, clone_on_cpu=True)
  check_deployment(deployment)
  variables_device = variables_device_of(deployment)
  cross_entropies, end_points, scope = build_clones(
      network_fn, next_batch, deployment, variables_device,
      functools.partial(losses.classification_loss, num_classes=10))
  grads_and_vars = average_gradients(optimizer, clone_losses,
                                     variables_to_train)
"""

import collections
import dataclasses

import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import tf_compat  # noqa: F401  (before tf_slim)
from utils import checks
from utils.distributed import ps_placement


@dataclasses.dataclass(frozen=True)
class Deployment:
  """Where the training runs: slim's deployment flags (names and defaults).

  Checked when constructed (also by `dataclasses.replace`): a bad field
  raises a ValueError naming it and its value.

  Attributes:
    num_clones: In-graph replicas (one per GPU, or all on the CPU), >= 1.
    clone_on_cpu: Place the clones on the CPU.
    master: The TensorFlow target; '' runs in-process.
    is_chief: This process initializes, checkpoints and writes summaries.
    task: This worker's task index (task 0 is the chief).
    num_ps_tasks: Parameter servers; 0 keeps the variables local.
    worker_replicas: Workers of the cluster (utils/distributed/cluster.py).
    sync_replicas: Synchronous updates (`SyncReplicasOptimizer`).
    replicas_to_aggregate: Worker gradients per synchronous update.
    variables_device: A device string or function for the variables; None:
      `default_variables_device(...)`.
    ps_strategy: How the device setter spreads the variables over the ps
      tasks: 'round_robin' (slim's) or 'greedy' by bytes
      (utils/distributed/ps_placement.py).
  """

  num_clones: int = 1
  clone_on_cpu: bool = False
  master: str = ''
  is_chief: bool = True
  task: int = 0
  num_ps_tasks: int = 0
  worker_replicas: int = 1
  sync_replicas: bool = False
  replicas_to_aggregate: int = 1
  variables_device: object = None
  ps_strategy: str = 'round_robin'

  def __post_init__(self):
    for name, minimum in [
      ('num_clones', 1),
      ('worker_replicas', 1),
      ('replicas_to_aggregate', 1),
      ('num_ps_tasks', 0),
      ('task', 0),
    ]:
      checks.check_int(name, getattr(self, name), minimum)
    for name in ('clone_on_cpu', 'is_chief', 'sync_replicas'):
      checks.check_bool(name, getattr(self, name))
    ps_placement.check_ps_strategy(self.ps_strategy)
    if not isinstance(self.master, str):
      raise ValueError(
        "master must be a string (a TensorFlow target, or '' "
        'for in-process); got master=%r.' % (self.master,)
      )
    if self.sync_replicas and self.replicas_to_aggregate > self.worker_replicas:
      raise ValueError(
        'replicas_to_aggregate=%d is larger than the number of workers '
        '(worker_replicas=%d); each synchronous update aggregates at most one '
        'gradient per worker.'
        % (self.replicas_to_aggregate, self.worker_replicas)
      )


def check_deployment(deployment):
  """Checks that `deployment` is a `Deployment` (its fields are checked
  when it is constructed).

  Raises:
    TypeError: if `deployment` is not a `Deployment`.
  """
  if not isinstance(deployment, Deployment):
    raise TypeError(
      'deployment must be a replicas.Deployment; got %r.' % (deployment,)
    )


def clone_device(clone_index, num_clones, clone_on_cpu, num_ps_tasks=0, task=0):
  """The device of clone `clone_index` ('' leaves placement to TensorFlow)."""
  worker = '/job:worker/task:%d' % task if num_ps_tasks > 0 else ''
  if clone_on_cpu:
    return worker + '/device:CPU:0'
  if num_clones == 1:
    return worker
  return worker + '/device:GPU:%d' % clone_index


def default_variables_device(
  num_clones, num_ps_tasks=0, task=0, ps_strategy='round_robin'
):
  """Where variables live: the ps tasks, else the CPU when cloning, else ''.

  On ps tasks, `ps_strategy` (`ps_placement.PS_STRATEGIES`) spreads them.
  """
  if num_ps_tasks > 0:
    return tf.train.replica_device_setter(
      ps_tasks=num_ps_tasks,
      worker_device='/job:worker/task:%d' % task,
      ps_strategy=ps_placement.device_strategy(ps_strategy, num_ps_tasks),
    )
  return '/device:CPU:0' if num_clones > 1 else ''


def variables_device_of(deployment):
  """`deployment.variables_device`, or `default_variables_device(...)`."""
  if deployment.variables_device is not None:
    return deployment.variables_device
  return default_variables_device(
    deployment.num_clones,
    deployment.num_ps_tasks,
    deployment.task,
    deployment.ps_strategy,
  )


def inputs_device(deployment):
  """The input pipeline's device: this worker's CPU."""
  worker = (
    '/job:worker/task:%d' % deployment.task
    if deployment.num_ps_tasks > 0
    else ''
  )
  return worker + '/device:CPU:0'


def build_clones(
  network_fn, next_batch, deployment, variables_device, loss_fn, batch_fn=None
):
  """Builds the clones of the network and their losses.

  Clone i reads its own batch, runs on `clone_device(i, ...)` in name scope
  'clone_i' (only when num_clones > 1) and shares the variables, which
  `variables_device` places.

  Args:
    network_fn: `network_fn(images)` -> (logits, end_points).
    next_batch: A function returning the next (images, labels).
    deployment: A `Deployment`.
    variables_device: Where the variables go (`variables_device_of`).
    loss_fn: `loss_fn(logits, labels)` -> the clone's scalar loss (e.g.
      `losses.classification_loss` with its other arguments bound).
    batch_fn: None, or `batch_fn(images, labels)` -> (images, labels or soft
      targets), applied to each clone's batch (`mixing.mix_batch`).

  Returns:
    (cross_entropies, end_points, scope): one loss per clone, the end points
    of clone 0 and its name scope ('' with a single clone).
  """
  num_clones = deployment.num_clones
  cross_entropies = []
  first_end_points, first_scope = None, ''
  for i in range(num_clones):
    scope = 'clone_%d' % i if num_clones > 1 else ''
    device = clone_device(
      i,
      num_clones,
      deployment.clone_on_cpu,
      deployment.num_ps_tasks,
      deployment.task,
    )
    with tf.name_scope(scope or None), tf.device(device):
      images, labels = next_batch()
      if batch_fn is not None:
        images, labels = batch_fn(images, labels)
      with (
        tf.variable_scope(tf.get_variable_scope(), reuse=i > 0),
        slim.arg_scope(
          [slim.model_variable, slim.variable], device=variables_device
        ),
      ):
        logits, end_points = network_fn(images)
      cross_entropies.append(loss_fn(logits, labels))
    if i == 0:
      first_end_points = end_points
      first_scope = scope
  return cross_entropies, first_end_points, first_scope


def average_gradients(optimizer, clone_losses, variables_to_train):
  """Sums the clones' gradients (each loss is already divided by num_clones).

  Args:
    optimizer: The `tf.train.Optimizer` that computes the gradients.
    clone_losses: One scalar loss per clone.
    variables_to_train: The variables to update.

  Returns:
    A list of (gradient, variable) pairs, in the order of
    `variables_to_train`, without the variables no loss reaches.

  Raises:
    ValueError: if no gradient reaches any variable to train.
  """
  per_variable = collections.OrderedDict(
    (v.ref(), []) for v in variables_to_train
  )
  for loss in clone_losses:
    for grad, var in optimizer.compute_gradients(loss, variables_to_train):
      if grad is not None:
        per_variable[var.ref()].append(grad)
  grads_and_vars = []
  for var in variables_to_train:
    grads = per_variable[var.ref()]
    if not grads:
      continue
    grad = grads[0] if len(grads) == 1 else tf.add_n(grads)
    grads_and_vars.append((grad, var))
  if not grads_and_vars:
    raise ValueError(
      'No gradient reaches the variables to train; check trainable_scopes.'
    )
  return grads_and_vars
