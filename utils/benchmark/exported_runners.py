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
"""The exported models' runtimes: ONNX Runtime, TFLite (LiteRT), OpenVINO.

`ExportedRunner` times a model file of export_inference_graph.py, loaded
with `exported_model.load_model` (the loader of eval_image_classifier.py
--model_file): the setting's `model_file` as it is, or else the folded
frozen graph of the network on random weights and batch-norm statistics
(`utils/export/random_graph.py`) converted by the subclass's `convert` with
the converters of `utils/export/` in the precision asked ('fp32', 'float16'
or 'int8'; int8 is calibrated on random images: other ranges than real
images give, but the same kernels, hence the same speed). A latency step
runs one image through a second instance of the model (so that TFLite's
interpreter is not resized between the two). Work per image is counted on
our network's eval graph (`model_name` at `image_size`).

The conversion runs in a short-lived child process (`python -m
utils.benchmark.worker --convert`), so that the converters' memory stays out
of the process that holds the runners of a paired run.
"""

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

from utils.benchmark import machine
from utils.benchmark import runner

# Benchmark precision -> the quantize mode of its model; bfloat16 (OpenVINO)
# runs the float32 model with bfloat16 inference precision.
QUANTIZE = {
  'fp32': 'none',
  'bfloat16': 'none',
  'float16': 'float16',
  'int8': 'int8',
}
CALIBRATION_IMAGES = 32
FROZEN, CALIBRATION = 'frozen.pb', 'calibration.npy'  # Files of the child.


def network_macs(setting, num_classes):
  """Forward conv/matmul MACs per image of our network's eval graph."""
  import tensorflow.compat.v1 as tf

  from nets import graph_stats
  from utils.benchmark import graph_runners

  size = setting.image_size
  with tf.Graph().as_default():
    logits = graph_runners.network_logits(
      setting.model_name,
      tf.zeros([1, size, size, 3]),
      num_classes,
      False,
      dict(setting.model_kwargs),
    )
    return graph_stats.count_macs(graph_stats.forward_ops(logits))


class ExportedRunner(runner.Runner):
  """One exported model in one runtime, run one step at a time."""

  kind = 'runtime'
  converts = True
  modes = ('inference',)
  precisions = ('fp32', 'float16', 'int8')
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

  precision_message = (
    'The %(name)s runtime runs precision %(precisions)s; got '
    'precision=%(precision)r'
  )
  mode_message = (
    'The %(name)s runtime runs inference without XLA; got mode=%(mode)r, '
    'xla=%(xla)r'
  )

  @classmethod
  def convert(cls, frozen_path, quantize, images, directory):
    """Writes the runtime's model of a frozen graph; returns its path.

    Args:
      frozen_path: The frozen inference graph ('input:0' -> 'logits:0').
      quantize: A quantize mode of `utils/export/deploy.py`.
      images: Calibration images for int8, float32 [N, size, size, 3].
      directory: Where to write the model (and anything on the way).
    """
    raise NotImplementedError

  def __init__(self, setting, timing, latency=False):
    from utils.export import exported_model

    size = setting.image_size
    rng = np.random.RandomState(timing.seed)
    images = rng.uniform(-1, 1, (setting.batch_size, size, size, 3))
    self._images = images.astype(np.float32)
    image = self._images[:1].copy()
    self._directory = None
    self.path = setting.model_file or self._convert(setting, timing.seed)
    self._threads = timing.intra_op or None
    self._models = [exported_model.load_model(self.path, self._threads)]
    exported_size = self._models[0].image_size
    if exported_size not in (None, size):
      self.close()
      raise ValueError(
        'model_file=%r takes %dx%d images; got image_size=%d: pass '
        '--image_size=%d'
        % (self.path, exported_size, exported_size, size, exported_size)
      )
    self.num_classes = self._models[0].num_classes
    if latency:  # A second session for single images.
      self._models.append(exported_model.load_model(self.path, self._threads))
      self._run_one = lambda: self._models[1].run(image)
      self._run_one()  # Allocates and plans (untimed).
    self._run = lambda: self._models[0].run(self._images)
    self._run()  # Allocates and plans (untimed).
    macs = network_macs(setting, self.num_classes)
    self.fields = runner.graphless_fields(macs / 1e9)
    self.fields['runtime'] = self._models[0].runtime
    self.fields['model_bytes'] = os.path.getsize(self.path)

  def _convert(self, setting, seed):
    """Our network on random weights, written by this runtime's `convert`
    in a child process (`worker.py --convert`); the model's path."""
    from utils.export import random_graph

    size = setting.image_size
    graph_def = random_graph.frozen_graph_def(
      setting.model_name,
      size,
      runner.head_classes(setting),
      model_kwargs=dict(setting.model_kwargs),
      seed=seed,
    )
    self._directory = tempfile.mkdtemp(prefix='benchmark_%s_' % self.name)
    with open(os.path.join(self._directory, FROZEN), 'wb') as f:
      f.write(graph_def.SerializeToString())
    shape = (CALIBRATION_IMAGES, size, size, 3)
    calibration = np.random.RandomState(seed).uniform(-1, 1, shape)
    np.save(
      os.path.join(self._directory, CALIBRATION), calibration.astype(np.float32)
    )
    proc = subprocess.run(
      [sys.executable, '-m', 'utils.benchmark.worker', '--convert']
      + [self.name, setting.precision, self._directory],
      env=machine.child_env(),
      cwd=machine.ROOT,
      capture_output=True,
      text=True,
      check=False,
    )
    if proc.returncode:
      shutil.rmtree(self._directory, ignore_errors=True)
      raise RuntimeError(
        'Converting the model for %s %s failed (%s):\n%s'
        % (
          self.name,
          setting.precision,
          machine.exit_description(proc.returncode),
          proc.stderr[-4000:],
        )
      )
    return proc.stdout.strip().splitlines()[-1]

  def close(self):
    for model in self._models:
      model.close()
    if self._directory:
      shutil.rmtree(self._directory, ignore_errors=True)


