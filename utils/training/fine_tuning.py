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
"""Fine-tuning: which variables are restored, trained and updated.

slim's fine-tuning flags as plain arguments:

  * `get_variables_to_restore`: the model variables minus
    `checkpoint_exclude_scopes`;
  * `get_variables_to_train`: `trainable_scopes`, or every trainable variable;
  * `filter_update_ops`: batch-norm statistics of frozen scopes stay frozen;
  * `check_checkpoint_variables` and `get_init_fn`: a missing variable is an
    error unless ignored, a shape mismatch always is, each naming the variable
    and the flag that helps.

A scope selects the variables whose names start with it (slim's prefix rule,
`nets/scope_rule.py`, which `SlimNetwork.load_checkpoint` follows too).

Typical use (what `train_lib.train` does):

  to_restore, excluded = get_variables_to_restore(
      slim.get_model_variables(), 'resnet_v1_50/logits')
  init_fn, restored, missing = get_init_fn('/ckpt/resnet_v1_50.ckpt',
                                           to_restore)
  variables_to_train = get_variables_to_train('resnet_v1_50/logits')
"""

from absl import logging
import tensorflow.compat.v1 as tf

from nets import scope_rule
from utils.training import checkpoints


def get_variables_to_restore(variables, checkpoint_exclude_scopes=None):
  """Splits model variables into those to restore and those excluded.

  Args:
    variables: The candidate variables (slim restores its model variables:
      weights, biases and batch-norm parameters and statistics, not the global
      step or optimizer slots).
    checkpoint_exclude_scopes: Comma-separated string or list of scopes not to
      restore (variable-name prefixes, `nets/scope_rule.py`), e.g. the logits
      scope when the number of classes differs.

  Returns:
    (to_restore, excluded): two lists of variables. An exclusion scope that
    matches no variable is logged as a warning (a likely typo).
  """
  scopes = scope_rule.parse_scopes(
    checkpoint_exclude_scopes, 'checkpoint_exclude_scopes'
  )
  to_restore, excluded = [], []
  for var in variables:
    in_scopes = scope_rule.in_scopes(var.op.name, scopes)
    (excluded if in_scopes else to_restore).append(var)
  for scope in scopes:
    if not any(scope_rule.in_scopes(v.op.name, [scope]) for v in variables):
      logging.warning(
        'checkpoint_exclude_scopes entry %r matches no model variable.', scope
      )
  return to_restore, excluded


def get_variables_to_train(trainable_scopes=None, variables=None):
  """Returns the variables the optimizer updates.

  Args:
    trainable_scopes: Comma-separated string or list of scopes to train
      (variable-name prefixes, `nets/scope_rule.py`); None or empty trains
      every trainable variable.
    variables: The candidates; defaults to `tf.trainable_variables()`.

  Returns:
    A list of variables, in the order of `variables`.

  Raises:
    ValueError: if a scope matches no trainable variable (nothing would be
      trained there), naming it and the top-level scopes.
  """
  if variables is None:
    variables = tf.trainable_variables()
  scopes = scope_rule.parse_scopes(trainable_scopes, 'trainable_scopes')
  if not scopes:
    return list(variables)
  for scope in scopes:
    if not any(scope_rule.in_scopes(v.op.name, [scope]) for v in variables):
      tops = sorted({v.op.name.split('/')[0] for v in variables})
      raise ValueError(
        'trainable_scopes entry %r matches no trainable '
        'variable; variable names start with %s.' % (scope, ', '.join(tops))
      )
  return [v for v in variables if scope_rule.in_scopes(v.op.name, scopes)]


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
  scopes = scope_rule.parse_scopes(trainable_scopes, 'trainable_scopes')
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
    if scope_rule.in_scopes(name, scopes):
      kept.append(op)
  return kept


_FINE_TUNING_HINTS = (
  'Pass ignore_missing_vars (--ignore_missing_vars) to leave them '
  'initialized, or exclude their scope (--checkpoint_exclude_scopes).',
  'Exclude its scope with --checkpoint_exclude_scopes (e.g. the logits when '
  'the number of classes differs).',
)


def check_checkpoint_variables(
  checkpoint, variables, ignore_missing_vars, hints=_FINE_TUNING_HINTS
):
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
      % (
        checkpoint,
        len(missing),
        ', '.join(repr(m) for m in missing[:5]),
        hints[0],
      )
    )
  restorable = {}
  for name, var in sorted(variables.items()):
    if name not in shapes:
      continue
    model_shape = var.shape.as_list()
    if list(shapes[name]) != model_shape:
      raise ValueError(
        'Variable %r has shape %s in the model but %s in checkpoint %s. %s'
        % (name, model_shape, list(shapes[name]), checkpoint, hints[1])
      )
    restorable[name] = var
  return restorable, missing


def get_init_fn(
  checkpoint_path, variables_to_restore, ignore_missing_vars=False
):
  """Returns a `Scaffold` init_fn restoring variables from a checkpoint.

  The init_fn runs only when a training starts from scratch: a session that
  resumes from `train_dir` restores everything from there instead.

  Args:
    checkpoint_path: A checkpoint file or directory
      (`checkpoints.resolve_checkpoint`).
    variables_to_restore: Variables, or a dict checkpoint-name -> variable.
    ignore_missing_vars: See `check_checkpoint_variables`.

  Returns:
    (init_fn, restored, missing): `init_fn(scaffold, session)`, the dict of
    variables it restores and the names skipped as missing.

  Raises:
    ValueError: no checkpoint at the path, a missing variable (without
      ignore_missing_vars) or a shape mismatch.
  """
  checkpoint = checkpoints.resolve_checkpoint(checkpoint_path)
  restored, missing = check_checkpoint_variables(
    checkpoint, variables_to_restore, ignore_missing_vars
  )
  saver = tf.train.Saver(restored, name='fine_tune_saver') if restored else None

  def init_fn(scaffold, session):
    del scaffold
    if saver is not None:
      saver.restore(session, checkpoint)
    logging.info(
      'Fine-tuning from %s: restored %d variables.', checkpoint, len(restored)
    )

  return init_fn, restored, missing
