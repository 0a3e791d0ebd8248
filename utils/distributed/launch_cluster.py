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
r"""Runs a parameter-server training cluster on one machine.

  python -m utils.distributed.launch_cluster --num_ps=1 --num_workers=2 \
      --log_dir=/runs/digits/logs -- \
      --train_dir=/runs/digits --dataset_name=digits \
      --dataset_dir=/data/digits \
      --model_name=resnet_cifar_20 --sync_replicas --replicas_to_aggregate=2

Everything after `--` is passed to every train_image_classifier.py process,
which the launcher starts with the cluster flags (--ps_hosts, --worker_hosts,
--job_name, --task) on free loopback ports. It then waits for the workers;
when they have all finished it stops the ps tasks (which serve until killed).
If a process fails (exits non-zero), or on Ctrl-C or SIGTERM, it stops them
all and exits non-zero; with --max_restarts=N a failed worker is instead
restarted with the same flags (up to N times each) and rejoins the cluster
(the chief resumes from the newest complete checkpoint).

Each process writes to its own log file in --log_dir (ps-0.log, worker-0.log,
...; a restart appends), next to its pid file (worker-0.pid). Exit codes: 0
when every worker succeeded, the failing task's code (128 + signal when
killed), 124 after --timeout, 130 on Ctrl-C.

The addresses are 127.0.0.1:<port>; TensorFlow's gRPC server nevertheless
listens on every interface of the machine at its port, without
authentication (see utils/distributed/cluster.py): use it on a machine whose
ports are not reachable from untrusted networks.
"""

import collections
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from absl import app
from absl import flags
from absl import logging

from utils import checks
from utils import flag_defs
from utils.flag_defs import tools

