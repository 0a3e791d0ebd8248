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
"""Slim-era caller code runs unchanged (issue #12).

What code written for research/slim, pip tf_slim and DeepLab does with
`nets/`: slim's `networks_map` and `arg_scopes_map` (read, patched, extended),
`depth_multiplier=0`, DeepLab's beta signatures, defaults, scopes and
checkpoint names, and the TypeError an old positional `reuse`/`scope` gets.
(The graph-building speed without `enable_graph_mode()` is in
tf_compat_test.py.)
"""

from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import resnet_builder
from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2
from tests import test_util


def setUpModule():
  tf.disable_eager_execution()


def _tiny_net(
  inputs, num_classes=None, is_training=True, scope='my_net', **kwargs
):
  """A user's own network: one conv and a head (slim's calling convention)."""
  del kwargs
  with tf.variable_scope(scope):
    with slim.arg_scope([slim.batch_norm], is_training=is_training):
      net = slim.conv2d(inputs, 4, [3, 3], scope='conv1')
    net = tf.reduce_mean(net, [1, 2])
    logits = slim.fully_connected(
      net, num_classes, activation_fn=None, normalizer_fn=None, scope='logits'
    )
  return logits, {'features': net}


_tiny_net.default_image_size = 17


def _tiny_arg_scope(weight_decay=0.0):
  with slim.arg_scope(
    [slim.conv2d, slim.fully_connected],
    weights_regularizer=slim.l2_regularizer(weight_decay),
    normalizer_fn=slim.batch_norm,
  ) as sc:
    return sc


