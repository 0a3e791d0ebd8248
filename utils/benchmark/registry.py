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

Everything that runs them (`grid`, `worker`, `report`) reads what a class
declares and never its name. Adding a runtime is one class listed in
`RUNNERS`: for a model exported from the folded frozen graph, subclass
`exported_runners.ExportedRunner` and write its `convert`; otherwise
subclass `runner.Runner` and build whatever a step needs.
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
