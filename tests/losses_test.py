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
"""The training losses (utils/training/losses.py): the binary cross-entropy
against timm's BinaryCrossEntropy (tests/data/training_fixture.json, made by
scripts/make_training_fixture.py) and its definition; the softmax loss
against slim's."""

import json
import os

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils.training import losses

_FIXTURE = os.path.join(
  os.path.dirname(os.path.abspath(__file__)), 'data', 'training_fixture.json'
)


def setUpModule():
  tf_compat.enable_graph_mode()


def _bce_fixture():
  with open(_FIXTURE) as f:
    return json.load(f)['bce']


class LossesTest(tf.test.TestCase, parameterized.TestCase):
  def _value(self, logits, labels, **kwargs):
    with tf.Graph().as_default():
      loss = losses.classification_loss(
        tf.constant(logits, tf.float32),
        tf.constant(labels),
        np.shape(logits)[1],
        **kwargs,
      )
      self.assertLen(tf.losses.get_losses(), 1)
      with self.session() as sess:
        return sess.run(loss)

  @parameterized.named_parameters(
    ('labels', 'labels', None),
    ('labels_threshold', 'labels', 0.2),
    ('mixed', 'mixed_targets', None),
    ('mixed_threshold', 'mixed_targets', 0.2),
  )
  def test_bce_matches_timm(self, targets_key, threshold):
    fixture = _bce_fixture()
    targets = fixture[targets_key]
    if targets_key == 'mixed_targets':
      targets = np.array(targets, np.float32)
    value = self._value(
      fixture['logits'],
      targets,
      loss='bce',
      label_smoothing=fixture['label_smoothing'],
      bce_target_threshold=threshold,
    )
    case = targets_key.split('_')[0] + (
      '' if threshold is None else '_threshold'
    )
    self.assertAllClose(value, fixture['loss'][case], rtol=1e-6, atol=1e-6)

  def test_bce_is_the_mean_over_batch_and_classes(self):
    # -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))], averaged over all
    # batch x class entries; targets > 0.5 binarized to 1, others to 0.
    logits = np.array([[2.0, -1.0, 0.5], [0.0, 3.0, -2.0]], np.float32)
    targets = np.array([[0.6, 0.4, 0.0], [0.0, 0.9, 0.1]], np.float32)
    binary = (targets > 0.5).astype(np.float64)
    sig = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
    expected = -np.mean(binary * np.log(sig) + (1 - binary) * np.log(1 - sig))
    value = self._value(logits, targets, loss='bce', bce_target_threshold=0.5)
    self.assertAllClose(value, expected, rtol=1e-6, atol=0)

  def test_softmax_with_smoothing_equals_slims_loss(self):
    logits = np.random.RandomState(0).normal(size=(4, 6)).astype(np.float32)
    labels = np.array([0, 5, 2, 2], np.int32)
    with tf.Graph().as_default():
      slim_loss = tf.losses.softmax_cross_entropy(
        tf.one_hot(labels, 6), tf.constant(logits), label_smoothing=0.1
      )
      with self.session() as sess:
        expected = sess.run(slim_loss)
    value = self._value(logits, labels, label_smoothing=0.1)
    self.assertAllClose(value, expected, rtol=1e-7, atol=0)

  def test_softmax_on_mixed_targets(self):
    logits = np.array([[1.0, 2.0, 0.0], [0.5, -0.5, 0.0]], np.float32)
    targets = np.array([[0.7, 0.3, 0.0], [0.0, 0.2, 0.8]], np.float32)
    z = logits - logits.max(axis=1, keepdims=True)
    log_softmax = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    expected = -np.mean(np.sum(targets * log_softmax, axis=1))
    # Dense targets are not smoothed again.
    value = self._value(logits, targets, label_smoothing=0.5)
    self.assertAllClose(value, expected, rtol=1e-6, atol=0)

  @parameterized.named_parameters(
    ('softmax_labels', 'softmax', 'labels', None),
    ('softmax_mixed', 'softmax', 'mixed_targets', None),
    ('bce_labels_threshold', 'bce', 'labels', 0.2),
    ('bce_mixed', 'bce', 'mixed_targets', None),
  )
  def test_per_example_losses_average_to_the_loss(
    self, loss, targets_key, threshold
  ):
    fixture = _bce_fixture()
    targets = fixture[targets_key]
    if targets_key == 'mixed_targets':
      targets = np.array(targets, np.float32)
    kwargs = dict(
      loss=loss,
      label_smoothing=fixture['label_smoothing'],
      bce_target_threshold=threshold,
    )
    expected = self._value(fixture['logits'], targets, **kwargs)
    with tf.Graph().as_default():
      per_example = losses.per_example_loss(
        tf.constant(fixture['logits'], tf.float32),
        tf.constant(targets),
        np.shape(fixture['logits'])[1],
        **kwargs,
      )
      self.assertEqual([], tf.losses.get_losses())
      with self.session() as sess:
        values = sess.run(per_example)
    self.assertEqual((len(targets),), values.shape)
    self.assertNotAllClose(values, np.full_like(values, values.mean()))
    self.assertAllClose(expected, values.mean(), rtol=1e-6, atol=1e-6)

  def test_out_of_range_label_fails_when_run(self):
    with self.assertRaisesRegex(
      tf.errors.InvalidArgumentError, r'labels must be < num_classes \(3\)'
    ):
      self._value(np.zeros((1, 3), np.float32), [3], loss='bce')

  def test_norm_l2_regularization_covers_rank_1_variables_only(self):
    with tf.Graph().as_default():
      kernel = tf.get_variable('k', initializer=tf.ones([2, 2]))
      gamma = tf.get_variable('gamma', initializer=tf.constant([1.0, 2.0]))
      bias = tf.get_variable('b', initializer=tf.constant([3.0]))
      loss = losses.norm_l2_regularization([kernel, gamma, bias], 0.1)
      self.assertEqual(tf.losses.get_regularization_losses(), [loss])
      grads = tf.gradients(loss, [gamma, bias])
      self.assertIsNone(tf.gradients(loss, kernel)[0])
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        value, (g_gamma, g_bias) = sess.run([loss, grads])
    # 0.1 * (1 + 4 + 9) / 2, gradient 0.1 * v.
    self.assertAllClose(value, 0.7)
    self.assertAllClose(g_gamma, [0.1, 0.2])
    self.assertAllClose(g_bias, [0.3])

  def test_norm_l2_regularization_at_zero_adds_nothing(self):
    with tf.Graph().as_default():
      gamma = tf.get_variable('gamma', initializer=tf.ones([2]))
      self.assertIsNone(losses.norm_l2_regularization([gamma], 0.0))
      self.assertEmpty(tf.losses.get_regularization_losses())

  @parameterized.named_parameters(
    ('unknown_loss', 'hinge', None, "Unknown loss 'hinge'; choose one of"),
    ('threshold_above_one', 'bce', 1.5, r'bce_target_threshold must be <= 1'),
    ('threshold_negative', 'bce', -0.1, r'bce_target_threshold must be >= 0'),
    (
      'threshold_without_bce',
      'softmax',
      0.2,
      r'bce_target_threshold=0.2 applies to the binary cross-entropy only; '
      r"got loss='softmax'. Add --loss=bce",
    ),
  )
  def test_bad_loss_args_raise(self, loss, threshold, message):
    with self.assertRaisesRegex(ValueError, message):
      losses.check_loss_args(loss, threshold)


if __name__ == '__main__':
  tf.test.main()