class OnnxRuntime(ExportedRunner):
  name = runtime = 'onnxruntime'
  model_format = 'onnx'

  @classmethod
  def convert(cls, frozen_path, quantize, images, directory):
    from utils.export import export_lib
    from utils.export import onnx_export

    graph_def = export_lib.read_graph_def(frozen_path)
    model = onnx_export.convert(graph_def, quantize, images)
    path = os.path.join(directory, 'model.onnx')
    with open(path, 'wb') as f:
      f.write(model.SerializeToString())
    return path

  def profile(self, num_runs=3):
    """Time per operator type of `num_runs` batches, by ONNX Runtime's own
    profiler in a separate session (op type -> seconds per run, largest
    first, and '(total)')."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.enable_profiling = True
    if self._threads:
      options.intra_op_num_threads = self._threads
    with tempfile.TemporaryDirectory() as directory:
      options.profile_file_prefix = os.path.join(directory, 'profile')
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
    return runner.top_profile(seconds, num_runs)


class Tflite(ExportedRunner):
  """TFLite has no Python API for a per-op profile."""

  name = runtime = model_format = 'tflite'
  profiles = False

  @classmethod
  def convert(cls, frozen_path, quantize, images, directory):
    import tensorflow.compat.v1 as tf

    from utils.export import export_lib
    from utils.export import tflite_export

    saved = os.path.join(directory, 'saved_model')
    with tf.Graph().as_default() as graph:
      tf.import_graph_def(export_lib.read_graph_def(frozen_path), name='')
      tensors = {
        n: graph.get_tensor_by_name(n + ':0') for n in ('input', 'logits')
      }
      with tf.Session(graph=graph) as session:
        export_lib.write_saved_model(session, saved, tensors)
    path = os.path.join(directory, 'model.tflite')
    with open(path, 'wb') as f:
      f.write(tflite_export.saved_model_to_tflite(saved, quantize, images))
    return path


class OpenVino(ExportedRunner):
  """OpenVINO's CPU plugin: batches with the throughput hint, spread over
  its asynchronous infer requests (one sub-batch each, so every stream
  works); single images with the latency hint. Inference precision f32,
  whatever the plugin's default on the CPU, except for bfloat16: the
  float32 model with inference precision bf16 (on CPUs whose plugin lists
  BF16; elsewhere the plugin computes in f32). The result's
  'inference_precision' field is what the compiled model reports."""

  name = runtime = model_format = 'openvino'
  precisions = ('fp32', 'bfloat16', 'float16', 'int8')
  profiles = False

  @classmethod
  def computes_in(cls, precision):
    if precision != 'bfloat16':
      return True
    import openvino as ov

    capabilities = ov.Core().get_property('CPU', 'OPTIMIZATION_CAPABILITIES')
    return 'BF16' in capabilities

  @classmethod
  def convert(cls, frozen_path, quantize, images, directory):
    from utils.export import openvino_export

    model, compress = openvino_export.convert(frozen_path, quantize, images)
    path = os.path.join(directory, 'model.xml')
    openvino_export.save(model, path, compress)
    return path

  def __init__(self, setting, timing, latency=False):
    super(OpenVino, self).__init__(setting, timing, latency)
    import openvino as ov

    from utils.export import exported_model

    config = {
      'PERFORMANCE_HINT': 'THROUGHPUT',
      # float16 and int8 IRs compute in f32 (int8 kernels where quantized).
      'INFERENCE_PRECISION_HINT': exported_model.OPENVINO_PRECISION_HINTS.get(
        setting.precision, 'f32'
      ),
    }
    if self._threads:
      config['INFERENCE_NUM_THREADS'] = self._threads
    compiled = ov.Core().compile_model(self.path, 'CPU', config)
    self.fields['inference_precision'] = compiled.get_property(
      'INFERENCE_PRECISION_HINT'
    ).get_type_name()  # 'f32' or 'bf16'
    requests = compiled.get_property('OPTIMAL_NUMBER_OF_INFER_REQUESTS')
    queue = ov.AsyncInferQueue(compiled, max(1, int(requests)))
    chunks = [c for c in np.array_split(self._images, len(queue)) if len(c)]
    self.fields['infer_requests'] = len(chunks)
    # The weights are in the .bin beside the .xml.
    self.fields['model_bytes'] += os.path.getsize(self.path[:-4] + '.bin')

    def run_queue():
      for chunk in chunks:
        queue.start_async({0: chunk})
      queue.wait_all()

    self._run = run_queue
    self._run()  # Allocates and plans (untimed).
