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
"""Tests for utils/precision.py: config switches, their validation, and that
the bfloat16 rewrite really runs the convolutions of a training step in
bfloat16 while variables and batch-norm statistics stay float32."""

import os
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import nets_factory
from nets import tf_compat
from utils import precision


def setUpModule():
  tf_compat.enable_graph_mode()


class SessionConfigTest(tf.test.TestCase, parameterized.TestCase):
  def test_fp32_leaves_the_rewrites_alone(self):
    config = precision.session_config()
    rewrite = config.graph_options.rewrite_options
    self.assertEqual(
      rewrite.auto_mixed_precision_onednn_bfloat16, rewrite.DEFAULT
    )
    self.assertEqual(
      config.graph_options.optimizer_options.global_jit_level,
      tf.OptimizerOptions.DEFAULT,
    )
    self.assertEqual(config, tf.ConfigProto())

  def test_bfloat16_turns_on_onednn_mixed_precision(self):
    rewrite = precision.session_config('bfloat16').graph_options.rewrite_options
    self.assertEqual(rewrite.auto_mixed_precision_onednn_bfloat16, rewrite.ON)

  def test_xla_sets_jit_level_and_cpu_flag(self):
    with mock.patch.dict(os.environ, {'TF_XLA_FLAGS': '--tf_xla_foo=1'}):
      config = precision.session_config(xla=True)
      self.assertEqual(
        os.environ['TF_XLA_FLAGS'].split(),
        ['--tf_xla_foo=1', precision.CPU_GLOBAL_JIT_FLAG],
      )
      self.assertFalse(precision.enable_cpu_global_jit())  # Only once.
    self.assertEqual(
      config.graph_options.optimizer_options.global_jit_level,
      tf.OptimizerOptions.ON_1,
    )

  def test_threads_and_base_config(self):
    base = tf.ConfigProto(allow_soft_placement=True)
    config = precision.session_config(
      'bfloat16', intra_op=2, inter_op=1, base_config=base
    )
    self.assertEqual(config.intra_op_parallelism_threads, 2)
    self.assertEqual(config.inter_op_parallelism_threads, 1)
    self.assertTrue(config.allow_soft_placement)
    self.assertEqual(base, tf.ConfigProto(allow_soft_placement=True))

  @parameterized.named_parameters(
    ('fp16', dict(precision='fp16'), r"precision=.*'fp16'"),
    ('upper_case', dict(precision='FP32'), r"precision=.*'FP32'"),
    ('xla_string', dict(xla='on'), r"xla=.*'on'"),
    ('negative_intra', dict(intra_op=-1), r'intra_op=-1'),
    ('float_inter', dict(inter_op=1.5), r'inter_op=1.5'),
    ('bool_intra', dict(intra_op=True), r'intra_op=True'),
  )
  def test_bad_values_are_named(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      precision.session_config(**kwargs)

  def test_bfloat16_fraction_kind(self):
    stats = precision.RewriteStats({}, {}, 0)
    self.assertIsNone(precision.bfloat16_fraction(stats))
    with self.assertRaisesRegex(ValueError, r"kind='pool'"):
      precision.bfloat16_fraction(stats, kind='pool')

  def test_xla_scope_marks_ops(self):
    with tf.Graph().as_default():
      with precision.xla_scope(True):
        compiled = tf.square(tf.zeros([2]))
      with precision.xla_scope(False):
        plain = tf.square(tf.zeros([2]))
      self.assertTrue(compiled.op.get_attr('_XlaCompile'))
      with self.assertRaises(ValueError):
        plain.op.get_attr('_XlaCompile')


class GraphDefStatsTest(tf.test.TestCase):
  def test_counts_by_type_and_dtype(self):
    with tf.Graph().as_default() as graph:
      x = tf.zeros([1, 4, 4, 2], tf.bfloat16)
      tf.nn.conv2d(x, tf.zeros([1, 1, 2, 2], tf.bfloat16), 1, 'SAME')
      tf.nn.conv2d(tf.cast(x, tf.float32), tf.zeros([1, 1, 2, 2]), 1, 'SAME')
      tf.matmul(tf.zeros([2, 2]), tf.zeros([2, 2]))
    stats = precision.graph_def_stats([graph.as_graph_def()])
    self.assertEqual(stats.conv_ops, {'Conv2D': {'bfloat16': 1, 'float32': 1}})
    self.assertEqual(stats.matmul_ops, {'MatMul': {'float32': 1}})
    self.assertEqual(stats.xla_clusters, 0)
    self.assertEqual(precision.bfloat16_fraction(stats), 0.5)
    self.assertEqual(precision.bfloat16_fraction(stats, 'matmul'), 0.0)

  def test_counts_xla_clusters(self):
    graph_def = tf.GraphDef()
    for op in ('_XlaCompile', '_XlaRun', '_XlaCompile', '_XlaRun', 'XlaLaunch'):
      graph_def.node.add(name='n%d' % len(graph_def.node), op=op)
    self.assertEqual(precision.graph_def_stats([graph_def]).xla_clusters, 3)


class Bfloat16RewriteTest(tf.test.TestCase, parameterized.TestCase):
  """A real training step of a small ResNet under each precision."""

  def _train_step(self, precision_name):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      network_fn = nets_factory.get_network_fn(
        'resnet_v1_50', 10, is_training=True
      )
      images = tf.random.uniform([2, 32, 32, 3])
      logits, _ = network_fn(images, depth_multiplier=0.125)
      loss = tf.losses.sparse_softmax_cross_entropy(tf.constant([1, 2]), logits)
      with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
      moving = [
        v
        for v in tf.global_variables()
        if v.op.name.endswith('moving_variance')
      ]
      config = precision.session_config(precision_name)
      with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        stats = precision.rewrite_stats(sess, train_op)
        moving_values = sess.run(moving)
      dtypes = {v.dtype.base_dtype for v in tf.global_variables()}
    return stats, dtypes, moving_values

  @parameterized.named_parameters(
    ('fp32', 'fp32', 0.0), ('bfloat16', 'bfloat16', 1.0)
  )
  def test_convolutions_run_in_the_requested_precision(
    self, precision_name, fraction
  ):
    # The rewrite is oneDNN's: where TensorFlow runs without oneDNN (CPUs
    # without AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX, unless
    # TF_ENABLE_ONEDNN_OPTS=1), bfloat16 leaves every convolution in fp32.
    if not tf_compat.onednn_enabled():
      fraction = 0.0
    stats, dtypes, moving_values = self._train_step(precision_name)
    self.assertEqual(precision.bfloat16_fraction(stats), fraction)
    # Forward and both gradients of every convolution ran.
    self.assertTrue(any('BackpropFilter' in op for op in stats.conv_ops))
    self.assertTrue(any('BackpropInput' in op for op in stats.conv_ops))
    # Variables, and the batch-norm statistics the step updated, stay fp32.
    self.assertEqual(dtypes, {tf.float32})
    updated = [v for v in moving_values if not np.allclose(v, 1.0)]
    self.assertLen(updated, len(moving_values))
    self.assertTrue(
      all(
        v.dtype == np.float32 and np.all(np.isfinite(v)) for v in moving_values
      )
    )


if __name__ == '__main__':
  tf.test.main()
