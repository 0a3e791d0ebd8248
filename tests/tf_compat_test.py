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
"""Tests of nets/tf_compat.py: each fix is in place and is needed."""

import importlib
import os
import subprocess
import sys
import textwrap

from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from nets import tf_compat

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(code):
  """Runs `code` in a fresh interpreter at the repository root."""
  env = dict(os.environ, PYTHONPATH=_ROOT, TF_CPP_MIN_LOG_LEVEL='2')
  return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                        cwd=_ROOT, env=env, capture_output=True, text=True,
                        timeout=300, check=False)


class TfCompatTest(tf.test.TestCase, parameterized.TestCase):

  @parameterized.parameters(*tf_compat.KERAS_MODULE_ALIASES)
  def test_keras_module_alias(self, alias, source):
    self.assertIs(sys.modules[alias], importlib.import_module(source))

  def test_ops_tensor_restored(self):
    from tensorflow.python.framework import ops
    from tensorflow.python.framework import tensor
    self.assertIs(ops.Tensor, tensor.Tensor)

  @parameterized.parameters(*tf_compat.CONTROL_FLOW_FUNCTIONS)
  def test_control_flow_restored(self, name, module_name, attr):
    from tensorflow.python.ops import control_flow_ops
    self.assertIs(getattr(control_flow_ops, name),
                  getattr(importlib.import_module(module_name), attr))

  def test_apply_is_idempotent(self):
    before = {alias: sys.modules[alias]
              for alias, _ in tf_compat.KERAS_MODULE_ALIASES}
    tf_compat.apply()
    for alias, module in before.items():
      self.assertIs(sys.modules[alias], module)

  def test_fresh_interpreter_builds_a_network(self):
    """`from nets import resnet_v1` alone makes slim's batch norm work."""
    result = _run("""
        import tensorflow.compat.v1 as tf
        tf.disable_eager_execution()
        from nets import resnet_v1
        import tf_slim as slim
        with slim.arg_scope(resnet_v1.resnet_arg_scope()):
          net, _ = resnet_v1.resnet_v1_50(tf.zeros([1, 64, 64, 3]), 10)
        print('OK', net.shape)
        """)
    self.assertEqual(result.returncode, 0, result.stderr[-2000:])
    self.assertIn('OK (1, 10)', result.stdout)

  def test_each_fix_is_needed(self):
    """Without nets.tf_compat, each feature it fixes fails."""
    result = _run("""
        import tensorflow.compat.v1 as tf
        tf.disable_eager_execution()
        failures = []
        try:
          import tf_slim as slim
          slim.batch_norm(tf.zeros([1, 4, 4, 2]))
        except Exception as e:  # The keras alias is missing.
          failures.append('batch_norm: %s' % type(e).__name__)
        from tensorflow.python.framework import ops
        from tensorflow.python.ops import control_flow_ops
        failures.append('Tensor' if not hasattr(ops, 'Tensor') else '')
        for name in ('case', 'cond', 'while_loop'):
          if not hasattr(control_flow_ops, name):
            failures.append(name)
        print('FAILURES', failures)
        """)
    self.assertEqual(result.returncode, 0, result.stderr[-2000:])
    line = [text for text in result.stdout.splitlines()
            if text.startswith('FAILURES')]
    self.assertLen(line, 1)
    for needed in ('batch_norm', "'Tensor'", "'case'", "'cond'",
                   "'while_loop'"):
      self.assertIn(needed, line[0])

  def test_slim_features_that_use_the_fixes(self):
    """tf_slim code paths going through each restored name work."""
    from tensorflow.python.framework import ops
    import tf_slim as slim
    with tf.Graph().as_default():
      # layers.utils.smart_cond -> control_flow_ops.cond.
      flag = tf.placeholder(tf.bool, [])
      value = slim.layers.utils.smart_cond(flag, lambda: tf.constant(1.0),
                                           lambda: tf.constant(2.0))
      # tfexample_decoder's image decoding -> control_flow_ops.case / cond.
      encoded = tf.image.encode_png(tf.zeros([2, 2, 1], tf.uint8))
      image = slim.tfexample_decoder.Image(channels=1)
      decoded = image.tensors_to_item({'image/encoded': encoded,
                                       'image/format': tf.constant('png')})
      # ops.Tensor checks in layers.utils.constant_value.
      self.assertEqual(slim.layers.utils.constant_value(tf.constant(3.0)),
                       3.0)
      self.assertIsInstance(value, ops.Tensor)
      with self.session() as sess:
        self.assertEqual(sess.run(value, {flag: False}), 2.0)
        self.assertEqual(sess.run(decoded).shape, (2, 2, 1))


if __name__ == '__main__':
  tf.test.main()
