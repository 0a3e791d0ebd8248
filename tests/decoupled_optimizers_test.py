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
"""AdamW and LAMB (utils/training/decoupled_optimizers.py) against the values
of torch.optim.AdamW and timm.optim.Lamb in tests/data/training_fixture.json
(scripts/make_training_fixture.py)."""

import json
import os

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils.training import decoupled_optimizers

_FIXTURE = os.path.join(
  os.path.dirname(os.path.abspath(__file__)), 'data', 'training_fixture.json'
)


def setUpModule():
  tf_compat.enable_graph_mode()


def _load_fixture():
  with open(_FIXTURE) as f:
    return json.load(f)


def _make_adamw(lr, config):
  return decoupled_optimizers.AdamWOptimizer(
    lr,
    weight_decay=config['weight_decay'],
    norm_weight_decay=0.0,
    beta1=config['betas'][0],
    beta2=config['betas'][1],
    epsilon=config['eps'],
  )


def _make_lamb(lr, config, max_grad_norm=None):
  return decoupled_optimizers.LAMBOptimizer(
    lr,
    weight_decay=config['weight_decay'],
    norm_weight_decay=0.0,
    beta1=config['betas'][0],
    beta2=config['betas'][1],
    epsilon=config['eps'],
    max_grad_norm=config['max_grad_norm']
    if max_grad_norm is None
    else max_grad_norm,
  )


class DecoupledOptimizersTest(tf.test.TestCase, parameterized.TestCase):
  def _run_steps(self, make_optimizer, use_resource=True, fixture=None):
    """The parameters after each step, from the fixture's start and grads."""
    fixture = fixture or _load_fixture()
    names = [name for name, _, _ in fixture['params']]
    with tf.Graph().as_default():
      variables = [
        tf.get_variable(
          name,
          initializer=np.array(fixture['initial'][name], np.float32),
          use_resource=use_resource,
        )
        for name in names
      ]
      grads = [tf.placeholder(tf.float32, v.shape) for v in variables]
      lr = tf.placeholder(tf.float32, [])
      global_step = tf.train.get_or_create_global_step()
      opt = make_optimizer(lr)
      train_op = opt.apply_gradients(
        list(zip(grads, variables)), global_step=global_step
      )
      after = []
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        for rate, step_grads in zip(
          fixture['learning_rates'], fixture['grads']
        ):
          feed = {lr: rate}
          feed.update(
            {
              g: np.array(step_grads[n], np.float32)
              for g, n in zip(grads, names)
            }
          )
          sess.run(train_op, feed)
          after.append(dict(zip(names, sess.run(variables))))
        self.assertEqual(sess.run(global_step), len(fixture['grads']))
    return after

  def _assert_matches(self, after, expected):
    for step, (ours, theirs) in enumerate(zip(after, expected)):
      for name, value in theirs.items():
        self.assertAllClose(
          ours[name],
          np.array(value, np.float32),
          rtol=1e-5,
          atol=1e-6,
          msg='%s after step %d' % (name, step + 1),
        )

  @parameterized.named_parameters(('resource', True), ('ref', False))
  def test_adamw_matches_torch(self, use_resource):
    fixture = _load_fixture()
    after = self._run_steps(
      lambda lr: _make_adamw(lr, fixture['adamw']), use_resource, fixture
    )
    self._assert_matches(after, fixture['adamw']['after_step'])

  @parameterized.named_parameters(('resource', True), ('ref', False))
  def test_lamb_matches_timm(self, use_resource):
    fixture = _load_fixture()
    after = self._run_steps(
      lambda lr: _make_lamb(lr, fixture['lamb']), use_resource, fixture
    )
    self._assert_matches(after, fixture['lamb']['after_step'])

  def test_lamb_without_clipping_differs_from_timm(self):
    # The fixture's gradient norms are about 5: without timm's clipping at
    # 1.0 the steps differ beyond the tolerance (Adam's step is nearly, but
    # not exactly, invariant to the gradients' scale), so the comparison
    # above sees the clipping.
    fixture = _load_fixture()
    after = self._run_steps(
      lambda lr: _make_lamb(lr, fixture['lamb'], max_grad_norm=1e9),
      fixture=fixture,
    )
    with self.assertRaises(AssertionError):
      self._assert_matches(after, fixture['lamb']['after_step'])

  def test_adamw_decay_is_decoupled_from_the_gradient(self):
    # With a zero gradient the Adam step is 0 and only the decay acts:
    # w * (1 - lr * wd) for kernels, unchanged for rank-1 variables.
    with tf.Graph().as_default():
      kernel = tf.get_variable('k', initializer=tf.ones([2, 2]))
      bias = tf.get_variable('b', initializer=tf.ones([2]))
      opt = decoupled_optimizers.AdamWOptimizer(
        0.1, weight_decay=0.5, norm_weight_decay=0.0
      )
      train_op = opt.apply_gradients(
        [(tf.zeros([2, 2]), kernel), (tf.zeros([2]), bias)]
      )
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_op)
        self.assertAllClose(sess.run(kernel), np.full([2, 2], 0.95))
        self.assertAllEqual(sess.run(bias), np.ones([2]))

  def test_step_count_is_saved_with_the_slots(self):
    with tf.Graph().as_default():
      var = tf.get_variable('w', initializer=tf.ones([3, 3]))
      opt = decoupled_optimizers.LAMBOptimizer(0.1)
      opt.minimize(tf.reduce_sum(var * var))
      names = sorted(v.op.name for v in tf.global_variables())
    self.assertEqual(names, ['LAMB_step', 'w', 'w/LAMB', 'w/LAMB_1'])

  @parameterized.named_parameters(
    ('kernel_default', [3, 3, 4, 8], 0.1, None, 0.1),
    ('bias_default', [8], 0.1, None, 0.1),
    ('kernel_with_norm_rate', [4, 8], 0.1, 0.0, 0.1),
    ('gamma_with_norm_rate', [8], 0.1, 0.0, 0.0),
  )
  def test_decay_rate(self, shape, weight_decay, norm_weight_decay, expected):
    with tf.Graph().as_default():
      var = tf.get_variable('v', shape)
      self.assertEqual(
        decoupled_optimizers.decay_rate(var, weight_decay, norm_weight_decay),
        expected,
      )

  @parameterized.named_parameters(
    ('negative_decay', dict(weight_decay=-0.1), 'weight_decay=-0.1'),
    (
      'negative_norm_decay',
      dict(norm_weight_decay=-1.0),
      'norm_weight_decay=-1.0',
    ),
    ('beta1_one', dict(beta1=1.0), r'beta1 must be in \[0, 1\)'),
    ('negative_epsilon', dict(epsilon=-1e-8), 'epsilon=-1e-08'),
    ('zero_max_grad_norm', dict(max_grad_norm=0.0), 'max_grad_norm=0.0'),
  )
  def test_bad_hyper_parameters_raise(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      decoupled_optimizers.LAMBOptimizer(0.1, **kwargs)


if __name__ == '__main__':
  tf.test.main()
