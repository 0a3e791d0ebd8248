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
"""Multi-process training and recovery from kill -9, on the digits records.

Every process is a real train_image_classifier.py (resnet_cifar_20 at 16x16,
a few hundred images per second on one core), clusters are started by
`python -m utils.distributed.launch_cluster` on loopback ports, and every
wait is bounded.
Each test kills its process groups when it ends, however it ends.

`ClusterTest` and `KillRepeatedlyTest` (clusters, several kills in a row) are
slow (SLOW_TESTS in tests/conftest.py): `make test-all` runs them, `make test`
does not. `RestoreFallbackTest` and `ChecksTest` (in-process but for one
script run) and `KillOnceTest` (one kill, about 30 s) run in both.
"""

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import tensorflow.compat.v1 as tf

import nets  # noqa: F401  (applies nets/tf_compat first)
from nets import tf_compat
from tests import test_util
from utils.datasets import dataset_factory
from utils.training import checkpoints
from utils.training import hooks
from utils.training import replicas
from utils.training import train_lib

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NUM_TEST = 360  # Images of the digits test split.
_MODEL_FLAGS = [
  '--dataset_name=digits',
  '--model_name=resnet_cifar_20',
  '--preprocessing_name=cifar',
  '--num_preprocessing_threads=1',
]
_TRAIN_FLAGS = _MODEL_FLAGS + [
  '--train_image_size=16',
  '--batch_size=8',
  '--optimizer=momentum',
  '--learning_rate=0.05',
  '--learning_rate_decay_type=fixed',
  '--num_readers=1',
  '--log_every_n_steps=1',
  '--save_summaries_secs=3600',
]
_STEP_RE = re.compile(r'\] global step (\d+)/')
_RESUME_RE = re.compile(r'Resuming from (\S+) \(global step (\d+)\)')


def _train(dataset, train_dir, model_name, **flat):
  """`train_lib.train` with flat keywords (`test_util.train_args`)."""
  return train_lib.train(
    dataset, train_dir, model_name, **test_util.train_args(**flat)
  )


def setUpModule():
  tf_compat.enable_graph_mode()


def _env():
  env = dict(os.environ, PYTHONPATH=_ROOT, TF_CPP_MIN_LOG_LEVEL='2')
  env.pop('TF_CONFIG', None)
  return env


def _read(path):
  if not os.path.exists(path):
    return ''
  with open(path, errors='replace') as f:
    return f.read()


def _steps(text):
  """The global steps of the progress lines of a training log."""
  return [int(s) for s in _STEP_RE.findall(text)]


def _checkpoint_steps(train_dir):
  """Steps of the complete checkpoints (from their names: no file reads, so
  a checkpoint deleted meanwhile by the trainer's max_to_keep is no error)."""
  return [
    int(p.rsplit('-', 1)[1]) for p in checkpoints.list_checkpoints(train_dir)
  ]


