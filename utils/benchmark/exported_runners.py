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
"""Benchmark runners of exported models: ONNX Runtime and TFLite (LiteRT).

`ExportedRunner` times what export_inference_graph.py serves: the folded
frozen graph of the network on random weights with random batch-norm
statistics (`runners._frozen_graph_def`, the 'folded' implementation's
graph), converted as `utils/export/deploy.py` converts a checkpoint
(`onnx_export` for 'onnxruntime', the SavedModel through `tflite_export` for
'tflite') in the precision asked ('fp32', 'float16' or 'int8'; int8 is
calibrated on random images, which sets other ranges than real images would
but the same kernels, hence the same speed), and loaded through
`exported_model.load_model`, the loader of eval_image_classifier.py
--model_file. A step runs a synthetic batch through it; a latency step runs
one image through a second instance of the model (so that TFLite's
interpreter is not resized between the two). Work per image is counted on
the frozen graph (the conversions keep every convolution).

The conversion runs in a short-lived child process (`python -m
utils.benchmark.exported_runners`): tf2onnx alone takes resnet_v1_50's
process from 1.3 to 5.5 GB, which a process keeps once allocated, and a
paired run holds several runners at once.
"""

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

# Benchmark precision -> export quantize mode.
QUANTIZE = {'fp32': 'none', 'float16': 'float16', 'int8': 'int8'}
PRECISIONS = tuple(QUANTIZE)
RUNTIMES = ('onnxruntime', 'tflite')
CALIBRATION_IMAGES = 32


def _graph_macs(graph_def, image_size):
  """Forward conv/matmul MACs per image of a frozen inference graph."""
  import tensorflow.compat.v1 as tf

  from nets import graph_stats

  with tf.Graph().as_default():
    (logits,) = tf.import_graph_def(
      graph_def,
      {'input:0': tf.zeros([1, image_size, image_size, 3])},
      ['logits:0'],
      name='',
    )
    return graph_stats.count_macs(graph_stats.forward_ops(logits))


def _saved_model(graph_def, directory):
  """Writes a frozen inference graph as a SavedModel (no variables)."""
  import tensorflow.compat.v1 as tf

  from utils.export import export_lib

  with tf.Graph().as_default() as graph:
    tf.import_graph_def(graph_def, name='')
    with tf.Session(graph=graph) as session:
      export_lib.write_saved_model(
        session,
        directory,
        {
          'input': graph.get_tensor_by_name('input:0'),
          'logits': graph.get_tensor_by_name('logits:0'),
        },
      )


def convert(implementation, graph_def, precision_name, images, directory):
  """Converts a frozen graph for a runtime; returns the model file's path."""
  quantize = QUANTIZE[precision_name]
  if implementation == 'onnxruntime':
    from utils.export import onnx_export

    model = onnx_export.convert(graph_def, quantize, images)
    path = os.path.join(directory, 'model.onnx')
    with open(path, 'wb') as f:
      f.write(model.SerializeToString())
    return path
  from utils.export import tflite_export

  saved = os.path.join(directory, 'saved_model')
  _saved_model(graph_def, saved)
  path = os.path.join(directory, 'model.tflite')
  with open(path, 'wb') as f:
    f.write(tflite_export.saved_model_to_tflite(saved, quantize, images))
  return path


def convert_in_child(
  implementation, graph_def, precision_name, images, directory
):
  """`convert` in a child process (see the module docstring)."""
  graph_path = os.path.join(directory, 'frozen.pb')
  with open(graph_path, 'wb') as f:
    f.write(graph_def.SerializeToString())
  np.save(os.path.join(directory, 'calibration.npy'), images)
  root = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
  )
  env = dict(
    os.environ,
    PYTHONPATH=os.pathsep.join(
      [root] + [p for p in [os.environ.get('PYTHONPATH')] if p]
    ),
  )
  proc = subprocess.run(
    [
      sys.executable,
      '-m',
      'utils.benchmark.exported_runners',
      implementation,
      precision_name,
      directory,
    ],
    env=env,
    cwd=root,
    capture_output=True,
    text=True,
    check=False,
  )
  if proc.returncode:
    raise RuntimeError(
      'Converting the model for %s %s failed (exit %s):\n%s'
      % (implementation, precision_name, proc.returncode, proc.stderr[-4000:])
    )
  return proc.stdout.strip().splitlines()[-1]


def _convert_main(implementation, precision_name, directory):
  """The child of `convert_in_child`: prints the model file's path."""
  import tensorflow.compat.v1 as tf

  from nets import tf_compat

  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)
  graph_def = tf.GraphDef()
  with open(os.path.join(directory, 'frozen.pb'), 'rb') as f:
    graph_def.ParseFromString(f.read())
  images = np.load(os.path.join(directory, 'calibration.npy'))
  print(
    convert(implementation, graph_def, precision_name, images, directory),
    flush=True,
  )


