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
"""The training options of the networks: stochastic depth (drop path),
zero-initialised residual branches, and the ResNet-D layout (deep stem,
average-pool projections). Each is off by default; the registry rows in
timm's ResNet-D layout are compared with timm in
tests/weights_equality_test.py.
"""

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import resnet_builder
from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2
from nets import tf_compat
from tests import convert_weights_test
from tests import test_util


def setUpModule():
  tf_compat.enable_graph_mode()


def _drop_path_ops(graph):
  return [op for op in graph.get_operations() if op.type == 'RandomUniform']


class DropPathTest(tf.test.TestCase, parameterized.TestCase):
  def test_expectation_is_the_input_and_the_mask_is_per_sample(self):
    rate = 0.3
    num = 20000
    with tf.Graph().as_default():
      inputs = tf.constant(
        np.random.RandomState(0).uniform(1.0, 2.0, (num, 2, 3, 4)),
        tf.float32,
      )
      outputs = resnet_utils.drop_path(inputs, rate, is_training=True, seed=7)
      with self.session() as session:
        x, y = session.run([inputs, outputs])
    ratio = y / x
    # One draw per example: its pixels and channels are all kept or all 0.
    per_sample = ratio.reshape(num, -1)
    self.assertAllClose(
      per_sample, per_sample[:, :1] * np.ones_like(per_sample)
    )
    kept = per_sample[:, 0]
    self.assertAllClose(
      np.unique(np.round(kept, 5)), [0.0, np.round(1 / (1 - rate), 5)]
    )
    # Bernoulli(0.7) over 20000 examples: the dropped fraction within 4
    # standard deviations (0.0032 each), and the mean of the scaled output
    # within 4 of its own (0.0065) of the input's.
    self.assertNear(np.mean(kept == 0), rate, 0.013)
    self.assertNear(y.mean() / x.mean(), 1.0, 0.026)

  def test_identity_at_evaluation_and_at_rate_zero(self):
    with tf.Graph().as_default():
      inputs = tf.random.normal([8, 3, 3, 2], seed=1)
      training = tf.placeholder(tf.bool, [])
      evaluation = resnet_utils.drop_path(inputs, 0.5, is_training=False)
      switched = resnet_utils.drop_path(inputs, 0.5, is_training=training)
      self.assertIs(resnet_utils.drop_path(inputs, 0.0), inputs)
      with self.session() as session:
        x, e, s = session.run([inputs, evaluation, switched], {training: False})
        self.assertAllEqual(e, x)
        self.assertAllEqual(s, x)
        x, s = session.run([inputs, switched], {training: True})
        self.assertNotAllClose(s, x)

  def test_linear_rule_over_all_units(self):
    self.assertAllClose(
      resnet_builder.drop_path_rates(5, 0.2), [0.0, 0.05, 0.1, 0.15, 0.2]
    )
    self.assertEqual(resnet_builder.drop_path_rates(1, 0.2), [0.0])
    blocks = resnet_builder.imagenet_blocks(50, resnet_v1.UNITS)
    with_rates = resnet_builder.with_unit_options(blocks, 0.1)
    rates = [u['drop_path_rate'] for b in with_rates for u in b.args]
    # timm's make_blocks: drop_path_rate * net_block_idx / (net_num_blocks - 1).
    self.assertAllClose(rates, [0.1 * i / 15 for i in range(16)])
    self.assertEqual(
      [len(b.args) for b in with_rates], [len(b.args) for b in blocks]
    )
    # The given blocks are not changed, and the defaults change nothing.
    self.assertNotIn('drop_path_rate', blocks[0].args[0])
    self.assertIs(resnet_builder.with_unit_options(blocks), blocks)

  def test_network_drops_in_training_only(self):
    kwargs = dict(depth_multiplier=0.125, drop_path_rate=0.5)
    images = np.random.RandomState(0).uniform(-1, 1, (6, 32, 32, 3))
    with tf.Graph().as_default() as graph:
      inputs = tf.constant(images, tf.float32)
      with test_util.arg_scope():
        train, _ = resnet_v1.resnet_v1_18(inputs, 5, is_training=True, **kwargs)
        evaluate, _ = resnet_v1.resnet_v1_18(
          inputs, 5, is_training=False, reuse=True, **kwargs
        )
        plain, _ = resnet_v1.resnet_v1_18(
          inputs, 5, is_training=False, reuse=True, depth_multiplier=0.125
        )
      # One mask per unit but the first (rate 0), for the training graph.
      self.assertLen(_drop_path_ops(graph), 7)
      with self.session() as session:
        session.run(tf.global_variables_initializer())
        e, p = session.run([evaluate, plain])
        self.assertAllEqual(e, p)
        first, second = session.run(train), session.run(train)
        self.assertNotAllClose(first, second)

  def test_is_training_none_follows_batch_norm(self):
    with tf.Graph().as_default() as graph:
      inputs = tf.zeros([2, 32, 32, 3])
      with test_util.arg_scope(is_training=False):
        resnet_v1.resnet_v1_18(
          inputs,
          5,
          is_training=None,
          depth_multiplier=0.125,
          drop_path_rate=0.2,
        )
      self.assertEmpty(_drop_path_ops(graph))
    with tf.Graph().as_default() as graph:
      with test_util.arg_scope():
        resnet_v1.resnet_v1_18(
          tf.zeros([2, 32, 32, 3]),
          5,
          is_training=None,
          depth_multiplier=0.125,
          drop_path_rate=0.2,
        )
      self.assertLen(_drop_path_ops(graph), 7)

  def test_every_registered_family_takes_it(self):
    for name in ('resnet_v2_18', 'resnet_cifar_20'):
      with tf.Graph().as_default() as graph:
        fn = nets_factory.get_network_fn(name, 10, is_training=True)
        fn(tf.zeros([1, 32, 32, 3]), depth_multiplier=0.125, drop_path_rate=0.1)
        num_units = sum(
          1
          for op in graph.get_operations()
          if op.type == 'AddV2'
          and op.name.endswith('/add')
          and '/unit_' in op.name
          and 'drop_path' not in op.name
        )
        self.assertLen(_drop_path_ops(graph), num_units - 1, name)

  @parameterized.named_parameters(
    ('negative', -0.1),
    ('one', 1.0),
    ('bool', True),
    ('string', '0.1'),
    ('nan', float('nan')),
  )
  def test_bad_rate(self, rate):
    with tf.Graph().as_default() as graph:
      with self.assertRaisesRegex(
        ValueError,
        r'drop_path_rate must be a number in \[0, 1\).*got '
        r'drop_path_rate=',
      ):
        resnet_v1.resnet_v1_18(tf.zeros([1, 32, 32, 3]), drop_path_rate=rate)
      self.assertEmpty(tf.global_variables())
      del graph


class ZeroInitResidualTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('basic', 'resnet_v1_18_tv', 'basic_block_v1', 'conv2', 8),
    ('bottleneck', 'resnet_v1_50', 'bottleneck_v1', 'conv3', 16),
    ('se_resnext', 'se_resnext_50_32x4d', 'bottleneck_v1', 'conv3', 16),
  )
  def test_units_start_as_their_shortcut(self, name, unit, last, num_units):
    spec = nets_factory.get_spec(name)
    with tf.Graph().as_default() as graph:
      inputs = tf.constant(
        np.random.RandomState(0).uniform(-1, 1, (2, 40, 40, 3)), tf.float32
      )
      with slim.arg_scope(spec.arg_scope_fn()):
        _, end_points = spec.fn(
          inputs,
          7,
          is_training=True,
          depth_multiplier=0.25,
          zero_init_residual=True,
        )
      gammas = {
        v.op.name: v
        for v in tf.global_variables()
        if v.op.name.endswith('/gamma')
      }
      zeroed = {n for n in gammas if n.endswith('/%s/BatchNorm/gamma' % last)}
      self.assertLen(zeroed, num_units)
      # A unit adds its shortcut and its residual branch, then applies ReLU.
      units = [k for k in end_points if k.endswith('/' + unit)]
      self.assertLen(units, num_units)
      terms = {
        key: (
          end_points[key],
          graph.get_operation_by_name(key + '/add').inputs[:],
        )
        for key in units
      }
      with self.session() as session:
        session.run(tf.global_variables_initializer())
        values, terms = session.run((gammas, terms))
    for n, value in values.items():
      expected = 0.0 if n in zeroed else 1.0
      self.assertAllEqual(value, np.full_like(value, expected), n)
    for key, (output, (shortcut, residual)) in terms.items():
      self.assertAllEqual(residual, np.zeros_like(residual), key)
      self.assertAllEqual(output, np.maximum(shortcut, 0.0), key)
      self.assertGreater(np.abs(shortcut).max(), 0.0, key)

  def test_off_by_default_and_other_initializers_kept(self):
    beta_init = tf.constant_initializer(0.5)
    with tf.Graph().as_default():
      with test_util.arg_scope():
        with slim.arg_scope(
          [slim.batch_norm], param_initializers={'beta': beta_init}
        ):
          resnet_v1.resnet_v1_18(
            tf.zeros([1, 32, 32, 3]),
            depth_multiplier=0.125,
            zero_init_residual=True,
            scope='zero',
          )
        resnet_v1.resnet_v1_18(
          tf.zeros([1, 32, 32, 3]), depth_multiplier=0.125, scope='plain'
        )
      variables = {v.op.name: v for v in tf.global_variables()}
      with self.session() as session:
        session.run(tf.global_variables_initializer())
        values = session.run(variables)
    name = 'block1/unit_1/basic_block_v1/conv2/BatchNorm/'
    self.assertAllEqual(values['zero/' + name + 'gamma'], np.zeros(8))
    self.assertAllEqual(values['zero/' + name + 'beta'], np.full(8, 0.5))
    self.assertAllEqual(values['plain/' + name + 'gamma'], np.ones(8))
    self.assertCountEqual(
      [n[len('zero/') :] for n in values if n.startswith('zero/')],
      [n[len('plain/') :] for n in values if n.startswith('plain/')],
    )

  def test_pre_activation_units_refuse_it(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError, r'zero_init_residual=True needs post-activation units'
      ):
        resnet_v2.resnet_v2_50(
          tf.zeros([1, 32, 32, 3]), zero_init_residual=True
        )
      self.assertEmpty(tf.global_variables())