class _ProcessTestCase(tf.test.TestCase):
  """Converts digits once per class; starts processes in their own groups."""

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.root = test_util.class_temp_dir(cls)
    cls.data_dir = os.path.join(cls.root, 'digits')
    dataset_factory.convert_dataset('digits', cls.data_dir)

  def setUp(self):
    super().setUp()
    self.dir = tempfile.mkdtemp(dir=self.root)
    self.train_dir = os.path.join(self.dir, 'train')

  def start(self, args, log_name):
    """Starts `python args...` in a new process group, logging to a file."""
    log_path = os.path.join(self.dir, log_name)
    with open(log_path, 'a') as log:
      proc = subprocess.Popen(
        [sys.executable] + args,
        cwd=_ROOT,
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
      )
    self.addCleanup(self._kill_group, proc)
    return proc, log_path

  @staticmethod
  def _kill_group(proc):
    try:
      os.killpg(proc.pid, signal.SIGKILL)  # The launcher's tasks too.
    except ProcessLookupError:
      pass
    proc.wait()

  def wait_for(self, predicate, timeout, what, log_path=None):
    deadline = time.time() + timeout
    while not predicate():
      if time.time() > deadline:
        self.fail(
          'Timed out after %d s waiting for %s. Log tail:\n%s'
          % (timeout, what, _read(log_path)[-3000:] if log_path else '')
        )
      time.sleep(0.1)

  def finish(self, proc, log_path, timeout):
    try:
      code = proc.wait(timeout)
    except subprocess.TimeoutExpired:
      self.fail(
        '%s still running after %d s. Log tail:\n%s'
        % (log_path, timeout, _read(log_path)[-3000:])
      )
    self.assertEqual(
      0, code, 'exit code %d; log tail:\n%s' % (code, _read(log_path)[-3000:])
    )

  def train_args(self, steps, *extra):
    return (
      [
        'train_image_classifier.py',
        '--train_dir=' + self.train_dir,
        '--dataset_dir=' + self.data_dir,
        '--max_number_of_steps=%d' % steps,
      ]
      + _TRAIN_FLAGS
      + list(extra)
    )

  def kill_after_a_new_checkpoint(self, proc, log_path, previous, delay):
    """SIGKILLs `proc` `delay` s after a checkpoint newer than `previous`.

    Returns:
      (last step logged before the kill, newest complete checkpoint step).
    """
    self.wait_for(
      lambda: max(_checkpoint_steps(self.train_dir) or [-1]) > previous,
      240,
      'a checkpoint after step %d' % previous,
      log_path,
    )
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The state file names complete checkpoints only, whenever the kill came.
    state = tf.train.get_checkpoint_state(self.train_dir)
    for path in set(state.all_model_checkpoint_paths) | {
      state.model_checkpoint_path
    }:
      self.assertTrue(checkpoints.checkpoint_is_complete(path), path)
    newest = max(_checkpoint_steps(self.train_dir))
    # A step is reached when logged or checkpointed (the first step of a
    # session is not logged).
    return max(_steps(_read(log_path)) + [newest]), newest

  def evaluate(self, eval_dir):
    proc, log_path = self.start(
      [
        'eval_image_classifier.py',
        '--checkpoint_path=' + self.train_dir,
        '--eval_dir=' + eval_dir,
        '--dataset_dir=' + self.data_dir,
        '--dataset_split_name=test',
        '--eval_image_size=16',
        '--batch_size=120',
      ]
      + _MODEL_FLAGS,
      'eval.log',
    )
    self.finish(proc, log_path, 240)
    return _read(log_path)


class RestoreFallbackTest(tf.test.TestCase):
  """A state file naming a checkpoint with missing files (in-process)."""

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.root = test_util.class_temp_dir(cls)
    data_dir = os.path.join(cls.root, 'digits')
    dataset_factory.convert_dataset('digits', data_dir)
    cls.dataset = dataset_factory.get_dataset('digits', 'train', data_dir)
    # Checkpoints 0, 1 (first run) and 2 (a resumed run).
    cls.base = os.path.join(cls.root, 'base')
    for steps in (1, 2):
      _train(
        cls.dataset,
        cls.base,
        'resnet_cifar_20',
        **cls.kwargs(max_number_of_steps=steps),
      )

  @staticmethod
  def kwargs(**overrides):
    kwargs = dict(
      preprocessing_name='cifar',
      batch_size=4,
      train_image_size=16,
      num_readers=1,
      num_preprocessing_threads=1,
      optimizer='sgd',
      learning_rate=0.01,
      learning_rate_decay_type='fixed',
      intervals=hooks.Intervals(
        save_summaries_secs=3600, save_interval_secs=3600
      ),
      network_kwargs={'depth_multiplier': 0.25},
    )
    kwargs.update(overrides)
    return kwargs

  def copy(self):
    train_dir = os.path.join(tempfile.mkdtemp(dir=self.root), 'train')
    shutil.copytree(self.base, train_dir)
    self.assertEqual([0, 1, 2], _checkpoint_steps(train_dir))
    return train_dir

  def test_missing_data_shard_falls_back_to_the_newest_complete(self):
    train_dir = self.copy()
    os.remove(os.path.join(train_dir, 'model.ckpt-2.data-00000-of-00001'))
    # A sharded save killed half-way leaves its temporary directory.
    os.makedirs(os.path.join(train_dir, 'model.ckpt-3_temp', 'part-00000'))
    with self.assertLogs(level='INFO') as logs:
      result = _train(
        self.dataset,
        train_dir,
        'resnet_cifar_20',
        **self.kwargs(max_number_of_steps=4),
      )
    text = '\n'.join(logs.output)
    self.assertRegex(
      text,
      r'names incomplete checkpoint\(s\) .*model\.ckpt-2'
      r' \(files missing\); rewriting it to name the newest '
      r'complete one, .*model\.ckpt-1\.',
    )
    self.assertRegex(text, r'Resuming from .*model\.ckpt-1 \(global step 1\)')
    self.assertRegex(text, r'Removing .*model\.ckpt-3_temp')
    self.assertEqual(4, result.global_step)
    self.assertFalse(
      os.path.exists(os.path.join(train_dir, 'model.ckpt-3_temp'))
    )
    # The state file lists complete checkpoints only, by relative names.
    self.assertEqual(4, _checkpoint_steps(train_dir)[-1])
    self.assertNotIn(
      os.path.join(train_dir, 'model.ckpt-2'),
      checkpoints.list_checkpoints(train_dir),
    )
    self.assertIn(
      'model_checkpoint_path: "model.ckpt-4"',
      _read(os.path.join(train_dir, 'checkpoint')),
    )

  def test_no_complete_checkpoint_trains_from_the_start(self):
    train_dir = self.copy()
    for step in (0, 1, 2):
      os.remove(os.path.join(train_dir, 'model.ckpt-%d.index' % step))
    with self.assertLogs(level='INFO') as logs:
      result = _train(
        self.dataset,
        train_dir,
        'resnet_cifar_20',
        **self.kwargs(max_number_of_steps=1),
      )
    self.assertRegex(
      '\n'.join(logs.output),
      r'No checkpoint named by .*'
      r'checkpoint is complete.*moving it to '
      r'checkpoint\.incomplete',
    )
    self.assertEqual(1, result.global_step)
    self.assertTrue(
      os.path.exists(os.path.join(train_dir, 'checkpoint.incomplete'))
    )
    self.assertEqual([0, 1], _checkpoint_steps(train_dir))