class NetworkMapsTest(tf.test.TestCase):
  """slim's two maps are live: get_network_fn reads them when called."""

  def test_maps_cover_the_registry(self):
    self.assertCountEqual(nets_factory.NETWORKS, nets_factory.networks_map)
    self.assertCountEqual(nets_factory.NETWORKS, nets_factory.arg_scopes_map)
    self.assertIs(
      nets_factory.networks_map['resnet_v1_50'], resnet_v1.resnet_v1_50
    )
    self.assertIs(
      nets_factory.arg_scopes_map['resnet_v2_50'], resnet_utils.resnet_arg_scope
    )

  def test_network_added_only_through_the_maps_builds(self):
    with (
      mock.patch.dict(nets_factory.networks_map, my_net=_tiny_net),
      mock.patch.dict(nets_factory.arg_scopes_map, my_net=_tiny_arg_scope),
    ):
      network_fn = nets_factory.get_network_fn(
        'my_net', 7, weight_decay=0.5, is_training=False
      )
      self.assertEqual(network_fn.default_image_size, 17)
      self.assertEqual(network_fn.__name__, '_tiny_net')
      with tf.Graph().as_default():
        logits, end_points = network_fn(tf.zeros([2, 17, 17, 3]))
        self.assertEqual(logits.shape.as_list(), [2, 7])
        self.assertIn('features', end_points)
        # The arg scope of arg_scopes_map was applied (weight decay, BN).
        self.assertLen(tf.losses.get_regularization_losses(), 2)
        self.assertIn(
          'my_net/conv1/BatchNorm/moving_mean',
          [v.op.name for v in tf.global_variables()],
        )
        # is_training=False reached the network: no update ops.
        self.assertEmpty(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
      with self.assertRaisesRegex(
        ValueError,
        r"Network 'my_net'.*no "
        r'default preprocessing',
      ):
        nets_factory.default_preprocessing('my_net')

  def test_network_without_arg_scope_is_named(self):
    with mock.patch.dict(nets_factory.networks_map, my_net=_tiny_net):
      with self.assertRaisesRegex(ValueError, r"'my_net'.*arg_scopes_map"):
        nets_factory.get_network_fn('my_net', 7)

  def test_unknown_name_lists_the_maps(self):
    with mock.patch.dict(nets_factory.networks_map, my_net=_tiny_net):
      with self.assertRaisesRegex(
        ValueError, r"Unknown network 'nope'.*my_net"
      ):
        nets_factory.get_network_fn('nope', 7)

  def test_patched_arg_scope_is_read_when_network_fn_is_called(self):
    """As in slim, arg_scopes_map[name] is looked up on every call."""
    calls = []

    def recording_arg_scope(weight_decay=0.0):
      calls.append(weight_decay)
      return resnet_utils.resnet_arg_scope(
        weight_decay=weight_decay, batch_norm_epsilon=0.25
      )

    network_fn = nets_factory.get_network_fn(
      'resnet_cifar_20', 10, weight_decay=0.125
    )
    with mock.patch.dict(
      nets_factory.arg_scopes_map, resnet_cifar_20=recording_arg_scope
    ):
      with tf.Graph().as_default():
        network_fn(tf.zeros([1, 32, 32, 3]), depth_multiplier=0.25)
        epsilons = {
          op.get_attr('epsilon')
          for op in tf.get_default_graph().get_operations()
          if op.type.startswith('FusedBatchNorm')
        }
    self.assertEqual(calls, [0.125])
    self.assertEqual(epsilons, {0.25})

  def test_patched_network_function_is_used(self):
    with mock.patch.dict(nets_factory.networks_map, resnet_v1_50=_tiny_net):
      network_fn = nets_factory.get_network_fn('resnet_v1_50', 5)
      with tf.Graph().as_default():
        logits, _ = network_fn(tf.zeros([1, 17, 17, 3]))
        self.assertEqual(logits.shape.as_list(), [1, 5])
        self.assertTrue(
          all(v.op.name.startswith('my_net/') for v in tf.global_variables())
        )


class DepthMultiplierZeroTest(tf.test.TestCase, parameterized.TestCase):
  """slim: depth = max(int(d * depth_multiplier), min_base_depth)."""

  @parameterized.named_parameters(
    ('v1', resnet_v1.resnet_v1_50, 'bottleneck_v1'),
    ('v2', resnet_v2.resnet_v2_50, 'bottleneck_v2'),
    ('basic', resnet_v1.resnet_v1_18, 'basic_block_v1'),
  )
  def test_zero_pins_every_block_at_min_base_depth(self, fn, unit):
    bottleneck = unit.startswith('bottleneck')
    with tf.Graph().as_default():
      with test_util.arg_scope():
        _, end_points = fn(
          tf.zeros([1, 64, 64, 3]), None, depth_multiplier=0, min_base_depth=3
        )
      for block in range(1, 5):
        self.assertEqual(
          end_points['%s/block%d' % (fn.__name__, block)].shape[-1],
          12 if bottleneck else 3,
        )
      if bottleneck:
        conv2 = [
          v
          for v in tf.global_variables()
          if v.op.name.endswith('/%s/conv2/weights' % unit)
        ]
        self.assertNotEmpty(conv2)
        self.assertTrue(all(v.shape.as_list()[-1] == 3 for v in conv2))

  def test_blocks_helper_matches_slims_formula(self):
    for multiplier in (0, 0.0, 0.01, 0.5, 2):
      blocks = resnet_builder.imagenet_blocks(
        50, resnet_v1.UNITS, depth_multiplier=multiplier, min_base_depth=16
      )
      self.assertEqual(
        [b.args[0]['depth_bottleneck'] for b in blocks],
        [max(int(d * multiplier), 16) for d in (64, 128, 256, 512)],
      )

  @parameterized.named_parameters(
    ('negative', -0.5, r'depth_multiplier=-0.5'),
    ('nan', float('nan'), r'depth_multiplier=nan'),
    ('string', '0.5', r"depth_multiplier='0.5'"),
    ('none', None, r'depth_multiplier=None'),
    ('bool', True, r'depth_multiplier=True'),
  )
  def test_bad_values_are_named(self, value, message):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, message):
        resnet_v1.resnet_v1_50(
          tf.zeros([1, 32, 32, 3]), 10, depth_multiplier=value
        )
      self.assertEmpty(tf.global_variables())


