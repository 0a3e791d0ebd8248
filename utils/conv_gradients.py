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
"""Convolution gradients in exact, faster forms: matmuls, forward convolutions.

A 1x1 convolution of NHWC `x` [n, h, w, c_in] with `w` [1, 1, c_in, c_out]
at stride s is a matrix product: the rows of `x[:, ::s, ::s, :]` reshaped to
[n*h'*w', c_in], times `w` reshaped to [c_in, c_out] (for a 1x1 kernel SAME
and VALID padding both read rows 0, s, 2s, ...). Its gradients are matrix
products too, with `dy` reshaped to [n*h'*w', c_out]:

  weight gradient  dw = x_s^T . dy   (TensorFlow: Conv2DBackpropFilter)
  input gradient   dx = dy . w^T     (stride 1; Conv2DBackpropInput)

The input gradient of a stride-1, SAME-padded convolution with an odd-sized
k x k kernel (padding p = (k - 1) / 2 on each side) is itself such a
convolution: of `dy` with the kernel flipped in height and width and its
channel axes swapped, [k, k, c_out, c_in]. Its weight gradient,
dw[i, j, c, d] = sum over (b, y, x) of x_p[b, y + i, x + j, c] dy[b, y, x, d]
with `x_p` the padded input, is a VALID convolution too, with the batch
and channel axes exchanged: of `x_p` as [c_in, h + 2p, w + 2p, n] with `dy`
as an [h, w, n, c_out] kernel, giving [c_in, k, k, c_out]. TensorFlow runs
both with its forward Conv2D kernel.

Same arithmetic, summed in another order; which kernel is faster depends on
the CPU and on TensorFlow's build (oneDNN or Eigen). The gradient kinds
(`KINDS`):

  '1x1_filter'          weight gradient of stride-1 1x1 convolutions
  '1x1_input'           input gradient of stride-1 1x1 convolutions
  '1x1_strided_filter'  weight gradient of strided 1x1 convolutions (the
                        projection shortcuts of torchvision's stride
                        placement)
  'kxk_input'           input gradient of stride-1 SAME convolutions with
                        odd k x k kernels, k > 1 (the 3x3 convolutions of
                        the units), as a forward convolution
  'kxk_filter'          weight gradient of the same convolutions, as a
                        forward convolution

Every other gradient (of strided k x k, even-sized, dilated, grouped, NCHW
or explicitly padded convolutions, the input gradient of a strided 1x1
convolution) is TensorFlow's own.

The switch (`MODES`, the `--conv_gradients` flag of the training script and
the benchmark): 'plain' keeps TensorFlow's gradients, 'matmul' takes every
kind in its rewritten form, 'auto' the kinds of `AUTO_KINDS` for this
process's machine class (`machine_class()`). Build the forward graph in
`scope(mode)`; variables, their names, checkpoints and the forward ops are
unchanged (each Conv2D only carries a `_gradient_op_type` attribute naming
the gradient function), and the gradient ops that `tf.gradients` or an
optimizer adds later take the chosen form:

  with conv_gradients.scope('auto'):
    logits, _ = network_fn(images)
  train_op = optimizer.minimize(loss)

A MetaGraphDef of such a graph names these gradient functions: a process
that imports it and differentiates it again must import this module and
call `register()` first.

TensorFlow 2. A `tf.GradientTape` looks the gradient of each recorded op up
by its type and ignores the override, so the override takes effect only
through `tf.gradients`, which runs inside a `tf.function` (a graph) but not
eagerly. `gradients(forward, variables, kinds)` computes a training step's
gradients either way: `tf.gradients` of ops built in
`matmul_gradients(kinds)` in a graph, a tape (TensorFlow's own gradients)
eagerly or with no kinds; utils/training/tf2_train.py's `fit` step uses it.
Under `tf.distribute.MirroredStrategy` the replicas' threads build one
function graph in turns, and the override holds until the last of them
leaves the block (`matmul_gradients`).
"""

import contextlib
import threading

import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils import checks

KINDS = (
  '1x1_filter',
  '1x1_input',
  '1x1_strided_filter',
  'kxk_input',
  'kxk_filter',
)
MODES = ('auto', 'plain', 'matmul')
MACHINE_CLASSES = ('onednn', 'eigen')

