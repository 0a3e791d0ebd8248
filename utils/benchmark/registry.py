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
"""The benchmark's implementations: one `runner.Runner` class each.

With a setting's `model_file`, the implementation that declares the file's
format (`model_format`) times that file instead of its own network.

Everything that runs them (`grid`, `worker`, `report`) reads what a class
declares, never its name. Adding a runtime is one class listed in
`RUNNERS`: for a model exported from the folded frozen graph, subclass
`exported_runners.ExportedRunner` and write its `convert`; otherwise
subclass `runner.Runner`.
"""

from utils import checks
from utils.benchmark import exported_runners
from utils.benchmark import graph_runners
from utils.benchmark import keras_runner
from utils.benchmark import tf2_runner

RUNNERS = {
  cls.name: cls
  for cls in (
    graph_runners.Ours,
    graph_runners.OursPlainGradients,
    graph_runners.Frozen,
    graph_runners.Folded,
    tf2_runner.TfFunction,
    tf2_runner.Eager,
    graph_runners.TfSlim,
    keras_runner.Keras,
    exported_runners.OnnxRuntime,
    exported_runners.Tflite,
    exported_runners.OpenVino,
  )
}

# Our graph: the synthetic baseline and the fixed-cost fit time it.
OURS = graph_runners.Ours


def get(name):
  """The `Runner` class of implementation `name`.

  Raises:
    ValueError: For an unknown name, listing the known ones.
  """
  return RUNNERS[checks.check_choice('implementation', name, RUNNERS)]


def runtimes():
  """The --runtime values, in registry order ('tf' first)."""
  return tuple(dict.fromkeys(cls.runtime for cls in RUNNERS.values()))


def primary(runtime):
  """The implementation that runs whenever `runtime` is selected."""
  return next(
    c for c in RUNNERS.values() if c.runtime == runtime and c.option is None
  )


def problem(cls, setting):
  """None if `cls` runs `setting`, else the message saying why not."""
  if setting.model_file is not None:
    from utils.export import exported_model

    try:
      model_format = exported_model.detect_format(setting.model_file)
    except ValueError as e:
      return str(e)
    if model_format != cls.model_format:
      timers = [
        '--runtime=%s' % c.runtime + (' --' + c.option if c.option else '')
        for c in RUNNERS.values()
        if c.model_format == model_format
      ]
      return 'model_file=%r (format %s) is not timed by the %s %s; %s' % (
        setting.model_file,
        model_format,
        cls.name,
        cls.kind,
        'time it with ' + ' or '.join(timers)
        if timers
        else 'the benchmark times .pb, .onnx, .tflite and .xml files',
      )
  owners = dict.fromkeys(
    other.runtime
    for other in RUNNERS.values()
    if other.runtime != cls.runtime and setting.precision in other.precisions
  )
  return cls.problem(setting, list(owners))


def check(cls, setting):
  """Raises ValueError with `problem(cls, setting)` if there is one."""
  message = problem(cls, setting)
  if message:
    raise ValueError(message)