class ChecksTest(tf.test.TestCase):
  """Bad cluster input fails before anything starts, with the value."""

  def test_train_refuses_more_replicas_to_aggregate_than_workers(self):
    root = test_util.temp_dir(self)
    dataset_factory.convert_dataset('digits', root)
    dataset = dataset_factory.get_dataset('digits', 'train', root)
    train_dir = os.path.join(root, 'train')
    with self.assertRaisesRegex(
      ValueError,
      r'replicas_to_aggregate=3 is '
      r'larger than the number of workers '
      r'\(worker_replicas=2\)',
    ):
      _train(
        dataset,
        train_dir,
        'resnet_cifar_20',
        deployment=replicas.Deployment(
          sync_replicas=True, replicas_to_aggregate=3, worker_replicas=2
        ),
        max_number_of_steps=1,
      )
    self.assertFalse(os.path.exists(train_dir))

  def test_script_reads_tf_config_and_reports_its_error(self):
    # One subprocess (each costs a TensorFlow start); the other messages are
    # checked on utils/distributed/cluster.py directly in cluster_test.py.
    env = dict(_env(), TF_CONFIG='{"cluster": {"ps": ["h:1"],')
    result = subprocess.run(
      [
        sys.executable,
        'train_image_classifier.py',
        '--dataset_name=digits',
        '--dataset_dir=/nonexistent',
        '--train_dir=/nonexistent/run',
      ],
      cwd=_ROOT,
      env=env,
      capture_output=True,
      text=True,
      timeout=240,
      check=False,
    )
    self.assertEqual(1, result.returncode, result.stderr[-2000:])
    self.assertRegex(
      result.stderr,
      r'train_image_classifier\.py: error: '
      r'TF_CONFIG is not valid JSON \(.*\): \'\{"cluster"',
    )
    self.assertNotIn('Traceback', result.stderr)


class KillOnceTest(_ProcessTestCase):
  """kill -9 of a single-process training, then a restart (about 30 s)."""

  def test_resumes_from_the_newest_complete_checkpoint(self):
    args = self.train_args(60, '--save_interval_secs=1')
    proc, log_path = self.start(args, 'train.log')
    last_step, newest = self.kill_after_a_new_checkpoint(proc, log_path, 0, 0.3)
    self.assertGreaterEqual(last_step, newest)
    proc, log_path = self.start(args, 'train-2.log')
    self.finish(proc, log_path, 240)
    text = _read(log_path)
    self.assertEqual(str(newest), _RESUME_RE.search(text).group(2))
    # The global step never goes below the checkpoint it resumed from.
    self.assertGreater(min(_steps(text)), newest)
    self.assertIn('Trained to global step 60', text)
    self.assertEqual(60, _checkpoint_steps(self.train_dir)[-1])


