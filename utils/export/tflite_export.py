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
"""TFLite (LiteRT) export: the SavedModel through TensorFlow's converter.

The converter reads the serving signature of the SavedModel that
`export_lib.export` writes (batch norm folded; inputs 'images', outputs
'logits', 'predictions', 'classes'). The TFLite model keeps a float32 NHWC
input with a dynamic batch (the interpreter resizes it) and float32 logits.

Precisions (`quantize`):
  int8     full integer post-training quantization: every op in int8
           (`TFLITE_BUILTINS_INT8`, so a conversion that would leave a float
           op fails instead of silently mixing), int8 weights with per-channel
           scales, activation ranges from a representative data set (the
           calibration images, one at a time). The input and the outputs stay
           float32 (a quantize op in front, dequantize ops behind), so the
           model is fed like the float one.
  float16  float16 weights (half the file); the CPU interpreter (XNNPACK)
           dequantizes them to float32 once when it loads, so on CPUs the
           arithmetic and the speed are those of float32; GPU delegates
           compute in float16.
"""

import numpy as np
import tensorflow as tf2
import tensorflow.compat.v1 as tf

from utils.export import data

SIGNATURE_KEY = 'serving_default'


def saved_model_to_tflite(
  saved_model_dir, quantize='none', images=None, batch_size=None
):
  """Converts an exported SavedModel into a TFLite flatbuffer.

  Args:
    saved_model_dir: A SavedModel with the signature 'serving_default'.
    quantize: 'none', 'float16' or 'int8'.
    images: float32 calibration images [n, size, size, 3] for 'int8'.
    batch_size: The SavedModel's fixed batch size, or None (calibration then
      feeds one image at a time).

  Returns:
    The TFLite model as bytes.

  Raises:
    ValueError: For 'int8' without images, or an unknown `quantize`.
  """
  if quantize not in ('none', 'float16', 'int8'):
    raise ValueError(
      "quantize must be 'none', 'float16' or 'int8'; got "
      'quantize=%r' % (quantize,)
    )
  # The TF1 converter: the scripts run in graph mode, and the TF2 one would
  # fall back to it there anyway (with a warning).
  converter = tf.lite.TFLiteConverter.from_saved_model(
    saved_model_dir, signature_key=SIGNATURE_KEY
  )
  if quantize == 'float16':
    converter.optimizations = [tf2.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf2.float16]
  elif quantize == 'int8':
    images = np.asarray(images if images is not None else [], np.float32)
    if images.ndim != 4 or not len(images):
      raise ValueError(
        'int8 calibration needs a batch of images [n, height, '
        'width, channels] with n >= 1; got shape %s' % (images.shape,)
      )

    def representative_dataset():
      for batch in data.split_batches(images, batch_size or 1, exact=True):
        yield [batch]

    converter.optimizations = [tf2.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative_dataset
    converter.target_spec.supported_ops = [tf2.lite.OpsSet.TFLITE_BUILTINS_INT8]
  return converter.convert()
