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
"""Tests of the ResNet family: ResNet-18/34, ResNeXt, SE, CIFAR, beta.

Every registered network runs forward and backward in a tiny configuration
(depth_multiplier 1/8, small inputs); the full-size networks are built by
nets_factory_test.py only.
"""

from absl.testing import parameterized
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from nets import nets_factory
from nets import resnet_cifar
from nets import resnet_v1
from nets import resnet_v2
from nets import resnext
from nets import se_resnet
from nets import tf_compat
from tests import test_util


def setUpModule():
  tf_compat.enable_graph_mode()


def tiny_kwargs(name):
  """depth_multiplier 1/8; ResNeXt keeps a bottleneck its groups divide."""
  min_base_depth = 16 if ('resnext' in name and 'cifar' not in name) else 8
  return dict(depth_multiplier=0.125, min_base_depth=min_base_depth)


def tiny_size(name):
  return 32 if 'cifar' in name else 64


# The deeper networks' cases are slow: SLOW_TESTS in tests/conftest.py.
@pytest.mark.parametrize('name', sorted(nets_factory.NETWORKS))
def test_tiny_forward_and_gradients(name):
  """Finite logits of the right shape, and a gradient for every variable."""
  size = tiny_size(name)
  with tf.Graph().as_default():
    tf.set_random_seed(0)
    images = tf.random.uniform([2, size, size, 3], -1, 1, seed=1)
    network_fn = nets_factory.get_network_fn(
      name, 7, weight_decay=1e-4, is_training=True
    )
    logits, end_points = network_fn(images, **tiny_kwargs(name))
    assert logits.shape.as_list() == [2, 7]
    loss = tf.losses.softmax_cross_entropy(tf.one_hot([1, 3], 7), logits)
    loss += tf.add_n(tf.losses.get_regularization_losses())
    variables = tf.trainable_variables()
    grads = tf.gradients(loss, variables)
    missing = [v.op.name for v, g in zip(variables, grads) if g is None]
    assert not missing
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      logits_value, predictions, grad_values = sess.run(
        [logits, end_points['predictions'], grads]
      )
    assert np.all(np.isfinite(logits_value))
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, atol=1e-5)
    assert all(np.all(np.isfinite(g)) for g in grad_values)


def _conv_rate(scope):
  """The atrous rate of the convolution under `scope` in the default graph.

  TensorFlow builds an atrous convolution as SpaceToBatchND (block shape =
  rate), a plain Conv2D and BatchToSpaceND, or as a Conv2D with dilations.
  """
  rates = set()
  for op in tf.get_default_graph().get_operations():
    if not op.name.startswith(scope):
      continue
    if op.type == 'SpaceToBatchND':
      rates.update(tf.get_static_value(op.inputs[1]).tolist())
    elif op.type == 'Conv2D':
      rates.update(op.get_attr('dilations')[1:3])
  rates.discard(1)
  if len(rates) > 1:
    raise AssertionError('several rates under %s: %s' % (scope, rates))
  return rates.pop() if rates else 1


class AtrousFamilyTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.parameters(
    'resnet_v1_18', 'resnext_50_32x4d', 'se_resnet_50', 'resnet_v2_18'
  )
  def test_atrous_equals_nominal(self, name):
    fn = nets_factory.NETWORKS[name].fn
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      inputs = test_util.create_test_input(2, 65, 65, 3) / 65.0
      with test_util.arg_scope():
        with tf.variable_scope('net') as scope:
          dense, _ = fn(
            inputs,
            None,
            is_training=False,
            global_pool=False,
            output_stride=8,
            **tiny_kwargs(name),
          )
          dense = dense[:, ::4, ::4, :]
          scope.reuse_variables()
          nominal, _ = fn(
            inputs,
            None,
            is_training=False,
            global_pool=False,
            **tiny_kwargs(name),
          )
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        test_util.randomize_batch_norm(sess)
        dense, nominal = sess.run([dense, nominal])
    self.assertEqual(dense.shape[1:3], (3, 3))
    # Activations grow to ~1e3 in these un-normalised random networks, so the
    # error is relative to the largest one (float32 round-off is ~1e-5).
    self.assertLess(test_util.relative_error(dense, nominal), 1e-4)


