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
"""Exported models behind one interface, whatever their runtime.

`load_model(path)` recognizes what export_inference_graph.py writes and
returns an `ExportedModel` whose `run(images)` maps float32 NHWC images to
logits [n, num_classes] as numpy arrays:

  path                      format         runtime
  *.pb                      'frozen'       TensorFlow (a GraphDef session)
  directory (saved_model.pb) 'saved_model'  TensorFlow (the SavedModel loader)
  *.onnx                    'onnx'         ONNX Runtime (CPU provider)
  *.tflite                  'tflite'       LiteRT (XNNPACK on CPU)
  *.xml (+ its .bin)        'openvino'     OpenVINO (CPU plugin)

The logits are the output named 'logits'; a model with a single output
(e.g. only probabilities) has that one used instead, which gives the same
top-k. A model with a fixed batch size is fed in chunks of that size (the
last padded). TFLite models with integer inputs or outputs are quantized and
dequantized with their own parameters.

The TFLite interpreter is LiteRT's (`ai_edge_litert`, the `deploy` extra):
TensorFlow 2.21's `tf.lite.Interpreter` still works but warns on every use
that it is deprecated and will be deleted, pointing to ai_edge_litert; it is
the fallback when ai_edge_litert is not installed. Both apply the XNNPACK
delegate by default on CPUs.

`precision` chooses the arithmetic where the runtime offers a choice:
'fp32', or 'bfloat16' for TensorFlow's graphs (oneDNN's auto mixed
precision, `utils/precision.py`) and for OpenVINO (its CPU plugin's bf16
inference precision; f32 otherwise, whatever the plugin's default for the
CPU). ONNX and TFLite models run in the precision they were exported in.

Anything else at `path` is a `ValueError` that names the path and what it
is not.
"""

import os
import warnings

import numpy as np

from utils import checks

FORMATS = ('frozen', 'saved_model', 'onnx', 'tflite', 'openvino')
_EXTENSIONS = {
  '.pb': 'frozen',
  '.onnx': 'onnx',
  '.tflite': 'tflite',
  '.xml': 'openvino',
}
_LOGITS = 'logits'


def detect_format(path):
  """The format of the exported model at `path` (see the module docstring).

  Raises:
    ValueError: If nothing is at `path`, a directory has no saved_model.pb,
      or a file's extension is none of .pb, .onnx, .tflite.
  """
  if not path or not os.path.exists(path):
    raise ValueError('No exported model at model_file=%r' % (path,))
  if os.path.isdir(path):
    if not any(
      os.path.isfile(os.path.join(path, name))
      for name in ('saved_model.pb', 'saved_model.pbtxt')
    ):
      raise ValueError(
        'model_file=%r is a directory without saved_model.pb: '
        'not a SavedModel' % (path,)
      )
    return 'saved_model'
  extension = os.path.splitext(path)[1].lower()
  if extension not in _EXTENSIONS:
    raise ValueError(
      'Unknown kind of model file model_file=%r: expected a '
      '.pb frozen graph, a SavedModel directory, a .onnx, a '
      '.tflite or an OpenVINO .xml file' % (path,)
    )
  return _EXTENSIONS[extension]


def load_model(path, num_threads=None, precision='fp32'):
  """Loads the exported model at `path` (see the module docstring).

  Args:
    path: A .pb, .onnx, .tflite or .xml file or a SavedModel directory.
    num_threads: Threads of the runtime's operator pool; None: its default.
    precision: 'fp32' or 'bfloat16' (TensorFlow and OpenVINO models only).

  Returns:
    An `ExportedModel`.

  Raises:
    ValueError: If `path` is not such a model, naming it, or its runtime
      has no `precision`.
  """
  checks.check_int('num_threads', num_threads, 1, allow_none=True)
  model_format = detect_format(path)
  cls = {
    'frozen': _FrozenModel,
    'saved_model': _SavedModel,
    'onnx': _OnnxModel,
    'tflite': _TfliteModel,
    'openvino': _OpenVinoModel,
  }[model_format]
  if precision not in cls.precisions:
    raise ValueError(
      'precision=%r is not available for the %s model model_file=%r; '
      'its precisions: %s (bfloat16 runs TensorFlow and OpenVINO models)'
      % (precision, model_format, path, ', '.join(cls.precisions))
    )
  if precision == 'fp32':
    return cls(path, num_threads)
  return cls(path, num_threads, precision=precision)


