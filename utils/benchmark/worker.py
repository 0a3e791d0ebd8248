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
"""Runners in worker processes, and the loop that serves them.

`make_runner` builds an implementation here or, when it declares
`own_process` or the timing asks to `isolate`, in a worker process
(`python -m utils.benchmark.worker REQUEST`) behind a `WorkerRunner`. The
worker answers with one JSON line (the runner's fields and head), then
serves 'step', 'latency' and 'profile' from its stdin until 'quit'. A
process per implementation keeps Keras 3 and TF2 away from graph mode, gives
each measurement a fresh start, and confines a crash to one measurement.

`python -m utils.benchmark.worker --convert NAME PRECISION DIRECTORY`
converts a frozen graph for an exported runtime
(`ExportedRunner._convert` of exported_runners.py).
"""

import collections
import dataclasses
import json
import os
import subprocess
import sys
import tempfile

from utils import precision
from utils.benchmark import config
from utils.benchmark import exported_runners
from utils.benchmark import machine
from utils.benchmark import registry
from utils.benchmark import runner

WORKER_TIMEOUT_SECONDS = 600


def make_runner(cls, setting, timing, latency=False):
  """`cls` built for `setting`, here or in a worker process.

  Raises:
    RuntimeError: If `cls` cannot run on this machine (what to install).
  """
  missing = cls.available()
  if missing:
    raise RuntimeError(missing)
  if cls.own_process or timing.isolate:
    return WorkerRunner(cls, setting, timing, latency)
  return cls(setting, timing, latency)


class WorkerRunner(runner.Runner):
  """A runner built and stepped in a worker process (module docstring)."""

  def __init__(self, cls, setting, timing, latency=False):
    request = {
      'implementation': cls.name,
      'setting': dataclasses.asdict(setting),
      'timing': dataclasses.asdict(timing),
      'latency': latency,
    }
    extra = dict(cls.worker_env)
    if setting.xla:
      xla = [os.environ.get('TF_XLA_FLAGS', ''), precision.CPU_GLOBAL_JIT_FLAG]
      extra['TF_XLA_FLAGS'] = ' '.join(xla).strip()
    self.what = '%s %s' % (cls.name, setting.model_name)
    self._stderr = tempfile.TemporaryFile(mode='w+')
    self._process = subprocess.Popen(
      [sys.executable, '-m', 'utils.benchmark.worker', json.dumps(request)],
      env=machine.child_env(extra, drop=['TF_USE_LEGACY_KERAS']),
      cwd=machine.ROOT,
      stdin=subprocess.PIPE,
      stdout=subprocess.PIPE,
      stderr=self._stderr,
      text=True,
      bufsize=1,
    )
    info = self._answer()
    self.fields, self.num_classes = info['fields'], info['num_classes']

  def _answer(self):
    while True:
      line = self._process.stdout.readline()
      if not line:
        self._process.wait(timeout=60)
        self._stderr.seek(0)
        raise RuntimeError(
          'The benchmark process of %s failed (%s):\n%s'
          % (
            self.what,
            machine.exit_description(self._process.returncode),
            self._stderr.read()[-4000:],
          )
        )
      if line.startswith('{'):
        return json.loads(line)

  def _send(self, command):
    try:
      self._process.stdin.write(command + '\n')
      self._process.stdin.flush()
    except BrokenPipeError:
      pass  # The worker died: _answer() reports its error output.

  def _ask(self, command):
    self._send(command)
    return self._answer()

  def step(self):
    return self._ask('step')['seconds']

  def step_latency(self):
    return self._ask('latency')['seconds']

  def profile(self):
    return collections.OrderedDict(self._ask('profile')['profile'])

  def close(self):
    if self._process.poll() is None:
      self._send('quit')
      self._process.wait(timeout=WORKER_TIMEOUT_SECONDS)
    self._stderr.close()


def serve(request, commands, answer):
  """The worker: builds the request's runner and serves its commands.

  Args:
    request: The JSON request of a `WorkerRunner`.
    commands: An iterable of lines ('step', 'latency', 'profile', 'quit'),
      e.g. sys.stdin.
    answer: A function that sends one JSON-serializable dict back.
  """
  cls = registry.get(request['implementation'])
  cls.start_process()
  built = cls(
    config.Setting.from_dict(request['setting']),
    config.Timing(**request['timing']),
    request['latency'],
  )
  answer({'fields': built.fields, 'num_classes': built.num_classes})
  actions = {
    'step': lambda: {'seconds': built.step()},
    'latency': lambda: {'seconds': built.step_latency()},
    'profile': lambda: {'profile': list(built.profile().items())},
  }
  for command in commands:
    action = actions.get(command.strip())
    if action is None:
      break
    answer(action())
  built.close()


def _convert(name, precision, directory):
  """The child of `ExportedRunner._convert`: prints the model file's path."""
  import numpy as np

  cls = registry.get(name)
  cls.start_process()
  images = np.load(os.path.join(directory, exported_runners.CALIBRATION))
  frozen_path = os.path.join(directory, exported_runners.FROZEN)
  quantize = exported_runners.QUANTIZE[precision]
  print(cls.convert(frozen_path, quantize, images, directory), flush=True)


if __name__ == '__main__':
  if sys.argv[1] == '--convert':
    _convert(*sys.argv[2:5])
  else:
    serve(
      json.loads(sys.argv[1]),
      sys.stdin,
      lambda message: print(json.dumps(message), flush=True),
    )