def _deeplab_beta_checkpoint_names(scope, units_per_block, num_classes=None):
  """The variables DeepLab's released resnet_v1_*_beta checkpoints hold.

  Written out from DeepLab's resnet_v1_beta.py and its arg scope (slim's
  resnet_arg_scope: batch norm with scale), independently of our builder:
  the three-conv root `conv1_1..3`, then `blockN/unit_M/bottleneck_v1` with
  `conv1..3` and, in each block's first unit, `shortcut`.
  """
  batch_norm = ('beta', 'gamma', 'moving_mean', 'moving_variance')

  def conv(prefix):
    return ['%s/weights' % prefix] + [
      '%s/BatchNorm/%s' % (prefix, b) for b in batch_norm
    ]

  names = []
  for root in ('conv1_1', 'conv1_2', 'conv1_3'):
    names += conv('%s/%s' % (scope, root))
  for block, num_units in enumerate(units_per_block, 1):
    for unit in range(1, num_units + 1):
      prefix = '%s/block%d/unit_%d/bottleneck_v1' % (scope, block, unit)
      for layer in ('conv1', 'conv2', 'conv3'):
        names += conv('%s/%s' % (prefix, layer))
      if unit == 1:
        names += conv('%s/shortcut' % prefix)
  if num_classes:
    names += ['%s/logits/weights' % scope, '%s/logits/biases' % scope]
  return names


class DeepLabBetaTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('50', resnet_v1.resnet_v1_50_beta, 'resnet_v1_50', (3, 4, 6, 3)),
    ('101', resnet_v1.resnet_v1_101_beta, 'resnet_v1_101', (3, 4, 23, 3)),
  )
  def test_defaults_are_deeplabs(self, fn, scope, units):
    del units
    with tf.Graph().as_default():
      inputs = tf.zeros([1, 65, 65, 3])
      # is_training=None: batch norm follows the enclosing arg scope.
      with test_util.arg_scope(is_training=False):
        net, end_points = fn(inputs)
      self.assertEqual(net.shape.as_list(), [1, 3, 3, 2048])  # No pooling.
      self.assertIn(scope + '/block4', end_points)
      self.assertNotIn('predictions', end_points)  # num_classes=None.
      self.assertEmpty(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
      self.assertTrue(
        all(v.op.name.startswith(scope + '/') for v in tf.global_variables())
      )

  def test_deeplab_positional_order(self):
    """(inputs, num_classes, is_training, global_pool, output_stride,
    multi_grid, reuse, scope), as DeepLab's resnet_v1_50_beta."""
    with tf.Graph().as_default():
      with test_util.arg_scope():
        net, _ = resnet_v1.resnet_v1_50_beta(
          tf.zeros([1, 65, 65, 3]),
          10,
          False,
          True,
          16,
          [1, 2, 4],
          None,
          'backbone',
        )
        # DeepLab does not squeeze the pooled logits.
        self.assertEqual(net.shape.as_list(), [1, 1, 1, 10])
        names = [v.op.name for v in tf.global_variables()]
        self.assertIn('backbone/conv1_1/weights', names)
        resnet_v1.resnet_v1_50_beta(
          tf.zeros([1, 65, 65, 3]),
          10,
          False,
          True,
          16,
          [1, 2, 4],
          True,
          'backbone',
        )  # reuse=True: no new variables.
        self.assertLen(tf.global_variables(), len(names))

  @parameterized.named_parameters(
    ('50', resnet_v1.resnet_v1_50_beta, 'resnet_v1_50', (3, 4, 6, 3)),
    ('101', resnet_v1.resnet_v1_101_beta, 'resnet_v1_101', (3, 4, 23, 3)),
  )
  def test_variables_are_those_of_deeplabs_checkpoints(self, fn, scope, units):
    with tf.Graph().as_default():
      with test_util.arg_scope():
        fn(tf.placeholder(tf.float32, [1, 65, 65, 3]), 1000)
      names = sorted(v.op.name for v in tf.global_variables())
    self.assertEqual(
      names,
      sorted(_deeplab_beta_checkpoint_names(scope, units, num_classes=1000)),
    )

  def test_deeplab_checkpoint_restores_by_name(self):
    """A checkpoint written under DeepLab's names restores into ours."""
    names = _deeplab_beta_checkpoint_names('resnet_v1_50', (3, 4, 6, 3))
    rng = np.random.RandomState(0)
    values = {}
    path = self.get_temp_dir() + '/deeplab_beta'
    with tf.Graph().as_default():
      with test_util.arg_scope():
        resnet_v1.resnet_v1_50_beta(tf.zeros([1, 65, 65, 3]))
      shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
    with tf.Graph().as_default():  # Plain variables under DeepLab's names.
      variables = []
      for name in names:
        values[name] = rng.normal(size=shapes[name]).astype(np.float32)
        variables.append(tf.Variable(values[name], name=name))
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver(variables).save(sess, path)
    with tf.Graph().as_default():
      with test_util.arg_scope():
        resnet_v1.resnet_v1_50_beta(tf.zeros([1, 65, 65, 3]))
      ours = tf.global_variables()
      with self.session() as sess:
        tf.train.Saver(ours).restore(sess, path)
        for var, value in zip(ours, sess.run(ours)):
          self.assertAllEqual(values[var.op.name], value)

  def test_default_scope_of_every_network(self):
    for name in nets_factory.network_names():
      expected = {
        'resnet_v1_50_beta': 'resnet_v1_50',
        'resnet_v1_101_beta': 'resnet_v1_101',
      }.get(name, name)
      self.assertEqual(nets_factory.default_scope(name), expected)

  def test_registry_builds_them_in_deeplabs_scope_as_classifiers(self):
    network_fn = nets_factory.get_network_fn('resnet_v1_50_beta', 10)
    with tf.Graph().as_default():
      logits, end_points = network_fn(tf.zeros([2, 65, 65, 3]))
      self.assertEqual(logits.shape.as_list(), [2, 10])
      self.assertIn('resnet_v1_50/block4', end_points)
      self.assertIn(
        'resnet_v1_50/conv1_1/weights',
        [v.op.name for v in tf.global_variables()],
      )


class ArgumentOrderTest(tf.test.TestCase, parameterized.TestCase):
  """pip tf_slim's order, (..., include_root_block, reuse, scope), fails
  with a TypeError that explains research/slim's order."""

  def _blocks(self, module):
    return [
      module.__dict__['resnet_%s_block' % module.__name__[-2:]](
        'block1', base_depth=1, num_units=1, stride=1
      )
    ]

  @parameterized.named_parameters(
    (
      'v1_scope',
      resnet_v1,
      (None, 'resnet'),
      r"store_non_strided_activations='resnet' \(a str\)",
    ),
    (
      'v1_auto_reuse',
      resnet_v1,
      (tf.AUTO_REUSE, 'resnet'),
      r'spatial_squeeze=<_ReuseMode.AUTO_REUSE',
    ),
    (
      'v2_scope',
      resnet_v2,
      (None, 'resnet'),
      r"spatial_squeeze=None|reuse='resnet'",
    ),
  )
  def test_old_positional_reuse_and_scope(self, module, reuse_scope, message):
    generic = getattr(module, module.__name__.split('.')[-1])
    with tf.Graph().as_default():
      inputs = tf.zeros([1, 8, 8, 3])
      with test_util.arg_scope():
        with self.assertRaisesRegex(TypeError, message) as raised:
          generic(
            inputs,
            self._blocks(module),
            10,
            True,
            True,
            None,
            True,
            *reuse_scope,
          )
      self.assertEmpty(tf.global_variables())
    text = str(raised.exception)
    self.assertIn('research/slim', text)
    self.assertIn('Pass reuse= and scope= by keyword', text)

  def test_model_function_with_pip_order(self):
    """pip tf_slim: resnet_v1_50(inputs, num_classes, is_training,
    global_pool, output_stride, reuse, scope)."""
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        TypeError,
        r'spatial_squeeze=None.*'
        r'Pass reuse= and scope= by keyword',
      ):
        resnet_v1.resnet_v1_50(
          tf.zeros([1, 32, 32, 3]), 10, True, True, None, None, 'resnet_v1_50'
        )

  @parameterized.named_parameters(
    ('bool', True), ('numpy_bool', np.bool_(0)), ('int', 1)
  )
  def test_bool_like_values_are_accepted(self, value):
    with tf.Graph().as_default():
      with test_util.arg_scope():
        net, _ = resnet_v1.resnet_v1_50(
          tf.zeros([1, 32, 32, 3]),
          10,
          spatial_squeeze=value,
          store_non_strided_activations=value,
          depth_multiplier=0.125,
        )
      self.assertEqual(net.shape.ndims, 2 if value else 4)


if __name__ == '__main__':
  tf.test.main()
