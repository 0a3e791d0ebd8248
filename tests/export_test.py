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
"""Tests for utils/export/export_lib.py and export_inference_graph.py.

The exported graphs (frozen GraphDef and SavedModel, batch norm folded) must
reproduce the eval-mode training graph on random weights with random
batch-norm statistics, for v1 (every conv folded) and v2 (only conv1/conv2 of
the units; preact and postnorm stay batch norms)."""

import os
import subprocess
import sys

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import nets_factory
from nets import tf_compat
from tests import test_util
from utils.export import config as export_config
from utils.export import export_lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = 64
MODEL_KWARGS = {'depth_multiplier': 0.125}


def relative_error(actual, expected):
  return np.max(np.abs(actual - expected)) / np.max(np.abs(expected))


def setUpModule():
  tf_compat.enable_graph_mode()


def randomized_batch_norm(values, seed=0):
  """Non-trivial batch norm: means and betas N(0, 0.1^2), variances and
  gammas U(0.5, 1.5), so that eval-mode batch norm is far from the identity."""
  rng = np.random.RandomState(seed)
  values = dict(values)
  for name, value in values.items():
    if name.endswith(('moving_variance', 'gamma')):
      values[name] = rng.uniform(0.5, 1.5, value.shape).astype(value.dtype)
    elif name.endswith(('moving_mean', 'beta')):
      values[name] = rng.normal(0.0, 0.1, value.shape).astype(value.dtype)
  return values


def write_checkpoint(
  directory, model_name, num_classes, images, model_kwargs=None
):
  """Saves a random network with random BN statistics (and training extras).

  Returns:
    The eval-mode logits of `images`.
  """
  with tf.Graph().as_default():
    tf.set_random_seed(0)
    network_fn = nets_factory.get_network_fn(
      model_name, num_classes, is_training=False
    )
    inputs = tf.placeholder(tf.float32, [None, SIZE, SIZE, 3])
    logits, _ = network_fn(
      inputs, **(MODEL_KWARGS if model_kwargs is None else model_kwargs)
    )
    # What a training checkpoint holds besides the model: the global step and
    # optimizer slots named `<variable>/Momentum`.
    tf.train.get_or_create_global_step()
    weights = tf.trainable_variables()[0]
    tf.get_variable(weights.op.name + '/Momentum', weights.shape)
    variables = tf.global_variables()
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      values = dict(zip([v.op.name for v in variables], sess.run(variables)))
      export_lib.load_values(sess, randomized_batch_norm(values))
      expected = sess.run(logits, {inputs: images})
      tf.train.Saver().save(sess, os.path.join(directory, 'model.ckpt'))
  return expected


def images(batch=3):
  return (
    np.random.RandomState(1)
    .uniform(-1, 1, (batch, SIZE, SIZE, 3))
    .astype(np.float32)
  )


def run_frozen(path, inputs):
  with tf.Graph().as_default() as graph:
    tf.import_graph_def(export_lib.read_graph_def(path), name='')
    placeholder = graph.get_tensor_by_name('input:0')
    ops = [n.op for n in graph.as_graph_def().node]
    with tf.Session() as sess:
      logits, predictions = sess.run(
        ['logits:0', 'predictions:0'], {placeholder: inputs}
      )
  return logits, predictions, ops, placeholder.get_shape().as_list()


class ExportTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('v1', 'resnet_v1_50', 0),
    ('v2', 'resnet_v2_50', 16 + 1),  # preact of 16 units, postnorm.
    # Layouts of converted weights (symmetric pool1 padding; Keras's
    # batch-norm epsilon).
    ('v1_tv', 'resnet_v1_50_tv', 0),
    ('v1_keras', 'resnet_v1_50_keras', 0),
    ('v2_keras', 'resnet_v2_50_keras', 16 + 1),
  )
  def test_exported_graphs_equal_the_eval_graph(self, model_name, remaining_bn):
    directory = test_util.temp_dir(self)
    inputs = images()
    expected = write_checkpoint(directory, model_name, 7, inputs)
    info = export_lib.export(
      model_name,
      directory,
      output_file=os.path.join(directory, 'g.pb'),
      saved_model_dir=os.path.join(directory, 'saved'),
      config=export_config.ExportConfig(
        image_size=SIZE, model_kwargs=MODEL_KWARGS
      ),
    )
    self.assertEqual(info['input'], 'input:0')
    self.assertEqual(info['outputs']['logits'], 'logits:0')
    self.assertEqual(info['num_classes'], 7)
    # v1: all 53 convolutions but logits; v2: conv1 and conv2 of 16 units.
    self.assertLen(
      info['folded_layers'], 53 if model_name.startswith('resnet_v1') else 32
    )

    logits, predictions, ops, shape = run_frozen(info['output_file'], inputs)
    self.assertEqual(shape, [None, SIZE, SIZE, 3])
    self.assertEqual(ops.count('FusedBatchNormV3'), remaining_bn)
    self.assertNotIn('VarHandleOp', ops)
    # Merged into the strided convolutions; the symmetric root's pool1
    # keeps its own.
    self.assertEqual(
      ops.count('Pad'),
      0 if model_name in ('resnet_v1_50', 'resnet_v2_50') else 1,
    )
    self.assertLess(relative_error(logits, expected), 1e-4)
    self.assertAllClose(predictions.sum(axis=1), np.ones(3), atol=1e-5)
    # The batch-norm statistics are far from the identity: folding matters.
    self.assertGreater(np.abs(expected).max(), 1e-3)

    with tf.Graph().as_default():
      with tf.Session() as sess:
        meta = tf.saved_model.loader.load(
          sess, [tf.saved_model.SERVING], info['saved_model_dir']
        )
        signature = meta.signature_def['serving_default']
        self.assertCountEqual(
          signature.outputs, ['logits', 'predictions', 'classes']
        )
        served, classes = sess.run(
          [signature.outputs['logits'].name, signature.outputs['classes'].name],
          {signature.inputs['images'].name: inputs},
        )
    self.assertLess(relative_error(served, expected), 1e-4)
    self.assertAllEqual(classes, expected.argmax(axis=1))

  def test_labels_offset_drops_the_background_logit(self):
    directory = test_util.temp_dir(self)
    inputs = images(2)
    expected = write_checkpoint(directory, 'resnet_v1_50', 11, inputs)
    info = export_lib.export(
      'resnet_v1_50',
      directory,
      output_file=os.path.join(directory, 'g.pb'),
      config=export_config.ExportConfig(
        image_size=SIZE,
        batch_size=2,
        labels_offset=1,
        model_kwargs=MODEL_KWARGS,
      ),
    )
    self.assertEqual((info['num_classes'], info['dropped_classes']), (10, 1))
    logits, _, _, shape = run_frozen(info['output_file'], inputs)
    self.assertEqual(shape, [2, SIZE, SIZE, 3])
    self.assertLess(relative_error(logits, expected[:, 1:]), 1e-4)

  def test_errors(self):
    directory = test_util.temp_dir(self)
    write_checkpoint(directory, 'resnet_v2_50', 5, images(1))
    out = os.path.join(directory, 'g.pb')
    with self.assertRaisesRegex(ValueError, r'Nothing to write'):
      export_lib.export('resnet_v2_50', directory)
    with self.assertRaisesRegex(ValueError, r"saved_model_dir='.*' exists"):
      export_lib.export('resnet_v2_50', directory, saved_model_dir=directory)
    with self.assertRaisesRegex(ValueError, r"no 'resnet_v1_50/logits/b"):
      export_lib.export('resnet_v1_50', directory, output_file=out)
    with self.assertRaisesRegex(
      ValueError, r"Shape of '.*shortcut/weights'.*64, 256"
    ):
      export_lib.export(
        'resnet_v2_50',
        directory,
        output_file=out,
        config=export_config.ExportConfig(image_size=SIZE),
      )  # No depth_multiplier.
    with self.assertRaisesRegex(ValueError, r"checkpoint_path='/nonexistent"):
      export_lib.export('resnet_v2_50', '/nonexistent/x', output_file=out)
    with self.assertRaisesRegex(ValueError, r'No checkpoint in directory'):
      export_lib.export(
        'resnet_v2_50', test_util.temp_dir(self), output_file=out
      )
    with self.assertRaisesRegex(ValueError, r'Unknown network'):
      export_lib.export('resnet_v9', directory, output_file=out)
    with self.assertRaisesRegex(ValueError, r'5 classes.*num_classes=1001'):
      export_lib.export(
        'resnet_v2_50',
        directory,
        output_file=out,
        config=export_config.ExportConfig(
          dataset_name='imagenet', image_size=SIZE, model_kwargs=MODEL_KWARGS
        ),
      )

  def test_load_values_must_match_the_variables(self):
    with tf.Graph().as_default():
      tf.Variable(tf.zeros([2]), name='a')
      with tf.Session() as sess:
        with self.assertRaisesRegex(
          ValueError,
          r'does not match.*1 variables without a value '
          r"\(e.g. \['a'\]\), 1 checkpoint values unused \(e.g. \['b'\]",
        ):
          export_lib.load_values(sess, {'b': np.zeros(2)})
        export_lib.load_values(sess, {'a': np.array([1.0, 2.0], np.float32)})
        self.assertAllEqual(sess.run(tf.global_variables()[0]), [1.0, 2.0])