def _pick_output(names, path):
  if _LOGITS in names:
    return _LOGITS
  if len(names) == 1:
    return names[0]
  raise ValueError(
    'model_file=%r has no output named %r and several outputs '
    '(%s): which one holds the logits is unknown'
    % (path, _LOGITS, ', '.join(names))
  )


def _dimension(value):
  """None for a dynamic dimension (None, -1, 0 or a symbolic name)."""
  if isinstance(value, (int, np.integer)) and value > 0:
    return int(value)
  return None


class ExportedModel(object):
  """An exported model: `run(images)` -> logits.

  Attributes:
    path, format: Where it was loaded from and its `FORMATS` entry.
    runtime: 'tensorflow', 'onnxruntime' or the TFLite interpreter's module.
    input_shape: [batch, height, width, channels], None where dynamic.
    num_classes: The logits' last dimension.
  """

  format = None
  runtime = None
  precisions = ('fp32',)

  def __init__(self, path):
    self.path = path
    self.input_shape = None
    self.num_classes = None

  @property
  def image_size(self):
    """The input's height (== width for our exports), or None if dynamic."""
    return self.input_shape[1]

  def run(self, images):
    """float32 images [n, h, w, c] -> float32 logits [n, num_classes]."""
    images = np.asarray(images, np.float32)
    expected = self.input_shape
    if images.ndim != 4 or any(
      want is not None and got != want
      for got, want in zip(images.shape[1:], expected[1:])
    ):
      raise ValueError(
        'model_file=%r takes images of shape %s; got %s'
        % (self.path, expected, list(images.shape))
      )
    batch = expected[0]
    if batch is None or len(images) == batch:
      return np.asarray(self._run(images), np.float32)
    outputs = []
    for start in range(0, len(images), batch):
      chunk = images[start : start + batch]
      count = len(chunk)
      if count < batch:  # Pad the last chunk, keep its rows only.
        chunk = np.concatenate(
          [chunk, np.zeros((batch - count,) + chunk.shape[1:], chunk.dtype)]
        )
      outputs.append(np.asarray(self._run(chunk), np.float32)[:count])
    return np.concatenate(outputs)

  def _run(self, images):
    raise NotImplementedError

  def close(self):
    pass

  def __enter__(self):
    return self

  def __exit__(self, *unused):
    self.close()


class _TensorFlowModel(ExportedModel):
  """A frozen graph or SavedModel in its own graph and session."""

  runtime = 'tensorflow'
  precisions = ('fp32', 'bfloat16')

  def _session_for(self, graph, num_threads, precision):
    import tensorflow.compat.v1 as tf

    from utils import precision as precisions

    config = precisions.session_config(precision, intra_op=num_threads)
    self._session = tf.Session(graph=graph, config=config)
    return self._session

  def _set_tensors(self, input_tensor, logits):
    self._input = input_tensor
    self._logits = logits
    self.input_shape = [_dimension(d) for d in input_tensor.shape.as_list()]
    self.num_classes = _dimension(logits.shape.as_list()[-1])

  def _run(self, images):
    return self._session.run(self._logits, {self._input: images})

  def close(self):
    self._session.close()