# What 'auto' rewrites on each machine class: the kinds whose rewritten
# form measured faster than TensorFlow's kernel over the convolutions of
# resnet_v1_50 (of resnet_v1_50_tv for the strided kind),
# in the precision the class trains fastest in. The rule: a kind is listed
# when the total time of its rewritten form, each shape weighted by how often
# the network has it, is at least 5% below that of TensorFlow's kernel in
# paired runs (scripts/measure_conv_gradients.py prints both and the kinds
# the rule picks), and the training step of resnet_v1_50 with them is not
# slower (benchmark_networks.py --compare_gradients, docs/benchmarks.md).
# Kinds never measured on a class stay off.
#   onednn: TensorFlow with oneDNN (x86 CPUs with AVX512_VNNI, AVX512_BF16,
#     AVX_VNNI or AMX, or TF_ENABLE_ONEDNN_OPTS=1); the 1x1 weight gradient
#     measured in bfloat16 on AMX, every kind in bfloat16 and fp32 on an
#     AVX-512 BF16 CPU (AMD EPYC, Zen 4): there only the 1x1 weight gradient
#     passes in both precisions (kxk_filter is borderline in bfloat16 and
#     twice as slow in fp32).
#   eigen: TensorFlow without oneDNN (Eigen's kernels); measured in fp32 on
#     an AVX2 CPU (AMD EPYC, Zen 3).
AUTO_KINDS = {
  'onednn': ('1x1_filter',),
  'eigen': ('1x1_filter', '1x1_input', 'kxk_input', 'kxk_filter'),
}

_REGISTERED = {}  # frozenset of kinds -> the name of its gradient function.
# (graph, gradient function name) -> [threads inside the block, its
# gradient_override_map context]; see `matmul_gradients`.
_OVERRIDES = {}
_OVERRIDES_LOCK = threading.Lock()


def check_mode(mode):
  """Returns `mode` if it is one of `MODES`.

  Raises:
    ValueError: Otherwise, naming the value and the valid ones.
  """
  return checks.check_choice('conv_gradients', mode, MODES)


def check_kinds(kinds):
  """Returns `kinds` as a frozenset after checking each is in `KINDS`.

  Raises:
    ValueError: Naming the unknown kinds and the known ones.
  """
  if isinstance(kinds, str):
    kinds = [kinds]
  kinds = frozenset(kinds)
  unknown = sorted(kinds - set(KINDS))
  if unknown:
    raise ValueError(
      'Unknown convolution gradient kind(s) %s; expected some of %s'
      % (', '.join(map(repr, unknown)), ', '.join(KINDS))
    )
  return kinds


def machine_class():
  """'onednn' if this process's TensorFlow runs oneDNN kernels, else 'eigen'."""
  return 'onednn' if tf_compat.onednn_enabled() else 'eigen'


def description(mode):
  """One line: `mode`, this machine's class and the kinds it resolves to.

  Raises:
    ValueError: On an unknown mode (`check_mode`).
  """
  kinds = resolve(mode)
  return 'Convolution gradients (conv_gradients=%s on a %s machine): %s.' % (
    mode,
    machine_class(),
    'rewritten for ' + ', '.join(sorted(kinds))
    if kinds
    else "TensorFlow's own",
  )


def resolve(mode, machine=None):
  """The gradient kinds `mode` rewrites.

  Args:
    mode: One of `MODES`.
    machine: For 'auto', one of `MACHINE_CLASSES`; None: `machine_class()`.

  Returns:
    A frozenset of some of `KINDS` (empty for 'plain').

  Raises:
    ValueError: On an unknown mode or machine class, naming it.
  """
  check_mode(mode)
  if mode == 'plain':
    return frozenset()
  if mode == 'matmul':
    return frozenset(KINDS)
  machine = machine_class() if machine is None else machine
  checks.check_choice('machine', machine, MACHINE_CLASSES)
  return frozenset(AUTO_KINDS[machine])


def conv_kind(op):
  """The shape class of a Conv2D op whose gradients have rewritten forms.

  '1x1' or '1x1_strided' for NHWC, SAME or VALID, undilated, ungrouped 1x1
  convolutions with static channel counts; 'kxk' for NHWC, SAME, stride-1,
  undilated, ungrouped convolutions with static odd kernel sizes (not both
  1) and static channel counts; else None.
  """
  kernel = op.inputs[1].shape.as_list()
  channels = op.inputs[0].shape.as_list()[-1:]
  if len(kernel) != 4 or None in kernel:
    return None
  if channels != kernel[2:3]:  # Grouped, or unknown input depth.
    return None
  if op.get_attr('data_format') not in (b'NHWC', 'NHWC'):
    return None
  padding = op.get_attr('padding')
  if padding not in (b'SAME', b'VALID', 'SAME', 'VALID'):
    return None
  if list(op.get_attr('dilations')) != [1, 1, 1, 1]:
    return None
  strides = list(op.get_attr('strides'))
  if strides[0] != 1 or strides[3] != 1:
    return None
  if kernel[:2] == [1, 1]:
    return '1x1' if strides == [1, 1, 1, 1] else '1x1_strided'
  if (
    strides == [1, 1, 1, 1]
    and padding in (b'SAME', 'SAME')
    and kernel[0] % 2
    and kernel[1] % 2
  ):
    return 'kxk'
  return None


