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
"""Tests of utils/distributed/launch_cluster.py's process handling, with a
stand-in for train_image_classifier.py (a few lines of Python that serve,
succeed, fail or hang as told), so each test takes about a second. The real
script runs in
tests/distributed_test.py."""

import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

from absl.testing import absltest
from absl.testing import parameterized

from utils.distributed import launch_cluster

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The stand-in task. A ps serves forever; worker i does what --worker_i says:
# ok (exit 0), fail (exit 3), hang, or fail_once (exit 5 the first time).
_FAKE_TASK = r"""
import os, sys, time
args = dict(a[2:].split('=', 1) for a in sys.argv[1:] if '=' in a)
print('ARGS', ' '.join(sys.argv[1:]), flush=True)
job, task = args['job_name'], int(args['task'])
if job == 'ps':
  while True:
    time.sleep(1)
what = args.get('worker_%d' % task, 'ok')
if what == 'fail_once':
  marker = os.path.join(args['state_dir'], 'failed-%d' % task)
  if not os.path.exists(marker):
    open(marker, 'w').close()
    sys.exit(5)
  what = 'ok'
if what == 'ok':
  time.sleep(0.3)
  sys.exit(0)
if what == 'fail':
  time.sleep(0.3)
  sys.exit(3)
while True:
  time.sleep(1)
"""


def _alive(pid):
  try:
    os.kill(pid, 0)
  except ProcessLookupError:
    return False
  # A zombie (exited, not yet reaped) counts as gone.
  with open('/proc/%d/stat' % pid) as f:
    return f.read().split(')')[-1].split()[0] != 'Z'


