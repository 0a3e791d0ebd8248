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
"""Training of the image classifiers: schedules, optimizers, fine-tuning, loop.

Everything here takes plain arguments (no flags), so it can be unit-tested and
called from other programs; `train_image_classifier.py` only maps its flags to
`train(...)`.

Typical use:

  dataset = dataset_factory.get_dataset('digits', 'train', '/data/digits')
  result = train_lib.train(dataset, '/runs/digits', 'resnet_cifar_20',
                           optimizer='momentum', learning_rate=0.1,
                           max_number_of_steps=1000)

Pieces, in the order `train` uses them:

  * `configure_learning_rate` / `epochs_to_steps`: slim's fixed, exponential
    and polynomial schedules plus cosine, with an optional linear warm-up.
    Steps are global steps; one epoch is
    `num_samples / (batch_size * num_clones [* replicas_to_aggregate])` of
    them (see `global_batch_size`).
  * `configure_optimizer`: slim's seven optimizers and their hyper-parameters.
  * Checkpoints: `list_checkpoints`, `latest_checkpoint` (complete checkpoints
    only) and `resolve_checkpoint` (a file or a directory).
  * Fine-tuning: `get_variables_to_restore` (minus `checkpoint_exclude_scopes`),
    `get_variables_to_train` (`trainable_scopes`), `filter_update_ops`
    (batch-norm statistics of frozen scopes stay frozen) and `get_init_fn`
    (missing variables are an error unless ignored).
  * `train`: in-graph replicas ("clones") whose gradients are averaged, the
    optimizer (optionally `SyncReplicasOptimizer`), and a
    `MonitoredTrainingSession` loop with checkpoint, summary, progress,
    stop-at-step and non-finite-loss hooks. It resumes from the newest
    checkpoint in `train_dir`.

Distributed training: `train` takes `master`, `is_chief`, `task`,
`num_ps_tasks` (variables placed by `tf.train.replica_device_setter`, or any
`variables_device`), `worker_replicas`, `sync_replicas` and
`replicas_to_aggregate` (the `SyncReplicasOptimizer`, its hook, and the
release of waiting workers when the chief stops); utils/distributed/cluster.py
starts the `tf.train.Server` whose target is `master`, and
utils/distributed/launch_cluster.py runs a whole cluster on one machine.

Fault tolerance: training killed at any moment (kill -9) resumes, when run
again with the same `train_dir`, from the newest complete checkpoint
(`repair_checkpoint_state`); a restarted worker rejoins its cluster.
"""

import collections
import datetime
import math
import os
import sys
import time

from absl import logging
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import tf_compat  # noqa: F401  (before tf_slim)
from utils import checks
from utils import input_pipeline
from utils.preprocessing import preprocessing_factory

OPTIMIZERS = ('adadelta', 'adagrad', 'adam', 'ftrl', 'momentum', 'rmsprop',
              'sgd')
LEARNING_RATE_DECAY_TYPES = ('cosine', 'exponential', 'fixed', 'polynomial')

# What `train` returns: the global step reached and the last loss (None when
# no step ran, e.g. when resuming a finished run).
TrainResult = collections.namedtuple('TrainResult', ['global_step', 'loss'])


class NonFiniteLossError(RuntimeError):
  """Raised when the training loss becomes NaN or infinite."""


def parse_scopes(scopes):
  """Turns slim's comma-separated scope list (or a list) into a list.

  Args:
    scopes: None, '' , 'a/b,c' or ['a/b', 'c'].

  Returns:
    A list of non-empty, stripped scope names (empty for None or '').
  """
  if not scopes:
    return []
  if isinstance(scopes, str):
    scopes = scopes.split(',')
  return [s.strip() for s in scopes if s and s.strip()]


def _in_scopes(name, scopes):
  # A prefix match on the variable (op) name, as slim's scripts do.
  return any(name.startswith(scope) for scope in scopes)


###############################################################################
# Learning rate and optimizer
###############################################################################


def global_batch_size(batch_size, num_clones=1, sync_replicas=False,
                      replicas_to_aggregate=1):
  """Images consumed per global step.

  Each step runs `num_clones` clones on `batch_size` images each; with
  `sync_replicas` one global step aggregates `replicas_to_aggregate` such
  replica steps. (slim divided by `batch_size` alone, so its epochs were
  `num_clones` times too long with clones; here an epoch is an epoch.)

  Returns:
    The number of images per global step.
  """
  replicas = replicas_to_aggregate if sync_replicas else 1
  return batch_size * num_clones * replicas


def epochs_to_steps(epochs, num_samples, images_per_step):
  """Converts a number of epochs into global steps (at least 1 if epochs > 0).

  Args:
    epochs: A non-negative number of epochs.
    num_samples: Images per epoch (the split size).
    images_per_step: Images per global step (`global_batch_size(...)`).

  Returns:
    An int: `round(epochs * num_samples / images_per_step)`, 0 for 0 epochs.

  Raises:
    ValueError: on a negative `epochs` or a non-positive size.
  """
  checks.check_number('epochs', epochs, minimum=0)
  checks.check_int('num_samples', num_samples, 1)
  checks.check_int('images_per_step', images_per_step, 1)
  if epochs == 0:
    return 0
  return max(1, int(round(epochs * num_samples / float(images_per_step))))