class KillRepeatedlyTest(_ProcessTestCase):
  """Several kills at random moments in a row, with evaluation beside."""

  def test_kills_at_random_moments(self):
    rng = random.Random(6)
    steps = 400
    args = self.train_args(steps, '--save_interval_secs=1')
    # Evaluation of every new checkpoint beside the training; it must never
    # read a checkpoint being written (or fail on one being deleted).
    os.makedirs(self.train_dir)
    evaluator, eval_log = self.start(
      [
        'eval_image_classifier.py',
        '--checkpoint_path=' + self.train_dir,
        '--eval_dir=' + os.path.join(self.dir, 'eval'),
        '--dataset_dir=' + self.data_dir,
        '--dataset_split_name=test',
        '--eval_image_size=16',
        '--batch_size=120',
        '--eval_interval_secs=1',
        '--timeout=600',
      ]
      + _MODEL_FLAGS,
      'eval.log',
    )
    newest, lost = 0, []
    for run in range(4):
      proc, log_path = self.start(args, 'train-%d.log' % run)
      if run:
        self.wait_for(
          lambda path=log_path: _RESUME_RE.search(_read(path)),
          240,
          'the resume line',
          log_path,
        )
        self.assertEqual(
          newest, int(_RESUME_RE.search(_read(log_path)).group(2))
        )
      if run == 3:
        break
      # Past the slow first steps of a session, then 0-1.5 s more: the kill
      # lands anywhere in a step or a checkpoint save.
      last_step, newest_now = self.kill_after_a_new_checkpoint(
        proc, log_path, newest + 10, rng.uniform(0.0, 1.5)
      )
      self.assertLess(newest_now, steps, 'training ended before the kill')
      # The global step never goes below the checkpoint the run resumed from.
      for step in _steps(_read(log_path)):
        self.assertGreater(step, newest)
      self.assertGreaterEqual(last_step, newest_now)
      lost.append(last_step - newest_now)
      newest = newest_now
    self.finish(proc, log_path, 300)
    text = _read(log_path)
    self.assertGreater(min(_steps(text)), newest)
    self.assertEqual(steps, _checkpoint_steps(self.train_dir)[-1])
    tf.logging.info(
      'Steps lost per kill (last step logged - step resumed from): %s', lost
    )

    final = 'model.ckpt-%d global_step=%d' % (steps, steps)
    self.wait_for(
      lambda: final in _read(eval_log),
      240,
      'the evaluation of the last checkpoint',
      eval_log,
    )
    evaluator.terminate()
    evaluator.wait()
    log = _read(eval_log)
    self.assertNotIn('Traceback', log)
    results = re.findall(
      r'model\.ckpt-(\d+) global_step=(\d+) images=(\d+)', log
    )
    for name_step, step, images in results:
      self.assertEqual(name_step, step)
      self.assertEqual(_NUM_TEST, int(images))
    evaluated = [int(step) for _, step, _ in results]
    self.assertEqual(sorted(evaluated), evaluated)
    self.assertGreater(len(evaluated), 3)


def _split_runs(text, header):
  """The parts of a launcher log, one per (re)start of the task."""
  return text.split(header)[1:]