class _FrozenModel(_TensorFlowModel):
  format = 'frozen'

  def __init__(self, path, num_threads=None, precision='fp32'):
    super(_FrozenModel, self).__init__(path)
    from google.protobuf import message
    import tensorflow.compat.v1 as tf

    graph_def = tf.GraphDef()
    with open(path, 'rb') as f:
      data = f.read()
    try:
      graph_def.ParseFromString(data)
    except message.DecodeError as e:
      raise ValueError(
        'model_file=%r is not a frozen GraphDef (%s)' % (path, e)
      ) from e
    nodes = {node.name: node for node in graph_def.node}
    if 'input' not in nodes or not nodes:
      raise ValueError(
        'model_file=%r is not an inference graph of '
        'export_inference_graph.py: it has no node named '
        "'input' (%d nodes)" % (path, len(nodes))
      )
    output = _pick_output(
      [n for n in ('logits', 'predictions') if n in nodes]
      or [name for name in nodes if name != 'input'][-1:],
      path,
    )
    with tf.Graph().as_default() as graph:
      tf.import_graph_def(graph_def, name='')
    self._session_for(graph, num_threads, precision)
    self._set_tensors(
      graph.get_tensor_by_name('input:0'),
      graph.get_tensor_by_name(output + ':0'),
    )


class _SavedModel(_TensorFlowModel):
  format = 'saved_model'

  def __init__(self, path, num_threads=None, precision='fp32'):
    super(_SavedModel, self).__init__(path)
    import tensorflow.compat.v1 as tf

    graph = tf.Graph()
    session = self._session_for(graph, num_threads, precision)
    try:
      meta = tf.saved_model.loader.load(session, [tf.saved_model.SERVING], path)
    except (RuntimeError, ValueError, OSError, tf.errors.OpError) as e:
      session.close()
      raise ValueError(
        'model_file=%r is not a serving SavedModel (%s)'
        % (path, str(e).splitlines()[0])
      ) from e
    signature = meta.signature_def.get('serving_default')
    if signature is None or len(signature.inputs) != 1:
      session.close()
      raise ValueError(
        'SavedModel model_file=%r has no serving_default '
        'signature with one input' % (path,)
      )
    (input_info,) = signature.inputs.values()
    output = _pick_output(sorted(signature.outputs), path)
    self._set_tensors(
      graph.get_tensor_by_name(input_info.name),
      graph.get_tensor_by_name(signature.outputs[output].name),
    )


class _OnnxModel(ExportedModel):
  format = 'onnx'
  runtime = 'onnxruntime'

  def __init__(self, path, num_threads=None):
    super(_OnnxModel, self).__init__(path)
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if num_threads:
      options.intra_op_num_threads = num_threads
    try:
      self._session = onnxruntime.InferenceSession(
        path, options, providers=['CPUExecutionProvider']
      )
    except Exception as e:  # ORT raises its own exception types.
      raise ValueError(
        'model_file=%r is not an ONNX model that ONNX Runtime '
        'can load (%s)' % (path, str(e).splitlines()[0])
      ) from e
    inputs = self._session.get_inputs()
    if len(inputs) != 1:
      raise ValueError(
        'model_file=%r has %d inputs; an image classifier has '
        'one' % (path, len(inputs))
      )
    self._input_name = inputs[0].name
    self.input_shape = [_dimension(d) for d in inputs[0].shape]
    self._output = _pick_output(
      [o.name for o in self._session.get_outputs()], path
    )
    shape = {o.name: o.shape for o in self._session.get_outputs()}[self._output]
    self.num_classes = _dimension(shape[-1])

  def _run(self, images):
    return self._session.run([self._output], {self._input_name: images})[0]


# Precision -> OpenVINO's INFERENCE_PRECISION_HINT for a float32 IR.
OPENVINO_PRECISION_HINTS = {'fp32': 'f32', 'bfloat16': 'bf16'}