def configure_learning_rate(learning_rate_decay_type, learning_rate,
                            global_step, decay_steps, end_learning_rate=0.0001,
                            learning_rate_decay_factor=0.94, warmup_steps=0):
  """Builds the learning-rate tensor.

  Schedules (s = global step - warmup_steps, D = decay_steps):
    fixed:        learning_rate.
    exponential:  learning_rate * learning_rate_decay_factor ** floor(s / D)
                  (slim's staircase decay).
    polynomial:   linear from learning_rate to end_learning_rate over D steps,
                  then end_learning_rate (slim's, power 1).
    cosine:       end + (learning_rate - end) * (1 + cos(pi * min(s, D) / D))
                  / 2
                  (Loshchilov & Hutter, arXiv:1608.03983, without restarts).
  Warm-up (Goyal et al., arXiv:1706.02677): during the first `warmup_steps`
  steps the rate rises linearly, learning_rate * (step + 1) / warmup_steps;
  the schedule then starts from s = 0, so the warm-up ends at its peak.

  Args:
    learning_rate_decay_type: One of `LEARNING_RATE_DECAY_TYPES`.
    learning_rate: The initial (peak) learning rate, > 0.
    global_step: The int64 global step tensor.
    decay_steps: D above, >= 1 (ignored by 'fixed').
    end_learning_rate: Final rate of 'polynomial' and 'cosine'.
    learning_rate_decay_factor: Factor of 'exponential'.
    warmup_steps: Linear warm-up steps, >= 0.

  Returns:
    A scalar float32 tensor named 'learning_rate'.

  Raises:
    ValueError: on an unknown schedule (listing the known ones) or a bad
      value.
  """
  if learning_rate_decay_type not in LEARNING_RATE_DECAY_TYPES:
    raise ValueError('Unknown learning_rate_decay_type %r; choose one of %s.'
                     % (learning_rate_decay_type,
                        ', '.join(LEARNING_RATE_DECAY_TYPES)))
  checks.check_number('learning_rate', learning_rate, minimum=0, strict=True)
  checks.check_number('end_learning_rate', end_learning_rate, minimum=0)
  checks.check_number('learning_rate_decay_factor',
                      learning_rate_decay_factor, minimum=0, strict=True)
  checks.check_int('warmup_steps', warmup_steps, 0)
  if learning_rate_decay_type != 'fixed':
    checks.check_int('decay_steps', decay_steps, 1)

  with tf.name_scope('learning_rate_schedule'):
    global_step = tf.cast(global_step, tf.int64)
    step = tf.maximum(global_step - warmup_steps, 0)
    if learning_rate_decay_type == 'fixed':
      decayed = tf.constant(learning_rate, tf.float32)
    elif learning_rate_decay_type == 'exponential':
      decayed = tf.train.exponential_decay(
          learning_rate, step, decay_steps, learning_rate_decay_factor,
          staircase=True)
    elif learning_rate_decay_type == 'polynomial':
      decayed = tf.train.polynomial_decay(
          learning_rate, step, decay_steps, end_learning_rate, power=1.0,
          cycle=False)
    else:
      progress = tf.cast(tf.minimum(step, decay_steps), tf.float32) / float(
          decay_steps)
      decayed = end_learning_rate + (
          (learning_rate - end_learning_rate) * 0.5 *
          (1.0 + tf.cos(math.pi * progress)))
    decayed = tf.cast(decayed, tf.float32)
    if warmup_steps:
      warmup = learning_rate * tf.cast(global_step + 1, tf.float32) / float(
          warmup_steps)
      decayed = tf.where(global_step < warmup_steps, warmup, decayed)
  return tf.identity(decayed, name='learning_rate')


def configure_optimizer(optimizer_name, learning_rate, adadelta_rho=0.95,
                        adagrad_initial_accumulator_value=0.1, adam_beta1=0.9,
                        adam_beta2=0.999, opt_epsilon=1.0,
                        ftrl_learning_rate_power=-0.5,
                        ftrl_initial_accumulator_value=0.1, ftrl_l1=0.0,
                        ftrl_l2=0.0, momentum=0.9, rmsprop_momentum=0.9,
                        rmsprop_decay=0.9):
  """Returns the `tf.train` optimizer `optimizer_name` (slim's mapping).

  Each optimizer uses its own hyper-parameters only: adadelta (adadelta_rho,
  opt_epsilon), adagrad (adagrad_initial_accumulator_value), adam (adam_beta1,
  adam_beta2, opt_epsilon), ftrl (ftrl_*), momentum (momentum), rmsprop
  (rmsprop_decay, rmsprop_momentum, opt_epsilon), sgd (none). The defaults are
  slim's; note that slim's opt_epsilon=1.0 suits RMSProp on ImageNet, while
  Adam is usually run with 1e-8.

  Args:
    optimizer_name: One of `OPTIMIZERS`.
    learning_rate: A float or scalar tensor.
    (the rest): See above.

  Returns:
    A `tf.train.Optimizer`.

  Raises:
    ValueError: on an unknown name, listing the known ones.
  """
  if optimizer_name == 'adadelta':
    return tf.train.AdadeltaOptimizer(learning_rate, rho=adadelta_rho,
                                      epsilon=opt_epsilon)
  if optimizer_name == 'adagrad':
    return tf.train.AdagradOptimizer(
        learning_rate,
        initial_accumulator_value=adagrad_initial_accumulator_value)
  if optimizer_name == 'adam':
    return tf.train.AdamOptimizer(learning_rate, beta1=adam_beta1,
                                  beta2=adam_beta2, epsilon=opt_epsilon)
  if optimizer_name == 'ftrl':
    return tf.train.FtrlOptimizer(
        learning_rate, learning_rate_power=ftrl_learning_rate_power,
        initial_accumulator_value=ftrl_initial_accumulator_value,
        l1_regularization_strength=ftrl_l1,
        l2_regularization_strength=ftrl_l2)
  if optimizer_name == 'momentum':
    return tf.train.MomentumOptimizer(learning_rate, momentum=momentum,
                                      name='Momentum')
  if optimizer_name == 'rmsprop':
    return tf.train.RMSPropOptimizer(learning_rate, decay=rmsprop_decay,
                                     momentum=rmsprop_momentum,
                                     epsilon=opt_epsilon)
  if optimizer_name == 'sgd':
    return tf.train.GradientDescentOptimizer(learning_rate)
  raise ValueError('Unknown optimizer %r; choose one of %s.'
                   % (optimizer_name, ', '.join(OPTIMIZERS)))


###############################################################################
# Checkpoints
###############################################################################


def checkpoint_is_complete(prefix):
  """True if the V2 checkpoint `prefix` has its index and every data shard."""
  if not tf.io.gfile.exists(prefix + '.index'):
    return False
  shards = tf.io.gfile.glob(prefix + '.data-*-of-*')
  if not shards:
    return False
  try:
    total = int(shards[0].rsplit('-of-', 1)[1])
  except ValueError:
    return False
  return all(tf.io.gfile.exists('%s.data-%05d-of-%05d' % (prefix, i, total))
             for i in range(total))


def list_checkpoints(checkpoint_dir):
  """The complete checkpoints of a directory, oldest first.

  Only checkpoints listed in the directory's `checkpoint` state file count,
  and only those whose files all exist: a checkpoint being written (or
  deleted) by a running training is never returned.

  Args:
    checkpoint_dir: A directory written by a `tf.train.Saver`.

  Returns:
    A list of checkpoint prefixes (possibly empty).
  """
  state = tf.train.get_checkpoint_state(checkpoint_dir)
  if state is None:
    return []
  paths = list(state.all_model_checkpoint_paths)
  if state.model_checkpoint_path and state.model_checkpoint_path not in paths:
    paths.append(state.model_checkpoint_path)
  result = []
  # get_checkpoint_state has already joined relative entries to
  # checkpoint_dir (itself possibly relative to the working directory).
  for path in paths:
    if checkpoint_is_complete(path) and path not in result:
      result.append(path)
  return result