class LaunchClusterTest(parameterized.TestCase):
  def setUp(self):
    super().setUp()
    self.root = self.enter_context(tempfile.TemporaryDirectory())
    self.log_dir = os.path.join(self.root, 'logs')
    self.script = os.path.join(self.root, 'fake_task.py')
    with open(self.script, 'w') as f:
      f.write(_FAKE_TASK)

  def tearDown(self):
    # Whatever a failing test left running.
    for path in glob.glob(os.path.join(self.log_dir, '*.pid')):
      with open(path) as f:
        pid = int(f.read())
      if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    super().tearDown()

  def launch(self, *train_args, **kwargs):
    kwargs.setdefault('timeout', 60)
    return launch_cluster.launch(
      kwargs.pop('num_ps', 1),
      kwargs.pop('num_workers', 2),
      ['--state_dir=' + self.root] + list(train_args),
      self.log_dir,
      script=self.script,
      poll_secs=0.05,
      grace_secs=2,
      **kwargs,
    )

  def log(self, name):
    with open(os.path.join(self.log_dir, name + '.log')) as f:
      return f.read()

  def test_success_stops_the_ps_and_keeps_one_log_per_process(self):
    self.assertEqual(0, self.launch('--worker_1=ok'))
    self.assertCountEqual(
      [
        'ps-0.log',
        'ps-0.pid',
        'worker-0.log',
        'worker-0.pid',
        'worker-1.log',
        'worker-1.pid',
      ],
      os.listdir(self.log_dir),
    )
    args = {}
    for name in ('ps-0', 'worker-0', 'worker-1'):
      line = [
        text for text in self.log(name).splitlines() if text.startswith('ARGS ')
      ][0]
      args[name] = dict(a[2:].split('=', 1) for a in line.split()[1:])
    self.assertEqual(
      ('ps', '0'), (args['ps-0']['job_name'], args['ps-0']['task'])
    )
    self.assertEqual(
      ('worker', '1'), (args['worker-1']['job_name'], args['worker-1']['task'])
    )
    # Every task gets the same cluster: distinct loopback ports.
    hosts = args['ps-0']['ps_hosts'].split(',') + args['ps-0'][
      'worker_hosts'
    ].split(',')
    self.assertLen(set(hosts), 3)
    for host in hosts:
      self.assertRegex(host, r'^127\.0\.0\.1:\d+$')
    for name in ('worker-0', 'worker-1'):
      self.assertEqual(args['ps-0']['worker_hosts'], args[name]['worker_hosts'])
    with open(os.path.join(self.log_dir, 'ps-0.pid')) as f:
      self.assertFalse(_alive(int(f.read())))

  def test_a_failed_worker_stops_everything(self):
    start = time.time()
    launcher = launch_cluster.ClusterLauncher(
      1,
      2,
      ['--worker_0=hang', '--worker_1=fail'],
      self.log_dir,
      script=self.script,
      poll_secs=0.05,
      grace_secs=2,
    )
    try:
      launcher.start()
      self.assertEqual(3, launcher.wait(timeout=60))
    finally:
      launcher.stop()
    self.assertLess(time.time() - start, 30)
    ps, chief, worker = launcher.tasks
    self.assertEqual(3, launcher.exit_codes[worker])
    # The hanging chief and the ps got SIGTERM: 128 + 15.
    self.assertEqual(143, launcher.exit_codes[chief])
    self.assertEqual(143, launcher.exit_codes[ps])
    for task in launcher.tasks:
      self.assertFalse(_alive(launcher.pid(task)))

  def test_failed_worker_is_restarted_and_rejoins(self):
    self.assertEqual(0, self.launch('--worker_1=fail_once', max_restarts=1))
    log = self.log('worker-1')
    self.assertEqual(2, log.count('=== worker task 1'))
    self.assertIn('restart 1:', log)
    self.assertEqual(1, self.log('worker-0').count('=== worker task 0'))

  def test_restarts_are_limited(self):
    self.assertEqual(3, self.launch('--worker_1=fail', max_restarts=2))
    self.assertEqual(3, self.log('worker-1').count('=== worker task 1'))

  def test_timeout(self):
    self.assertEqual(
      launch_cluster.EXIT_TIMEOUT, self.launch('--worker_0=hang', timeout=1)
    )

  def test_a_dead_ps_stops_everything(self):
    launcher = launch_cluster.ClusterLauncher(
      1,
      1,
      ['--worker_0=hang'],
      self.log_dir,
      script=self.script,
      poll_secs=0.05,
      grace_secs=2,
    )
    try:
      launcher.start()
      time.sleep(0.5)
      os.kill(launcher.pid(launcher.tasks[0]), signal.SIGKILL)
      self.assertEqual(128 + signal.SIGKILL, launcher.wait(timeout=60))
    finally:
      launcher.stop()
    self.assertEqual(143, launcher.exit_codes[launcher.tasks[1]])

  def test_ctrl_c_stops_everything(self):
    code = (
      'import sys; from utils.distributed import launch_cluster; '
      'sys.exit('
      'launch_cluster.launch(1, 2, ["--worker_0=hang", "--worker_1=hang"'
      '], %r, script=%r, grace_secs=2))' % (self.log_dir, self.script)
    )
    proc = subprocess.Popen(
      [sys.executable, '-c', code],
      cwd=_ROOT,
      env=dict(os.environ, PYTHONPATH=_ROOT),
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
      start_new_session=True,
    )
    try:
      pid_files = [
        os.path.join(self.log_dir, n)
        for n in ('ps-0.pid', 'worker-0.pid', 'worker-1.pid')
      ]
      deadline = time.time() + 30
      while time.time() < deadline and not all(
        os.path.exists(p) and os.path.getsize(p) for p in pid_files
      ):
        time.sleep(0.1)
      pids = []
      for path in pid_files:
        with open(path) as f:
          pids.append(int(f.read()))
      proc.send_signal(signal.SIGINT)
      self.assertEqual(launch_cluster.EXIT_INTERRUPTED, proc.wait(30))
      for pid in pids:
        self.assertFalse(_alive(pid), pid)
    finally:
      if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

  @parameterized.named_parameters(
    ('task', ['--task=1'], r"'--task=1' is set by the launcher"),
    ('ps_hosts', ['--ps_hosts=h:1'], r"'--ps_hosts=h:1' is set by"),
    ('master', ['--master', 'grpc://h:1'], r"'--master' is set by"),
    ('worker_replicas', ['--worker_replicas=3'], r"'--worker_replicas=3'"),
  )
  def test_reserved_flags(self, train_args, regex):
    with self.assertRaisesRegex(ValueError, regex):
      launch_cluster.ClusterLauncher(1, 2, train_args, self.log_dir)

  @parameterized.named_parameters(
    (
      'no_ps',
      dict(num_ps=0),
      r'num_ps must be an integer >= 1; got '
      r'num_ps=0',
    ),
    ('no_worker', dict(num_workers=0), r'num_workers=0'),
    ('restarts', dict(max_restarts=-1), r'max_restarts=-1'),
  )
  def test_bad_counts(self, overrides, regex):
    kwargs = dict(num_ps=1, num_workers=2)
    kwargs.update(overrides)
    with self.assertRaisesRegex(ValueError, regex):
      launch_cluster.ClusterLauncher(
        kwargs.pop('num_ps'),
        kwargs.pop('num_workers'),
        [],
        self.log_dir,
        **kwargs,
      )

  def test_ports_are_distinct_and_free(self):
    ports = launch_cluster.pick_ports(5)
    self.assertLen(set(ports), 5)
    for port in ports:
      self.assertBetween(port, 1, 65535)


if __name__ == '__main__':
  absltest.main()
