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
"""The exported models' runtimes: ONNX Runtime and TFLite (LiteRT).

`ExportedRunner` times what export_inference_graph.py serves: the folded
frozen graph of the network on random weights with random batch-norm
statistics (`utils/export/random_graph.py`, the 'folded' implementation's
graph), converted as `utils/export/deploy.py` converts a checkpoint (the
subclass's `convert`) in the precision asked ('fp32', 'float16' or 'int8';
int8 is calibrated on random images, which sets other ranges than real
images would but the same kernels, hence the same speed), and loaded
through `exported_model.load_model`, the loader of eval_image_classifier.py
--model_file. A step runs a synthetic batch through it; a latency step runs
one image through a second instance of the model (so that TFLite's
interpreter is not resized between the two). Work per image is counted on
the frozen graph (the conversions keep every convolution).

The conversion runs in a short-lived child process (`python -m
utils.benchmark.worker --convert`): tf2onnx alone takes resnet_v1_50's
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

from utils.benchmark import runner

# Benchmark precision -> export quantize mode.
QUANTIZE = {'fp32': 'none', 'float16': 'float16', 'int8': 'int8'}
CALIBRATION_IMAGES = 32


def graph_macs(graph_def, image_size):
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


def convert_in_child(name, graph_def, precision, images, directory):
  """`convert` of runtime `name` in a child process; the model's path."""
  with open(os.path.join(directory, 'frozen.pb'), 'wb') as f:
    f.write(graph_def.SerializeToString())
  np.save(os.path.join(directory, 'calibration.npy'), images)
  proc = subprocess.run(
    [sys.executable, '-m', 'utils.benchmark.worker', '--convert']
    + [name, precision, directory],
    env=runner.child_env(),
    cwd=runner.ROOT,
    capture_output=True,
    text=True,
    check=False,
  )
  if proc.returncode:
    raise RuntimeError(
      'Converting the model for %s %s failed (exit %s):\n%s'
      % (name, precision, proc.returncode, proc.stderr[-4000:])
    )
  return proc.stdout.strip().splitlines()[-1]


class ExportedRunner(runner.Runner):
  """One exported model in one runtime, run one step at a time."""

  kind = 'runtime'
  modes = ('inference',)
  precisions = tuple(QUANTIZE)
  xla = False
  real_data = False
  baselines = (
    runner.Baseline(
      'ours', '%(implementation)s %(precision)s / ours fp32', True, True
    ),
  )

  @classmethod
  def start_process(cls):
    runner.enable_graph_mode()

  @classmethod
  def precision_problem(cls, setting, owners):
    return 'The %s runtime runs precision %s; got precision=%r' % (
      cls.name,
      ', '.join(cls.precisions),
      setting.precision,
    )

  @classmethod
  def mode_problem(cls, setting):
    return 'The %s runtime runs inference without XLA; got mode=%r, xla=%r' % (
      cls.name,
      setting.mode,
      setting.xla,
    )

  @classmethod
  def convert(cls, graph_def, precision, images, directory):
    """Writes the runtime's model of a frozen graph; returns its path.

    Args:
      graph_def: The frozen inference graph ('input:0' -> 'logits:0').
      precision: One of `precisions`.
      images: Calibration images for int8, float32 [N, size, size, 3].
      directory: Where to write the model (and anything on the way).
    """
    raise NotImplementedError

  def __init__(self, setting, timing, latency=False):
    from utils.export import exported_model
    from utils.export import random_graph

    self.num_classes = runner.head_classes(setting)
    size = setting.image_size
    graph_def = random_graph.frozen_graph_def(
      setting.model_name,
      size,
      self.num_classes,
      model_kwargs=dict(setting.model_kwargs),
      seed=timing.seed,
    )
    rng = np.random.RandomState(timing.seed)
    shape = (size, size, 3)
    self._images = rng.uniform(-1, 1, (setting.batch_size,) + shape).astype(
      np.float32
    )
    self._image = self._images[:1].copy()
    self._directory = tempfile.mkdtemp(prefix='benchmark_%s_' % self.name)
    calibration = rng.uniform(-1, 1, (CALIBRATION_IMAGES,) + shape)
    self.path = convert_in_child(
      self.name,
      graph_def,
      setting.precision,
      calibration.astype(np.float32),
      self._directory,
    )
    self._threads = timing.intra_op or None
    self._model = exported_model.load_model(self.path, self._threads)
    self._single = None
    if latency:  # A second session for single images.
      self._single = exported_model.load_model(self.path, self._threads)
      self._single.run(self._image)  # Allocates and plans (untimed).
    self._model.run(self._images)  # Allocates and plans (untimed).
    self.fields = {
      'gmacs_per_image': graph_macs(graph_def, size) / 1e9,
      'bfloat16_conv_fraction': None,
      'xla_clusters': None,
      'conv_ops': None,
      'runtime': self._model.runtime,
      'model_bytes': os.path.getsize(self.path),
    }

  @staticmethod
  def _timed(model, images):
    start = time.perf_counter()
    model.run(images)
    return time.perf_counter() - start

  def step(self):
    return self._timed(self._model, self._images)

  def step_latency(self):
    if self._single is None:
      raise ValueError(
        'Batch-1 latency is measured by a runner built with latency=True'
      )
    return self._timed(self._single, self._image)

  def close(self):
    self._model.close()
    if self._single is not None:
      self._single.close()
    shutil.rmtree(self._directory, ignore_errors=True)


class OnnxRuntime(ExportedRunner):
  name = runtime = 'onnxruntime'

  @classmethod
  def convert(cls, graph_def, precision, images, directory):
    from utils.export import onnx_export

    model = onnx_export.convert(graph_def, QUANTIZE[precision], images)
    path = os.path.join(directory, 'model.onnx')
    with open(path, 'wb') as f:
      f.write(model.SerializeToString())
    return path

  def profile(self, num_runs=3):
    """Time per operator type of `num_runs` batches.

    ONNX Runtime's own profiler (`SessionOptions.enable_profiling`) in a
    separate session.

    Returns:
      An ordered dict op type -> seconds per run, largest first, plus
      '(total)'.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.enable_profiling = True
    options.profile_file_prefix = os.path.join(self._directory, 'profile')
    if self._threads:
      options.intra_op_num_threads = self._threads
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
    profile = collections.OrderedDict(
      (op_type, total / num_runs) for op_type, total in seconds.most_common(12)
    )
    profile['(total)'] = sum(seconds.values()) / num_runs
    return profile


class Tflite(ExportedRunner):
  """TFLite has no Python API for a per-op profile."""

  name = runtime = 'tflite'
  profiles = False

  @classmethod
  def convert(cls, graph_def, precision, images, directory):
    import tensorflow.compat.v1 as tf

    from utils.export import export_lib
    from utils.export import tflite_export

    saved = os.path.join(directory, 'saved_model')
    with tf.Graph().as_default() as graph:
      tf.import_graph_def(graph_def, name='')
      with tf.Session(graph=graph) as session:
        export_lib.write_saved_model(
          session,
          saved,
          {
            'input': graph.get_tensor_by_name('input:0'),
            'logits': graph.get_tensor_by_name('logits:0'),
          },
        )
    path = os.path.join(directory, 'model.tflite')
    with open(path, 'wb') as f:
      f.write(
        tflite_export.saved_model_to_tflite(saved, QUANTIZE[precision], images)
      )
    return path