def latest_checkpoint(checkpoint_dir):
  """The newest complete checkpoint of `checkpoint_dir`, or None."""
  checkpoints = list_checkpoints(checkpoint_dir)
  return checkpoints[-1] if checkpoints else None


def repair_checkpoint_state(checkpoint_dir):
  """Makes the `checkpoint` state file list only complete checkpoints.

  A resumed training restores what the state file names
  (`MonitoredTrainingSession` restores `model_checkpoint_path` without
  looking at its files), so a state file naming a checkpoint whose .index or
  .data files are gone would make the restart fail. TensorFlow's own writes
  never leave that state after a kill (each file is written to a temporary
  name and renamed, and the state file is rewritten last, the same way), but
  a lost or deleted file does; then the state file is rewritten to name the
  newest complete checkpoint, or moved aside to 'checkpoint.incomplete' when
  none is complete. Also removes the temporary directories
  ('<prefix>_temp') that sharded saves interrupted by a kill leave behind.
  Only the chief may call this (it is the only writer of the directory).
  Checked by distributed_test.py::RestoreFallbackTest.

  Args:
    checkpoint_dir: A training directory.

  Returns:
    The newest complete checkpoint, or None.
  """
  for temp in tf.io.gfile.glob(os.path.join(checkpoint_dir, '*.ckpt-*_temp')):
    if tf.io.gfile.isdir(temp):
      logging.info('Removing %s, left by an interrupted checkpoint save.',
                   temp)
      tf.io.gfile.rmtree(temp)
  state = tf.train.get_checkpoint_state(checkpoint_dir)
  if state is None:
    return None
  named = list(state.all_model_checkpoint_paths)
  if state.model_checkpoint_path not in named:
    named.append(state.model_checkpoint_path)
  complete = list_checkpoints(checkpoint_dir)
  # get_checkpoint_state returns absolute paths, as list_checkpoints does.
  if complete == named:
    return complete[-1]
  state_file = os.path.join(checkpoint_dir, 'checkpoint')
  incomplete = [p for p in named if p not in complete]
  if not complete:
    logging.warning('No checkpoint named by %s is complete (missing files of '
                    '%s); moving it to checkpoint.incomplete and training '
                    'from the start.', state_file, ', '.join(incomplete))
    tf.io.gfile.rename(state_file, state_file + '.incomplete', overwrite=True)
    return None
  logging.warning('%s names incomplete checkpoint(s) %s (files missing); '
                  'rewriting it to name the newest complete one, %s.',
                  state_file, ', '.join(incomplete), complete[-1])
  relative = not os.path.isabs(
      _read_state_path(state_file) or complete[-1])
  paths = [os.path.relpath(p, checkpoint_dir) if relative else p
           for p in complete]
  tf.train.update_checkpoint_state(checkpoint_dir, paths[-1],
                                   all_model_checkpoint_paths=paths)
  return complete[-1]


def _read_state_path(state_file):
  """The model_checkpoint_path of a state file as written (maybe relative)."""
  with tf.io.gfile.GFile(state_file) as f:
    for line in f:
      if line.startswith('model_checkpoint_path:'):
        return line.split(':', 1)[1].strip().strip('"')
  return None


def resolve_checkpoint(checkpoint_path, what='checkpoint_path'):
  """Maps a checkpoint file or directory to a checkpoint prefix.

  Args:
    checkpoint_path: A checkpoint prefix ('.../model.ckpt-1000'), one of its
      files ('.index', '.data-...'), or a directory with a `checkpoint` state
      file (its newest complete checkpoint is used).
    what: The argument name for error messages.

  Returns:
    The checkpoint prefix.

  Raises:
    ValueError: if there is no complete checkpoint there, naming the path.
  """
  if not checkpoint_path:
    raise ValueError('%s is empty; pass a checkpoint file or a directory of '
                     'checkpoints.' % what)
  if tf.io.gfile.isdir(checkpoint_path):
    prefix = latest_checkpoint(checkpoint_path)
    if prefix is None:
      raise ValueError(
          'No checkpoint found in directory %s=%r: it needs a `checkpoint` '
          'state file listing complete checkpoints (written by training).'
          % (what, checkpoint_path))
    return prefix
  prefix = checkpoint_path
  for suffix in ('.index', '.meta'):
    if prefix.endswith(suffix):
      prefix = prefix[:-len(suffix)]
  if '.data-' in prefix:
    prefix = prefix.rsplit('.data-', 1)[0]
  if not checkpoint_is_complete(prefix):
    raise ValueError(
        'No checkpoint found at %s=%r: expected a checkpoint prefix such as '
        '.../model.ckpt-1000 (with its .index and .data-* files) or a '
        'directory of checkpoints.' % (what, checkpoint_path))
  return prefix


def checkpoint_global_step(checkpoint):
  """The global step stored in a checkpoint (from its name if absent), or 0."""
  reader = tf.train.load_checkpoint(checkpoint)
  if reader.has_tensor('global_step'):
    return int(reader.get_tensor('global_step'))
  tail = checkpoint.rsplit('-', 1)[-1]
  return int(tail) if tail.isdigit() else 0


###############################################################################
# Fine-tuning
###############################################################################


def get_variables_to_restore(variables, checkpoint_exclude_scopes=None):
  """Splits model variables into those to restore and those excluded.

  Args:
    variables: The candidate variables (slim restores its model variables:
      weights, biases and batch-norm parameters and statistics, not the global
      step or optimizer slots).
    checkpoint_exclude_scopes: Comma-separated string or list of variable-name
      prefixes (slim's prefix match) not to restore, e.g. the logits scope
      when the number of classes differs.

  Returns:
    (to_restore, excluded): two lists of variables. An exclusion scope that
    matches no variable is logged as a warning (a likely typo).
  """
  scopes = parse_scopes(checkpoint_exclude_scopes)
  to_restore, excluded = [], []
  for var in variables:
    (excluded if _in_scopes(var.op.name, scopes) else to_restore).append(var)
  for scope in scopes:
    if not any(v.op.name.startswith(scope) for v in variables):
      logging.warning('checkpoint_exclude_scopes entry %r matches no model '
                      'variable.', scope)
  return to_restore, excluded


