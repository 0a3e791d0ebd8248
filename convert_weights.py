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
r"""Converts torchvision or Keras ResNet weights into a slim checkpoint.

  python convert_weights.py --model_name=resnet_v1_50_tv \
      --source_file=resnet50-11ad3fa6.pth \
      --output_checkpoint=/tmp/resnet_v1_50_tv/model.ckpt

`--model_name` is one of the networks made for converted weights (the
`*_tv` and `*_keras` networks of nets/nets_factory.py); the checkpoint has
their variable names, 1000 classes, and is accepted by `--checkpoint_path`
of train_image_classifier.py, eval_image_classifier.py and
export_inference_graph.py. Sources: torchvision state dicts (`.pth`/`.pt`,
read with `torch.load(weights_only=True)` when torch is installed, or
`.safetensors`/`.npz` without it) and Keras weights (`.h5`, `.weights.h5`,
`.keras`). See utils/convert/ and the README's table.
"""

import warnings

from absl import app
from absl import flags
from absl import logging
import tensorflow.compat.v1 as tf

from utils.convert import convert_lib
from utils.convert import weight_map

FLAGS = flags.FLAGS


def define_flags():
  """Defines the flags of this script."""
  flags.DEFINE_enum('model_name', None, sorted(weight_map.SOURCES),
                    'The network the weights are converted for.')
  flags.DEFINE_string('source_file', None,
                      'The torchvision (.pth, .pt, .safetensors, .npz) or '
                      'Keras (.h5, .weights.h5, .keras) weight file.')
  flags.DEFINE_string('output_checkpoint', None,
                      'The checkpoint prefix to write (e.g. '
                      '/tmp/resnet_v1_50_tv/model.ckpt).')
  for name in ('model_name', 'source_file', 'output_checkpoint'):
    flags.mark_flag_as_required(name)


def main(argv):
  if len(argv) > 1:
    raise app.UsageError('Unexpected arguments: %s' % ' '.join(argv[1:]))
  # No tf_compat.enable_graph_mode(): Keras reads its weights eagerly; the
  # network is built in a tf.Graph of its own.
  tf.logging.set_verbosity(tf.logging.ERROR)  # TF1 deprecation notices.
  warnings.filterwarnings('ignore', message='`layer.apply` is deprecated')
  try:
    info = convert_lib.convert(FLAGS.model_name, FLAGS.source_file,
                               FLAGS.output_checkpoint)
  except ValueError as e:
    raise app.UsageError(str(e)) from e
  logging.info('Wrote %s: %d variables of %s, %d trainable parameters, %d '
               'classes.', info['checkpoint'], info['num_variables'],
               FLAGS.model_name, info['num_params'], info['num_classes'])


if __name__ == '__main__':
  define_flags()
  app.run(main)
