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
      network_fn, next_batch, deployment, variables_device, num_classes,
      label_smoothing)
  grads_and_vars = average_gradients(optimizer, clone_losses,
                                     variables_to_train)
"""

import collections

import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import tf_compat  # noqa: F401  (before tf_slim)
from utils import checks
from utils.distributed import ps_placement

# slim's deployment flags (same names and defaults), plus `variables_device`:
#   num_clones, clone_on_cpu: in-graph replicas (GPUs, or all on the CPU).
#   master, is_chief, task, num_ps_tasks, worker_replicas: this process's
#     place in a cluster (utils/distributed/cluster.py); task 0 is the chief.
#   sync_replicas, replicas_to_aggregate: synchronous updates
#     (`SyncReplicasOptimizer`), each aggregating that many worker gradients.
#   variables_device: a device string or function for the variables; None:
#     `default_variables_device(...)`.
#   ps_strategy: how the device setter spreads the variables over the ps
#     tasks, 'round_robin' (slim's) or 'greedy' by bytes
#     (utils/distributed/ps_placement.py).
Deployment = collections.namedtuple(
  'Deployment',
  [
    'num_clones',
    'clone_on_cpu',
    'master',
    'is_chief',
    'task',
    'num_ps_tasks',
    'worker_replicas',
    'sync_replicas',
    'replicas_to_aggregate',
    'variables_device',
    'ps_strategy',
  ],
  defaults=(1, False, '', True, 0, 0, 1, False, 1, None, 'round_robin'),
)


def check_deployment(deployment):
  """Checks a `Deployment`; builds nothing.

  Raises:
    TypeError: if `deployment` is not a `Deployment`.
    ValueError: on a bad field, naming it and its value, or more replicas to
      aggregate than workers.
  """
  if not isinstance(deployment, Deployment):
    raise TypeError(
      'deployment must be a replicas.Deployment; got %r.' % (deployment,)
    )
  for name, minimum in [
    ('num_clones', 1),
    ('worker_replicas', 1),
    ('replicas_to_aggregate', 1),
    ('num_ps_tasks', 0),
    ('task', 0),
  ]:
    checks.check_int(name, getattr(deployment, name), minimum)
  for name in ('clone_on_cpu', 'is_chief', 'sync_replicas'):
    checks.check_bool(name, getattr(deployment, name))
  ps_placement.check_ps_strategy(deployment.ps_strategy)
  if not isinstance(deployment.master, str):
    raise ValueError(
      "master must be a string (a TensorFlow target, or '' "
      'for in-process); got master=%r.' % (deployment.master,)
    )
  if (
    deployment.sync_replicas
    and deployment.replicas_to_aggregate > deployment.worker_replicas
  ):
    raise ValueError(
      'replicas_to_aggregate=%d is larger than the number of workers '
      '(worker_replicas=%d); each synchronous update aggregates at most one '
      'gradient per worker.'
      % (deployment.replicas_to_aggregate, deployment.worker_replicas)
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


def cross_entropy(logits, labels, num_classes, label_smoothing):
  """The softmax cross-entropy, asserting the labels are in [0, num_classes).

  Args:
    logits: [batch, num_classes] float logits.
    labels: [batch] integer labels (after `labels_offset`).
    num_classes: The number of classes.
    label_smoothing: See `tf.losses.softmax_cross_entropy`.

  Returns:
    The scalar loss (also added to the LOSSES collection).
  """
  label_checks = [
    tf.debugging.assert_non_negative(
      labels, message='labels must be >= 0 after labels_offset'
    ),
    tf.debugging.assert_less(
      labels,
      tf.cast(num_classes, labels.dtype),
      message='labels must be < num_classes (%d) after labels_offset'
      % num_classes,
    ),
  ]
  with tf.control_dependencies(label_checks):
    onehot = tf.one_hot(labels, num_classes)
  return tf.losses.softmax_cross_entropy(
    onehot, logits, label_smoothing=label_smoothing
  )


def build_clones(
  network_fn,
  next_batch,
  deployment,
  variables_device,
  num_classes,
  label_smoothing,
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
    num_classes, label_smoothing: See `cross_entropy`.

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
      with (
        tf.variable_scope(tf.get_variable_scope(), reuse=i > 0),
        slim.arg_scope(
          [slim.model_variable, slim.variable], device=variables_device
        ),
      ):
        logits, end_points = network_fn(images)
      cross_entropies.append(
        cross_entropy(logits, labels, num_classes, label_smoothing)
      )
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