def get_variables_to_train(trainable_scopes=None, variables=None):
  """Returns the variables the optimizer updates.

  Args:
    trainable_scopes: Comma-separated string or list of variable-name prefixes;
      None or empty trains every trainable variable.
    variables: The candidates; defaults to `tf.trainable_variables()`.

  Returns:
    A list of variables, in the order of `variables`.

  Raises:
    ValueError: if a scope matches no trainable variable (nothing would be
      trained there), naming it and the top-level scopes.
  """
  if variables is None:
    variables = tf.trainable_variables()
  scopes = parse_scopes(trainable_scopes)
  if not scopes:
    return list(variables)
  for scope in scopes:
    if not any(v.op.name.startswith(scope) for v in variables):
      tops = sorted({v.op.name.split('/')[0] for v in variables})
      raise ValueError('trainable_scopes entry %r matches no trainable '
                       'variable; variable names start with %s.'
                       % (scope, ', '.join(tops)))
  return [v for v in variables if _in_scopes(v.op.name, scopes)]


def _updated_variable(op, handles):
  """The variable an update op assigns (via its resource input), or None."""
  op = getattr(op, 'op', op)  # Tensor -> its op.
  for tensor in op.inputs:
    if tensor.dtype == tf.resource and tensor.ref() in handles:
      return handles[tensor.ref()]
  for tensor in op.inputs:
    if tensor.op.type in ('VariableV2', 'Variable'):
      return tensor.op.name
  return None


def filter_update_ops(update_ops, trainable_scopes, variables=None):
  """Keeps the update ops (batch-norm statistics) of trainable scopes.

  Fine-tuning choice: a layer outside `trainable_scopes` is frozen entirely,
  so its batch-norm moving mean and variance are not updated either. Those
  layers still normalize with the statistics of the current batch during
  training (they are built with is_training=True, as slim does), but nothing
  of theirs changes; evaluation uses the unchanged moving statistics.

  Args:
    update_ops: Ops or tensors of the UPDATE_OPS collection.
    trainable_scopes: As in `get_variables_to_train`; None keeps all ops.
    variables: Variables the ops may update; default all global variables.

  Returns:
    The list of update ops that assign a variable inside a trainable scope (an
    op whose variable cannot be found is matched by its own name).
  """
  scopes = parse_scopes(trainable_scopes)
  if not scopes:
    return list(update_ops)
  if variables is None:
    variables = tf.global_variables()
  handles = {}
  for var in variables:
    handle = getattr(var, 'handle', None)
    if handle is not None and handle.dtype == tf.resource:
      handles[handle.ref()] = var.op.name
  kept = []
  for op in update_ops:
    name = _updated_variable(op, handles) or getattr(op, 'op', op).name
    if _in_scopes(name, scopes):
      kept.append(op)
  return kept


_FINE_TUNING_HINTS = (
    'Pass ignore_missing_vars (--ignore_missing_vars) to leave them '
    'initialized, or exclude their scope (--checkpoint_exclude_scopes).',
    'Exclude its scope with --checkpoint_exclude_scopes (e.g. the logits when '
    'the number of classes differs).')


def check_checkpoint_variables(checkpoint, variables, ignore_missing_vars,
                               hints=_FINE_TUNING_HINTS):
  """Matches variables against a checkpoint's names and shapes.

  Args:
    checkpoint: A checkpoint prefix.
    variables: A list of variables (restored under `var.op.name`) or a dict
      checkpoint-name -> variable.
    ignore_missing_vars: Skip variables the checkpoint lacks instead of
      raising.
    hints: The (missing variable, shape mismatch) sentences telling the user
      what to do; the default ones are about fine-tuning flags.

  Returns:
    (restorable, missing): a dict name -> variable to restore, and the sorted
    names the checkpoint lacks (skipped with ignore_missing_vars).

  Raises:
    ValueError: if a variable is missing (without ignore_missing_vars),
      naming it, or if a shape differs, naming variable and shapes.
  """
  if not isinstance(variables, dict):
    variables = {var.op.name: var for var in variables}
  shapes = tf.train.load_checkpoint(checkpoint).get_variable_to_shape_map()
  missing = sorted(name for name in variables if name not in shapes)
  if missing and not ignore_missing_vars:
    raise ValueError(
        'Checkpoint %s lacks %d variable(s) of the model, e.g. %s. %s'
        % (checkpoint, len(missing), ', '.join(repr(m) for m in missing[:5]),
           hints[0]))
  restorable = {}
  for name, var in sorted(variables.items()):
    if name not in shapes:
      continue
    model_shape = var.shape.as_list()
    if list(shapes[name]) != model_shape:
      raise ValueError(
          'Variable %r has shape %s in the model but %s in checkpoint %s. %s'
          % (name, model_shape, list(shapes[name]), checkpoint, hints[1]))
    restorable[name] = var
  return restorable, missing


def get_init_fn(checkpoint_path, variables_to_restore,
                ignore_missing_vars=False):
  """Returns a `Scaffold` init_fn restoring variables from a checkpoint.

  The init_fn runs only when a training starts from scratch: a session that
  resumes from `train_dir` restores everything from there instead.

  Args:
    checkpoint_path: A checkpoint file or directory (`resolve_checkpoint`).
    variables_to_restore: Variables, or a dict checkpoint-name -> variable.
    ignore_missing_vars: See `check_checkpoint_variables`.

  Returns:
    (init_fn, restored, missing): `init_fn(scaffold, session)`, the dict of
    variables it restores and the names skipped as missing.

  Raises:
    ValueError: no checkpoint at the path, a missing variable (without
      ignore_missing_vars) or a shape mismatch.
  """
  checkpoint = resolve_checkpoint(checkpoint_path)
  restored, missing = check_checkpoint_variables(
      checkpoint, variables_to_restore, ignore_missing_vars)
  saver = tf.train.Saver(restored, name='fine_tune_saver') if restored else None

  def init_fn(scaffold, session):
    del scaffold
    if saver is not None:
      saver.restore(session, checkpoint)
    logging.info('Fine-tuning from %s: restored %d variables.', checkpoint,
                 len(restored))

  return init_fn, restored, missing


###############################################################################
# Model replicas ("clones")
###############################################################################


def clone_device(clone_index, num_clones, clone_on_cpu, num_ps_tasks=0,
                 task=0):
  """The device of clone `clone_index` ('' leaves placement to TensorFlow)."""
  worker = '/job:worker/task:%d' % task if num_ps_tasks > 0 else ''
  if clone_on_cpu:
    return worker + '/device:CPU:0'
  if num_clones == 1:
    return worker
  return worker + '/device:GPU:%d' % clone_index


def default_variables_device(num_clones, num_ps_tasks=0, task=0):
  """Where variables live: the ps tasks, else the CPU when cloning, else ''."""
  if num_ps_tasks > 0:
    return tf.train.replica_device_setter(
        ps_tasks=num_ps_tasks, worker_device='/job:worker/task:%d' % task)
  return '/device:CPU:0' if num_clones > 1 else ''


