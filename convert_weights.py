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
`.keras`). See utils/convert/ and the table of docs/weights.md.
"""

from absl import app
from absl import flags
from absl import logging

import nets  # noqa: F401  (applies nets/tf_compat first)
from utils import flag_defs
from utils.convert import convert_lib
from utils.flag_defs import tools

FLAGS = flags.FLAGS


def main(argv):
  # No graph mode: Keras reads its weights eagerly; the network is built in
  # a tf.Graph of its own.
  flag_defs.start_script(argv, FLAGS, graph_mode=False, quiet_tensorflow=True)
  with flag_defs.exit_on_error('convert_weights.py'):
    info = convert_lib.convert(
      FLAGS.model_name, FLAGS.source_file, FLAGS.output_checkpoint
    )
  logging.info(
    'Wrote %s: %d variables of %s, %d trainable parameters, %d classes.',
    info['checkpoint'],
    info['num_variables'],
    FLAGS.model_name,
    info['num_params'],
    info['num_classes'],
  )


if __name__ == '__main__':
  tools.define_convert_weights_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this script's own.
  flags.adopt_module_key_flags(tools)
  app.run(main)
