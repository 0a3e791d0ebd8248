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
r"""Exports a checkpoint as a frozen inference graph and/or a SavedModel.

Batch norm is folded into the preceding convolutions (see
utils/export/export_lib.py for what folds, and for the class-count rules):

  python export_inference_graph.py --model_name=resnet_v1_50 \
      --checkpoint_path=/tmp/train_logs --output_file=/tmp/resnet_v1_50.pb \
      --dataset_name=imagenet --labels_offset=1

The frozen graph has the float32 input `input:0` [batch_size, image_size,
image_size, 3] and the outputs `logits:0`, `predictions:0` (softmax) and
`classes:0` (argmax); the log repeats them. With --saved_model_dir, a
SavedModel with the serving signature 'serving_default' (input 'images') is
written too.

--format=onnx or tflite writes an ONNX or TFLite model to --output_file
(.onnx, .tflite), and --quantize=float16 or int8 picks its precision; int8 is
calibrated on --calibration_images images of --dataset_name/--dataset_dir/
--dataset_split_name through the network's eval preprocessing (see
utils/export/deploy.py):

  python export_inference_graph.py --model_name=resnet_cifar_20 \
      --checkpoint_path=runs/r20 --format=onnx --quantize=int8 \
      --dataset_name=digits --dataset_dir=data/digits \
      --dataset_split_name=train --output_file=runs/r20/int8.onnx

--format=saved_model writes only the SavedModel (to --output_file or
--saved_model_dir). Every output is written atomically: an export that fails
leaves nothing under its name.
"""

from absl import app
from absl import flags
from absl import logging

import nets  # noqa: F401  (applies nets/tf_compat first)
from utils import flag_defs
from utils.export import data
from utils.export import deploy
from utils.export import export_lib
from utils.flag_defs import configs
from utils.flag_defs import tools

FLAGS = flags.FLAGS


def main(argv):
  flag_defs.start_script(argv, FLAGS, quiet_tensorflow=True)
  calibration = None
  if FLAGS.quantize == 'int8':
    calibration = data.Calibration(
      FLAGS.dataset_name,
      FLAGS.dataset_dir,
      FLAGS.dataset_split_name,
      FLAGS.calibration_images,
      FLAGS.preprocessing_name,
    )
  with flag_defs.exit_on_error('export_inference_graph.py'):
    if FLAGS.format == 'frozen':
      # Both of the original outputs (--saved_model_dir alongside).
      deploy.check_format(FLAGS.format, FLAGS.quantize)
      info = export_lib.export(
        FLAGS.model_name,
        FLAGS.checkpoint_path,
        output_file=FLAGS.output_file,
        saved_model_dir=FLAGS.saved_model_dir,
        config=configs.export_config(FLAGS),
      )
    else:
      output = FLAGS.output_file
      if FLAGS.format == 'saved_model':
        if FLAGS.output_file and FLAGS.saved_model_dir:
          raise ValueError(
            '--format=saved_model writes one directory; got '
            'both --output_file=%r and --saved_model_dir=%r'
            % (FLAGS.output_file, FLAGS.saved_model_dir)
          )
        output = FLAGS.output_file or FLAGS.saved_model_dir
      elif FLAGS.saved_model_dir:
        raise ValueError(
          '--saved_model_dir goes with --format=frozen or '
          'saved_model; got --format=%s' % FLAGS.format
        )
      info = deploy.export_model(
        FLAGS.model_name,
        FLAGS.checkpoint_path,
        output,
        FLAGS.format,
        FLAGS.quantize,
        calibration,
        configs.export_config(FLAGS),
      )
  logging.info(
    'Folded batch norm into %d convolutions.', len(info['folded_layers'])
  )
  if info['dropped_classes']:
    logging.info(
      'Dropped the first %d logits of the checkpoint (labels offset).',
      info['dropped_classes'],
    )
  logging.info(
    'Input: %s; outputs: %s; %d classes.',
    info['input'],
    ', '.join('%s=%s' % kv for kv in sorted(info['outputs'].items())),
    info['num_classes'],
  )
  if info.get('calibration_images'):
    logging.info(
      'Calibrated int8 on %d images of %s/%s.',
      info['calibration_images'],
      FLAGS.dataset_dir,
      FLAGS.dataset_split_name,
    )
  for what in ('output_file', 'saved_model_dir'):
    if info[what]:
      logging.info(
        'Wrote %s%s',
        info[what],
        ''
        if FLAGS.format == 'frozen'
        else ' (%s, quantize=%s)' % (FLAGS.format, FLAGS.quantize),
      )


if __name__ == '__main__':
  tools.define_export_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this script's own.
  flags.adopt_module_key_flags(tools)
  app.run(main)