def _cross_entropy(logits, labels, num_classes, label_smoothing):
  label_checks = [
      tf.debugging.assert_non_negative(
          labels, message='labels must be >= 0 after labels_offset'),
      tf.debugging.assert_less(
          labels, tf.cast(num_classes, labels.dtype),
          message='labels must be < num_classes (%d) after labels_offset'
          % num_classes)]
  with tf.control_dependencies(label_checks):
    onehot = tf.one_hot(labels, num_classes)
  return tf.losses.softmax_cross_entropy(onehot, logits,
                                         label_smoothing=label_smoothing)


def _build_clones(network_fn, next_batch, num_clones, clone_on_cpu,
                  num_ps_tasks, task, variables_device, num_classes,
                  label_smoothing):
  """Builds the clones; returns (cross-entropies, end_points of clone 0, scope).

  Clone i reads its own batch, runs on `clone_device(i, ...)` in name scope
  'clone_i' (only when num_clones > 1) and shares the variables, which
  `variables_device` places.
  """
  cross_entropies = []
  first_end_points, first_scope = None, ''
  for i in range(num_clones):
    scope = 'clone_%d' % i if num_clones > 1 else ''
    with tf.name_scope(scope or None), tf.device(
        clone_device(i, num_clones, clone_on_cpu, num_ps_tasks, task)):
      images, labels = next_batch()
      with tf.variable_scope(tf.get_variable_scope(), reuse=i > 0), \
          slim.arg_scope([slim.model_variable, slim.variable],
                         device=variables_device):
        logits, end_points = network_fn(images)
      cross_entropies.append(_cross_entropy(logits, labels, num_classes,
                                            label_smoothing))
    if i == 0:
      first_end_points = end_points
      first_scope = scope
  return cross_entropies, first_end_points, first_scope


def _average_gradients(optimizer, clone_losses, variables_to_train):
  """Sums the clones' gradients (each loss is already divided by num_clones)."""
  per_variable = collections.OrderedDict((v.ref(), []) for v in
                                         variables_to_train)
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
    raise ValueError('No gradient reaches the variables to train; check '
                     'trainable_scopes.')
  return grads_and_vars


###############################################################################
# Hooks
###############################################################################


class _NonFiniteLossHook(tf.train.SessionRunHook):
  """Stops training with `NonFiniteLossError` naming the step.

  It must come before the checkpoint hook so that a diverged step is never
  saved (MonitoredSession runs hooks' after_run in order, and skips their
  end() when an exception leaves the session).
  """

  def __init__(self, loss, step_before):
    self._fetches = [loss, step_before]

  def before_run(self, run_context):
    del run_context
    return tf.train.SessionRunArgs(self._fetches)

  def after_run(self, run_context, run_values):
    del run_context
    loss, step_before = run_values.results
    if not np.isfinite(loss):
      raise NonFiniteLossError(
          'Loss is %s at global step %d (the update from step %d to %d); '
          'training stopped. The checkpoints in train_dir are from earlier '
          'steps. Lower --learning_rate, add warm-up (--warmup_epochs) or '
          'check the data.' % (loss, step_before + 1, step_before,
                               step_before + 1))


class _WorkerSessionCreator(tf.train.SessionCreator):
  """A non-chief worker's session: waits until the chief has initialized.

  tf.train.WorkerSessionCreator checks every 30 s, so a worker started with
  the chief typically idles for 30 s; this one checks every
  `recovery_wait_secs`.
  """

  def __init__(self, scaffold, master, config, recovery_wait_secs=1,
               max_wait_secs=7200):
    self._scaffold = scaffold
    self._master = master
    self._config = config
    self._recovery_wait_secs = recovery_wait_secs
    self._max_wait_secs = max_wait_secs

  def create_session(self):
    self._scaffold.finalize()
    manager = tf.train.SessionManager(
        local_init_op=self._scaffold.local_init_op,
        local_init_feed_dict=self._scaffold.local_init_feed_dict,
        ready_op=self._scaffold.ready_op,
        ready_for_local_init_op=self._scaffold.ready_for_local_init_op,
        graph=tf.get_default_graph(),
        recovery_wait_secs=self._recovery_wait_secs)
    return manager.wait_for_session(self._master, config=self._config,
                                    max_wait_secs=self._max_wait_secs)


class _SyncReplicasHook(tf.train.SessionRunHook):
  """Session set-up of SyncReplicasOptimizer, and a clean end on the chief.

  Does what `SyncReplicasOptimizer.make_session_run_hook` does: every worker
  initializes its local step; the chief also sets the accumulators' step,
  puts the first tokens and starts the queue runner that applies the
  aggregated updates. Two differences at the end:

  * When the chief stops at max_number_of_steps, a worker that has already
    sent its gradient waits for a token forever. The chief's `end` puts one
    token per worker, which completes that step; the worker then sees the
    final global step and stops too.
  * The chief's queue runner is left waiting for gradients no worker will
    send, and closing the session cancels it. TF's runner reports that as an
    error (a traceback after a successful training); here a cancellation
    ends it quietly. Other errors still stop the session.
  """

  def __init__(self, sync_optimizer, is_chief, num_workers):
    self._opt = sync_optimizer
    self._is_chief = is_chief
    self._num_workers = num_workers
    self._runner = self._init_tokens_op = self._release_op = None

  def begin(self):
    self._ready_op = self._opt.ready_for_local_init_op
    if not self._is_chief:
      self._local_init_op = self._opt.local_step_init_op
      return
    self._local_init_op = self._opt.chief_init_op
    self._init_tokens_op = self._opt.get_init_tokens_op()
    self._release_op = self._opt.get_init_tokens_op(
        num_tokens=self._num_workers)
    runner = self._opt.get_chief_queue_runner()
    self._runner = tf.train.QueueRunner(
        runner.queue, runner.enqueue_ops,
        queue_closed_exception_types=(tf.errors.OutOfRangeError,
                                      tf.errors.CancelledError))

  def after_create_session(self, session, coord):
    uninitialized = session.run(self._ready_op)
    if uninitialized.size:
      raise RuntimeError('SyncReplicasOptimizer set-up: variables are not '
                         'initialized: %s' % ', '.join(
                             n.decode() for n in uninitialized[:5]))
    session.run(self._local_init_op)
    if self._is_chief:
      session.run(self._init_tokens_op)
      self._runner.create_threads(session, coord=coord, daemon=True,
                                  start=True)

  def end(self, session):
    if self._release_op is not None:
      session.run(self._release_op)


def _format_seconds(seconds):
  return str(datetime.timedelta(seconds=int(round(seconds))))