class ExportedRunner(object):
  """One exported model in one runtime, run one step at a time."""

  def __init__(
    self,
    implementation,
    model_name,
    precision_name,
    batch_size,
    image_size,
    num_classes=None,
    model_kwargs=None,
    intra_op=None,
    seed=0,
    latency=False,
  ):
    from nets import nets_factory
    from utils.benchmark import runners
    from utils.export import exported_model

    if implementation not in RUNTIMES:
      raise ValueError(
        'implementation must be one of %s; got %r'
        % (', '.join(RUNTIMES), implementation)
      )
    if precision_name not in QUANTIZE:
      raise ValueError(
        '%s runs precision %s; got precision=%r'
        % (implementation, ', '.join(PRECISIONS), precision_name)
      )
    spec = nets_factory.get_spec(model_name)
    self.num_classes = num_classes or spec.params_num_classes
    graph_def = runners._frozen_graph_def(
      model_name,
      None,
      image_size,
      self.num_classes,
      dict(model_kwargs or {}),
      seed,
      fold=True,
    )
    self.macs_per_image = _graph_macs(graph_def, image_size)
    rng = np.random.RandomState(seed)
    shape = (image_size, image_size, 3)
    self._images = rng.uniform(-1, 1, (batch_size,) + shape).astype(np.float32)
    self._image = self._images[:1].copy()
    self._directory = tempfile.mkdtemp(prefix='benchmark_%s_' % implementation)
    calibration = rng.uniform(-1, 1, (CALIBRATION_IMAGES,) + shape).astype(
      np.float32
    )
    self.path = convert_in_child(
      implementation, graph_def, precision_name, calibration, self._directory
    )
    self.model_bytes = os.path.getsize(self.path)
    self._intra_op = intra_op or None
    self._model = exported_model.load_model(self.path, self._intra_op)
    # With `latency`: a second session for single images (`step_latency`).
    self._single = None
    if latency:
      self._single = exported_model.load_model(self.path, self._intra_op)
      self._single.run(self._image)  # Allocates and plans (untimed).
    self.runtime = self._model.runtime
    self._model.run(self._images)  # Allocates and plans (untimed).

  def step(self):
    """Runs the batch once; returns its wall time in seconds."""
    start = time.perf_counter()
    self._model.run(self._images)
    return time.perf_counter() - start

  def step_latency(self):
    """Runs one image; returns its wall time in seconds."""
    if self._single is None:
      raise ValueError(
        'Batch-1 latency is measured by a runner built with latency=True'
      )
    start = time.perf_counter()
    self._single.run(self._image)
    return time.perf_counter() - start

  def profile(self, num_runs=3):
    """Time per operator type of `num_runs` batches (ONNX Runtime only).

    ONNX Runtime's own profiler (`SessionOptions.enable_profiling`) in a
    separate session; the TFLite interpreter has no such Python API, so for
    'tflite' this is empty.

    Returns:
      An ordered dict op type -> seconds per run, largest first, plus
      '(total)'.
    """
    profile = collections.OrderedDict()
    if self.runtime != 'onnxruntime':
      return profile
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.enable_profiling = True
    options.profile_file_prefix = os.path.join(self._directory, 'profile')
    if self._intra_op:
      options.intra_op_num_threads = self._intra_op
    session = onnxruntime.InferenceSession(
      self.path, options, providers=['CPUExecutionProvider']
    )
    name = session.get_inputs()[0].name
    for _ in range(num_runs + 1):  # The first run warms up, not counted.
      session.run(None, {name: self._images})
    with open(session.end_profiling()) as f:
      events = json.load(f)
    runs = sorted(e['ts'] for e in events if e.get('name') == 'model_run')
    counted_from = runs[1] if len(runs) > 1 else 0
    seconds = collections.Counter()
    for event in events:
      # Kernel events: 'cat': 'Node', name '<node>_kernel_time', and the
      # operator type in args.op_name; microseconds.
      if (
        event.get('cat') == 'Node'
        and event.get('name', '').endswith('_kernel_time')
        and event['ts'] >= counted_from
      ):
        seconds[event['args'].get('op_name', '?')] += event['dur'] / 1e6
    for op_type, total in seconds.most_common(12):
      profile[op_type] = total / num_runs
    profile['(total)'] = sum(seconds.values()) / num_runs
    return profile

  def close(self):
    self._model.close()
    if self._single is not None:
      self._single.close()
    shutil.rmtree(self._directory, ignore_errors=True)

  def result_fields(self, batch_size):
    del batch_size  # MACs are counted per image.
    return {
      'gmacs_per_image': self.macs_per_image / 1e9,
      'bfloat16_conv_fraction': None,
      'xla_clusters': None,
      'conv_ops': None,
      'runtime': self.runtime,
      'model_bytes': self.model_bytes,
    }


if __name__ == '__main__':
  _convert_main(*sys.argv[1:4])
