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
"""Checkpoint compatibility with slim, using pip tf_slim.nets as the oracle.

pip tf_slim's `nets.resnet_v1` / `nets.resnet_v2` build graphs with the
variable names of the official slim checkpoints (resnet_v1_50_2016_08_28,
resnet_v2_50_2017_04_14, ...). A checkpoint saved from the oracle must restore
by name into our networks and give the same logits. Only tests import
tf_slim.nets.
"""

import os

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import resnet_v1 as oracle_v1
from tf_slim.nets import resnet_v2 as oracle_v2

from nets import resnet_v1
from nets import resnet_v2
from nets import tf_compat
from tests import test_util


def setUpModule():
  tf_compat.enable_graph_mode()


def _modules(name):
  if name.startswith('resnet_v1'):
    return resnet_v1, oracle_v1
  return resnet_v2, oracle_v2


def _variables(fn, arg_scope, num_classes, image_size=224):
  with tf.Graph().as_default():
    inputs = tf.placeholder(tf.float32, [1, image_size, image_size, 3])
    with slim.arg_scope(arg_scope()):
      fn(inputs, num_classes, is_training=True)
    return [
      (v.op.name, tuple(v.shape.as_list())) for v in tf.global_variables()
    ]


class OracleParityTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('v1_50', 'resnet_v1_50', 1000), ('v2_50', 'resnet_v2_50', 1001)
  )
  def test_oracle_checkpoint_restores_with_same_logits(self, name, num_classes):
    ours, oracle = _modules(name)
    path = os.path.join(self.get_temp_dir(), name + '.ckpt')
    images = (
      np.random.RandomState(0)
      .uniform(-1, 1, (2, 224, 224, 3))
      .astype(np.float32)
    )
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      inputs = tf.constant(images)
      with slim.arg_scope(oracle.resnet_arg_scope()):
        logits, _ = getattr(oracle, name)(
          inputs, num_classes, is_training=False
        )
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        test_util.randomize_batch_norm(sess)
        expected = sess.run(logits).reshape(2, num_classes)
        tf.train.Saver().save(sess, path)
    with tf.Graph().as_default():
      inputs = tf.constant(images)
      with slim.arg_scope(ours.resnet_arg_scope()):
        logits, end_points = getattr(ours, name)(
          inputs, num_classes, is_training=False
        )
      with self.session() as sess:
        # Restores by name; a missing or extra name fails here.
        tf.train.Saver().restore(sess, path)
        actual, predictions = sess.run([logits, end_points['predictions']])
    self.assertEqual(actual.shape, (2, num_classes))
    # Non-trivial: the logits differ between the two images.
    self.assertGreater(np.max(np.abs(expected[0] - expected[1])), 1e-3)
    self.assertLess(test_util.relative_error(actual, expected), 1e-4)
    self.assertAllClose(predictions.sum(axis=1), [1.0, 1.0], atol=1e-5)

  @parameterized.named_parameters(
    *[
      ('%s_%d' % (v, d), 'resnet_%s_%d' % (v, d))
      for v in ('v1', 'v2')
      for d in (50, 101, 152, 200)
    ]
  )
  def test_variable_names_and_shapes_equal_oracle(self, name):
    # The deepest networks' cases are slow: SLOW_TESTS in tests/conftest.py.
    ours, oracle = _modules(name)
    actual = _variables(
      getattr(ours, name), ours.resnet_arg_scope, 1000, image_size=64
    )
    expected = _variables(
      getattr(oracle, name), oracle.resnet_arg_scope, 1000, image_size=64
    )
    self.assertEqual(actual, expected)


if __name__ == '__main__':
  tf.test.main()