class VariantStructureTest(tf.test.TestCase, parameterized.TestCase):
  def _build(self, fn, size=224, **kwargs):
    inputs = tf.placeholder(tf.float32, [1, size, size, 3])
    with test_util.arg_scope():
      return fn(inputs, 10, **kwargs)

  def test_resnext_grouped_conv(self):
    with tf.Graph().as_default():
      self._build(resnext.resnext_50_32x4d)
      unit = 'resnext_50_32x4d/block1/unit_1/bottleneck_v1/'
      shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
      # 32 groups of 4 channels at base depth 64: width 128, output 256.
      self.assertEqual(shapes[unit + 'conv1/weights'], [1, 1, 64, 128])
      self.assertEqual(shapes[unit + 'conv2/weights'], [3, 3, 4, 128])
      self.assertEqual(shapes[unit + 'conv3/weights'], [1, 1, 128, 256])
      self.assertIn(unit + 'conv2/BatchNorm/gamma', shapes)
      unit4 = 'resnext_50_32x4d/block4/unit_1/bottleneck_v1/'
      self.assertEqual(shapes[unit4 + 'conv2/weights'], [3, 3, 32, 1024])

  def test_se_scope_has_no_batch_norm(self):
    with tf.Graph().as_default():
      self._build(se_resnet.se_resnet_50)
      se_vars = [
        v.op.name for v in tf.global_variables() if '/se/' in v.op.name
      ]
      # 16 units, fc1 and fc2 with weights and biases each.
      self.assertLen(se_vars, 16 * 4)
      self.assertFalse([n for n in se_vars if 'BatchNorm' in n])
      shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
      se = 'se_resnet_50/block1/unit_1/bottleneck_v1/se/'
      self.assertEqual(shapes[se + 'fc1/weights'], [1, 1, 256, 16])
      self.assertEqual(shapes[se + 'fc2/weights'], [1, 1, 16, 256])

  def test_se_gate_in_open_unit_interval(self):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      images = tf.random.uniform([2, 64, 64, 3], -1, 1, seed=2)
      with test_util.arg_scope():
        se_resnet.se_resnet_50(images, 10, **tiny_kwargs('se_resnet_50'))
      gates = [
        op.outputs[0]
        for op in tf.get_default_graph().get_operations()
        if op.name.endswith('/se/gate')
      ]
      self.assertLen(gates, 16)
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in sess.run(gates):
          self.assertTrue(np.all(value > 0) and np.all(value < 1))

  @parameterized.parameters(
    ('resnet_v1_18', 'basic_block_v1'), ('resnet_v2_34', 'basic_block_v2')
  )
  def test_basic_units(self, name, unit):
    with tf.Graph().as_default():
      _, end_points = self._build(nets_factory.NETWORKS[name].fn)
      names = [v.op.name for v in tf.global_variables()]
      self.assertIn('%s/block1/unit_1/%s/conv2/weights' % (name, unit), names)
      self.assertNotIn(
        '%s/block1/unit_1/%s/conv3/weights' % (name, unit), names
      )
      # Projections only where the depth changes: blocks 2, 3 and 4.
      shortcuts = sorted(
        {n.split('/%s/' % unit)[0] for n in names if '/shortcut/' in n}
      )
      self.assertEqual(
        shortcuts, ['%s/block%d/unit_1' % (name, b) for b in (2, 3, 4)]
      )
      self.assertEqual(
        end_points['%s/block4' % name].shape.as_list(), [1, 7, 7, 512]
      )

  def test_cifar_shapes_and_option_a_shortcuts(self):
    with tf.Graph().as_default():
      _, end_points = self._build(resnet_cifar.resnet_cifar_20, size=32)
      for block, shape in (
        ('block1', [1, 32, 32, 16]),
        ('block2', [1, 16, 16, 32]),
        ('block3', [1, 8, 8, 64]),
      ):
        self.assertEqual(
          end_points['resnet_cifar_20/' + block].shape.as_list(), shape
        )
      self.assertFalse(
        [v for v in tf.global_variables() if 'shortcut' in v.op.name]
      )
      self.assertNotIn('resnet_cifar_20/pool1', end_points)

  def test_cifar_option_b_projects(self):
    with tf.Graph().as_default():
      self._build(resnet_cifar.resnet_cifar_20, size=32, shortcut_type='B')
      shortcuts = {
        v.op.name.split('/basic_block_v1/')[0]
        for v in tf.global_variables()
        if 'shortcut' in v.op.name
      }
      self.assertEqual(
        shortcuts,
        {'resnet_cifar_20/block2/unit_1', 'resnet_cifar_20/block3/unit_1'},
      )

  def test_resnext_cifar_widths(self):
    with tf.Graph().as_default():
      self._build(resnet_cifar.resnext_cifar_29_8x64d, size=32)
      shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
      prefix = 'resnext_cifar_29_8x64d/block%d/unit_1/bottleneck_v1/'
      self.assertEqual(
        shapes['resnext_cifar_29_8x64d/conv1/weights'], [3, 3, 3, 64]
      )
      for block, width, depth in (
        (1, 512, 256),
        (2, 1024, 512),
        (3, 2048, 1024),
      ):
        self.assertEqual(
          shapes[prefix % block + 'conv2/weights'], [3, 3, width // 8, width]
        )
        self.assertEqual(
          shapes[prefix % block + 'conv3/weights'], [1, 1, width, depth]
        )

  def test_beta_root(self):
    with tf.Graph().as_default():
      _, end_points = self._build(resnet_v1.resnet_v1_50_beta)
      shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
      for conv, shape in (
        ('conv1_1', [3, 3, 3, 64]),
        ('conv1_2', [3, 3, 64, 64]),
        ('conv1_3', [3, 3, 64, 128]),
      ):
        self.assertEqual(shapes['resnet_v1_50/%s/weights' % conv], shape)
      self.assertNotIn('resnet_v1_50/conv1/weights', shapes)
      self.assertEqual(
        end_points['resnet_v1_50/block1'].shape.as_list(), [1, 28, 28, 256]
      )

  @parameterized.named_parameters(
    ('nominal', None, (1, 2, 4)),
    ('os16', 16, (2, 4, 8)),
    ('os8', 8, (4, 8, 16)),
  )
  def test_multi_grid_rates(self, output_stride, rates):
    with tf.Graph().as_default():
      self._build(
        resnet_v1.resnet_v1_101_beta,
        size=65,
        global_pool=False,
        spatial_squeeze=False,
        output_stride=output_stride,
        multi_grid=(1, 2, 4),
      )
      actual = tuple(
        _conv_rate('resnet_v1_101/block4/unit_%d/bottleneck_v1/conv2/' % unit)
        for unit in (1, 2, 3)
      )
      self.assertEqual(actual, rates)

  def test_frozen_variable_names_of_variant_units(self):
    """Checkpoint-name stability of the new unit kinds; rename on purpose."""
    with tf.Graph().as_default():
      x = tf.zeros([1, 8, 8, 4])
      with test_util.arg_scope():
        with tf.variable_scope('a'):
          resnet_v1.basic_block(x, 8, 2)
        with tf.variable_scope('b'):
          resnet_v2.basic_block(x, 4, 1)
        with tf.variable_scope('c'):
          resnet_v1.bottleneck(x, 8, 4, 1, cardinality=2, se_ratio=4)
      names = sorted(v.op.name for v in tf.global_variables())
    bn = [
      'BatchNorm/beta',
      'BatchNorm/gamma',
      'BatchNorm/moving_mean',
      'BatchNorm/moving_variance',
    ]
    expected = sorted(
      [
        'a/basic_block_v1/%s/%s' % (c, b)
        for c in ('conv1', 'conv2', 'shortcut')
        for b in bn
      ]
      + [
        'a/basic_block_v1/%s/weights' % c
        for c in ('conv1', 'conv2', 'shortcut')
      ]
      + ['b/basic_block_v2/preact/%s' % b.split('/')[1] for b in bn]
      + ['b/basic_block_v2/conv1/%s' % b for b in bn]
      + [
        'b/basic_block_v2/conv1/weights',
        'b/basic_block_v2/conv2/weights',
        'b/basic_block_v2/conv2/biases',
      ]
      + [
        'c/bottleneck_v1/%s/%s' % (c, b)
        for c in ('conv1', 'conv2', 'conv3', 'shortcut')
        for b in bn
      ]
      + [
        'c/bottleneck_v1/%s/weights' % c
        for c in ('conv1', 'conv2', 'conv3', 'shortcut')
      ]
      + [
        'c/bottleneck_v1/se/fc1/weights',
        'c/bottleneck_v1/se/fc1/biases',
        'c/bottleneck_v1/se/fc2/weights',
        'c/bottleneck_v1/se/fc2/biases',
      ]
    )
    self.assertEqual(names, expected)


class VariantErrorsTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('cardinality_not_dividing', dict(cardinality=3), r'cardinality=3'),
    ('cardinality_zero', dict(cardinality=0), r'cardinality=0'),
    ('cardinality_float', dict(cardinality=2.0), r'cardinality=2.0'),
    ('se_ratio_zero', dict(se_ratio=0), r'se_ratio=0'),
    ('se_ratio_too_big', dict(se_ratio=1000), r'se_ratio=1000'),
    ('se_ratio_string', dict(se_ratio='16'), r"se_ratio='16'"),
    ('shortcut', dict(shortcut_type='C'), r"got 'C'"),
  )
  def test_bad_unit_options(self, kwargs, message):
    with tf.Graph().as_default():
      x = tf.zeros([1, 8, 8, 16])
      with test_util.arg_scope():
        with self.assertRaisesRegex(ValueError, message):
          resnet_v1.bottleneck(x, 32, 8, 1, **kwargs)
        with self.assertRaisesRegex(ValueError, message):
          resnet_v2.bottleneck(x, 32, 8, 1, **kwargs)

  @parameterized.named_parameters(
    ('wrong_length', (1, 2), r'multi_grid=\(1, 2\)'),
    ('zero', (1, 0, 2), r'multi_grid=\(1, 0, 2\)'),
    ('not_a_list', 2, r'multi_grid=2'),
  )
  def test_bad_multi_grid(self, multi_grid, message):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, message):
        resnet_v1.resnet_v1_50_beta(
          tf.zeros([1, 65, 65, 3]), 10, multi_grid=multi_grid
        )
      self.assertEmpty(tf.global_variables())

  def test_bad_shortcut_type_on_cifar(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, r"got 'C'"):
        resnet_cifar.resnet_cifar_20(
          tf.zeros([1, 32, 32, 3]), 10, shortcut_type='C'
        )

  def test_cardinality_not_dividing_tiny_width(self):
    """The error names the value and the depth it must divide."""
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError,
        r'dividing the bottleneck depth 16; got '
        r'cardinality=32',
      ):
        resnext.resnext_50_32x4d(
          tf.zeros([1, 64, 64, 3]), 10, depth_multiplier=0.125
        )

  def test_cifar_output_stride_needs_no_multiple_of_four(self):
    with tf.Graph().as_default():
      with test_util.arg_scope():
        net, _ = resnet_cifar.resnet_cifar_20(
          tf.zeros([1, 32, 32, 3]), None, global_pool=False, output_stride=2
        )
      self.assertEqual(net.shape.as_list(), [1, 16, 16, 64])
      with self.assertRaisesRegex(
        ValueError,
        r'output_stride=8 cannot be '
        r'reached.*\[1, 2, 4\]',
      ):
        resnet_cifar.resnet_cifar_20(
          tf.zeros([1, 32, 32, 3]), None, output_stride=8, scope='other'
        )


if __name__ == '__main__':
  tf.test.main()
