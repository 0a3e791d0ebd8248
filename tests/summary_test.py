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
"""Tests for nets/summary.py and the MAC counting of nets/graph_stats.py.

Graphs are built, never run. The per-block totals must equal the registry's
golden parameter counts, and the MACs of ResNet-50 an independent analytic
count of slim's layout."""

import os
import sys
from unittest import mock

from absl.testing import parameterized
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import graph_stats
from nets import nets_factory
from nets import resnet_utils
from nets import resnet_v1
from nets import summary
from nets import tf_compat
from tests import test_util


def setUpModule():
  tf_compat.enable_graph_mode()


def slim_resnet50_macs(size=224):
  """MACs of slim's ResNet-50 v1 layout, by hand (stride in last units)."""
  res = size // 2  # conv1 7x7/2
  macs = res * res * 7 * 7 * 3 * 64
  res //= 2  # pool1
  depth_in = 64
  for num_units, base, stride in (
    (3, 64, 2),
    (4, 128, 2),
    (6, 256, 2),
    (3, 512, 1),
  ):
    for unit in range(num_units):
      unit_stride = stride if unit == num_units - 1 else 1
      out_res = res // unit_stride
      if depth_in != 4 * base:  # Projection shortcut (stride 1 here).
        macs += out_res * out_res * depth_in * 4 * base
      macs += res * res * depth_in * base  # conv1 1x1
      macs += out_res * out_res * 9 * base * base  # conv2 3x3/stride
      macs += out_res * out_res * base * 4 * base  # conv3 1x1
      depth_in, res = 4 * base, out_res
  return macs + depth_in * 1000  # logits


class GraphStatsTest(tf.test.TestCase, parameterized.TestCase):
  def test_conv_grouped_depthwise_and_matmul(self):
    with tf.Graph().as_default():
      x = tf.zeros([2, 8, 8, 4])
      conv = tf.nn.conv2d(x, tf.zeros([3, 3, 4, 6]), 2, 'SAME')
      # Two groups: the filter holds in_c / groups = 2 input channels.
      grouped = tf.nn.conv2d(x, tf.zeros([3, 3, 2, 6]), 1, 'SAME')
      dilated = tf.nn.conv2d(x, tf.zeros([3, 3, 4, 6]), 1, 'SAME', dilations=2)
      depthwise = tf.nn.depthwise_conv2d(
        x, tf.zeros([3, 3, 4, 2]), [1, 1, 1, 1], 'SAME'
      )
      matmul = tf.matmul(
        tf.zeros([5, 3]), tf.zeros([7, 5]), transpose_a=True, transpose_b=True
      )
      batched = tf.matmul(tf.zeros([4, 2, 3]), tf.zeros([4, 3, 5]))
      self.assertEqual(graph_stats.op_macs(conv.op), 2 * 4 * 4 * 9 * 4 * 6)
      self.assertEqual(graph_stats.op_macs(grouped.op), 2 * 8 * 8 * 9 * 2 * 6)
      self.assertEqual(graph_stats.op_macs(dilated.op), 2 * 8 * 8 * 9 * 4 * 6)
      self.assertEqual(graph_stats.op_macs(depthwise.op), 2 * 8 * 8 * 9 * 4 * 2)
      self.assertEqual(graph_stats.op_macs(matmul.op), 3 * 5 * 7)
      self.assertEqual(graph_stats.op_macs(batched.op), 4 * 2 * 3 * 5)
      self.assertEqual(graph_stats.op_macs(tf.nn.relu(conv).op), 0)
      ops = graph_stats.forward_ops([conv, matmul])
      self.assertEqual(
        graph_stats.count_macs(ops), 2 * 4 * 4 * 9 * 4 * 6 + 3 * 5 * 7
      )
      self.assertEqual(
        graph_stats.macs_by_type(ops),
        {'Conv2D': 2 * 4 * 4 * 9 * 4 * 6, 'MatMul': 105},
      )

  def test_unknown_shape_names_the_op(self):
    with tf.Graph().as_default():
      x = tf.placeholder(tf.float32, [1, None, None, 3])
      conv = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4]), 1, 'SAME', name='c')
      with self.assertRaisesRegex(ValueError, r"'c'.*static shapes"):
        graph_stats.op_macs(conv.op)

  def test_nchw_is_refused(self):
    with tf.Graph().as_default():
      x = tf.zeros([1, 3, 8, 8])
      conv = tf.nn.conv2d(
        x, tf.zeros([3, 3, 3, 4]), 1, 'SAME', data_format='NCHW', name='nchw'
      )
      with self.assertRaisesRegex(ValueError, r"'nchw'.*data_format=b?'NCHW'"):
        graph_stats.op_macs(conv.op)

  def test_forward_ops_leave_gradients_out(self):
    with tf.Graph().as_default():
      x = tf.zeros([1, 4, 4, 2])
      w = tf.Variable(tf.ones([3, 3, 2, 2]))
      y = tf.nn.conv2d(x, w, 1, 'SAME')
      tf.gradients(tf.reduce_sum(y), [w])
      all_ops = tf.get_default_graph().get_operations()
      self.assertEqual(
        graph_stats.count_macs(graph_stats.forward_ops(y)), 16 * 9 * 2 * 2
      )
      self.assertEqual(graph_stats.count_macs(all_ops), 16 * 9 * 2 * 2)
      self.assertTrue(
        any(op.type.startswith('Conv2DBackprop') for op in all_ops)
      )

  @parameterized.parameters(
    ('resnet_v1_50/conv1/weights', 'root'),
    ('resnet_v1_50/conv1_2/Conv2D', 'root'),
    ('resnet_v1_50/pool1/MaxPool', 'root'),
    ('resnet_v1_50/block12/unit_1/bottleneck_v1/conv1/Conv2D', 'block12'),
    ('resnet_v1_50/logits/weights', 'head'),
    ('resnet_v1_50/pool5', 'head'),
    ('resnet_v1_50x/conv1/weights', None),
    ('other/block1/conv1', None),
  )
  def test_network_part(self, name, part):
    self.assertEqual(graph_stats.network_part(name, 'resnet_v1_50'), part)

  def test_part_order(self):
    self.assertEqual(
      graph_stats.part_order(['head', 'block10', 'block2', 'root']),
      ['root', 'block2', 'block10', 'head'],
    )


