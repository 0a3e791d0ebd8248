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
"""ONNX export: the folded frozen graph through tf2onnx, int8 and float16.

`graph_def_to_onnx` converts the frozen inference graph that
`export_lib.export` writes (batch norm already folded into the convolutions,
explicit paddings merged) with tf2onnx, and renames the model's inputs and
outputs to the frozen graph's names without the ':0' (`input`, `logits`,
`predictions`, `classes`). The input stays NHWC float32 [batch, size, size,
3], as in TensorFlow; tf2onnx adds the transposes to ONNX's NCHW
convolutions, which ONNX Runtime's layout optimizer mostly removes.

Precisions (`quantize`):
  int8     static post-training quantization with ONNX Runtime's quantizer:
           QDQ format (QuantizeLinear/DequantizeLinear pairs that ONNX
           Runtime fuses into integer kernels), int8 weights with one scale
           per output channel, uint8 activations whose ranges are the
           min/max observed on calibration images (`quantize_int8`).
           Unsigned activations ('U8S8'): with them ONNX Runtime's CPU
           provider fuses the whole network into integer kernels
           (QLinearConv, QLinearAdd, NHWC max pooling); with int8
           activations ('S8S8', the quantizer's default) half of
           resnet_cifar_20's convolutions stay float32 behind
           Transpose/DequantizeLinear pairs and the model runs slower than
           float32. U8S8 is exact on CPUs with AVX-512 VNNI or AVX-VNNI;
           without VNNI, x86's u8 x s8 instruction (vpmaddubsw) can saturate,
           which ONNX Runtime's documentation addresses with
           `reduce_range` (7-bit weights); not needed here.
  float16  every float tensor in float16, inputs and outputs kept float32
           (onnxruntime.transformers' converter, `to_float16`). Half the
           file; float16 arithmetic where the execution provider has it
           (GPUs); ONNX Runtime's CPU provider runs most float16 ops through
           float32 casts, so on CPUs it is smaller, not faster.
"""

import logging
import os
import tempfile

import numpy as np

from utils.export import data

# tf2onnx's opset; ONNX Runtime 1.17+ runs it, and it has every op the
# ResNets use.
OPSET = 17
# Images per calibration run of a model with a dynamic batch size: the
# calibration model's peak memory grows with its batch (resnet_v1_50 at 224).
CALIBRATION_BATCH = 8
INPUT_NAME = 'input'
OUTPUT_NAMES = ('logits', 'predictions', 'classes')


def graph_def_to_onnx(
  graph_def, input_name=INPUT_NAME, output_names=OUTPUT_NAMES, opset=OPSET
):
  """Converts a frozen inference GraphDef into an ONNX `ModelProto`.

  Args:
    graph_def: A frozen `tf.GraphDef` (no variables).
    input_name: The input placeholder's name.
    output_names: The output ops' names; those absent from the graph are
      skipped (at least one must be there).
    opset: The ONNX opset.

  Returns:
    A checked `onnx.ModelProto` whose input and outputs carry these names.

  Raises:
    ValueError: If the input or every output is missing from the graph.
  """
  import onnx
  import tf2onnx

  nodes = {node.name for node in graph_def.node}
  if input_name not in nodes:
    raise ValueError(
      'The graph has no input %r; is it an inference graph '
      'of export_inference_graph.py?' % (input_name,)
    )
  outputs = [name for name in output_names if name in nodes]
  if not outputs:
    raise ValueError(
      'The graph has none of the outputs %s' % (', '.join(output_names),)
    )
  # tf2onnx logs its versions and optimizer passes at INFO on every call.
  logging.getLogger('tf2onnx').setLevel(logging.WARNING)
  model, _ = tf2onnx.convert.from_graph_def(
    graph_def,
    input_names=[input_name + ':0'],
    output_names=[name + ':0' for name in outputs],
    opset=opset,
  )
  rename_values(model, {name + ':0': name for name in [input_name] + outputs})
  onnx.checker.check_model(model)
  return model


