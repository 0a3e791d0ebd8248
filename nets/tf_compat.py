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

The fixes:

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
4. Fast `tf.Variable` hashing and comparison while building graphs. The
   legacy Keras layers behind `slim.conv2d` and `slim.batch_norm` put every
   variable of the graph in a set (and search a list of them) for each new
   weight. TF 2's `Variable.__hash__`/`__eq__`/`__ne__` ask
   `ops.executing_eagerly_outside_functions()` on every call, which enters
   and leaves the outermost graph context, so a TF1-style program that only
   calls `tf.compat.v1.disable_eager_execution()` (or builds in
   `with tf.Graph().as_default():` inside a `tf.test.TestCase`) would build
   large graphs several times slower than with `enable_graph_mode()`. The fix
   answers that question without entering any context where the answer is
   certain (the innermost context is a plain graph, not a function being
   traced) and asks
   TensorFlow otherwise, so every result, including the `TypeError` for
   hashing a variable in eager mode, is TensorFlow's own. No global behaviour
   is switched: tensor equality stays on.
5. Grouped convolutions on every CPU. TensorFlow's CPU kernels run a grouped
   `Conv2D` (filter depth = input depth / groups) only when TensorFlow runs
   with oneDNN, which it turns on by default only on CPUs with AVX512_VNNI,
   AVX512_BF16, AVX_VNNI or AMX (or with TF_ENABLE_ONEDNN_OPTS=1).
   Elsewhere (e.g. AVX2-only CPUs) its gradient fails ("Gradients for
   grouped convolutions are not supported on CPU") and grappler's fused
   convolution refuses it. `grouped_conv2d` is one grouped `Conv2D` where
   oneDNN is on and, elsewhere, one ordinary `Conv2D` per group on the
   group's slice of the input and filter, concatenated: the same arithmetic
   on the same variables.
"""

import importlib
import importlib.util
import sys

# Fixed names, as (module attribute or sys.modules key, source). Tests read this
# table to check that every fix is in place.
KERAS_MODULE_ALIASES = (
  ('tf_keras.legacy_tf_layers', 'tf_keras.src.legacy_tf_layers'),
  (
    'tf_keras.legacy_tf_layers.normalization',
    'tf_keras.src.legacy_tf_layers.normalization',
  ),
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
      setattr(
        control_flow_ops,
        name,
        getattr(importlib.import_module(module_name), attr),
      )


def _surely_graph_outside_functions():
  """True where `ops.executing_eagerly_outside_functions()` is surely False.

  That function picks the outermost context that is not building a function:
  the global default graph when no graph was entered, otherwise the
  innermost entry of the context-switch stack that is not building one. When
  no graph was entered, or when that innermost entry is a plain graph
  (`Graph.as_default`, not a function graph), the context is a graph, where
  nothing executes eagerly. In every other case this returns False, and the
  caller asks TensorFlow.
  """
  context, ops = _TF_MODULES['context'], _TF_MODULES['ops']
  if not ops._default_graph_stack.stack:
    # No graph entered: the global default graph is outermost, a graph
    # unless eager execution is on.
    return not context.executing_eagerly()
  switches = context.context().context_switches.stack
  if not switches:
    return False
  top = switches[-1]
  return not top.is_building_function and isinstance(
    getattr(top.enter_context_fn, '__self__', None), ops.Graph
  )


# The TensorFlow modules fix 4 reads on every call, imported once by apply().
_TF_MODULES = {}


def _speed_up_variable_comparisons():
  """Fix 4: identity hashing and comparison where TF 2 would give them."""
  from tensorflow.python.eager import context
  from tensorflow.python.framework import ops
  from tensorflow.python.framework import tensor
  from tensorflow.python.ops import variables

  _TF_MODULES.update(context=context, ops=ops)
  cls = variables.Variable
  if getattr(cls.__hash__, 'graph_mode_fast_path', False):
    return
  tf_hash, tf_eq, tf_ne = cls.__hash__, cls.__eq__, cls.__ne__
  tensor_cls = tensor.Tensor

  def identity():
    # TensorFlow's own answer is identity when tensor equality is off
    # (`enable_graph_mode()`): one attribute read, checked first so that
    # path costs no more than TensorFlow's.
    return not tensor_cls._USE_EQUALITY or _surely_graph_outside_functions()

  def __hash__(self):
    return id(self) if identity() else tf_hash(self)

  def __eq__(self, other):
    return self is other if identity() else tf_eq(self, other)

  def __ne__(self, other):
    return self is not other if identity() else tf_ne(self, other)

  for name, method, original in (
    ('__hash__', __hash__, tf_hash),
    ('__eq__', __eq__, tf_eq),
    ('__ne__', __ne__, tf_ne),
  ):
    method.__doc__ = original.__doc__
    method.graph_mode_fast_path = True
    method.tensorflow_method = original
    setattr(cls, name, method)


def onednn_enabled():
  """Whether this process's TensorFlow runs its oneDNN kernels."""
  from tensorflow.python.util import _pywrap_util_port

  return bool(_pywrap_util_port.IsMklEnabled())


def grouped_conv2d(inputs, filters, strides, padding, dilations):
  """`tf.nn.conv2d` of NHWC `inputs` with grouped `filters` (fix 5).

  The groups are input depth // filter depth; see the module docstring for
  how it runs.
  """
  import tensorflow.compat.v1 as tf

  groups = inputs.shape.as_list()[-1] // filters.shape.as_list()[2]
  conv = dict(strides=strides, padding=padding, dilations=dilations)
  if groups == 1 or onednn_enabled():
    return tf.nn.conv2d(inputs, filters, **conv)
  return tf.concat(
    [
      tf.nn.conv2d(x, w, **conv)
      for x, w in zip(
        tf.split(inputs, groups, axis=3), tf.split(filters, groups, axis=3)
      )
    ],
    axis=3,
  )


def enable_graph_mode():
  """TensorFlow 1 graph semantics for the whole program.

  Disables eager execution, and makes tensors and variables hash and compare
  by identity, as in TensorFlow 1 (`tf.compat.v1.disable_tensor_equality`).
  The scripts call this first. Library users do not need it for speed:
  fix 4 (applied on `import nets`) makes a program that only calls
  `tf.compat.v1.disable_eager_execution()` build graphs about as fast.
  """
  import tensorflow.compat.v1 as tf

  tf.disable_eager_execution()
  tf.disable_tensor_equality()


def apply():
  """Applies every fix; safe to call any number of times."""
  _alias_keras_modules()
  _restore_ops_tensor()
  _restore_control_flow()
  _speed_up_variable_comparisons()


apply()
