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
"""OpenVINO export: the folded frozen graph as an OpenVINO IR (.xml + .bin).

`convert` reads the frozen inference graph that `export_lib.export` writes
with OpenVINO's TensorFlow front end (`openvino.convert_model`), keeps the
logits as an output beside the predictions and classes, and names the input
and outputs as the frozen graph does without the ':0' (`input`, `logits`,
`predictions`, `classes`). The input stays NHWC float32, as in TensorFlow.

Precisions (`quantize`):
  none     float32 weights in the .bin. The CPU plugin picks the inference
           precision when the model is compiled (`INFERENCE_PRECISION_HINT`:
           bf16 by default on CPUs with AMX or AVX-512 bf16, f32 elsewhere);
           `exported_model` asks for f32 unless told otherwise.
  float16  float16 weights in the .bin (`compress_to_fp16`): half the file,
           decompressed to the inference precision when compiled.
  int8     NNCF's post-training quantization (`nncf.quantize`, its default
           mixed preset: symmetric int8 weights per output channel,
           activations' ranges from the calibration images, fast bias
           correction): FakeQuantize nodes that the CPU plugin runs as int8
           kernels (VNNI or AMX where the CPU has them).

`save` writes the pair atomically as far as two files allow: both are
written in a temporary directory beside the output, then the .bin and the
.xml are renamed into place (the .xml last, as it is what loaders open).
"""

import logging
import os
import shutil
import tempfile

import numpy as np

INPUT_NAME = 'input'
OUTPUT_NAMES = ('logits', 'predictions', 'classes')
QUANTIZE_MODES = ('none', 'float16', 'int8')


def _tensor_name(port, names):
  """The one of `names` that `port` carries as '<name>:0', else None."""
  for name in names:
    if name + ':0' in port.get_names():
      return name
  return None


def convert_frozen_graph(path):
  """The frozen graph at `path` as an `openvino.Model` (module docstring).

  Raises:
    ValueError: If the graph has no 'input' or no 'logits' tensor.
  """
  import openvino as ov

  model = ov.convert_model(path)
  # The front end keeps the graph's sinks only (predictions, classes); the
  # logits feed both, so they are added as an output of their own.
  outputs = {_tensor_name(port, OUTPUT_NAMES) for port in model.outputs}
  if 'logits' not in outputs:
    try:
      model.add_outputs(['logits:0'])
    except RuntimeError as e:
      raise ValueError(
        'The frozen graph %r has no tensor logits:0 to serve' % (path,)
      ) from e
  for port in list(model.inputs) + list(model.outputs):
    name = _tensor_name(port, (INPUT_NAME,) + OUTPUT_NAMES)
    if name is not None:
      port.get_tensor().set_names({name})
  if [port.get_any_name() for port in model.inputs] != [INPUT_NAME]:
    raise ValueError(
      'The frozen graph %r has inputs %s; expected one named %r'
      % (path, [p.get_any_name() for p in model.inputs], INPUT_NAME)
    )
  return model


def quantize_int8(model, images, batch_size=None):
  """NNCF's post-training int8 quantization of `model` on `images`.

  Args:
    model: A float `openvino.Model` with one NHWC input.
    images: float32 calibration images [n, height, width, channels], as the
      model's input expects them (preprocessed).
    batch_size: The model's fixed batch size, or None if it takes any (then
      one image per calibration item). With a fixed size, the last item is
      completed with the first images.

  Returns:
    The quantized `openvino.Model`.

  Raises:
    ValueError: With no calibration image.
  """
  images = np.asarray(images, np.float32)
  if images.ndim != 4 or not len(images):
    raise ValueError(
      'int8 calibration needs a batch of images [n, height, width, '
      'channels] with n >= 1; got shape %s' % (images.shape,)
    )
  import nncf

  nncf.set_log_level(logging.ERROR)
  size = batch_size or 1
  count = -(-len(images) // size) * size
  images = images[np.arange(count) % len(images)]
  batches = [images[start : start + size] for start in range(0, count, size)]
  return nncf.quantize(model, nncf.Dataset(batches), subset_size=len(batches))


def convert(frozen_graph_path, quantize='none', images=None, batch_size=None):
  """The frozen graph at `frozen_graph_path` in precision `quantize`.

  Returns:
    (an `openvino.Model`, whether `save` should store float16 weights).
  """
  if quantize not in QUANTIZE_MODES:
    raise ValueError(
      'Unknown quantize=%r; expected one of %s'
      % (quantize, ', '.join(QUANTIZE_MODES))
    )
  model = convert_frozen_graph(frozen_graph_path)
  if quantize == 'int8':
    model = quantize_int8(model, images, batch_size)
  return model, quantize == 'float16'


def save(model, output_path, compress_to_fp16=False):
  """Writes `model` as `output_path` (.xml) and its .bin (module docstring).

  Raises:
    ValueError: If `output_path` does not end in .xml.
  """
  import openvino as ov

  if not output_path.endswith('.xml'):
    raise ValueError(
      'An OpenVINO model is a .xml file (with its .bin beside it); got '
      'output_file=%r' % (output_path,)
    )
  parent = os.path.dirname(os.path.abspath(output_path))
  os.makedirs(parent, exist_ok=True)
  base = os.path.basename(output_path)[: -len('.xml')]
  work = tempfile.mkdtemp(prefix='.%s.' % base, suffix='.tmp', dir=parent)
  try:
    ov.save_model(
      model,
      os.path.join(work, 'model.xml'),
      compress_to_fp16=compress_to_fp16,
    )
    os.replace(
      os.path.join(work, 'model.bin'), os.path.join(parent, base + '.bin')
    )
    os.replace(os.path.join(work, 'model.xml'), output_path)
  finally:
    shutil.rmtree(work, ignore_errors=True)