class _ProgressHook(tf.train.SessionRunHook):
  """Logs step, loss, learning rate, images/s and time left.

  A log line every `every_n_steps` global steps, plus (when `live_stream` is a
  terminal) a progress line rewritten in place at most 4 times a second.
  """

  def __init__(self, loss, learning_rate, global_step, step_before,
               every_n_steps, images_per_step, max_steps, live_stream=None):
    self._global_step = global_step
    self._fetches = [loss, learning_rate, step_before]
    self.step = None  # The last global step seen.
    self.loss = None  # The last loss.
    self._every_n = every_n_steps
    self._images_per_step = images_per_step
    self._max_steps = max_steps
    self._live = live_stream
    self._last_log = None  # (step, time) at the last log line.
    self._last_live = 0.0
    self._rate = None  # Steps per second.

  def after_create_session(self, session, coord):
    del coord
    self.step = int(session.run(self._global_step))
    # A worker joining a running cluster starts at the cluster's step.
    logging.info('Session ready at global step %d.', self.step)

  def before_run(self, run_context):
    del run_context
    return tf.train.SessionRunArgs(self._fetches)

  def _line(self, step, loss, lr):
    parts = ['global step %d' % step]
    if self._max_steps:
      parts[0] += '/%d' % self._max_steps
    parts.append('loss = %.4f' % loss)
    parts.append('learning rate = %.6g' % lr)
    if self._rate:
      parts.append('%.1f images/s' % (self._rate * self._images_per_step))
      if self._max_steps:
        left = max(self._max_steps - step, 0) / self._rate
        parts.append('%s left' % _format_seconds(left))
    return ', '.join(parts)

  def after_run(self, run_context, run_values):
    del run_context
    loss, lr, step_before = run_values.results
    step = int(step_before) + 1
    self.step, self.loss = step, float(loss)
    now = time.time()
    if self._last_log is None:
      self._last_log = (step, now)
      return
    if step % self._every_n == 0 or step == self._max_steps:
      last_step, last_time = self._last_log
      if step > last_step and now > last_time:
        self._rate = (step - last_step) / (now - last_time)
      self._last_log = (step, now)
      self._clear_live()
      logging.info('%s', self._line(step, loss, lr))
    elif self._live is not None and now - self._last_live > 0.25:
      self._last_live = now
      self._live.write('\r\033[K' + self._line(step, loss, lr))
      self._live.flush()

  def _clear_live(self):
    if self._live is not None and self._last_live:
      self._live.write('\r\033[K')
      self._live.flush()

  def end(self, session):
    del session
    self._clear_live()


###############################################################################
# Training
###############################################################################


def make_train_dir(train_dir, what='train_dir'):
  """Creates `train_dir` if needed; raises a clear error if it cannot.

  Args:
    train_dir: The directory.
    what: Its argument (and flag) name for the messages, e.g. 'eval_dir'.

  Raises:
    ValueError: if it is empty, a file, cannot be created or is not writable.
  """
  if not train_dir:
    raise ValueError('%s is empty; pass a directory (--%s).' % (what, what))
  try:
    if tf.io.gfile.exists(train_dir) and not tf.io.gfile.isdir(train_dir):
      raise ValueError('%s %r exists and is not a directory; pass a directory '
                       '(--%s).' % (what, train_dir, what))
    tf.io.gfile.makedirs(train_dir)
  except (OSError, tf.errors.OpError) as e:
    raise ValueError('Cannot create %s %r (%s); pass a writable directory '
                     '(--%s).' % (what, train_dir,
                                  getattr(e, 'message', None) or e,
                                  what)) from None
  if '://' not in train_dir and not os.access(train_dir, os.W_OK | os.X_OK):
    raise ValueError('%s %r is not writable; pass a writable directory (--%s).'
                     % (what, train_dir, what))


def without_autotuning(batches):
  """Turns off tf.data's model-based autotuning of a pipeline.

  TF 2.21's autotuning thread notices a cancelled iterator only at its next
  optimization, whose period grows to a minute: closing a session after a
  long run then stalls idle for up to 60 s (measured on the `make demo`
  training). The pipeline's parallelism is explicit (num_readers,
  num_preprocessing_threads), so nothing is lost; on digits it is faster.

  Args:
    batches: A `tf.data.Dataset`.

  Returns:
    The same dataset with `options.autotune.enabled = False`.
  """
  options = tf.data.Options()
  options.autotune.enabled = False
  return batches.with_options(options)


def _count_params(variables):
  return int(sum(np.prod(v.shape.as_list()) for v in variables))


