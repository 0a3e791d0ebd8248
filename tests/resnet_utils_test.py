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
"""Tests of nets/resnet_utils.py (only here, not repeated per family)."""

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import resnet_utils
from nets import resnet_v1
from nets import tf_compat
from tests import test_util


def setUpModule():
  tf_compat.enable_graph_mode()


def _ones_conv_scope():
  """Convolutions with all-ones weights, zero biases, no activation."""
  return slim.arg_scope(
    [slim.conv2d],
    weights_initializer=tf.ones_initializer(),
    biases_initializer=tf.zeros_initializer(),
    activation_fn=None,
    normalizer_fn=None,
  )


def _tiny_blocks():
  """Nominal stride 8: base depths 1, 2, 4, 8 and strides 2, 2, 2, 1."""
  return [
    resnet_v1.resnet_v1_block('block1', base_depth=1, num_units=2, stride=2),
    resnet_v1.resnet_v1_block('block2', base_depth=2, num_units=2, stride=2),
    resnet_v1.resnet_v1_block('block3', base_depth=4, num_units=2, stride=2),
    resnet_v1.resnet_v1_block('block4', base_depth=8, num_units=2, stride=1),
  ]


class SubsampleTest(tf.test.TestCase):
  def test_subsample_three_by_three(self):
    with tf.Graph().as_default():
      x = tf.reshape(tf.range(9, dtype=tf.float32), [1, 3, 3, 1])
      y = resnet_utils.subsample(x, 2)
      with self.cached_session() as sess:
        self.assertAllEqual(sess.run(y).reshape(2, 2), [[0, 2], [6, 8]])

  def test_subsample_four_by_four(self):
    with tf.Graph().as_default():
      x = tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1])
      y = resnet_utils.subsample(x, 2)
      with self.cached_session() as sess:
        self.assertAllEqual(sess.run(y).reshape(2, 2), [[0, 2], [8, 10]])

  def test_subsample_by_one_is_identity(self):
    with tf.Graph().as_default():
      x = tf.zeros([1, 5, 5, 2])
      self.assertIs(resnet_utils.subsample(x, 1), x)


class Conv2DSameTest(tf.test.TestCase):
  """conv2d_same against arrays computed by hand (see its docstring)."""

  def test_conv2d_same_even(self):
    # x[i, j] = i + j on 4x4; a 3x3 all-ones kernel. The stride-1 'SAME'
    # output subsampled by 2 holds the sums of the 3x3 windows centred on
    # (0, 0), (0, 2), (2, 0) and (2, 2):
    with tf.Graph().as_default():
      x = test_util.create_test_input(1, 4, 4, 1)
      with _ones_conv_scope():
        y_same = resnet_utils.conv2d_same(x, 1, 3, stride=2, scope='same')
        y1 = slim.conv2d(x, 1, [3, 3], stride=1, scope='dense')
        y_sub = resnet_utils.subsample(y1, 2)
        y_tf = slim.conv2d(
          x, 1, [3, 3], stride=2, padding='SAME', scope='tf_same'
        )
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        expected = [[4, 15], [15, 36]]
        self.assertAllEqual(sess.run(y_same).reshape(2, 2), expected)
        self.assertAllEqual(sess.run(y_sub).reshape(2, 2), expected)
        # TensorFlow's own strided 'SAME' pads 0 before and 1 after on even
        # inputs, which is not the same computation.
        self.assertAllEqual(sess.run(y_tf).reshape(2, 2), [[18, 21], [21, 20]])

  def test_conv2d_same_odd(self):
    with tf.Graph().as_default():
      x = test_util.create_test_input(1, 5, 5, 1)
      with _ones_conv_scope():
        y_same = resnet_utils.conv2d_same(x, 1, 3, stride=2, scope='same')
        y1 = slim.conv2d(x, 1, [3, 3], stride=1, scope='dense')
        y_sub = resnet_utils.subsample(y1, 2)
        y_tf = slim.conv2d(
          x, 1, [3, 3], stride=2, padding='SAME', scope='tf_same'
        )
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        expected = [[4, 15, 16], [15, 36, 33], [16, 33, 28]]
        self.assertAllEqual(sess.run(y_same).reshape(3, 3), expected)
        self.assertAllEqual(sess.run(y_sub).reshape(3, 3), expected)
        self.assertAllEqual(sess.run(y_tf).reshape(3, 3), expected)


class StackBlocksDenseTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('os1', 1), ('os2', 2), ('os4', 4), ('os8', 8), ('nominal', None)
  )
  def test_atrous_values_equal_subsampled_nominal(self, output_stride):
    """Atrous output at output_stride == nominal output, subsampled."""
    nominal_stride = 8
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      inputs = test_util.create_test_input(2, 33, 33, 3) / 33.0
      with test_util.arg_scope(is_training=False):
        with tf.variable_scope('net') as scope:
          output = resnet_utils.stack_blocks_dense(
            inputs, _tiny_blocks(), output_stride
          )
          factor = nominal_stride // (output_stride or nominal_stride)
          output = resnet_utils.subsample(output, factor)
          scope.reuse_variables()
          expected = resnet_utils.stack_blocks_dense(
            inputs, _tiny_blocks(), None
          )
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        test_util.randomize_batch_norm(sess)
        output, expected = sess.run([output, expected])
        self.assertEqual(output.shape, (2, 5, 5, 32))
        self.assertAllClose(output, expected, atol=1e-4, rtol=1e-4)

  def test_store_non_strided_activations(self):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      inputs = test_util.create_test_input(1, 33, 33, 3) / 33.0
      with test_util.arg_scope(is_training=False):
        with tf.variable_scope('net') as scope:
          strided = resnet_utils.stack_blocks_dense(
            inputs, _tiny_blocks(), outputs_collections='strided'
          )
          scope.reuse_variables()
          non_strided = resnet_utils.stack_blocks_dense(
            inputs,
            _tiny_blocks(),
            store_non_strided_activations=True,
            outputs_collections='non_strided',
          )
      strided_points = slim.utils.convert_collection_to_dict('strided')
      dense_points = slim.utils.convert_collection_to_dict('non_strided')
      # Block outputs stored before the block's subsampling: 33 -> 33, 17,
      # 9, 5 instead of 17, 9, 5, 5.
      for block, size, dense_size in (
        ('block1', 17, 33),
        ('block2', 9, 17),
        ('block3', 5, 9),
        ('block4', 5, 5),
      ):
        self.assertEqual(strided_points['net/%s' % block].shape[1], size)
        self.assertEqual(dense_points['net/%s' % block].shape[1], dense_size)
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        # Freshly initialized batch norms make every output 0 here.
        test_util.randomize_batch_norm(sess)
        a, b, strided_points, dense_points = sess.run(
          [strided, non_strided, strided_points, dense_points]
        )
        self.assertGreater(np.abs(a).max(), 0.1)
        self.assertAllClose(a, b, atol=1e-4, rtol=1e-4)
      # The stored activations are the strided ones before subsampling.
      for block, factor in (
        ('block1', 2),
        ('block2', 2),
        ('block3', 2),
        ('block4', 1),
      ):
        self.assertAllClose(
          strided_points['net/' + block],
          dense_points['net/' + block][:, ::factor, ::factor],
          atol=1e-4,
          rtol=1e-4,
          msg=block,
        )

  @parameterized.named_parameters(
    ('three', 3), ('sixteen', 16), ('zero', 0), ('float', 2.0)
  )
  def test_unreachable_output_stride(self, output_stride):
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(1, 33, 33, 3)
      with self.assertRaisesRegex(
        ValueError,
        r'output_stride %r cannot be reached.*\[1, 2, 4, 8\]' % output_stride,
      ):
        resnet_utils.stack_blocks_dense(inputs, _tiny_blocks(), output_stride)


class GroupedConvTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('stride1', 1, 1), ('stride2', 2, 1), ('atrous', 1, 2)
  )
  def test_grouped_conv_equals_split_concat(self, stride, rate):
    groups = 4
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      x = tf.random.normal([2, 9, 9, 8], seed=1)
      with slim.arg_scope(
        [slim.conv2d], activation_fn=None, normalizer_fn=None
      ):
        y = resnet_utils.grouped_conv2d_same(
          x, 12, 3, stride, groups, rate=rate, scope='grouped'
        )
      weights = tf.global_variables('grouped/weights')[0]
      biases = tf.global_variables('grouped/biases')[0]
      self.assertEqual(weights.shape.as_list(), [3, 3, 2, 12])
      # Reference: each group of 2 input channels convolved with its 3 filters
      # by an ordinary convolution, then concatenated.
      inputs = tf.split(x, groups, axis=3)
      filters = tf.split(weights, groups, axis=3)
      if stride > 1:
        inputs = [tf.pad(t, [[0, 0], [1, 1], [1, 1], [0, 0]]) for t in inputs]
      parts = [
        tf.nn.conv2d(
          t,
          w,
          [1, stride, stride, 1],
          'VALID' if stride > 1 else 'SAME',
          dilations=[1, rate, rate, 1],
        )
        for t, w in zip(inputs, filters)
      ]
      reference = tf.concat(parts, axis=3) + biases
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        biases.load(np.arange(12, dtype=np.float32), sess)
        actual, expected = sess.run([y, reference])
        self.assertAllClose(actual, expected, atol=1e-4, rtol=1e-4)

  def test_grouped_conv_takes_conv2d_arg_scope(self):
    with tf.Graph().as_default():
      x = tf.zeros([1, 8, 8, 8])
      with test_util.arg_scope(weight_decay=0.5):
        resnet_utils.grouped_conv2d_same(x, 8, 3, 1, 2, scope='g')
      names = sorted(v.op.name for v in tf.global_variables())
      self.assertEqual(
        names,
        [
          'g/BatchNorm/beta',
          'g/BatchNorm/gamma',
          'g/BatchNorm/moving_mean',
          'g/BatchNorm/moving_variance',
          'g/weights',
        ],
      )
      self.assertLen(tf.losses.get_regularization_losses(), 1)

  @parameterized.named_parameters(('three', 3), ('zero', 0), ('half', 0.5))
  def test_bad_groups(self, groups):
    with tf.Graph().as_default():
      x = tf.zeros([1, 8, 8, 8])
      with self.assertRaisesRegex(ValueError, 'groups=%r' % groups):
        resnet_utils.grouped_conv2d_same(x, 8, 3, 1, groups)


class SqueezeExcitationTest(tf.test.TestCase):
  def test_shape_and_gate_range(self):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      x = tf.random.normal([2, 5, 5, 32], seed=3)
      with test_util.arg_scope(is_training=True):
        y = resnet_utils.squeeze_excitation(x, 2)
      gate = tf.get_default_graph().get_tensor_by_name('se/gate:0')
      self.assertEqual(y.shape.as_list(), [2, 5, 5, 32])
      self.assertEqual(gate.shape.as_list(), [2, 1, 1, 32])
      names = sorted(v.op.name for v in tf.global_variables())
      self.assertEqual(
        names,
        ['se/fc1/biases', 'se/fc1/weights', 'se/fc2/biases', 'se/fc2/weights'],
      )
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        x_value, y_value, g = sess.run([x, y, gate])
        self.assertTrue(np.all(g > 0) and np.all(g < 1))
        self.assertAllClose(y_value, x_value * g, atol=1e-6)


class ShortcutTest(tf.test.TestCase):
  def test_option_a_pads_without_variables(self):
    with tf.Graph().as_default():
      x = tf.ones([1, 4, 4, 2])
      y = resnet_utils.shortcut(x, 6, 2, shortcut_type='A')
      self.assertEqual(tf.global_variables(), [])
      with self.cached_session() as sess:
        value = sess.run(y)
      self.assertEqual(value.shape, (1, 2, 2, 6))
      self.assertAllEqual(value[0, 0, 0], [0, 0, 1, 1, 0, 0])

  def test_bad_shortcut_type(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, "got 'C'"):
        resnet_utils.shortcut(tf.ones([1, 4, 4, 2]), 4, 1, shortcut_type='C')


if __name__ == '__main__':
  tf.test.main()
