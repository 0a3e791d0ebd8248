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
"""The Keras 3 reference: `keras.applications` models of our ResNets.

Timed with `train_on_batch` / `predict_on_batch` in a worker process (Keras 3
does not mix with graph mode). Its GMACs are counted on the Keras layers:
ResNet50/101/152 stride in a block's first 1x1 convolution (Caffe's layout,
more MACs than slim's); the V2 models have slim's layout and our MACs.
"""

from importlib import metadata
import importlib.util

import numpy as np

from utils.benchmark import runner

# Our name -> keras.applications model.
KERAS_REFERENCES = {
  'resnet_v1_50': 'ResNet50',
  'resnet_v1_101': 'ResNet101',
  'resnet_v1_152': 'ResNet152',
  'resnet_v2_50': 'ResNet50V2',
  'resnet_v2_101': 'ResNet101V2',
  'resnet_v2_152': 'ResNet152V2',
}


def keras_available():
  """Whether Keras 3 is installed (the 'keras' comparison needs it)."""
  if importlib.util.find_spec('keras') is None:
    return False
  try:
    return int(metadata.version('keras').split('.')[0]) >= 3
  except (metadata.PackageNotFoundError, ValueError):
    return False


def _layer_macs(model):
  """Forward MACs per image of a Keras model's Conv2D and Dense layers."""
  import keras

  macs = 0
  for layer in model.layers:
    if isinstance(layer, keras.layers.Conv2D):
      _, out_h, out_w, _ = layer.output.shape
      macs += out_h * out_w * int(np.prod(layer.kernel.shape))
    elif isinstance(layer, keras.layers.Dense):
      macs += int(np.prod(layer.kernel.shape))
  return macs


class Keras(runner.Runner):
  name = 'keras'
  option = 'compare'
  kind = 'reference'
  references = KERAS_REFERENCES
  reference_module = reference_owner = 'keras.applications'
  real_data = False
  model_kwargs = False
  profiles = False
  own_process = True
  worker_env = {'KERAS_BACKEND': 'tensorflow'}

  @classmethod
  def available(cls):
    if keras_available():
      return None
    return 'The keras comparison needs Keras 3 (pip install keras>=3)'

  def __init__(self, setting, timing, latency=False):
    import tensorflow as tf

    runner.set_threads(timing)
    import keras

    if setting.precision == 'bfloat16':
      keras.mixed_precision.set_global_policy('mixed_bfloat16')
    size, batch = setting.image_size, setting.batch_size
    self.num_classes = runner.head_classes(setting)
    model = getattr(keras.applications, KERAS_REFERENCES[setting.model_name])(
      weights=None, input_shape=(size, size, 3), classes=self.num_classes
    )
    optimizer = keras.optimizers.SGD(runner.LEARNING_RATE, runner.MOMENTUM)
    model.compile(
      optimizer=optimizer,
      loss=keras.losses.SparseCategoricalCrossentropy(),
      jit_compile=setting.xla,
    )
    images = tf.random.uniform([batch, size, size, 3], -1.0, 1.0)
    labels = tf.random.uniform([batch], 0, self.num_classes, dtype=tf.int64)
    if setting.mode == 'train':
      self._run = lambda: model.train_on_batch(images, labels)
    else:
      self._run = lambda: model.predict_on_batch(images)
    self._run()  # Traces (and with XLA compiles) the step function.
    if setting.mode != 'train' and latency:
      image = images[:1]
      self._run_one = lambda: model.predict_on_batch(image)
      self._run_one()
    self.fields = {
      'gmacs_per_image': _layer_macs(model) / 1e9,
      'bfloat16_conv_fraction': None,
      'xla_clusters': None,
      'keras_version': keras.__version__,
    }