def rename_values(model, mapping):
  """Renames values (tensors) of an ONNX graph in place, everywhere.

  Raises:
    ValueError: If a new name is already the name of another value.
  """
  graph = model.graph
  taken = {name for node in graph.node for name in node.output}
  taken.update(v.name for v in graph.input)
  taken.update(t.name for t in graph.initializer)
  clashes = sorted(
    new for old, new in mapping.items() if new in taken and new != old
  )
  if clashes:
    raise ValueError(
      'Cannot rename to %s: the ONNX graph has such values' % (clashes,)
    )
  for node in graph.node:
    node.input[:] = [mapping.get(name, name) for name in node.input]
    node.output[:] = [mapping.get(name, name) for name in node.output]
  for value in list(graph.input) + list(graph.output) + list(graph.value_info):
    value.name = mapping.get(value.name, value.name)


class _ImagesReader(object):
  """ONNX Runtime's CalibrationDataReader protocol over image batches."""

  def __init__(self, input_name, batches):
    self._batches = iter([{input_name: batch} for batch in batches])

  def get_next(self):
    return next(self._batches, None)


def quantize_int8(model, images, batch_size=None):
  """Static int8 quantization of a float ONNX model (see the docstring).

  Args:
    model: A float32 `onnx.ModelProto` with one input.
    images: float32 calibration images [n, size, size, 3], as the model's
      input expects them (preprocessed).
    batch_size: The model's fixed batch size, or None if it takes any
      (then calibration runs `CALIBRATION_BATCH` images at a time).

  Returns:
    The quantized `onnx.ModelProto`.

  Raises:
    ValueError: With no calibration image.
  """
  import onnx
  from onnxruntime import quantization

  images = np.asarray(images, np.float32)
  if images.ndim != 4 or not len(images):
    raise ValueError(
      'int8 calibration needs a batch of images [n, height, '
      'width, channels] with n >= 1; got shape %s' % (images.shape,)
    )
  with tempfile.TemporaryDirectory() as directory:
    float_path = os.path.join(directory, 'float.onnx')
    prepared = os.path.join(directory, 'prepared.onnx')
    quantized = os.path.join(directory, 'int8.onnx')
    onnx.save(model, float_path)
    # ONNX Runtime's recommended preparation: graph optimizations (e.g.
    # folding the constant transposes) and shape inference, so that every
    # tensor to quantize has a known type. Its symbolic shape inference needs
    # sympy and adds nothing here (only the batch dimension is dynamic).
    quantization.quant_pre_process(
      float_path, prepared, skip_symbolic_shape=True
    )
    quantization.quantize_static(
      prepared,
      quantized,
      _ImagesReader(
        model.graph.input[0].name,
        data.split_batches(
          images, batch_size or CALIBRATION_BATCH, exact=bool(batch_size)
        ),
      ),
      quant_format=quantization.QuantFormat.QDQ,
      per_channel=True,
      activation_type=quantization.QuantType.QUInt8,
      weight_type=quantization.QuantType.QInt8,
      # Not extra_options={'CalibMaxIntermediateOutputs': n}: in ONNX
      # Runtime 1.32 it drops the collected batches without computing
      # their ranges ("No data is collected", or ranges of the last
      # batches only).
      calibrate_method=quantization.CalibrationMethod.MinMax,
    )
    return onnx.load(quantized)


def to_float16(model):
  """A float16 copy of a float32 ONNX model, with float32 inputs/outputs."""
  from onnxruntime.transformers import float16

  return float16.convert_float_to_float16(model, keep_io_types=True)


def convert(graph_def, quantize='none', images=None, batch_size=None):
  """The frozen graph as an ONNX model in the `quantize` precision.

  Args:
    graph_def: The frozen inference graph (see `graph_def_to_onnx`).
    quantize: 'none', 'float16' or 'int8'.
    images: Calibration images for 'int8'.
    batch_size: The graph's fixed batch size, or None.

  Returns:
    An `onnx.ModelProto`.
  """
  model = graph_def_to_onnx(graph_def)
  if quantize == 'int8':
    return quantize_int8(model, images, batch_size)
  if quantize == 'float16':
    return to_float16(model)
  return model