def _conv_attrs(op):
  return dict(
    strides=op.get_attr('strides'),
    padding=op.get_attr('padding'),
    explicit_paddings=op.get_attr('explicit_paddings'),
    data_format=op.get_attr('data_format'),
    dilations=op.get_attr('dilations'),
    use_cudnn_on_gpu=op.get_attr('use_cudnn_on_gpu'),
  )


def filter_gradient_as_matmul(x, dy, strides):
  """The weight gradient of a 1x1 NHWC convolution as one matmul.

  Args:
    x: The input [n, h, w, c_in], c_in static.
    dy: The output's gradient [n, h', w', c_out], c_out static.
    strides: The convolution's height and width strides.

  Returns:
    The gradient of the [1, 1, c_in, c_out] kernel.
  """
  c_in, c_out = x.shape.as_list()[-1], dy.shape.as_list()[-1]
  if tuple(strides) != (1, 1):
    x = x[:, :: strides[0], :: strides[1], :]
  rows = tf.reshape(x, [-1, c_in])
  dy_rows = tf.reshape(dy, [-1, c_out])
  return tf.reshape(
    tf.matmul(rows, dy_rows, transpose_a=True), [1, 1, c_in, c_out]
  )


def input_gradient_as_matmul(x_shape, w, dy):
  """The input gradient of a stride-1 1x1 NHWC convolution as one matmul.

  Args:
    x_shape: The input's shape (a tensor or list).
    w: The [1, 1, c_in, c_out] kernel.
    dy: The output's gradient [n, h, w, c_out].

  Returns:
    The gradient of the input, of shape `x_shape`.
  """
  c_in, c_out = w.shape.as_list()[2:]
  product = tf.matmul(
    tf.reshape(dy, [-1, c_out]), tf.reshape(w, [c_in, c_out]), transpose_b=True
  )
  return tf.reshape(product, x_shape)


def input_gradient_as_conv(w, dy):
  """The input gradient of a stride-1 SAME NHWC convolution, odd kernel.

  Args:
    w: The [k_h, k_w, c_in, c_out] kernel, k_h and k_w odd.
    dy: The output's gradient [n, h, w, c_out].

  Returns:
    The gradient of the input [n, h, w, c_in]: the SAME convolution of `dy`
    with `w` flipped in height and width, its channel axes swapped.
  """
  flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2])
  return tf.nn.conv2d(dy, flipped, [1, 1, 1, 1], 'SAME')


def filter_gradient_as_conv(x, dy, kernel_size):
  """The weight gradient of a stride-1 SAME NHWC convolution, odd kernel.

  Args:
    x: The input [n, h, w, c_in].
    dy: The output's gradient [n, h, w, c_out].
    kernel_size: (k_h, k_w), both odd.

  Returns:
    The gradient of the [k_h, k_w, c_in, c_out] kernel: the VALID
    convolution of the padded input, batch and channel axes exchanged,
    with `dy` as the kernel (see the module docstring).
  """
  pad_h, pad_w = (kernel_size[0] - 1) // 2, (kernel_size[1] - 1) // 2
  padded = tf.pad(x, [[0, 0], [pad_h, pad_h], [pad_w, pad_w], [0, 0]])
  product = tf.nn.conv2d(
    tf.transpose(padded, [3, 1, 2, 0]),
    tf.transpose(dy, [1, 2, 0, 3]),
    [1, 1, 1, 1],
    'VALID',
  )
  return tf.transpose(product, [1, 2, 0, 3])