NAMES = (
  'resnet_v1_50',
  'resnet_v2_50',
  'resnext_50_32x4d',
  'se_resnet_50',
  'resnet_v1_50_beta',
  'resnet_cifar_20',
  'resnet_v2_18',
)


class SummaryTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters((name, name) for name in NAMES)
  def test_totals_equal_the_registry(self, name):
    rows = summary.summarize(name)
    blocks = 3 if 'cifar' in name else 4
    self.assertEqual(
      [r.part for r in rows],
      ['root'] + ['block%d' % (i + 1) for i in range(blocks)] + ['head'],
    )
    params, macs = summary.totals(rows)
    self.assertEqual(params, nets_factory.NETWORKS[name].num_params)
    self.assertGreater(macs, 0)
    self.assertTrue(all(r.macs > 0 for r in rows[:-1]))
    spec = nets_factory.NETWORKS[name]
    self.assertEqual(rows[-1].output_shape, (spec.params_num_classes,))

  def test_resnet_v1_50_macs_and_shapes(self):
    rows = summary.summarize('resnet_v1_50')
    self.assertEqual(summary.totals(rows)[1], slim_resnet50_macs())
    self.assertEqual(summary.totals(rows)[1], 3482255360)  # slim's 3.48.
    self.assertEqual(
      [r.output_shape for r in rows],
      [
        (56, 56, 64),
        (28, 28, 256),
        (14, 14, 512),
        (7, 7, 1024),
        (7, 7, 2048),
        (1000,),
      ],
    )

  def test_v2_has_the_convolutions_of_v1(self):
    v1 = summary.summarize('resnet_v1_50', image_size=96)
    v2 = summary.summarize('resnet_v2_50', image_size=96)
    self.assertEqual([r.macs for r in v1], [r.macs for r in v2])
    self.assertEqual(summary.totals(v1)[1], slim_resnet50_macs(96))

  def test_resnext_50_layout_difference(self):
    # Docstring: 3.50 GMACs in slim's layout (torchvision's layout: 4.23).
    macs = summary.totals(summary.summarize('resnext_50_32x4d'))[1]
    self.assertAlmostEqual(macs / 1e9, 3.504, places=3)

  @parameterized.named_parameters(
    # torchvision's published GMACs ("GFLOPS" in its model tables) and
    # parameter counts of resnet50 and resnext50_32x4d.
    ('resnet50', 1, 64, 4.09, 25557032),
    ('resnext50_32x4d', 32, 128, 4.23, 25028904),
  )
  def test_torchvision_layout_gives_its_published_macs(
    self, cardinality, first_bottleneck, gmacs, num_params
  ):
    # torchvision ("ResNet v1.5") subsamples in the 3x3 convolution of the
    # *first* unit of blocks 2-4; built so with our units, the MAC counter
    # the summary uses gives torchvision's figures, and the parameters are
    # the registry's (the layout moves no weight).
    blocks = []
    for i, (depth, num_units) in enumerate(
      [(256, 3), (512, 4), (1024, 6), (2048, 3)]
    ):
      units = [
        dict(
          depth=depth,
          depth_bottleneck=first_bottleneck * 2**i,
          stride=2 if i and not j else 1,
          cardinality=cardinality,
        )
        for j in range(num_units)
      ]
      blocks.append(
        resnet_utils.Block('block%d' % (i + 1), resnet_v1.bottleneck, units)
      )
    with tf.Graph().as_default():
      with slim.arg_scope(resnet_v1.resnet_arg_scope()):
        logits, _ = resnet_v1.resnet_v1(
          tf.zeros([1, 224, 224, 3]), blocks, 1000, is_training=False
        )
      macs = graph_stats.count_macs(graph_stats.forward_ops(logits))
      params = sum(v.shape.num_elements() for v in tf.trainable_variables())
    self.assertAlmostEqual(macs / 1e9, gmacs, places=2)
    self.assertEqual(params, num_params)
    name = 'resnet_v1_50' if cardinality == 1 else 'resnext_50_32x4d'
    self.assertEqual(params, nets_factory.NETWORKS[name].num_params)

  def test_format_summary(self):
    rows = summary.summarize('resnet_cifar_20')
    text = summary.format_summary('resnet_cifar_20', rows, 32)
    self.assertIn('resnet_cifar_20 at 32x32', text)
    self.assertRegex(text, r'block3\s+8x8x64\s+203,520')
    self.assertRegex(
      text,
      r'total\s+269,722\s+%.3f\s+100\.0%%' % (summary.totals(rows)[1] / 1e9),
    )

  @parameterized.named_parameters(
    ('unknown', dict(model_name='resnet_v1_51'), r"'resnet_v1_51'"),
    (
      'zero_size',
      dict(model_name='resnet_v1_50', image_size=0),
      r'image_size=0',
    ),
    (
      'float_size',
      dict(model_name='resnet_v1_50', image_size=224.0),
      r'image_size=224.0',
    ),
  )
  def test_errors(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      summary.summarize(**kwargs)

  def test_png_without_matplotlib_says_how_to_install(self):
    rows = summary.summarize('resnet_cifar_20')
    with mock.patch.dict(sys.modules, {'matplotlib': None}):
      with self.assertRaisesRegex(ImportError, r'\.\[plot\]'):
        summary.plot_macs('resnet_cifar_20', rows, '/tmp/unused.png')

  def test_png(self):
    try:
      import matplotlib  # noqa: F401
    except ImportError:
      self.skipTest('matplotlib (the optional extra "plot") is missing')
    rows = summary.summarize('resnet_cifar_20')
    path = os.path.join(test_util.temp_dir(self), 'macs.png')
    summary.plot_macs('resnet_cifar_20', rows, path)
    with open(path, 'rb') as f:
      self.assertEqual(f.read(8), b'\x89PNG\r\n\x1a\n')


if __name__ == '__main__':
  tf.test.main()
