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
"""Everything needed to run pip `tf_slim` 1.1.0 on TensorFlow 2.21.

This is the only module of the project that touches `tensorflow.python`
internals. `nets/__init__.py` imports it, so `from nets import resnet_v1` works
in a fresh interpreter. Importing it twice is harmless: every fix checks first.

The fixes (each is exercised by `tests/tf_compat_test.py`):

1. `tf_keras.legacy_tf_layers` and `tf_keras.legacy_tf_layers.normalization`.
   TensorFlow's `tensorflow.python.layers.normalization` lazily imports
   `tf_keras.legacy_tf_layers.normalization`, which tf-keras 2.21 only ships as
   `tf_keras.src.legacy_tf_layers`. Without the alias `slim.batch_norm` fails.
2. `tensorflow.python.framework.ops.Tensor`. The class moved to
   `tensorflow.python.framework.tensor`; tf_slim's layers and learning helpers
   still check `isinstance(x, ops.Tensor)`.
3. `control_flow_ops.case`, `cond` and `while_loop`. They moved to their own
   modules; tf_slim's `tfexample_decoder`, `layers.utils.smart_cond`, metrics
   and losses still call them through `control_flow_ops`.
"""

import importlib
import importlib.util
import sys

# Fixed names, as (module attribute or sys.modules key, source). Tests read this
# table to check that every fix is in place.
KERAS_MODULE_ALIASES = (
    ('tf_keras.legacy_tf_layers', 'tf_keras.src.legacy_tf_layers'),
    ('tf_keras.legacy_tf_layers.normalization',
     'tf_keras.src.legacy_tf_layers.normalization'),
)
CONTROL_FLOW_FUNCTIONS = (
    ('case', 'tensorflow.python.ops.control_flow_case', 'case'),
    ('cond', 'tensorflow.python.ops.cond', 'cond'),
    ('while_loop', 'tensorflow.python.ops.while_loop', 'while_loop'),
)


def _alias_keras_modules():
  """Aliases the whole package (parent and children) or nothing.

  Importing the child through an aliased parent would load a second copy of
  the module, so both names point at the tf_keras.src modules.
  """
  parent = KERAS_MODULE_ALIASES[0][0]
  if parent in sys.modules or importlib.util.find_spec(parent) is not None:
    return  # Already aliased, or a tf_keras that still ships the package.
  for alias, source in KERAS_MODULE_ALIASES:
    sys.modules[alias] = importlib.import_module(source)


def _restore_ops_tensor():
  from tensorflow.python.framework import ops
  from tensorflow.python.framework import tensor
  if not hasattr(ops, 'Tensor'):
    ops.Tensor = tensor.Tensor


def _restore_control_flow():
  from tensorflow.python.ops import control_flow_ops
  for name, module_name, attr in CONTROL_FLOW_FUNCTIONS:
    if not hasattr(control_flow_ops, name):
      setattr(control_flow_ops, name,
              getattr(importlib.import_module(module_name), attr))


def enable_graph_mode():
  """TensorFlow 1 graph semantics for the whole program.

  Disables eager execution, and makes tensors and variables hash and compare
  by identity, as in TensorFlow 1 (`tf.compat.v1.disable_tensor_equality`).
  The second part matters for speed: the legacy Keras layers behind
  `slim.batch_norm` put every existing variable of the graph in a set for each
  new weight, and with TF 2's hashing that makes building a network quadratic
  in its depth (resnet_cifar_1202: minutes instead of seconds). The scripts
  call this first; library users with TF1-style programs should too (or call
  `tf.compat.v1.disable_v2_behavior()`).
  """
  import tensorflow.compat.v1 as tf
  tf.disable_eager_execution()
  tf.disable_tensor_equality()


def apply():
  """Applies every fix; safe to call any number of times."""
  _alias_keras_modules()
  _restore_ops_tensor()
  _restore_control_flow()


apply()
