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
"""

import warnings

from absl import app
from absl import flags
from absl import logging
import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils.export import export_lib

FLAGS = flags.FLAGS


def define_flags():
  """Defines the flags of this script (slim's names)."""
  flags.DEFINE_string('model_name', 'resnet_v1_50',
                      'The registered network of the checkpoint.')
  flags.DEFINE_string('checkpoint_path', None,
                      'A checkpoint prefix or a training directory.')
  flags.DEFINE_string('output_file', None,
                      'Where to write the frozen GraphDef (binary).')
  flags.DEFINE_string('saved_model_dir', None,
                      'Where to write a SavedModel (must not exist).')
  flags.DEFINE_integer('image_size', None,
                       'Input size; default: the network\'s.')
  flags.DEFINE_integer('batch_size', None,
                       'Fixed batch size; default: any batch size.')
  flags.DEFINE_integer('num_classes', None,
                       'Classes of the exported head; default: from '
                       '--dataset_name or the checkpoint.')
  flags.DEFINE_integer('labels_offset', 0,
                       'The labels offset of training; a checkpoint with '
                       'this many extra classes has its first logits '
                       'dropped (1001 -> 1000 for ImageNet).')
  flags.DEFINE_string('dataset_name', None,
                      'Optional data set giving the number of classes.')
  flags.DEFINE_boolean('fold_batch_norm', True,
                       'Fold batch norm into the convolutions.')
  flags.mark_flag_as_required('checkpoint_path')


def main(argv):
  if len(argv) > 1:
    raise app.UsageError('Unexpected arguments: %s' % ' '.join(argv[1:]))
  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)  # TF1 deprecation notices.
  # tf_slim's layers call Keras's deprecated `layer.apply`.
  warnings.filterwarnings('ignore', message='`layer.apply` is deprecated')
  try:
    info = export_lib.export(
        FLAGS.model_name, FLAGS.checkpoint_path,
        output_file=FLAGS.output_file, saved_model_dir=FLAGS.saved_model_dir,
        image_size=FLAGS.image_size, batch_size=FLAGS.batch_size,
        num_classes=FLAGS.num_classes, labels_offset=FLAGS.labels_offset,
        dataset_name=FLAGS.dataset_name, fold=FLAGS.fold_batch_norm)
  except ValueError as e:
    raise app.UsageError(str(e)) from e
  logging.info('Folded batch norm into %d convolutions.',
               len(info['folded_layers']))
  if info['dropped_classes']:
    logging.info('Dropped the first %d logits of the checkpoint (labels '
                 'offset).', info['dropped_classes'])
  logging.info('Input: %s; outputs: %s; %d classes.', info['input'],
               ', '.join('%s=%s' % kv for kv in sorted(
                   info['outputs'].items())), info['num_classes'])
  for what in ('output_file', 'saved_model_dir'):
    if info[what]:
      logging.info('Wrote %s', info[what])


if __name__ == '__main__':
  define_flags()
  app.run(main)
