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
"""Checkpoints of a training directory: complete ones only, and repairs.

A checkpoint counts once its index and every data shard exist and the
directory's `checkpoint` state file names it, so a checkpoint still being
written (or deleted) by a running training is never read:

  * `checkpoint_is_complete`, `list_checkpoints`, `latest_checkpoint`;
  * `repair_checkpoint_state`: what the chief runs before resuming, so that a
    training killed at any moment (kill -9) resumes from the newest complete
    checkpoint;
  * `resolve_checkpoint`: a checkpoint file or a directory -> a prefix, with
    an error naming the path;
  * `checkpoint_global_step`;
  * `make_train_dir`: a training (or evaluation) directory, created, with an
    error naming the flag when it cannot be.
"""

import os

from absl import logging
import tensorflow.compat.v1 as tf


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
  return all(
    tf.io.gfile.exists('%s.data-%05d-of-%05d' % (prefix, i, total))
    for i in range(total)
  )


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
      logging.info('Removing %s, left by an interrupted checkpoint save.', temp)
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
    logging.warning(
      'No checkpoint named by %s is complete (missing files of '
      '%s); moving it to checkpoint.incomplete and training '
      'from the start.',
      state_file,
      ', '.join(incomplete),
    )
    tf.io.gfile.rename(state_file, state_file + '.incomplete', overwrite=True)
    return None
  logging.warning(
    '%s names incomplete checkpoint(s) %s (files missing); '
    'rewriting it to name the newest complete one, %s.',
    state_file,
    ', '.join(incomplete),
    complete[-1],
  )
  relative = not os.path.isabs(_read_state_path(state_file) or complete[-1])
  paths = [
    os.path.relpath(p, checkpoint_dir) if relative else p for p in complete
  ]
  tf.train.update_checkpoint_state(
    checkpoint_dir, paths[-1], all_model_checkpoint_paths=paths
  )
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
    raise ValueError(
      '%s is empty; pass a checkpoint file or a directory of '
      'checkpoints.' % what
    )
  if tf.io.gfile.isdir(checkpoint_path):
    prefix = latest_checkpoint(checkpoint_path)
    if prefix is None:
      raise ValueError(
        'No checkpoint found in directory %s=%r: it needs a `checkpoint` '
        'state file listing complete checkpoints (written by training).'
        % (what, checkpoint_path)
      )
    return prefix
  prefix = checkpoint_path
  for suffix in ('.index', '.meta'):
    if prefix.endswith(suffix):
      prefix = prefix[: -len(suffix)]
  if '.data-' in prefix:
    prefix = prefix.rsplit('.data-', 1)[0]
  if not checkpoint_is_complete(prefix):
    raise ValueError(
      'No checkpoint found at %s=%r: expected a checkpoint prefix such as '
      '.../model.ckpt-1000 (with its .index and .data-* files) or a '
      'directory of checkpoints.' % (what, checkpoint_path)
    )
  return prefix


def checkpoint_global_step(checkpoint):
  """The global step stored in a checkpoint (from its name if absent), or 0."""
  reader = tf.train.load_checkpoint(checkpoint)
  if reader.has_tensor('global_step'):
    return int(reader.get_tensor('global_step'))
  tail = checkpoint.rsplit('-', 1)[-1]
  return int(tail) if tail.isdigit() else 0


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
      raise ValueError(
        '%s %r exists and is not a directory; pass a directory '
        '(--%s).' % (what, train_dir, what)
      )
    tf.io.gfile.makedirs(train_dir)
  except (OSError, tf.errors.OpError) as e:
    raise ValueError(
      'Cannot create %s %r (%s); pass a writable directory '
      '(--%s).' % (what, train_dir, getattr(e, 'message', None) or e, what)
    ) from None
  if '://' not in train_dir and not os.access(train_dir, os.W_OK | os.X_OK):
    raise ValueError(
      '%s %r is not writable; pass a writable directory (--%s).'
      % (what, train_dir, what)
    )