class ResNetDTest(tf.test.TestCase, parameterized.TestCase):
  def test_deep_stem_and_average_pool_projections(self):
    with tf.Graph().as_default() as graph:
      with test_util.arg_scope():
        resnet_v1.resnet_v1_50(
          tf.zeros([1, 64, 64, 3]), 10, **resnet_builder.RESNET_D_LAYOUT
        )
      shapes = {
        v.op.name: v.shape.as_list()
        for v in tf.global_variables()
        if v.op.name.endswith('/weights')
      }
      pools = sorted(
        op.name.split('/')[1]
        for op in graph.get_operations()
        if op.type == 'AvgPool'
      )
    self.assertEqual(shapes['resnet_v1_50/conv1_1/weights'], [3, 3, 3, 32])
    self.assertEqual(shapes['resnet_v1_50/conv1_2/weights'], [3, 3, 32, 32])
    self.assertEqual(shapes['resnet_v1_50/conv1_3/weights'], [3, 3, 32, 64])
    self.assertNotIn('resnet_v1_50/conv1/weights', shapes)
    # The projections keep the names and shapes of option B.
    for block, (depth_in, depth) in enumerate(
      [(64, 256), (256, 512), (512, 1024), (1024, 2048)]
    ):
      self.assertEqual(
        shapes[
          'resnet_v1_50/block%d/unit_1/bottleneck_v1/shortcut/weights'
          % (block + 1)
        ],
        [1, 1, depth_in, depth],
      )
    # Average pools on the strided projections only (blocks 2-4).
    self.assertEqual(pools, ['block2', 'block3', 'block4'])

  def test_average_pool_is_ceil_mode_without_padding_in_the_count(self):
    rng = np.random.RandomState(0)
    for size in (6, 7):
      image = rng.normal(size=(1, size, size, 2)).astype(np.float32)
      with tf.Graph().as_default():
        pooled = resnet_utils.avg_pool_2x2(tf.constant(image), 2)
        dense = resnet_utils.avg_pool_2x2(tf.constant(image), 1, rate=2)
        with self.session() as session:
          pooled, dense = session.run([pooled, dense])
      out = (size + 1) // 2
      expected = np.zeros((1, out, out, 2), np.float32)
      expected_dense = np.zeros((1, size, size, 2), np.float32)
      for i in range(out):
        for j in range(out):
          window = image[:, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
          expected[:, i, j] = window.mean(axis=(1, 2))
      for i in range(size):
        for j in range(size):
          window = image[:, i : i + 3 : 2, j : j + 3 : 2]
          expected_dense[:, i, j] = window.mean(axis=(1, 2))
      self.assertAllClose(pooled, expected, atol=1e-6)
      self.assertAllClose(dense, expected_dense, atol=1e-6)

  @parameterized.named_parameters(
    ('bottleneck_first', 'bottleneck', 'conv2', True),
    ('basic_first', 'basic', 'conv1', True),
    ('bottleneck_last', 'bottleneck', 'conv2', False),
    ('v2_bottleneck_first', 'bottleneck', 'conv2', True, 'v2'),
  )
  def test_atrous_equals_nominal(self, unit, stride_in, first, family='v1'):
    convert_weights_test.check_atrous(
      self, family, unit, stride_in, first, shortcut_type='D'
    )