class FoldTest(tf.test.TestCase, parameterized.TestCase):
  def test_merge_pad_into_conv(self):
    rng = np.random.RandomState(0)
    images = rng.normal(size=(2, 9, 8, 3)).astype(np.float32)
    with tf.Graph().as_default() as graph:
      x = tf.placeholder(tf.float32, [None, 9, 8, 3], name='x')
      weights = tf.constant(rng.normal(size=(3, 3, 3, 4)), tf.float32)
      padded = tf.pad(x, [[0, 0], [1, 2], [0, 1], [0, 0]])
      merged = tf.nn.conv2d(padded, weights, 2, 'VALID', name='merged')
      # Not merged: a padded input with a second user.
      shared = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
      kept = (
        tf.nn.conv2d(shared, weights, 1, 'VALID') + shared[:, 1:-1, 1:-1, :1]
      )
      outputs = [
        tf.identity(merged, name='out0'),
        tf.identity(kept, name='out1'),
      ]
      with tf.Session() as sess:
        expected = sess.run(outputs, {x: images})
      rewritten = export_lib.merge_pad_into_conv(graph.as_graph_def())
    self.assertEqual([n.op for n in rewritten.node].count('Pad'), 1)
    conv = [n for n in rewritten.node if n.name == 'merged'][0]
    self.assertEqual(conv.attr['padding'].s, b'EXPLICIT')
    self.assertEqual(
      list(conv.attr['explicit_paddings'].list.i), [0, 0, 1, 2, 0, 1, 0, 0]
    )
    with tf.Graph().as_default():
      tf.import_graph_def(rewritten, name='')
      with tf.Session() as sess:
        actual = sess.run(['out0:0', 'out1:0'], {'x:0': images})
    for a, e in zip(actual, expected):
      self.assertAllClose(a, e, atol=1e-5, rtol=1e-5)

  def test_merge_pad_into_conv_keeps_channel_padding(self):
    # Not run: TF 2.21's oneDNN pass itself mishandles this graph.
    with tf.Graph().as_default() as graph:
      x = tf.placeholder(tf.float32, [None, 9, 8, 3])
      channels = tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, 1]])
      tf.nn.conv2d(channels, tf.ones([1, 1, 4, 2]), 1, 'VALID', name='c')
    rewritten = export_lib.merge_pad_into_conv(graph.as_graph_def())
    self.assertEqual(rewritten, graph.as_graph_def())

  def test_fold_batch_norm_by_hand(self):
    rng = np.random.RandomState(0)
    w = rng.normal(size=(1, 1, 2, 3)).astype(np.float32)
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.1, -0.2, 0.3])
    mean, var = np.array([0.5, 0.0, -1.0]), np.array([4.0, 1.0, 0.25])
    values = {
      'n/c/weights': w,
      'n/c/BatchNorm/gamma': gamma,
      'n/c/BatchNorm/beta': beta,
      'n/c/BatchNorm/moving_mean': mean,
      'n/c/BatchNorm/moving_variance': var,
      'n/unit/preact/moving_mean': mean,
      'n/logits/biases': beta,
    }
    folded, layers = export_lib.fold_batch_norm(values, epsilon=1e-12)
    self.assertEqual(layers, ['n/c'])
    self.assertCountEqual(
      folded,
      [
        'n/c/weights',
        'n/c/biases',
        'n/unit/preact/moving_mean',
        'n/logits/biases',
      ],
    )
    scale = gamma / np.sqrt(var)  # [0.5, 2, 1]
    self.assertAllClose(folded['n/c/weights'], w * [0.5, 2.0, 1.0])
    self.assertAllClose(folded['n/c/biases'], [0.1 - 0.25, -0.2, 0.3 + 1.0])
    # The identity: x @ w' + b' == BN(x @ w) for any x.
    x = rng.normal(size=(4, 2))
    bn = (x @ w[0, 0] - mean) * scale + beta
    self.assertAllClose(
      x @ folded['n/c/weights'][0, 0] + folded['n/c/biases'], bn
    )
    self.assertEqual(folded['n/c/weights'].dtype, np.float32)

  def test_fold_without_gamma_and_beta(self):
    values = {
      'c/weights': np.ones((1, 1, 1, 2), np.float32),
      'c/BatchNorm/moving_mean': np.array([1.0, 2.0], np.float32),
      'c/BatchNorm/moving_variance': np.array([3.0, 8.0], np.float32),
    }
    folded, _ = export_lib.fold_batch_norm(values, epsilon=1.0)
    self.assertAllClose(folded['c/weights'].ravel(), [0.5, 1 / 3.0])
    self.assertAllClose(folded['c/biases'], [-0.5, -2 / 3.0])

  @parameterized.named_parameters(
    (
      'no_conv',
      {'c/BatchNorm/moving_mean': np.zeros(1)},
      1e-5,
      r"'c/weights' is missing",
    ),
    (
      'no_variance',
      {
        'c/weights': np.zeros((1, 1, 1, 1)),
        'c/BatchNorm/moving_mean': np.zeros(1),
      },
      1e-5,
      r"lacks 'moving_variance'",
    ),
    ('epsilon', {}, 0.0, r'epsilon=0.0'),
  )
  def test_fold_errors(self, values, epsilon, message):
    with self.assertRaisesRegex(ValueError, message):
      export_lib.fold_batch_norm(values, epsilon)

  @parameterized.named_parameters(
    ('from_checkpoint', 1000, None, 0, None, (1000, 0)),
    ('offset_drops_background', 1001, None, 1, None, (1000, 1)),
    ('offset_already_applied', 1000, None, 1, 1001, (1000, 0)),
    ('dataset_background_kept', 1001, None, 0, 1001, (1001, 0)),
    ('dataset_offset_drops', 1001, None, 1, 1001, (1000, 1)),
    ('explicit', 1001, 1000, 1, None, (1000, 1)),
  )
  def test_resolve_num_classes(
    self, ckpt, num_classes, offset, dataset, expected
  ):
    self.assertEqual(
      export_lib.resolve_num_classes(ckpt, num_classes, offset, dataset),
      expected,
    )

  @parameterized.named_parameters(
    (
      'mismatch',
      1001,
      998,
      1,
      None,
      r'1001 classes.*num_classes=998.*998 \+ 1',
    ),
    ('dataset_mismatch', 1000, None, 0, 1001, r'1000 classes.*=1001'),
    ('negative_offset', 10, None, -1, None, r'labels_offset=-1'),
    ('zero_classes', 1, None, 1, None, r'num_classes=0'),
  )
  def test_resolve_num_classes_errors(
    self, ckpt, num_classes, offset, dataset, message
  ):
    with self.assertRaisesRegex(ValueError, message):
      export_lib.resolve_num_classes(ckpt, num_classes, offset, dataset)


