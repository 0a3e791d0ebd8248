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
"""Exports for serving: frozen graph, SavedModel, ONNX and TFLite.

`export_model` is what export_inference_graph.py runs. Every format starts
from the same inference network with batch norm folded
(`export_lib.export`):

  format       written                       how
  frozen       a binary GraphDef (.pb)       export_lib (variables frozen)
  saved_model  a SavedModel directory        export_lib
  onnx         an ONNX model (.onnx)         the frozen graph through tf2onnx
                                             (`onnx_export.py`)
  tflite       a TFLite flatbuffer (.tflite) the SavedModel through TF's
                                             converter (`tflite_export.py`)
  openvino     an OpenVINO IR (.xml + .bin)  the frozen graph through
                                             OpenVINO's converter
                                             (`openvino_export.py`)

and `quantize` picks the precision of the ONNX, TFLite and OpenVINO models:

  none     float32.
  float16  ONNX: a float16 model with float32 input and outputs; TFLite and
           OpenVINO: float16 weights. Each halves the file; see the modules
           for what it does to speed on CPUs.
  int8     static post-training quantization, calibrated on the first
           `calibration.num_images` images of a data set split, read through
           the network's eval preprocessing (`data.calibration_images`):
           ONNX Runtime's quantizer (QDQ, per-channel int8 weights, int8
           activations) for ONNX, TF's converter with a representative data
           set (full integer) for TFLite, NNCF's post-training quantization
           for OpenVINO.

The frozen graph and the SavedModel are TensorFlow's float32 graphs: a
`quantize` other than 'none' with them is refused (TensorFlow's own graphs
have no int8 kernels worth serving; run bfloat16 with --precision instead).

Everything is checked before any work starts (the format, the precision,
the output path, the calibration data set and split), intermediate files go
to a temporary directory, and the output is written atomically (`files.py`):
an export that fails or is killed leaves nothing under the output name.
"""

import os
import tempfile

from nets import nets_factory
from utils import files
from utils.export import config as export_config
from utils.export import data
from utils.export import export_lib

FORMATS = ('frozen', 'saved_model', 'onnx', 'tflite', 'openvino')
QUANTIZE_MODES = ('none', 'float16', 'int8')
EXTENSIONS = {
  'frozen': '.pb',
  'onnx': '.onnx',
  'tflite': '.tflite',
  'openvino': '.xml',
}


def check_format(export_format, quantize):
  """Checks a format and precision pair.

  Raises:
    ValueError: For an unknown format or mode, or quantization of a
      TensorFlow graph, naming the value and what is allowed.
  """
  if export_format not in FORMATS:
    raise ValueError(
      'Unknown export format format=%r; expected one of %s'
      % (export_format, ', '.join(FORMATS))
    )
  if quantize not in QUANTIZE_MODES:
    raise ValueError(
      'Unknown quantize=%r; expected one of %s'
      % (quantize, ', '.join(QUANTIZE_MODES))
    )
  if quantize != 'none' and export_format in ('frozen', 'saved_model'):
    raise ValueError(
      'quantize=%r needs format=onnx, tflite or openvino; the %s '
      "format is TensorFlow's float32 graph" % (quantize, export_format)
    )


def check_output(export_format, output_path):
  """Checks the output path of a format before anything is written.

  Raises:
    ValueError: For no path, a SavedModel directory that exists, a file
      path that is a directory, or a file without the format's extension.
  """
  if not output_path:
    raise ValueError(
      'No output path for format=%r; pass --output_file' % (export_format,)
    )
  if export_format == 'saved_model':
    if os.path.lexists(output_path):
      raise ValueError(
        'The SavedModel directory %r exists already; remove '
        'it or choose another name' % (output_path,)
      )
    return
  if os.path.isdir(output_path):
    raise ValueError(
      'output_file=%r is a directory; give a file name' % (output_path,)
    )
  extension = EXTENSIONS[export_format]
  if not output_path.endswith(extension):
    # The extension is how eval_image_classifier.py --model_file and the
    # runtimes' tools recognize the model.
    raise ValueError(
      'A %s model is a %s file; got output_file=%r'
      % (export_format, extension, output_path)
    )


def export_model(
  model_name,
  checkpoint_path,
  output_path,
  export_format='frozen',
  quantize='none',
  calibration=None,
  config=None,
):
  """Exports a checkpoint in one format and precision (module docstring).

  Args:
    model_name: A registered network (also the checkpoint's scope).
    checkpoint_path: A checkpoint prefix or a training directory.
    output_path: The file (frozen, onnx, tflite) or directory (saved_model)
      to write.
    export_format: One of `FORMATS`.
    quantize: One of `QUANTIZE_MODES`.
    calibration: A `data.Calibration`, required for 'int8'.
    config: An `export.config.ExportConfig`, as in `export_lib.export`;
      None: its defaults.

  Returns:
    The dict of `export_lib.export` plus 'format', 'quantize', 'output'
    and 'calibration_images' (how many images calibrated int8; else 0).

  Raises:
    ValueError: On any bad argument, before anything is written.
    IOError: If the calibration data set's files do not exist.
  """
  check_format(export_format, quantize)
  check_output(export_format, output_path)
  spec = nets_factory.get_spec(model_name)
  if quantize == 'int8':
    data.check_calibration(calibration)
  cfg = export_config.ExportConfig() if config is None else config
  size = cfg.image_size or spec.default_image_size
  batch_size = cfg.batch_size
  kwargs = dict(config=cfg)
  images = None
  if quantize == 'int8':  # Read first: a bad split fails before the export.
    images = data.calibration_images(calibration, model_name, size)
  if export_format == 'frozen':
    info = export_lib.export(
      model_name, checkpoint_path, output_file=output_path, **kwargs
    )
  elif export_format == 'saved_model':
    info = export_lib.export(
      model_name, checkpoint_path, saved_model_dir=output_path, **kwargs
    )
  else:
    with tempfile.TemporaryDirectory() as work:
      if export_format in ('onnx', 'openvino'):
        info = export_lib.export(
          model_name,
          checkpoint_path,
          output_file=os.path.join(work, 'frozen.pb'),
          **kwargs,
        )
      else:
        info = export_lib.export(
          model_name,
          checkpoint_path,
          saved_model_dir=os.path.join(work, 'saved'),
          **kwargs,
        )
      if export_format == 'openvino':
        from utils.export import openvino_export

        model, compress = openvino_export.convert(
          info['output_file'], quantize, images, batch_size
        )
        openvino_export.save(model, output_path, compress)
        content = None
      elif export_format == 'onnx':
        from utils.export import onnx_export

        model = onnx_export.convert(
          export_lib.read_graph_def(info['output_file']),
          quantize,
          images,
          batch_size,
        )
        content = model.SerializeToString()
      else:
        from utils.export import tflite_export

        content = tflite_export.saved_model_to_tflite(
          info['saved_model_dir'], quantize, images, batch_size
        )
    if content is not None:
      files.write_bytes(output_path, content)
    info.update(output_file=output_path, saved_model_dir=None)
    # The names a user of the model sees: ONNX's and OpenVINO's tensors
    # (renamed without ':0'), TFLite's signature keys.
    info['input'] = 'images' if export_format == 'tflite' else 'input'
    info['outputs'] = {name: name for name in info['outputs']}
  info.update(
    format=export_format,
    quantize=quantize,
    output=output_path,
    calibration_images=0 if images is None else len(images),
  )
  return info