_ROOT = os.path.dirname(
  os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
TRAIN_SCRIPT = os.path.join(_ROOT, 'train_image_classifier.py')
# Flags the launcher sets, or that the cluster implies (cluster.py).
RESERVED_FLAGS = (
  'ps_hosts',
  'worker_hosts',
  'job_name',
  'task',
  'master',
  'worker_replicas',
  'num_ps_tasks',
)
EXIT_TIMEOUT = 124
EXIT_INTERRUPTED = 130

# One process of the cluster: its job, task index and address.
Task = collections.namedtuple('Task', ['job_name', 'index', 'address'])


class Interrupted(Exception):
  """Raised by the SIGTERM handler of the command-line launcher."""


def pick_ports(count, host='127.0.0.1'):
  """Returns `count` distinct ports that are free on `host` right now.

  The sockets are closed before returning, so another program could take a
  port before the cluster binds it; the task then fails with a clear error in
  its log (and the launcher stops).
  """
  sockets = []
  try:
    for _ in range(count):
      s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
      s.bind((host, 0))
      sockets.append(s)
    return [s.getsockname()[1] for s in sockets]
  finally:
    for s in sockets:
      s.close()


def _exit_code(returncode):
  return 128 - returncode if returncode < 0 else returncode


def check_train_args(train_args):
  """Raises a ValueError if `train_args` set a flag the launcher owns."""
  for arg in train_args:
    name = arg.lstrip('-').split('=', 1)[0]
    if arg.startswith('-') and name in RESERVED_FLAGS:
      raise ValueError(
        '%r is set by the launcher (it owns --%s); remove it '
        'from the training flags.' % (arg, ', --'.join(RESERVED_FLAGS))
      )


class ClusterLauncher(object):
  """Starts, watches and stops the processes of one cluster.

  Typical use (what `launch` does):

    launcher = ClusterLauncher(1, 2, ['--train_dir=/runs/x', ...], '/logs')
    try:
      launcher.start()
      code = launcher.wait(timeout=600)
    finally:
      launcher.stop()
  """

  def __init__(
    self,
    num_ps,
    num_workers,
    train_args,
    log_dir,
    host='127.0.0.1',
    max_restarts=0,
    script=TRAIN_SCRIPT,
    env=None,
    poll_secs=0.2,
    grace_secs=5.0,
  ):
    """Describes the cluster; nothing starts before `start()`.

    Args:
      num_ps, num_workers: The number of ps and worker tasks, >= 1.
      train_args: The flags of every train_image_classifier.py process.
      log_dir: Where the logs and pid files go; created if missing.
      host: The address of every task (ports are picked free).
      max_restarts: How many times each worker is restarted after it fails.
      script: The training script, run by this process's interpreter.
      env: The environment of the processes (default: this one); TF_CONFIG
        is removed from it, since the flags describe the cluster.
      poll_secs: How often `wait` looks at the processes.
      grace_secs: How long `stop` waits after SIGTERM before SIGKILL.

    Raises:
      ValueError: on a count < 1, a negative max_restarts or a reserved flag
        in train_args, naming the value.
    """
    checks.check_int('num_ps', num_ps, 1)
    checks.check_int('num_workers', num_workers, 1)
    checks.check_int('max_restarts', max_restarts, 0)
    check_train_args(train_args)
    self.train_args = list(train_args)
    self.log_dir = log_dir
    self.max_restarts = max_restarts
    self._python, self._script = sys.executable, script
    self._env = dict(os.environ if env is None else env)
    self._env.pop('TF_CONFIG', None)
    self._poll_secs, self._grace_secs = poll_secs, grace_secs
    ports = pick_ports(num_ps + num_workers, host)
    self.tasks = [
      Task('ps', i, '%s:%d' % (host, ports[i])) for i in range(num_ps)
    ]
    self.tasks += [
      Task('worker', i, '%s:%d' % (host, ports[num_ps + i]))
      for i in range(num_workers)
    ]
    self._procs = {}  # Task -> subprocess.Popen
    self.restarts = collections.Counter()  # Task -> restarts so far.
    self.exit_codes = {}  # Task -> exit code of its last process.

  def _hosts(self, job_name):
    return ','.join(t.address for t in self.tasks if t.job_name == job_name)

  def command(self, task):
    """The command line of `task`."""
    return [
      self._python,
      self._script,
      '--ps_hosts=' + self._hosts('ps'),
      '--worker_hosts=' + self._hosts('worker'),
      '--job_name=' + task.job_name,
      '--task=%d' % task.index,
    ] + self.train_args

  def log_path(self, task):
    return os.path.join(self.log_dir, '%s-%d.log' % (task.job_name, task.index))

  def pid(self, task):
    """The pid of the current process of `task` (None before `start`)."""
    proc = self._procs.get(task)
    return proc.pid if proc else None

  def _spawn(self, task):
    with open(self.log_path(task), 'a') as log:
      log.write(
        '=== %s task %d at %s, %s: %s\n'
        % (
          task.job_name,
          task.index,
          task.address,
          'restart %d' % self.restarts[task]
          if self.restarts[task]
          else 'start',
          ' '.join(self.command(task)),
        )
      )
      log.flush()
      # Same process group as the launcher: Ctrl-C in a terminal reaches
      # every process, and killing the launcher's group stops them all.
      proc = subprocess.Popen(
        self.command(task),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=self._env,
      )
    self._procs[task] = proc
    with open(
      os.path.join(self.log_dir, '%s-%d.pid' % (task.job_name, task.index)), 'w'
    ) as f:
      f.write('%d\n' % proc.pid)
    logging.info(
      'Started %s task %d at %s (pid %d), log %s.',
      task.job_name,
      task.index,
      task.address,
      proc.pid,
      self.log_path(task),
    )

  def start(self):
    """Starts every task (ps first)."""
    os.makedirs(self.log_dir, exist_ok=True)
    for task in self.tasks:
      self._spawn(task)

  def poll(self):
    """Looks at the processes once, restarting failed workers if allowed.

    Returns:
      None while the workers run; 0 when they have all succeeded; else the
      exit code of the task that failed.
    """
    running = False
    for task in self.tasks:
      proc = self._procs[task]
      code = proc.poll()
      if code is None:
        running = running or task.job_name == 'worker'
        continue
      self.exit_codes[task] = _exit_code(code)
      if task.job_name == 'ps':
        logging.error(
          'ps task %d exited (code %d); see %s.',
          task.index,
          self.exit_codes[task],
          self.log_path(task),
        )
        return self.exit_codes[task] or 1
      if code != 0:
        if self.restarts[task] < self.max_restarts:
          self.restarts[task] += 1
          logging.warning(
            'worker task %d exited with code %d; restarting it (%d of %d).',
            task.index,
            self.exit_codes[task],
            self.restarts[task],
            self.max_restarts,
          )
          self._spawn(task)
          running = True
          continue
        logging.error(
          'worker task %d failed (code %d); see %s.',
          task.index,
          self.exit_codes[task],
          self.log_path(task),
        )
        return self.exit_codes[task]
    return None if running else 0

  def wait(self, timeout=None):
    """Polls until the workers finish, one fails or `timeout` seconds pass.

    Returns:
      The `poll` result, or EXIT_TIMEOUT.
    """
    deadline = None if timeout is None else time.time() + timeout
    while True:
      code = self.poll()
      if code is not None:
        return code
      if deadline is not None and time.time() >= deadline:
        logging.error('Timed out after %s s; stopping the cluster.', timeout)
        return EXIT_TIMEOUT
      time.sleep(self._poll_secs)

  def stop(self):
    """Stops every process still running: SIGTERM, then SIGKILL."""
    alive = [p for p in self._procs.values() if p.poll() is None]
    for proc in alive:
      proc.terminate()
    deadline = time.time() + self._grace_secs
    for proc in alive:
      try:
        proc.wait(max(0.0, deadline - time.time()))
      except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for task, proc in self._procs.items():
      self.exit_codes.setdefault(task, _exit_code(proc.returncode))

  def tail(self, task, lines=20):
    """The last `lines` lines of the log of `task`."""
    with open(self.log_path(task), errors='replace') as f:
      return ''.join(collections.deque(f, lines))


def launch(num_ps, num_workers, train_args, log_dir, timeout=None, **kwargs):
  """Runs a cluster to the end; returns the exit code (see the module doc).

  Args:
    num_ps, num_workers, train_args, log_dir, **kwargs: See
      `ClusterLauncher`.
    timeout: Seconds before the cluster is stopped; None: no limit.

  Raises:
    ValueError: on bad arguments (before anything starts).
  """
  launcher = ClusterLauncher(num_ps, num_workers, train_args, log_dir, **kwargs)
  code = EXIT_INTERRUPTED
  try:
    launcher.start()
    code = launcher.wait(timeout)
  except (KeyboardInterrupt, Interrupted):
    logging.error('Interrupted; stopping the cluster.')
  finally:
    launcher.stop()
  for task in launcher.tasks:
    logging.info(
      '%s task %d: exit code %s, %d restart(s), log %s',
      task.job_name,
      task.index,
      launcher.exit_codes.get(task),
      launcher.restarts[task],
      launcher.log_path(task),
    )
  if code not in (0, EXIT_INTERRUPTED):
    failed = [
      t
      for t in launcher.tasks
      if launcher.exit_codes.get(t) not in (0, None)
      and (t.job_name == 'worker' or code != EXIT_TIMEOUT)
    ]
    for task in failed[:1]:
      logging.error(
        'Last lines of %s:\n%s', launcher.log_path(task), launcher.tail(task)
      )
  return code


def _on_sigterm(signum, frame):
  del signum, frame
  raise Interrupted()


def main(argv):
  # The positional arguments (after `--`) are the training flags; the
  # launcher itself runs no TensorFlow.
  flag_defs.start_script(argv, flags.FLAGS, graph_mode=False, positional=True)
  train_args = argv[1:]
  log_dir = flags.FLAGS.log_dir or tempfile.mkdtemp(prefix='cluster_logs_')
  signal.signal(signal.SIGTERM, _on_sigterm)
  with flag_defs.exit_on_error('launch_cluster'):
    code = launch(
      flags.FLAGS.num_ps,
      flags.FLAGS.num_workers,
      train_args,
      log_dir,
      timeout=flags.FLAGS.timeout,
      max_restarts=flags.FLAGS.max_restarts,
    )
  print('Cluster finished with exit code %d; logs in %s.' % (code, log_dir))
  sys.exit(code)


if __name__ == '__main__':
  tools.define_launch_cluster_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this program's.
  flags.adopt_module_key_flags(tools)
  app.run(main)