def train(dataset, train_dir, model_name, preprocessing_name=None,
          batch_size=32, train_image_size=None, labels_offset=0,
          use_grayscale=False, num_readers=4, num_preprocessing_threads=4,
          weight_decay=0.00004, label_smoothing=0.0, optimizer='rmsprop',
          optimizer_params=None, learning_rate=0.01,
          learning_rate_decay_type='exponential', end_learning_rate=0.0001,
          learning_rate_decay_factor=0.94, num_epochs_per_decay=2.0,
          warmup_epochs=0.0, moving_average_decay=None,
          max_number_of_steps=None, checkpoint_path=None,
          checkpoint_exclude_scopes=None, trainable_scopes=None,
          ignore_missing_vars=False, num_clones=1, clone_on_cpu=False,
          master='', is_chief=True, task=0, num_ps_tasks=0,
          worker_replicas=1, sync_replicas=False, replicas_to_aggregate=1,
          variables_device=None, session_config=None, log_every_n_steps=10,
          save_summaries_secs=600, save_interval_secs=600,
          summarize_activations=False, network_kwargs=None, seed=None,
          live_progress=None):
  """Trains `model_name` on `dataset`, resuming from `train_dir` if possible.

  Every argument is checked before a graph is built. Arguments with slim flag
  names mean what the flags mean (see utils/flag_defs.py); the others:

  Args:
    dataset: A slim `Dataset` (`dataset_factory.get_dataset`).
    train_dir: Checkpoints and summaries; created if missing. If it holds a
      checkpoint, training resumes from the newest one (global step,
      variables and optimizer state) and `checkpoint_path` is ignored.
    model_name: A network of `nets_factory.NETWORKS`.
    preprocessing_name: A preprocessing name; None uses the model's default.
    batch_size: Images per clone and step; a global step consumes
      `batch_size * num_clones` images (the effective batch).
    optimizer_params: A dict of `configure_optimizer` hyper-parameters.
    learning_rate_decay_type, learning_rate, end_learning_rate,
      learning_rate_decay_factor: See `configure_learning_rate`.
    num_epochs_per_decay, warmup_epochs: In epochs, converted to global steps
      with `global_batch_size(...)` images per step.
    max_number_of_steps: Stop at this global step; None trains until stopped.
    checkpoint_path, checkpoint_exclude_scopes, ignore_missing_vars: Fine-tuning
      source (file or directory); see `get_init_fn`.
    trainable_scopes: See `get_variables_to_train` and `filter_update_ops`.
    num_clones, clone_on_cpu: In-graph replicas (GPUs, or all on the CPU).
    master, is_chief, task, num_ps_tasks, worker_replicas, sync_replicas,
      replicas_to_aggregate: Distributed training, as slim's flags.
    variables_device: A device string or function for the variables; default
      `default_variables_device(...)`.
    session_config: A `tf.ConfigProto`; default allows soft placement.
    log_every_n_steps, save_summaries_secs, save_interval_secs: Logging,
      summary and checkpoint periods (a checkpoint is also written at the
      end).
    summarize_activations: Add histograms of clone 0's end points.
    network_kwargs: Extra keywords for the model function (e.g.
      depth_multiplier).
    seed: Graph-level random seed and input-shuffle seed.
    live_progress: A stream for the live progress line; default stdout when
      it is a terminal.

  Returns:
    A `TrainResult(global_step, loss)`.

  Raises:
    ValueError: on a bad argument, an unusable train_dir or checkpoint.
    NonFiniteLossError: when the loss becomes NaN or infinite.
  """
  # ---- Checks, before any graph is built. ----
  nets_factory.get_spec(model_name)
  preprocessing_name = preprocessing_factory.resolve_preprocessing_name(
      preprocessing_name or model_name)
  if optimizer not in OPTIMIZERS:
    configure_optimizer(optimizer, learning_rate)  # Raises, listing choices.
  if learning_rate_decay_type not in LEARNING_RATE_DECAY_TYPES:
    raise ValueError('Unknown learning_rate_decay_type %r; choose one of %s.'
                     % (learning_rate_decay_type,
                        ', '.join(LEARNING_RATE_DECAY_TYPES)))
  for name, value, minimum in [
      ('batch_size', batch_size, 1), ('num_clones', num_clones, 1),
      ('num_readers', num_readers, 1),
      ('num_preprocessing_threads', num_preprocessing_threads, 1),
      ('log_every_n_steps', log_every_n_steps, 1),
      ('save_summaries_secs', save_summaries_secs, 1),
      ('save_interval_secs', save_interval_secs, 1),
      ('worker_replicas', worker_replicas, 1),
      ('replicas_to_aggregate', replicas_to_aggregate, 1),
      ('num_ps_tasks', num_ps_tasks, 0), ('task', task, 0),
      ('labels_offset', labels_offset, 0)]:
    checks.check_int(name, value, minimum)
  checks.check_int('max_number_of_steps', max_number_of_steps, 0,
                   allow_none=True)
  checks.check_int('train_image_size', train_image_size, 1, allow_none=True)
  checks.check_number('weight_decay', weight_decay, minimum=0)
  checks.check_number('label_smoothing', label_smoothing, minimum=0,
                      maximum=1)
  checks.check_number('num_epochs_per_decay', num_epochs_per_decay,
                      minimum=0, strict=True)
  checks.check_number('warmup_epochs', warmup_epochs, minimum=0)
  if moving_average_decay is not None:
    checks.check_number('moving_average_decay', moving_average_decay,
                        minimum=0, maximum=1)
  num_classes = dataset.num_classes - labels_offset
  if num_classes < 1:
    raise ValueError('labels_offset=%d leaves no class of the %d of data set '
                     '%r.' % (labels_offset, dataset.num_classes,
                              getattr(dataset, 'name', '?')))
  if sync_replicas and replicas_to_aggregate > worker_replicas:
    raise ValueError(
        'replicas_to_aggregate=%d is larger than the number of workers '
        '(worker_replicas=%d); each synchronous update aggregates at most one '
        'gradient per worker.' % (replicas_to_aggregate, worker_replicas))
  make_train_dir(train_dir)
  # The chief restores from train_dir (the other workers wait for it), so it
  # makes sure the checkpoint it will restore is complete.
  resume_from = (repair_checkpoint_state(train_dir) if is_chief
                 else latest_checkpoint(train_dir))
  if resume_from is not None:
    logging.info('Resuming from %s (global step %d).', resume_from,
                 checkpoint_global_step(resume_from))
    if checkpoint_path:
      logging.info('Ignoring --checkpoint_path=%s because train_dir %s '
                   'already has a checkpoint.', checkpoint_path, train_dir)
    checkpoint_path = None
  elif checkpoint_path:
    resolve_checkpoint(checkpoint_path)

  images_per_step = global_batch_size(batch_size, num_clones, sync_replicas,
                                      replicas_to_aggregate)
  decay_steps = epochs_to_steps(num_epochs_per_decay, dataset.num_samples,
                                images_per_step)
  warmup_steps = epochs_to_steps(warmup_epochs, dataset.num_samples,
                                 images_per_step)
  logging.info('Effective batch: %d images per global step (batch_size %d x '
               'num_clones %d%s); learning-rate decay every %d global steps, '
               'warm-up %d steps.', images_per_step, batch_size, num_clones,
               ' x replicas_to_aggregate %d' % replicas_to_aggregate
               if sync_replicas else '', decay_steps, warmup_steps)

  if variables_device is None:
    variables_device = default_variables_device(num_clones, num_ps_tasks, task)
  inputs_device = ('/job:worker/task:%d' % task if num_ps_tasks > 0 else '') + (
      '/device:CPU:0')

  with tf.Graph().as_default():
    if seed is not None:
      tf.set_random_seed(seed)
    with tf.device(variables_device):
      global_step = tf.train.get_or_create_global_step()

    network_fn = nets_factory.get_network_fn(
        model_name, num_classes=num_classes, weight_decay=weight_decay,
        is_training=True)
    if network_kwargs:
      network_fn = _with_kwargs(network_fn, network_kwargs)
    image_size = train_image_size or network_fn.default_image_size

    with tf.device(inputs_device), tf.name_scope('inputs'):
      # One epoch per pass, repeated here rather than with make_dataset's
      # num_epochs=None: its file-level repeat keeps per-epoch state until
      # the session closes, which then takes seconds per 20 epochs (measured
      # with TF 2.21). Each epoch drops its last partial batch.
      batches = input_pipeline.make_dataset(
          dataset, preprocessing_name, batch_size=batch_size,
          image_size=image_size, is_training=True, num_readers=num_readers,
          num_preprocessing_threads=num_preprocessing_threads, num_epochs=1,
          labels_offset=labels_offset, use_grayscale=use_grayscale,
          seed=seed, drop_remainder=True).repeat()
      iterator = tf.data.make_initializable_iterator(
          without_autotuning(batches))

    def next_batch():
      with tf.device(inputs_device):
        return iterator.get_next()

    cross_entropies, end_points, first_scope = _build_clones(
        network_fn, next_batch, num_clones, clone_on_cpu, num_ps_tasks, task,
        variables_device, num_classes, label_smoothing)

    # ---- Fine-tuning sets. ----
    model_variables = slim.get_model_variables()
    variables_to_train = get_variables_to_train(trainable_scopes)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, first_scope or None)
    kept_update_ops = filter_update_ops(update_ops, trainable_scopes)
    init_fn = None
    if checkpoint_path:
      to_restore, excluded = get_variables_to_restore(
          model_variables, checkpoint_exclude_scopes)
      init_fn, restored, missing = get_init_fn(checkpoint_path, to_restore,
                                               ignore_missing_vars)
      logging.info('Fine-tuning: %d model variables restored from %s, %d '
                   'excluded (%s), %d missing from the checkpoint and left '
                   'initialized%s.', len(restored), checkpoint_path,
                   len(excluded), checkpoint_exclude_scopes or 'none',
                   len(missing), ': ' + ', '.join(missing[:5]) if missing
                   else '')
    logging.info('Training %d of %d trainable variables (%d parameters)%s; '
                 '%d of %d batch-norm update ops run.',
                 len(variables_to_train), len(tf.trainable_variables()),
                 _count_params(variables_to_train),
                 ' in scopes %s' % trainable_scopes if trainable_scopes
                 else '', len(kept_update_ops), len(update_ops))

    # ---- Loss, learning rate, optimizer. ----
    # Tensors under 'train/' so that the summaries below get the plain tags
    # 'learning_rate', 'total_loss' (a summary named like an existing op
    # would be renamed 'total_loss_1').
    with tf.device(variables_device), tf.name_scope('train'):
      learning_rate_t = configure_learning_rate(
          learning_rate_decay_type, learning_rate, global_step, decay_steps,
          end_learning_rate, learning_rate_decay_factor, warmup_steps)
      opt = configure_optimizer(optimizer, learning_rate_t,
                                **(optimizer_params or {}))
      moving_averages = moving_average_variables = None
      if moving_average_decay:
        moving_averages = tf.train.ExponentialMovingAverage(
            moving_average_decay, global_step)
        moving_average_variables = model_variables
      if sync_replicas:
        opt = tf.train.SyncReplicasOptimizer(
            opt, replicas_to_aggregate=replicas_to_aggregate,
            total_num_replicas=worker_replicas,
            variable_averages=moving_averages,
            variables_to_average=moving_average_variables)

    with tf.name_scope('train'):
      regularization = tf.losses.get_regularization_losses()
      regularization_loss = (
          tf.add_n(regularization, name='regularization_loss')
          if regularization else tf.constant(0.0))
      clone_losses = [ce / float(num_clones) for ce in cross_entropies]
      # Regularization counts once, with the first clone (as slim).
      clone_losses[0] += regularization_loss
      cross_entropy = tf.add_n(cross_entropies) / float(num_clones)
      total_loss = tf.add_n(clone_losses, name='total_loss')
    grads_and_vars = _average_gradients(opt, clone_losses, variables_to_train)

    with tf.device(variables_device):
      step_before = tf.identity(global_step, name='step_before')
      with tf.control_dependencies([step_before]):
        apply_op = opt.apply_gradients(grads_and_vars, global_step=global_step)
    ops = [apply_op] + kept_update_ops
    if moving_averages is not None and not sync_replicas:
      with tf.device(variables_device):
        ops.append(moving_averages.apply(moving_average_variables))
    with tf.control_dependencies([tf.group(*ops)]):
      train_tensor = tf.identity(total_loss, name='train_op')

    # ---- Summaries. ----
    tf.summary.scalar('total_loss', total_loss)
    tf.summary.scalar('losses/cross_entropy', cross_entropy)
    tf.summary.scalar('losses/regularization_loss', regularization_loss)
    tf.summary.scalar('learning_rate', learning_rate_t)
    if summarize_activations:
      for name, tensor in sorted(end_points.items()):
        tf.summary.histogram('activations/' + name, tensor)

    # ---- The loop. ----
    if live_progress is None and sys.stdout.isatty():
      live_progress = sys.stdout
    progress = _ProgressHook(total_loss, learning_rate_t, global_step,
                             step_before, log_every_n_steps, images_per_step,
                             max_number_of_steps, live_progress or None)
    hooks = [_NonFiniteLossHook(total_loss, step_before), progress]
    if max_number_of_steps is not None:
      hooks.append(tf.train.StopAtStepHook(last_step=max_number_of_steps))
    if sync_replicas:
      hooks.append(_SyncReplicasHook(opt, is_chief, worker_replicas))
    scaffold = tf.train.Scaffold(
        init_fn=init_fn,
        local_init_op=tf.group(tf.train.Scaffold.default_local_init_op(),
                               iterator.initializer),
        saver=tf.train.Saver(sharded=True, max_to_keep=5,
                             save_relative_paths=True))
    if session_config is None:
      session_config = tf.ConfigProto(allow_soft_placement=True)

    if is_chief:
      session = tf.train.MonitoredTrainingSession(
          master=master, is_chief=True, checkpoint_dir=train_dir,
          scaffold=scaffold, hooks=hooks, config=session_config,
          save_checkpoint_secs=save_interval_secs,
          save_summaries_secs=save_summaries_secs, log_step_count_steps=None,
          # Short: the only threads are SyncReplicasOptimizer queue runners,
          # which stop when the session closes.
          stop_grace_period_secs=2)
    else:
      # What MonitoredTrainingSession builds for a non-chief worker, except
      # that it looks for the chief's initialization every second, not 30.
      session = tf.train.MonitoredSession(
          session_creator=_WorkerSessionCreator(scaffold, master,
                                                session_config),
          hooks=hooks, stop_grace_period_secs=2)
    with session:
      # StopAtStepHook stops after a run, so check first: a run resumed at
      # (or asked for) max_number_of_steps does not take one more step.
      while not session.should_stop():
        if (max_number_of_steps is not None and
            progress.step >= max_number_of_steps):
          logging.info('Global step %d reached max_number_of_steps=%d; '
                       'nothing to train.', progress.step, max_number_of_steps)
          break
        session.run(train_tensor)
  logging.info('Training stopped at global step %d; checkpoints in %s.',
               progress.step, train_dir)
  return TrainResult(progress.step, progress.loss)


def _with_kwargs(network_fn, network_kwargs):
  def bound(images):
    return network_fn(images, **network_kwargs)
  bound.default_image_size = network_fn.default_image_size
  return bound
