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
"""Makes a Keras ResNet with random weights, saves them, records its logits.

Run as a subprocess by tests/convert_weights_test.py, since Keras needs
eager execution and the test process runs in TF1 graph mode:

  python -m tests.keras_reference --application=ResNet50 \
      --weights_file=/tmp/w.weights.h5 --output=/tmp/ref.npz --sizes=224,225

The application is built with `weights=None` and no softmax; every weight is
then drawn from `seed` (He-normal kernels, batch-norm gammas and moving
variances in U(0.5, 1.5), betas, moving means and biases N(0, 0.1^2)), so
batch norm is far from the identity. The weights are saved in the format of
`--weights_file`'s suffix (`.weights.h5`, `.keras` or a Keras-2 style
`.h5`), and the logits for `input_image(size)` at each size go to `--output`
as `logits/<size>`.
"""

import argparse
import os

import numpy as np


def input_image(size):
  """[1, size, size, 3] in [-2, 2]."""
  return (
    np.random.RandomState(size)
    .uniform(-2.0, 2.0, (1, size, size, 3))
    .astype(np.float32)
  )


def randomize(model, seed=0):
  rng = np.random.RandomState(seed)
  for layer in model.layers:
    for weight in layer.weights:
      shape = tuple(weight.shape)
      if weight.name == 'kernel':
        gain = 2.0 if len(shape) == 4 else 1.0
        value = rng.normal(0.0, np.sqrt(gain / np.prod(shape[:-1])), shape)
      elif weight.name in ('gamma', 'moving_variance'):
        value = rng.uniform(0.5, 1.5, shape)
      else:
        value = rng.normal(0.0, 0.1, shape)
      weight.assign(value.astype(np.float32))


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument('--application', required=True)
  parser.add_argument('--weights_file', required=True)
  parser.add_argument('--output', required=True)
  parser.add_argument('--sizes', default='224,225')
  parser.add_argument('--seed', type=int, default=0)
  args = parser.parse_args()
  os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
  import keras

  build = getattr(keras.applications, args.application)
  model = build(weights=None, classifier_activation=None)
  randomize(model, args.seed)
  if args.weights_file.endswith('.weights.h5'):
    model.save_weights(args.weights_file)
  else:  # .keras, or Keras 2's whole-model .h5.
    model.save(args.weights_file)
  outputs = {}
  for size in [int(s) for s in args.sizes.split(',')]:
    sized = build(
      weights=None, classifier_activation=None, input_shape=(size, size, 3)
    )
    sized.set_weights(model.get_weights())
    outputs['logits/%d' % size] = sized.predict(input_image(size), verbose=0)
  np.savez(args.output, **outputs)


if __name__ == '__main__':
  main()
