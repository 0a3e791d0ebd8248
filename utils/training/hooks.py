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
"""Session hooks of the training loop, and the worker's session creator.

* `NonFiniteLossHook`: stops with `NonFiniteLossError` naming the step, so a
  diverged step is never saved.
* `ProgressHook`: log lines and a live progress line (images/s, time left).
* `SyncReplicasHook`: `SyncReplicasOptimizer`'s session set-up, with a
  clean end on the chief (waiting workers are released).
* `WorkerSessionCreator`: a non-chief worker waits for the chief's
  initialization, looking every second.
* `Intervals`: how often the training logs, writes summaries and
  checkpoints.
"""

import dataclasses
import datetime
import time

from absl import logging
import numpy as np
import tensorflow.compat.v1 as tf

from utils import checks


@dataclasses.dataclass(frozen=True)
class Intervals:
  """How often the training logs, writes summaries and checkpoints.

  slim's flags of the same names and defaults; every field is an integer
  >= 1, checked when constructed.

  Attributes:
    log_every_n_steps: Progress log lines, in global steps.
    save_summaries_secs: Summaries, in seconds.
    save_interval_secs: Checkpoints, in seconds (one is also written at the
      end).
  """

  log_every_n_steps: int = 10
  save_summaries_secs: int = 600
  save_interval_secs: int = 600

  def __post_init__(self):
    for field in dataclasses.fields(self):
      checks.check_int(field.name, getattr(self, field.name), 1)


def check_intervals(intervals):
  """Checks that `intervals` is an `Intervals` (checked when constructed).

  Raises:
    TypeError: if `intervals` is not an `Intervals`.
  """
  if not isinstance(intervals, Intervals):
    raise TypeError(
      'intervals must be a hooks.Intervals; got %r.' % (intervals,)
    )


class NonFiniteLossError(RuntimeError):
  """Raised when the training loss becomes NaN or infinite."""


class NonFiniteLossHook(tf.train.SessionRunHook):
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
        'check the data.'
        % (loss, step_before + 1, step_before, step_before + 1)
      )


class WorkerSessionCreator(tf.train.SessionCreator):
  """A non-chief worker's session: waits until the chief has initialized.

  tf.train.WorkerSessionCreator checks every 30 s, so a worker started with
  the chief typically idles for 30 s; this one checks every
  `recovery_wait_secs`.
  """

  def __init__(
    self, scaffold, master, config, recovery_wait_secs=1, max_wait_secs=7200
  ):
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
      recovery_wait_secs=self._recovery_wait_secs,
    )
    return manager.wait_for_session(
      self._master, config=self._config, max_wait_secs=self._max_wait_secs
    )


class SyncReplicasHook(tf.train.SessionRunHook):
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
      num_tokens=self._num_workers
    )
    runner = self._opt.get_chief_queue_runner()
    self._runner = tf.train.QueueRunner(
      runner.queue,
      runner.enqueue_ops,
      queue_closed_exception_types=(
        tf.errors.OutOfRangeError,
        tf.errors.CancelledError,
      ),
    )

  def after_create_session(self, session, coord):
    uninitialized = session.run(self._ready_op)
    if uninitialized.size:
      raise RuntimeError(
        'SyncReplicasOptimizer set-up: variables are not '
        'initialized: %s' % ', '.join(n.decode() for n in uninitialized[:5])
      )
    session.run(self._local_init_op)
    if self._is_chief:
      session.run(self._init_tokens_op)
      self._runner.create_threads(session, coord=coord, daemon=True, start=True)

  def end(self, session):
    if self._release_op is not None:
      session.run(self._release_op)


def format_seconds(seconds):
  """'H:MM:SS' of a number of seconds, rounded."""
  return str(datetime.timedelta(seconds=int(round(seconds))))


class ProgressHook(tf.train.SessionRunHook):
  """Logs step, loss, learning rate, images/s and time left.

  A log line every `every_n_steps` global steps, plus (when `live_stream` is a
  terminal) a progress line rewritten in place at most 4 times a second.
  """

  def __init__(
    self,
    loss,
    learning_rate,
    global_step,
    step_before,
    every_n_steps,
    images_per_step,
    max_steps,
    live_stream=None,
  ):
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
        parts.append('%s left' % format_seconds(left))
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
