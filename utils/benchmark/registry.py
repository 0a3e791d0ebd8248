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

  ours         our graph (graph_runners.py)
  ours_plain   its training step with TensorFlow's own convolution
               gradients (--compare_gradients)
  frozen       our eval graph frozen, inference (--folded_bn)
  folded       the same with batch norm folded: the export (--folded_bn)
  tf_function  our network as a TF2 layer in a tf.function (--tf2)
  eager        the same, op by op (--tf2)
  tf_slim      the pip tf_slim reference (--compare)
  keras        the keras.applications reference (--compare)
  onnxruntime  the exported ONNX model (--runtime=onnxruntime)
  tflite       the exported TFLite model (--runtime=tflite)
  openvino     the exported OpenVINO IR (--runtime=openvino)

Everything that runs them (`benchmark_lib`, `grid`, `worker`, `report`)
reads what a class declares (modes, precisions, XLA, real data, batch-1
latency, profile, its own process, the ratios it reports) and never its
name.

Adding a runtime is one class: subclass `exported_runners.ExportedRunner`
(a model exported from the folded frozen graph, inference on synthetic
images), set `name` and `runtime` to the new --runtime value, `precisions`
to those it runs, write `convert(graph_def, precision, images, directory)`
to write its model file, and, when `exported_model.load_model` does not
load that file, override `__init__`/`step`/`step_latency` (or subclass
`runner.Runner` directly and build whatever a step needs). Set `latency`
and `profiles` to what it can time and trace (`profile()`), `own_process`
if it must never share a process with TensorFlow's graph mode (and
`worker_env` for that process), and `baselines` for the ratios the report
prints. Then list the class in `RUNNERS` below: --runtime, the grid, the
paired runs, the worker processes, the table and the JSON lines take it
from there.
"""

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


def names():
  """The implementations' names, in the order results are listed."""
  return tuple(RUNNERS)


def get(name):
  """The `Runner` class of implementation `name`.

  Raises:
    ValueError: For an unknown name, listing the known ones.
  """
  if name not in RUNNERS:
    raise ValueError(
      'implementation must be one of %s; got implementation=%r'
      % (', '.join(RUNNERS), name)
    )
  return RUNNERS[name]


def runtimes():
  """The --runtime values, in registry order ('tf' first)."""
  return tuple(dict.fromkeys(cls.runtime for cls in RUNNERS.values()))


def primary(runtime):
  """The implementation that runs whenever `runtime` is selected."""
  return next(
    cls
    for cls in RUNNERS.values()
    if cls.runtime == runtime and cls.option is None
  )


def problem(cls, setting):
  """None if `cls` runs `setting`, else the message saying why not."""
  owners = [
    runtime
    for runtime in runtimes()
    if runtime != cls.runtime
    and any(
      setting.precision in other.precisions
      for other in RUNNERS.values()
      if other.runtime == runtime
    )
  ]
  return cls.problem(setting, owners)


def check(cls, setting):
  """Raises ValueError with `problem(cls, setting)` if there is one."""
  message = problem(cls, setting)
  if message:
    raise ValueError(message)