class _OpenVinoModel(ExportedModel):
  """An OpenVINO IR compiled for the CPU with the latency hint."""

  format = 'openvino'
  runtime = 'openvino'
  precisions = tuple(OPENVINO_PRECISION_HINTS)

  def __init__(self, path, num_threads=None, precision='fp32'):
    super(_OpenVinoModel, self).__init__(path)
    import openvino as ov

    if not os.path.isfile(os.path.splitext(path)[0] + '.bin'):
      raise ValueError(
        'model_file=%r has no weights file %r beside it'
        % (path, os.path.splitext(path)[0] + '.bin')
      )
    config = {
      'PERFORMANCE_HINT': 'LATENCY',
      'INFERENCE_PRECISION_HINT': OPENVINO_PRECISION_HINTS[precision],
    }
    if num_threads:
      config['INFERENCE_NUM_THREADS'] = num_threads
    try:
      self._compiled = ov.Core().compile_model(path, 'CPU', config)
    except RuntimeError as e:
      raise ValueError(
        'model_file=%r is not an OpenVINO model that OpenVINO can load (%s)'
        % (path, str(e).strip().splitlines()[-1])
      ) from e
    inputs = self._compiled.inputs
    if len(inputs) != 1:
      raise ValueError(
        'model_file=%r has %d inputs; an image classifier has '
        'one' % (path, len(inputs))
      )
    shape = inputs[0].get_partial_shape()
    self.input_shape = [
      _dimension(d.get_length()) if d.is_static else None for d in shape
    ]
    self._output = self._compiled.output(
      _pick_output([o.get_any_name() for o in self._compiled.outputs], path)
    )
    self.num_classes = _dimension(
      self._output.get_partial_shape()[-1].get_length()
    )
    self._request = self._compiled.create_infer_request()

  def _run(self, images):
    # The request owns its output buffer: copy before the next call.
    return np.array(self._request.infer({0: images})[self._output])


def _interpreter_module():
  """LiteRT's interpreter module, else TensorFlow's `tf.lite`."""
  try:
    from ai_edge_litert import interpreter

    return interpreter, 'ai_edge_litert'
  except ImportError:
    import tensorflow as tf2

    return tf2.lite, 'tf.lite'


class _TfliteModel(ExportedModel):
  format = 'tflite'

  def __init__(self, path, num_threads=None):
    super(_TfliteModel, self).__init__(path)
    with open(path, 'rb') as f:
      header = f.read(8)
    # A TFLite flatbuffer carries the file identifier 'TFL3' at bytes 4-8.
    if header[4:8] != b'TFL3':
      raise ValueError(
        'model_file=%r is not a TFLite model (no TFL3 '
        'flatbuffer identifier)' % (path,)
      )
    module, self.runtime = _interpreter_module()
    with warnings.catch_warnings():
      # tf.lite.Interpreter's deprecation notice (see the module docstring).
      warnings.simplefilter('ignore')
      try:
        self._interpreter = module.Interpreter(
          model_path=path, num_threads=num_threads
        )
      except ValueError as e:
        raise ValueError(
          'model_file=%r is not a TFLite model the '
          'interpreter can load (%s)' % (path, str(e).splitlines()[0])
        ) from e
    inputs = self._interpreter.get_input_details()
    if len(inputs) != 1:
      raise ValueError(
        'model_file=%r has %d inputs; an image classifier has '
        'one' % (path, len(inputs))
      )
    self._input = inputs[0]
    outputs = {o['name']: o for o in self._interpreter.get_output_details()}
    self._output = outputs[_pick_output(sorted(outputs), path)]
    signature = self._input.get('shape_signature', self._input['shape'])
    self.input_shape = [_dimension(d) for d in signature]
    self.num_classes = _dimension(self._output['shape'][-1])
    self._batch = None

  def _run(self, images):
    interpreter = self._interpreter
    if self._batch != len(images):
      interpreter.resize_tensor_input(self._input['index'], images.shape)
      interpreter.allocate_tensors()
      self._batch = len(images)
    interpreter.set_tensor(self._input['index'], _quantize(images, self._input))
    interpreter.invoke()
    return _dequantize(
      interpreter.get_tensor(self._output['index']), self._output
    )


def _quantize(values, detail):
  dtype = detail['dtype']
  if dtype == np.float32:
    return values
  scale, zero_point = detail['quantization']
  info = np.iinfo(dtype)
  return np.clip(
    np.round(values / scale) + zero_point, info.min, info.max
  ).astype(dtype)


def _dequantize(values, detail):
  if values.dtype == np.float32:
    return values
  scale, zero_point = detail['quantization']
  return (values.astype(np.float32) - zero_point) * scale
