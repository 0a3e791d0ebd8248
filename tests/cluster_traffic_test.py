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
"""The plan's bytes per global step against real clusters' loopback traffic.

Each cluster (utils/distributed/launch_cluster.py, resnet_cifar_20 on the
digits records) runs in a network namespace of its own (`unshare -n`, with
only the loopback interface, brought up), so that the interface's counters
(/proc/net/dev) count its traffic and nothing else. Two run lengths are
differenced, which removes the start-up (graph registration, initialization,
the workers' wait for the chief) and the final checkpoint; the global steps
are the ones the workers report at their end. Needs root and `unshare`
(otherwise skipped, saying why). Slow (SLOW_TESTS in tests/conftest.py).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils.datasets import dataset_factory
from utils.distributed import plan
from utils.training import config

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BATCH_SIZE = 8
_IMAGE_SIZE = 16
_TRAIN_FLAGS = [
  '--dataset_name=digits',
  '--model_name=resnet_cifar_20',
  '--preprocessing_name=cifar',
  '--train_image_size=%d' % _IMAGE_SIZE,
  '--batch_size=%d' % _BATCH_SIZE,
  '--optimizer=momentum',
  '--learning_rate=0.05',
  '--learning_rate_decay_type=fixed',
  '--num_readers=1',
  '--num_preprocessing_threads=1',
  '--log_every_n_steps=1',
  '--save_summaries_secs=3600',
  '--save_interval_secs=3600',
]
# The same training, as train_lib.train's configuration (for the plan).
_CONFIG = config.TrainConfig(
  input=config.InputConfig(
    preprocessing_name='cifar', batch_size=_BATCH_SIZE, image_size=_IMAGE_SIZE
  ),
  optimizer=config.OptimizerConfig(optimizer='momentum'),
  schedule=config.ScheduleConfig(
    learning_rate=0.05, learning_rate_decay_type='fixed'
  ),
)
_RUN_LENGTHS = (10, 30)
_TOLERANCE = 0.10
_STOPPED_RE = re.compile(r'Training stopped at global step (\d+);')


def setUpModule():
  tf_compat.enable_graph_mode()


def _namespace_problem():
  """Why clusters cannot run in a network namespace here, or None."""
  if os.geteuid() != 0:
    return 'needs root for unshare -n (euid %d)' % os.geteuid()
  for tool in ('unshare', 'ip'):
    if shutil.which(tool) is None:
      return 'no %s command' % tool
  probe = subprocess.run(
    ['unshare', '-n', 'ip', 'link', 'set', 'lo', 'up'],
    capture_output=True,
    text=True,
  )
  if probe.returncode:
    return 'unshare -n fails: %s' % probe.stderr.strip()
  return None


def _lo_received(text):
  """The bytes received by `lo` in a copy of /proc/net/dev."""
  for line in text.splitlines():
    name, sep, counters = line.partition(':')
    if sep and name.strip() == 'lo':
      return int(counters.split()[0])
  raise AssertionError('No lo line in /proc/net/dev:\n' + text)


class NamespaceTrafficTest(tf.test.TestCase, parameterized.TestCase):
  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.problem = _namespace_problem()
    cls.tmp = tempfile.TemporaryDirectory()
    if cls.problem is None:
      cls.data_dir = os.path.join(cls.tmp.name, 'digits')
      dataset_factory.convert_dataset('digits', cls.data_dir)

  @classmethod
  def tearDownClass(cls):
    cls.tmp.cleanup()
    super().tearDownClass()

  def setUp(self):
    super().setUp()
    if self.problem:
      self.skipTest(self.problem)

  def run_cluster(self, directory, num_ps, steps, extra):
    """(lo bytes, global steps) of one cluster run in a new namespace."""
    os.makedirs(directory)
    before = os.path.join(directory, 'before')
    after = os.path.join(directory, 'after')
    launch = (
      [
        sys.executable,
        '-m',
        'utils.distributed.launch_cluster',
        '--num_ps=%d' % num_ps,
        '--num_workers=2',
        '--log_dir=' + os.path.join(directory, 'logs'),
        '--timeout=600',
        '--',
        '--train_dir=' + os.path.join(directory, 'train'),
        '--dataset_dir=' + self.data_dir,
        '--max_number_of_steps=%d' % steps,
      ]
      + _TRAIN_FLAGS
      + list(extra)
    )
    script = (
      'ip link set lo up && cat /proc/net/dev > "$1" && shift && '
      '"$@"; code=$?; cat /proc/net/dev > "%s"; exit $code' % after
    )
    env = dict(os.environ, PYTHONPATH=_ROOT, TF_CPP_MIN_LOG_LEVEL='2')
    env.pop('TF_CONFIG', None)
    result = subprocess.run(
      ['unshare', '-n', 'sh', '-c', script, 'sh', before] + launch,
      cwd=_ROOT,
      env=env,
      stdin=subprocess.DEVNULL,
      capture_output=True,
      text=True,
      timeout=900,
    )
    self.assertEqual(
      0, result.returncode, result.stdout[-3000:] + result.stderr[-3000:]
    )
    with open(before) as f:
      start = _lo_received(f.read())
    with open(after) as f:
      end = _lo_received(f.read())
    final = []
    for name in ('worker-0', 'worker-1'):
      with open(os.path.join(directory, 'logs', name + '.log')) as f:
        final += [int(s) for s in _STOPPED_RE.findall(f.read())]
    self.assertNotEmpty(final)
    return end - start, max(final)

  @parameterized.named_parameters(
    ('async_1ps', 1, 'async', []),
    ('async_2ps', 2, 'async', []),
    ('sync_1ps', 1, 'sync', ['--sync_replicas', '--replicas_to_aggregate=2']),
  )
  def test_bytes_per_global_step_match_the_plan(self, num_ps, mode, extra):
    runs = [
      self.run_cluster(
        os.path.join(self.tmp.name, '%s_%d_%d' % (mode, num_ps, steps)),
        num_ps,
        steps,
        extra,
      )
      for steps in _RUN_LENGTHS
    ]
    (bytes_short, steps_short), (bytes_long, steps_long) = runs
    self.assertGreater(steps_long, steps_short)
    measured = (bytes_long - bytes_short) / (steps_long - steps_short)
    graph_traffic = plan.build_traffic(
      'resnet_cifar_20',
      _CONFIG,
      num_ps,
      dataset_name='digits',
      dataset_dir=self.data_dir,
      sync=mode == 'sync',
    )
    rows = plan.plan(
      graph_traffic,
      [2],
      num_ps,
      1.0,
      10.0,
      _BATCH_SIZE,
      wire=plan.WireModel(plan.LOOPBACK_MTU, plan.RPC_BYTES),
    )
    planned = [r for r in rows if r.mode == mode][0].bytes_per_step
    print(
      '%s, %d ps + 2 workers: measured %.0f bytes per global step '
      '(%d bytes over %d steps - %d bytes over %d steps), planned %d (%+.1f%%)'
      % (
        mode,
        num_ps,
        measured,
        bytes_long,
        steps_long,
        bytes_short,
        steps_short,
        planned,
        100.0 * (planned - measured) / measured,
      )
    )
    self.assertBetween(
      planned, (1 - _TOLERANCE) * measured, (1 + _TOLERANCE) * measured
    )


if __name__ == '__main__':
  tf.test.main()