def _gradients(kinds, op, grad):
  """The gradients of Conv2D `op`: rewritten for `kinds`, else TensorFlow's."""
  x, w = op.inputs
  attrs = _conv_attrs(op)
  x_shape, w_shape = tf.shape_n([x, w])
  kind = conv_kind(op)
  if kind == '1x1' and '1x1_input' in kinds:
    dx = input_gradient_as_matmul(x_shape, w, grad)
  elif kind == 'kxk' and 'kxk_input' in kinds:
    dx = input_gradient_as_conv(w, grad)
  else:
    dx = tf.raw_ops.Conv2DBackpropInput(
      input_sizes=x_shape, filter=w, out_backprop=grad, **attrs
    )
  if (kind == '1x1' and '1x1_filter' in kinds) or (
    kind == '1x1_strided' and '1x1_strided_filter' in kinds
  ):
    strides = op.get_attr('strides')
    dw = filter_gradient_as_matmul(x, grad, strides[1:3])
  elif kind == 'kxk' and 'kxk_filter' in kinds:
    dw = filter_gradient_as_conv(x, grad, w.shape.as_list()[:2])
  else:
    dw = tf.raw_ops.Conv2DBackpropFilter(
      input=x, filter_sizes=w_shape, out_backprop=grad, **attrs
    )
  return dx, dw


def register(kinds=KINDS):
  """Registers the gradient function of `kinds` (once); returns its name.

  Raises:
    ValueError: On an unknown kind (`check_kinds`).
  """
  kinds = check_kinds(kinds)
  if kinds not in _REGISTERED:
    name = 'SlimMatmulConv2DGrad_' + '_'.join(sorted(kinds))
    try:
      tf.RegisterGradient(name)(lambda op, grad: _gradients(kinds, op, grad))
    except KeyError:  # This module was reloaded: the name is registered.
      pass
    _REGISTERED[kinds] = name
  return _REGISTERED[kinds]


@contextlib.contextmanager
def matmul_gradients(kinds, graph=None):
  """Conv2D ops created inside take the matmul gradients of `kinds`.

  Args:
    kinds: Some of `KINDS`; empty means TensorFlow's own gradients (and no
      attribute on the ops).
    graph: The graph (default: the default graph).

  Yields:
    Nothing; the override holds for the ops created in the block.

  Raises:
    ValueError: On an unknown kind, before the block runs.
  """
  kinds = check_kinds(kinds)
  if not kinds:
    yield
    return
  name = register(kinds)
  graph = graph or tf.get_default_graph()
  # `Graph.gradient_override_map` restores the map when its block ends. The
  # replica threads of MirroredStrategy build one graph in turns, switching
  # at each merge_call: one thread leaving its block would end the override
  # for the others still inside. So the first block of a graph and name
  # installs it and the last one to end removes it.
  key = (graph, name)
  with _OVERRIDES_LOCK:
    entry = _OVERRIDES.get(key)
    if entry is None:
      context = graph.gradient_override_map({'Conv2D': name})
      context.__enter__()
      entry = _OVERRIDES[key] = [0, context]
    entry[0] += 1
  try:
    yield
  finally:
    with _OVERRIDES_LOCK:
      entry[0] -= 1
      if not entry[0]:
        del _OVERRIDES[key]
        entry[1].__exit__(None, None, None)


def scope(mode, machine=None):
  """`matmul_gradients(resolve(mode, machine))`: the context of a mode.

  Raises:
    ValueError: On an unknown mode or machine class (`resolve`).
  """
  return matmul_gradients(resolve(mode, machine))


def gradients(forward, variables, kinds):
  """Runs `forward()` and differentiates its loss with the gradients of `kinds`.

  In a graph (inside `tf.function`) with some kinds: the ops of `forward` are
  built in `matmul_gradients(kinds)` and differentiated by `tf.gradients`.
  Eagerly, or with no kinds: a `tf.GradientTape`, TensorFlow's own gradients
  (a tape ignores gradient overrides; see the module docstring). The
  variables, their names and the forward ops are the same either way.

  Args:
    forward: `fn()` -> (loss, outputs): a scalar loss and anything else the
      caller wants back (Keras's predictions).
    variables: The variables to differentiate for (trainable, read by
      `forward`).
    kinds: Some of `KINDS` (`resolve(mode)`).

  Returns:
    (loss, outputs, gradients): the gradients in the order of `variables`,
    None for a variable the loss does not depend on.

  Raises:
    ValueError: On an unknown kind, before `forward` runs.
  """
  kinds = check_kinds(kinds)
  variables = list(variables)
  if kinds and not tf.executing_eagerly():
    with matmul_gradients(kinds):
      loss, outputs = forward()
    return loss, outputs, tf.gradients(loss, variables)
  with tf.GradientTape() as tape:
    loss, outputs = forward()
  return loss, outputs, tape.gradient(loss, variables)
