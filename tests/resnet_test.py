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
"""Tests of the generic builders resnet_v1() and resnet_v2() on tiny networks.

Every test runs for both versions; the tiny network has base depths 1, 2, 4,
8 and the nominal stride 32 of the ImageNet networks.
"""

import functools

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import resnet_builder
from nets import resnet_v1
from nets import resnet_v2
from nets import tf_compat
from tests import test_util

VERSIONS = (
  ('v1', resnet_v1, resnet_v1.resnet_v1, 'bottleneck_v1'),
  ('v2', resnet_v2, resnet_v2.resnet_v2, 'bottleneck_v2'),
)


def setUpModule():
  tf_compat.enable_graph_mode()


def tiny_blocks(module):
  block = (
    resnet_v1.resnet_v1_block
    if module is resnet_v1
    else resnet_v2.resnet_v2_block
  )
  return [
    block('block1', base_depth=1, num_units=3, stride=2),
    block('block2', base_depth=2, num_units=3, stride=2),
    block('block3', base_depth=4, num_units=3, stride=2),
    block('block4', base_depth=8, num_units=2, stride=1),
  ]


def tiny_network(
  module, builder, inputs, num_classes=None, scope='resnet', **kwargs
):
  return builder(
    inputs, tiny_blocks(module), num_classes, scope=scope, **kwargs
  )


def _versions(*cases):
  """Crosses VERSIONS with cases (tuples), naming each test."""
  if not cases:
    return [
      dict(testcase_name=v[0], module=v[1], builder=v[2], unit=v[3])
      for v in VERSIONS
    ]
  return [
    dict(
      testcase_name='%s_%s' % (v[0], c[0]),
      module=v[1],
      builder=v[2],
      unit=v[3],
      case=c[1:],
    )
    for v in VERSIONS
    for c in cases
  ]


class ResnetTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(*_versions())
  def test_classification_end_points(self, module, builder, unit):
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 224, 224, 3)
      with test_util.arg_scope():
        logits, end_points = tiny_network(module, builder, inputs, 10)
      self.assertEqual(logits.op.name, 'resnet/SpatialSqueeze')
      self.assertEqual(logits.shape.as_list(), [2, 10])
      self.assertIn('predictions', end_points)
      self.assertEqual(end_points['predictions'].shape.as_list(), [2, 10])
      self.assertEqual(end_points['global_pool'].shape.as_list(), [2, 1, 1, 32])
      self.assertEqual(
        end_points['resnet/logits'].shape.as_list(), [2, 1, 1, 10]
      )
      self.assertEqual(
        end_points['resnet/spatial_squeeze'].shape.as_list(), [2, 10]
      )
      self.assertIn('resnet/block1/unit_1/%s/conv1' % unit, end_points)

  @parameterized.named_parameters(
    *_versions(
      (
        'classification',
        224,
        True,
        None,
        {
          'block1': [2, 28, 28, 4],
          'block2': [2, 14, 14, 8],
          'block3': [2, 7, 7, 16],
          'block4': [2, 7, 7, 32],
        },
      ),
      (
        'fully_convolutional',
        321,
        False,
        None,
        {
          'block1': [2, 41, 41, 4],
          'block2': [2, 21, 21, 8],
          'block3': [2, 11, 11, 16],
          'block4': [2, 11, 11, 32],
        },
      ),
      (
        'atrous',
        321,
        False,
        8,
        {
          'block1': [2, 41, 41, 4],
          'block2': [2, 41, 41, 8],
          'block3': [2, 41, 41, 16],
          'block4': [2, 41, 41, 32],
        },
      ),
    )
  )
  def test_end_point_shapes(self, module, builder, unit, case):
    del unit
    size, global_pool, output_stride, expected = case
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, size, size, 3)
      with test_util.arg_scope():
        _, end_points = tiny_network(
          module,
          builder,
          inputs,
          global_pool=global_pool,
          output_stride=output_stride,
        )
      for name, shape in expected.items():
        self.assertEqual(end_points['resnet/' + name].shape.as_list(), shape)

  @parameterized.named_parameters(*_versions())
  def test_rootless_end_point_shapes(self, module, builder, unit):
    del unit
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 128, 128, 3)
      with test_util.arg_scope():
        net, end_points = tiny_network(
          module, builder, inputs, global_pool=False, include_root_block=False
        )
      expected = {
        'block1': [2, 64, 64, 4],
        'block2': [2, 32, 32, 8],
        'block3': [2, 16, 16, 16],
        'block4': [2, 16, 16, 32],
      }
      for name, shape in expected.items():
        self.assertEqual(end_points['resnet/' + name].shape.as_list(), shape)
      self.assertEqual(net.shape.as_list(), [2, 16, 16, 32])
      self.assertNotIn('resnet/conv1', end_points)

  @parameterized.named_parameters(
    *_versions(('os4', 4), ('os8', 8), ('os16', 16))
  )
  def test_atrous_values_equal_nominal(self, module, builder, unit, case):
    """Dense features at output_stride, subsampled, equal the nominal ones."""
    del unit
    (output_stride,) = case
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      inputs = test_util.create_test_input(2, 81, 81, 3) / 81.0
      with test_util.arg_scope(is_training=False):
        with tf.variable_scope('net') as scope:
          dense, _ = tiny_network(
            module,
            builder,
            inputs,
            global_pool=False,
            output_stride=output_stride,
            is_training=False,
          )
          dense = dense[:, :: 32 // output_stride, :: 32 // output_stride, :]
          scope.reuse_variables()
          nominal, _ = tiny_network(
            module, builder, inputs, global_pool=False, is_training=False
          )
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        test_util.randomize_batch_norm(sess)
        dense, nominal = sess.run([dense, nominal])
        self.assertEqual(nominal.shape, (2, 3, 3, 32))
        self.assertAllClose(dense, nominal, atol=1e-4, rtol=1e-4)

  @parameterized.named_parameters(*_versions())
  def test_store_non_strided_activations(self, module, builder, unit):
    del unit
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 65, 65, 3) / 65.0
      with test_util.arg_scope(is_training=False):
        with tf.variable_scope('net') as scope:
          plain, plain_points = tiny_network(
            module, builder, inputs, is_training=False
          )
          scope.reuse_variables()
          stored, end_points = tiny_network(
            module,
            builder,
            inputs,
            store_non_strided_activations=True,
            is_training=False,
          )
      self.assertEqual(
        end_points['net/resnet/block1'].shape.as_list(), [2, 17, 17, 4]
      )
      self.assertEqual(
        end_points['net/resnet/block3'].shape.as_list(), [2, 5, 5, 16]
      )
      blocks = ['net/resnet/block%d' % i for i in (1, 2, 3, 4)]
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        test_util.randomize_batch_norm(sess)
        plain, stored, plain_points, end_points = sess.run(
          [
            plain,
            stored,
            {b: plain_points[b] for b in blocks},
            {b: end_points[b] for b in blocks},
          ]
        )
        self.assertAllClose(plain, stored, atol=1e-4, rtol=1e-4)
      # The stored block outputs are the activations before the block's
      # subsampling (block4 does not subsample): subsampled, they are the
      # plain network's.
      for block, factor in zip(blocks, (2, 2, 2, 1)):
        self.assertAllClose(
          plain_points[block],
          end_points[block][:, ::factor, ::factor],
          atol=1e-4,
          rtol=1e-4,
          msg=block,
        )

  @parameterized.named_parameters(*_versions())
  def test_unknown_batch_size(self, module, builder, unit):
    del unit
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(None, 65, 65, 3)
      with test_util.arg_scope():
        logits, _ = tiny_network(
          module, builder, inputs, 10, spatial_squeeze=False
        )
      self.assertEqual(logits.shape.as_list(), [None, 1, 1, 10])
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(logits, {inputs: np.zeros([3, 65, 65, 3])})
        self.assertEqual(value.shape, (3, 1, 1, 10))

  @parameterized.named_parameters(
    *_versions(('nominal', None, 3), ('atrous', 8, 9))
  )
  def test_unknown_height_width(self, module, builder, unit, case):
    del unit
    output_stride, size = case
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, None, None, 3)
      with test_util.arg_scope():
        net, _ = tiny_network(
          module,
          builder,
          inputs,
          global_pool=False,
          output_stride=output_stride,
        )
      self.assertEqual(net.shape.as_list(), [2, None, None, 32])
      with self.cached_session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(net, {inputs: np.zeros([2, 65, 65, 3])})
        self.assertEqual(value.shape, (2, size, size, 32))

  @parameterized.named_parameters(
    *_versions(('training', True), ('inference', False))
  )
  def test_batch_norm_update_ops(self, module, builder, unit, case):
    del unit
    (is_training,) = case
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 32, 32, 3)
      with test_util.arg_scope():
        tiny_network(module, builder, inputs, 10, is_training=is_training)
      update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
      if is_training:
        # Two updates (mean, variance) for each batch norm.
        num_bn = len(tf.global_variables('.*moving_mean'))
        self.assertGreater(num_bn, 0)
        self.assertLen(update_ops, 2 * num_bn)
      else:
        self.assertEmpty(update_ops)

  @parameterized.named_parameters(*_versions())
  def test_is_training_none_defers_to_arg_scope(self, module, builder, unit):
    del unit
    for is_training in (False, True):
      with tf.Graph().as_default():
        inputs = test_util.create_test_input(2, 32, 32, 3)
        with test_util.arg_scope(is_training=is_training):
          tiny_network(module, builder, inputs, 10, is_training=None)
        # Batch-norm updates exactly when the arg scope trains.
        self.assertEqual(
          is_training, bool(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        )

  @parameterized.named_parameters(*_versions())
  def test_every_variable_gets_a_gradient(self, module, builder, unit):
    del unit
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 32, 32, 3)
      with test_util.arg_scope():
        logits, _ = tiny_network(module, builder, inputs, 10)
      loss = tf.reduce_mean(tf.square(logits)) + tf.add_n(
        tf.losses.get_regularization_losses()
      )
      variables = tf.trainable_variables()
      grads = tf.gradients(loss, variables)
      missing = [v.op.name for v, g in zip(variables, grads) if g is None]
      self.assertEmpty(missing)

  @parameterized.named_parameters(*_versions())
  def test_no_classes_returns_features(self, module, builder, unit):
    del unit
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 64, 64, 3)
      with test_util.arg_scope():
        net, end_points = tiny_network(module, builder, inputs, None)
        self.assertEqual(net.shape.as_list(), [2, 1, 1, 32])
        self.assertNotIn('predictions', end_points)
        net, _ = tiny_network(module, builder, inputs, 0, scope='zero')
        self.assertEqual(net.shape.as_list(), [2, 1, 1, 32])

  @parameterized.named_parameters(*_versions())
  def test_reuse(self, module, builder, unit):
    del unit
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 32, 32, 3)
      with test_util.arg_scope():
        tiny_network(module, builder, inputs, 10)
        count = len(tf.global_variables())
        tiny_network(module, builder, inputs, 10, reuse=True)
      self.assertLen(tf.global_variables(), count)

  @parameterized.named_parameters(*_versions())
  def test_endpoint_names(self, module, builder, unit):
    """Frozen end-point keys of a two-block network."""
    block = (
      resnet_v1.resnet_v1_block
      if module is resnet_v1
      else resnet_v2.resnet_v2_block
    )
    blocks = [
      block('block1', base_depth=1, num_units=2, stride=2),
      block('block2', base_depth=2, num_units=1, stride=1),
    ]
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(2, 32, 32, 3)
      with test_util.arg_scope():
        _, end_points = builder(inputs, blocks, 10, scope='resnet')
    units = []
    for block_unit in ('block1/unit_1', 'block1/unit_2', 'block2/unit_1'):
      prefix = 'resnet/%s/%s' % (block_unit, unit)
      units += [prefix, prefix + '/conv1', prefix + '/conv2', prefix + '/conv3']
      if block_unit != 'block1/unit_2':
        units.append(prefix + '/shortcut')
    expected = units + [
      'resnet/conv1',
      'resnet/block1',
      'resnet/block2',
      'resnet/logits',
      'resnet/spatial_squeeze',
      'global_pool',
      'predictions',
    ]
    self.assertCountEqual(end_points.keys(), expected)

  @parameterized.named_parameters(*_versions())
  def test_depth_multiplier_and_min_base_depth(self, module, builder, unit):
    del builder, unit
    fn = getattr(module, 'resnet_%s_50' % module.__name__.split('_')[-1])
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(1, 64, 64, 3)
      with test_util.arg_scope():
        _, end_points = fn(inputs, 10, depth_multiplier=0.25, min_base_depth=32)
      scope = fn.__name__
      # Base depths 64, 128, 256, 512 times 0.25 are 16, 32, 64, 128; the
      # first is raised to min_base_depth 32; outputs are 4x.
      for name, depth in (
        ('block1', 128),
        ('block2', 128),
        ('block3', 256),
        ('block4', 512),
      ):
        self.assertEqual(end_points['%s/%s' % (scope, name)].shape[-1], depth)

  @parameterized.named_parameters(
    *_versions(
      (
        'output_stride_6',
        dict(output_stride=6),
        r'multiple of 4.*output_stride=6',
      ),
      (
        'output_stride_64',
        dict(output_stride=64),
        r'output_stride=64 cannot be reached.*\[4, 8, 16, 32\]',
      ),
      ('negative_classes', dict(num_classes=-3), r'num_classes=-3'),
      (
        'nan_depth_multiplier',
        dict(depth_multiplier=float('nan')),
        r'depth_multiplier=nan',
      ),
      (
        'negative_depth_multiplier',
        dict(depth_multiplier=-0.5),
        r'depth_multiplier=-0.5',
      ),
      ('rank3', dict(rank=3), r'rank-4 tensor.*\(32, 32, 3\)'),
    )
  )
  def test_bad_arguments(self, module, builder, unit, case):
    del builder, unit
    kwargs, message = case
    kwargs = dict(kwargs)
    rank = kwargs.pop('rank', 4)
    fn = getattr(module, 'resnet_%s_50' % module.__name__.split('_')[-1])
    with tf.Graph().as_default():
      shape = [2, 32, 32, 3][4 - rank :]
      inputs = tf.zeros(shape)
      with test_util.arg_scope():
        with self.assertRaisesRegex(ValueError, message):
          fn(inputs, **dict(dict(num_classes=10), **kwargs))
      # Nothing was built before the error.
      self.assertEmpty(tf.global_variables())

  def test_unsupported_depth(self):
    with self.assertRaisesRegex(ValueError, r'Unsupported depth 77.*18, 34'):
      resnet_builder.imagenet_blocks(77, resnet_v1.UNITS)

  @parameterized.named_parameters(
    ('v1', 'resnet_v1_50'), ('v2', 'resnet_v2_50')
  )
  def test_slim_positional_arguments(self, name):
    """slim's order: inputs, num_classes, is_training, global_pool, ..."""
    module = resnet_v1 if 'v1' in name else resnet_v2
    fn = functools.partial(getattr(module, name))
    with tf.Graph().as_default():
      inputs = test_util.create_test_input(1, 65, 65, 3)
      with test_util.arg_scope():
        net, _ = fn(inputs, None, False, False, 16)
      self.assertEqual(net.shape.as_list(), [1, 5, 5, 2048])
      self.assertEmpty(tf.get_collection(tf.GraphKeys.UPDATE_OPS))


if __name__ == '__main__':
  tf.test.main()