class ScriptTest(tf.test.TestCase):
  def test_command_line_logs_the_names(self):
    directory = test_util.temp_dir(self)
    write_checkpoint(
      directory,
      'resnet_cifar_20',
      10,
      np.zeros((1, SIZE, SIZE, 3), np.float32),
      {},
    )
    output = os.path.join(directory, 'frozen.pb')
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL='2')
    proc = subprocess.run(
      [
        sys.executable,
        os.path.join(ROOT, 'export_inference_graph.py'),
        '--model_name=resnet_cifar_20',
        '--checkpoint_path=' + directory,
        '--output_file=' + output,
        '--labels_offset=1',
      ],
      env=env,
      capture_output=True,
      text=True,
      check=False,
    )
    self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
    self.assertIn('Input: input:0', proc.stderr)
    self.assertIn('logits=logits:0', proc.stderr)
    self.assertIn('9 classes', proc.stderr)
    # The names and the class count logged are those of the frozen graph
    # (at resnet_cifar_20's default size, 32).
    logits, _, _, input_shape = run_frozen(
      output, np.zeros((2, 32, 32, 3), np.float32)
    )
    self.assertEqual([None, 32, 32, 3], input_shape)
    self.assertEqual((2, 9), logits.shape)

  def test_missing_checkpoint_is_one_error_line(self):
    missing = os.path.join(test_util.temp_dir(self), 'nothing')
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL='2')
    proc = subprocess.run(
      [
        sys.executable,
        os.path.join(ROOT, 'export_inference_graph.py'),
        '--model_name=resnet_cifar_20',
        '--checkpoint_path=' + missing,
        '--output_file=' + missing + '.pb',
      ],
      env=env,
      capture_output=True,
      text=True,
      check=False,
    )
    self.assertEqual(1, proc.returncode)
    self.assertEqual(
      'export_inference_graph.py: error: No checkpoint at '
      "checkpoint_path='%s'" % missing,
      proc.stderr.splitlines()[-1],
    )
    self.assertNotIn('Traceback', proc.stderr)


if __name__ == '__main__':
  tf.test.main()