class ClusterTest(_ProcessTestCase):
  """1 ps + 2 workers on loopback, started by launch_cluster.py."""

  def launch(self, steps, *extra, max_restarts=0):
    log_dir = os.path.join(self.dir, 'logs')
    args = [
      '-m',
      'utils.distributed.launch_cluster',
      '--num_ps=1',
      '--num_workers=2',
      '--log_dir=' + log_dir,
      '--timeout=400',
      '--max_restarts=%d' % max_restarts,
      '--',
    ] + self.train_args(steps, *extra)[1:]
    proc, log_path = self.start(args, 'launcher.log')
    return proc, log_path, log_dir

  def task_log(self, log_dir, name):
    return _read(os.path.join(log_dir, name + '.log'))

  def test_async_training_then_the_chief_checkpoint_evaluates(self):
    proc, log_path, log_dir = self.launch(30, '--save_interval_secs=3600')
    self.finish(proc, log_path, 420)
    chief = self.task_log(log_dir, 'worker-0')
    worker = self.task_log(log_dir, 'worker-1')
    self.assertIn('Started worker task 0 at 127.0.0.1:', chief)
    self.assertIn(
      'Started ps task 0 at 127.0.0.1:', self.task_log(log_dir, 'ps-0')
    )
    for text in (chief, worker):
      self.assertRegex(text, r'Training stopped at global step 3\d;')
      self.assertNotEmpty(_steps(text))  # Both workers took steps.
    # Asynchronous: each worker counts for both, the final step may pass 30
    # by the steps the other worker had in flight.
    final = _checkpoint_steps(self.train_dir)[-1]
    self.assertBetween(final, 30, 32)
    result = self.evaluate(os.path.join(self.dir, 'eval'))
    self.assertRegex(
      result,
      r'model\.ckpt-%d global_step=%d images=%d '
      r'Accuracy=[01]\.\d{4} Recall_5=[01]\.\d{4}' % (final, final, _NUM_TEST),
    )

  def test_sync_training_reaches_the_step_exactly(self):
    proc, log_path, log_dir = self.launch(
      20,
      '--save_interval_secs=3600',
      '--sync_replicas',
      '--replicas_to_aggregate=2',
    )
    self.finish(proc, log_path, 420)
    for name in ('worker-0', 'worker-1'):
      text = self.task_log(log_dir, name)
      self.assertIn(
        'Effective batch: 16 images per global step (batch_size '
        '8 x num_clones 1 x replicas_to_aggregate 2)',
        text,
      )
      self.assertIn('Training stopped at global step 20;', text)
      self.assertNotIn('Traceback', text)
    self.assertEqual(20, _checkpoint_steps(self.train_dir)[-1])

  def test_killed_chief_restarts_and_resumes(self):
    steps = 150
    proc, log_path, log_dir = self.launch(
      steps,
      '--save_interval_secs=1',
      '--sync_replicas',
      '--replicas_to_aggregate=2',
      max_restarts=1,
    )
    chief_log = os.path.join(log_dir, 'worker-0.log')
    self.wait_for(
      lambda: os.path.exists(os.path.join(log_dir, 'worker-0.pid')),
      60,
      'the chief',
      log_path,
    )
    with open(os.path.join(log_dir, 'worker-0.pid')) as f:
      chief_pid = int(f.read())
    # Past the slow first steps, then a little more: a kill in full swing.
    self.wait_for(
      lambda: max(_checkpoint_steps(self.train_dir) or [0]) >= 10,
      300,
      'a checkpoint after step 10',
      chief_log,
    )
    time.sleep(0.5)
    os.kill(chief_pid, signal.SIGKILL)
    # The global step the cluster had reached, as both workers logged it.
    last_step = max(
      _steps(_read(chief_log))
      + _steps(_read(os.path.join(log_dir, 'worker-1.log')))
    )
    self.wait_for(
      lambda: 'restart 1:' in _read(chief_log), 60, 'the restart', log_path
    )
    newest = max(_checkpoint_steps(self.train_dir))
    self.finish(proc, log_path, 420)
    _, second = _split_runs(_read(chief_log), '=== worker task 0')
    self.assertGreaterEqual(last_step, newest)
    tf.logging.info(
      'Chief killed at global step %d, resumed from %d.', last_step, newest
    )
    self.assertEqual(str(newest), _RESUME_RE.search(second).group(2))
    self.assertGreater(min(_steps(second)), newest)
    self.assertIn('Training stopped at global step %d;' % steps, second)
    self.assertEqual(steps, _checkpoint_steps(self.train_dir)[-1])

  def test_killed_worker_restarts_and_rejoins(self):
    steps = 600
    proc, log_path, log_dir = self.launch(
      steps, '--save_interval_secs=3600', max_restarts=1
    )
    worker_log = os.path.join(log_dir, 'worker-1.log')
    self.wait_for(
      lambda: len(_steps(_read(worker_log))) >= 3,
      300,
      'steps of worker 1',
      log_path,
    )
    with open(os.path.join(log_dir, 'worker-1.pid')) as f:
      os.kill(int(f.read()), signal.SIGKILL)
    killed_at = max(_steps(_read(worker_log)))
    self.finish(proc, log_path, 420)
    first, second = _split_runs(_read(worker_log), '=== worker task 1')
    self.assertNotEmpty(_steps(first))
    # The restarted worker joined the running model on the ps (not a new
    # one): its session starts at least at the step of the kill. Whether it
    # trained more steps depends on how soon the chief finished.
    joined_at = int(
      re.search(r'Session ready at global step (\d+)', second).group(1)
    )
    self.assertGreaterEqual(joined_at, killed_at)
    self.assertRegex(second, r'Training stopped at global step \d+;')
    self.assertGreaterEqual(_checkpoint_steps(self.train_dir)[-1], steps)
    tf.logging.info(
      'Worker 1 killed at step %d, rejoined at step %d, took '
      '%d logged steps after.',
      killed_at,
      joined_at,
      len(_steps(second)),
    )


if __name__ == '__main__':
  tf.test.main()
