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
"""Building blocks shared by every ResNet of this package.

A ResNet is data, a list of `Block`s, plus one generic builder
(`resnet_v1.resnet_v1`, `resnet_v2.resnet_v2`). This module holds what all of
them share:

* `Block`: a named tuple `(scope, unit_fn, args)`; `args` is a list of dicts,
  one per unit, passed to `unit_fn` as keyword arguments.
* `stack_blocks_dense`: the only place that creates `blockN/unit_M` scopes and
  that turns strides into atrous rates to reach a requested `output_stride`
  (Chen et al., "DeepLab", arXiv:1606.00915).
* `subsample`, `conv2d_same`, `grouped_conv2d_same`: convolution helpers whose
  padding does not depend on the input size.
* `squeeze_excitation`: the gate of Hu et al., "Squeeze-and-Excitation
  Networks", CVPR 2018.
* `shortcut`: identity, zero-padded (option A) or projection (option B)
  shortcuts of He et al., "Deep Residual Learning", arXiv:1512.03385, and
  the average-pool projection of ResNet-D (option D; He et al., "Bag of
  Tricks for Image Classification", arXiv:1812.01187).
* `drop_path`: stochastic depth of a residual branch (Huang et al., "Deep
  Networks with Stochastic Depth", arXiv:1603.09382).
* Root blocks: slim's 7x7 conv + max pool, the same with the symmetric pool
  padding of torchvision and Keras, DeepLab's three-conv "beta" stem and
  ResNet-D's deep stem (the CIFAR stem is in resnet_cifar.py).
* `resnet_arg_scope`: slim's defaults for weight decay and batch norm.
"""

import collections
import inspect
import numbers

import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import tf_compat

# Valid shortcut types; see `shortcut`.
SHORTCUT_TYPES = ('A', 'B', 'D')


class Block(collections.namedtuple('Block', ['scope', 'unit_fn', 'args'])):
  """A named tuple describing a ResNet block.

  Its parts are:
    scope: The scope of the `Block`, e.g. 'block1'.
    unit_fn: The ResNet unit function which takes as input a `Tensor` and
      returns another `Tensor` with the output of the ResNet unit.
    args: A list of length equal to the number of units in the `Block`. The list
      contains one dictionary for each unit, holding the keyword arguments of
      `unit_fn` (for a bottleneck: `depth`, `depth_bottleneck`, `stride`).
  """


def subsample(inputs, factor, scope=None):
  """Subsamples the input along the spatial dimensions.

  Args:
    inputs: A `Tensor` of size [batch, height_in, width_in, channels].
    factor: The subsampling factor.
    scope: Optional variable_scope.

  Returns:
    A `Tensor` of size
    [batch, ceil(height_in / factor), ceil(width_in / factor), channels]: every
    `factor`-th pixel, starting with the first one. `inputs` itself when
    `factor` is 1.
  """
  if factor == 1:
    return inputs
  return slim.max_pool2d(inputs, [1, 1], stride=factor, scope=scope)


def _same_padding(inputs, kernel_size, rate):
  """Pads `inputs` symmetrically for a 'VALID' conv of `kernel_size` at `rate`.

  The padding depends only on the (dilated) kernel size, never on the input
  size, so strided convolutions stay aligned with the input corners whatever
  the input size is.
  """
  effective_kernel = kernel_size + (kernel_size - 1) * (rate - 1)
  total = effective_kernel - 1
  begin = total // 2
  end = total - begin
  return tf.pad(inputs, [[0, 0], [begin, end], [begin, end], [0, 0]])


def conv2d_same(inputs, num_outputs, kernel_size, stride, rate=1, scope=None):
  """Strided 2-D convolution with 'SAME' padding that ignores the input size.

  With stride 1 this is `slim.conv2d(..., padding='SAME')`. With stride > 1
  the input is zero padded by `(k_eff - 1) // 2` before and the rest after
  (`k_eff = kernel_size + (kernel_size - 1) * (rate - 1)`) and convolved with
  'VALID' padding, so that

    net = conv2d_same(inputs, num_outputs, 3, stride=stride)

  equals

    net = slim.conv2d(inputs, num_outputs, 3, stride=1, padding='SAME')
    net = subsample(net, factor=stride)

  for even and odd input sizes alike, whereas a plain strided 'SAME'
  convolution pads differently on even inputs.

  Args:
    inputs: A 4-D tensor of size [batch, height_in, width_in, channels].
    num_outputs: An integer, the number of output filters.
    kernel_size: An int with the kernel_size of the filters.
    stride: An integer, the output stride.
    rate: An integer, rate for atrous convolution.
    scope: Scope.

  Returns:
    A 4-D tensor of size [batch, height_out, width_out, num_outputs].
  """
  if stride == 1:
    return slim.conv2d(
      inputs,
      num_outputs,
      kernel_size,
      stride=1,
      rate=rate,
      padding='SAME',
      scope=scope,
    )
  inputs = _same_padding(inputs, kernel_size, rate)
  return slim.conv2d(
    inputs,
    num_outputs,
    kernel_size,
    stride=stride,
    rate=rate,
    padding='VALID',
    scope=scope,
  )


def _conv2d_scope_defaults():
  """The keyword arguments an enclosing arg_scope sets for `slim.conv2d`."""
  current = slim.arg_scope_func_key(slim.conv2d)
  return dict(slim.current_arg_scope().get(current, {}))


def grouped_conv2d_same(
  inputs, num_outputs, kernel_size, stride, groups, rate=1, scope=None, **kwargs
):
  """A grouped convolution (Xie et al., "ResNeXt", arXiv:1611.05431).

  The input channels are split into `groups` groups, each convolved with its
  own `num_outputs / groups` filters, and the results concatenated. It is one
  `tf.nn.conv2d` with a filter of shape
  [kernel_size, kernel_size, in / groups, num_outputs], run as one grouped
  convolution where TensorFlow has grouped CPU kernels (oneDNN) and as one
  convolution per group elsewhere (`tf_compat.grouped_conv2d`).

  The layer takes the settings of any enclosing `slim.arg_scope` for
  `slim.conv2d` (initializer, regularizer, normalizer, activation, ...) so it
  drops into `resnet_arg_scope` unchanged, and its variables are named like
  `slim.conv2d`'s (`<scope>/weights`, `<scope>/BatchNorm/...` or
  `<scope>/biases`). Padding follows `conv2d_same`. With `groups == 1` it *is*
  `conv2d_same`. It equals splitting the input into `groups` parts,
  convolving each with its share of the weights and concatenating.

  Args:
    inputs: A 4-D tensor of size [batch, height_in, width_in, channels].
    num_outputs: Number of output filters; a multiple of `groups`.
    kernel_size: An int with the kernel_size of the filters.
    stride: An integer, the output stride.
    groups: Number of groups; it divides the input channels and `num_outputs`.
    rate: An integer, rate for atrous convolution.
    scope: Scope.
    **kwargs: Overrides of `slim.conv2d` arguments (`activation_fn`,
      `normalizer_fn`, ...).

  Returns:
    A 4-D tensor of size [batch, height_out, width_out, num_outputs].

  Raises:
    ValueError: If `groups` does not divide the input or output depth.
  """
  if groups == 1:
    with slim.arg_scope([slim.conv2d], **kwargs):
      return conv2d_same(
        inputs, num_outputs, kernel_size, stride, rate=rate, scope=scope
      )
  depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
  if (
    not isinstance(groups, int)
    or groups < 1
    or depth_in % groups
    or num_outputs % groups
  ):
    raise ValueError(
      'groups must be a positive integer dividing the input depth %d and '
      'the output depth %d; got groups=%r' % (depth_in, num_outputs, groups)
    )
  params = dict(
    activation_fn=tf.nn.relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=slim.xavier_initializer(),
    weights_regularizer=None,
    biases_initializer=tf.zeros_initializer(),
    biases_regularizer=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    reuse=None,
  )
  params.update(_conv2d_scope_defaults())
  params.update(kwargs)
  # Padding follows conv2d_same; only NHWC is supported, as everywhere here.
  params.pop('padding', None)
  params.pop('data_format', None)
  unknown = set(params) - set(slim.arg_scoped_arguments(slim.conv2d))
  if unknown:
    raise TypeError(
      'grouped_conv2d_same got unexpected arguments %s' % sorted(unknown)
    )

  with tf.variable_scope(scope, 'Conv', [inputs], reuse=params['reuse']) as sc:
    weights = slim.model_variable(
      'weights',
      shape=[kernel_size, kernel_size, depth_in // groups, num_outputs],
      initializer=params['weights_initializer'],
      regularizer=params['weights_regularizer'],
      collections=_collection(params['variables_collections'], 'weights'),
      trainable=params['trainable'],
    )
    if stride > 1:
      inputs = _same_padding(inputs, kernel_size, rate)
      padding = 'VALID'
    else:
      padding = 'SAME'
    # One grouped Conv2D, or one per group where TensorFlow's CPU kernels
    # lack grouped ones (nets/tf_compat.py, fix 5).
    outputs = tf_compat.grouped_conv2d(
      inputs,
      weights,
      strides=[1, stride, stride, 1],
      padding=padding,
      dilations=[1, rate, rate, 1],
    )
    if params['normalizer_fn'] is not None:
      outputs = params['normalizer_fn'](
        outputs, **(params['normalizer_params'] or {})
      )
    elif params['biases_initializer'] is not None:
      biases = slim.model_variable(
        'biases',
        shape=[num_outputs],
        initializer=params['biases_initializer'],
        regularizer=params['biases_regularizer'],
        collections=_collection(params['variables_collections'], 'biases'),
        trainable=params['trainable'],
      )
      outputs = tf.nn.bias_add(outputs, biases)
    if params['activation_fn'] is not None:
      outputs = params['activation_fn'](outputs)
    return slim.utils.collect_named_outputs(
      params['outputs_collections'], sc.name, outputs
    )


def _collection(variables_collections, name):
  """Mirrors slim's per-variable collections lookup."""
  if isinstance(variables_collections, dict):
    return variables_collections.get(name)
  return variables_collections


@slim.add_arg_scope
def squeeze_excitation(inputs, reduced_depth, scope='se', squeeze_stride=1):
  """Squeeze-and-Excitation gate (Hu et al., arXiv:1709.01507).

  Global average pool, a 1x1 conv `fc1` with biases and ReLU down to
  `reduced_depth` channels, a 1x1 conv `fc2` with biases and sigmoid back to
  the input depth, and the input scaled channel-wise by that gate. Both convs
  pass `normalizer_fn=None` and an explicit activation, so no batch norm enters
  the gate even inside `resnet_arg_scope`.

  Args:
    inputs: A 4-D tensor of size [batch, height, width, depth].
    reduced_depth: Depth of the squeezed representation.
    scope: Scope, `se` by default.
    squeeze_stride: The pool averages every `squeeze_stride`-th row and column
      only. `stack_blocks_dense` sets it (through an arg_scope) when a unit runs
      atrous: the map is then that much denser than the nominal network's, and
      pooling the nominal positions keeps the gate, and so the whole network,
      equal to the nominal one at those positions.

  Returns:
    A tensor of the shape of `inputs`. The gate is in the end point
    `<scope>/gate` of the graph as the op `<scope>/gate:0`.
  """
  depth = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
  with tf.variable_scope(scope, 'se', [inputs]):
    pooled = inputs
    if squeeze_stride > 1:
      pooled = inputs[:, ::squeeze_stride, ::squeeze_stride, :]
    squeezed = tf.reduce_mean(pooled, [1, 2], keepdims=True, name='squeeze')
    squeezed = slim.conv2d(
      squeezed,
      reduced_depth,
      [1, 1],
      normalizer_fn=None,
      activation_fn=tf.nn.relu,
      biases_initializer=tf.zeros_initializer(),
      scope='fc1',
    )
    gate = slim.conv2d(
      squeezed,
      depth,
      [1, 1],
      normalizer_fn=None,
      activation_fn=tf.sigmoid,
      biases_initializer=tf.zeros_initializer(),
      scope='fc2',
    )
    gate = tf.identity(gate, name='gate')
    return inputs * gate


def avg_pool_2x2(inputs, stride, rate=1, scope=None):
  """ResNet-D's shortcut pool: 2x2 average pool, ceil mode, pads not counted.

  At `rate` 1 each output pixel averages the window of the 2x2 input pixels
  starting at its subsampled position (`stride` 2, torch's
  `AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False)`; at an odd size
  the last window holds the pixels inside the map only, and the average is
  over those). That is TensorFlow's 'SAME' average pool of window 2: it pads
  only after the map and leaves the padding out of the count.

  At `rate` r > 1 the map is r times denser than the nominal network's (a
  unit run atrous by `stack_blocks_dense`): the window's pixels are r apart
  and the pool is computed at every position, so that at the nominal
  positions it is the nominal pool. Pixels beyond the map are left out of the
  count here too.

  Args:
    inputs: A 4-D tensor [batch, height, width, channels].
    stride: The output stride of the pool.
    rate: The spacing of the window's pixels (the map's density).
    scope: Optional name scope.

  Returns:
    The pooled tensor, [batch, ceil(height / stride), ceil(width / stride),
    channels].
  """
  if rate == 1:
    return slim.avg_pool2d(
      inputs, [2, 2], stride=stride, padding='SAME', scope=scope
    )
  with tf.name_scope(scope, 'AvgPool', [inputs]):

    def window_sum(net):
      padded = tf.pad(net, [[0, 0], [0, rate], [0, rate], [0, 0]])
      rows = padded[:, :-rate] + padded[:, rate:]
      return rows[:, :, :-rate] + rows[:, :, rate:]

    # The number of window pixels inside the map, at every position.
    count = window_sum(tf.ones_like(inputs[:1, :, :, :1]))
    return subsample(window_sum(inputs) / count, stride)


def shortcut(
  inputs,
  depth,
  stride,
  shortcut_type='B',
  preact=None,
  use_bounded_activations=False,
  scope='shortcut',
  rate=1,
  nominal_stride=None,
):
  """The shortcut path of a residual unit.

  When the depth does not change the shortcut is parameter free: `inputs`
  subsampled by `stride` (slim's convention, also for stride 2). When it does:

  * 'A' (He et al. 2015, section 4.2): subsample, then zero-pad the channels,
    half of the new channels before and the rest after. No variables.
  * 'B': a 1x1 projection with `stride`. It is applied to `preact` when given
    (pre-activation units, without batch norm or activation as in slim's
    resnet_v2) and to `inputs` with the arg_scope's normalizer otherwise
    (resnet_v1; ReLU6 when `use_bounded_activations`).
  * 'D' (ResNet-D, He et al. 2019, figure 2c): as 'B', but a strided
    projection first averages 2x2 windows (`avg_pool_2x2`) and then projects
    at stride 1, so that no input pixel is skipped. The variables are those
    of 'B'. A projection of nominal stride 1 is the plain 'B' one, as in
    timm's `avg_down`.

  Args:
    inputs: A 4-D tensor, the unit's input.
    depth: The unit's output depth.
    stride: The unit's stride.
    shortcut_type: 'A', 'B' or 'D'.
    preact: For pre-activation units, the pre-activated input.
    use_bounded_activations: Whether the projection ends with ReLU6 (v1).
    scope: Scope of the shortcut.
    rate: How much denser than the nominal network's the unit's input is
      (the atrous rate `stack_blocks_dense` gives the unit); for 'D'.
    nominal_stride: The unit's stride in the nominal network (None means
      `stride`); for 'D', which pools whenever it is above 1.

  Returns:
    A 4-D tensor with `depth` channels, subsampled by `stride`.

  Raises:
    ValueError: If `shortcut_type` is not one of `SHORTCUT_TYPES`.
  """
  if shortcut_type not in SHORTCUT_TYPES:
    raise ValueError(
      'shortcut_type must be one of %s; got %r'
      % (SHORTCUT_TYPES, shortcut_type)
    )
  depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
  if depth == depth_in:
    return subsample(inputs, stride, scope)
  if shortcut_type == 'A':
    if depth < depth_in:
      raise ValueError(
        'shortcut_type A cannot reduce the depth from %d to %d'
        % (depth_in, depth)
      )
    with tf.name_scope(scope):
      net = subsample(inputs, stride)
      extra = depth - depth_in
      return tf.pad(
        net, [[0, 0], [0, 0], [0, 0], [extra // 2, extra - extra // 2]]
      )
  source = inputs if preact is None else preact
  if shortcut_type == 'D' and (nominal_stride or stride) > 1:
    source = avg_pool_2x2(source, stride, rate, scope=scope + '_pool')
    stride = 1
  if preact is not None:
    return slim.conv2d(
      source,
      depth,
      [1, 1],
      stride=stride,
      normalizer_fn=None,
      activation_fn=None,
      scope=scope,
    )
  return slim.conv2d(
    source,
    depth,
    [1, 1],
    stride=stride,
    activation_fn=tf.nn.relu6 if use_bounded_activations else None,
    scope=scope,
  )


@slim.add_arg_scope
def drop_path(inputs, rate, is_training=True, seed=None, scope=None):
  """Stochastic depth of a residual branch (Huang et al., arXiv:1603.09382).

  In training each example's branch is kept with probability
  `1 - rate` (one Bernoulli draw per example, shared by all its pixels and
  channels) and a kept branch is scaled by `1 / (1 - rate)`, so the expected
  output is `inputs` (timm's `drop_path`, scale_by_keep). At evaluation, and
  for `rate` 0, it is the identity.

  Args:
    inputs: A tensor [batch, ...], the residual branch.
    rate: The probability of dropping the branch, a number in [0, 1).
    is_training: A Python bool or a boolean tensor.
    seed: Optional op-level random seed.
    scope: Optional name scope.

  Returns:
    A tensor of the shape and dtype of `inputs`.
  """
  if not rate:
    return inputs
  keep_prob = 1.0 - rate

  def dropped():
    with tf.name_scope(scope, 'drop_path', [inputs]):
      shape = [tf.shape(inputs)[0]] + [1] * (inputs.shape.ndims - 1)
      mask = tf.floor(keep_prob + tf.random.uniform(shape, seed=seed))
      return inputs * tf.cast(mask / keep_prob, inputs.dtype)

  return slim.utils.smart_cond(is_training, dropped, lambda: inputs)


def _units_strides(blocks):
  return [unit.get('stride', 1) for block in blocks for unit in block.args]


def reachable_output_strides(blocks):
  """The output strides `stack_blocks_dense` can produce for `blocks`."""
  strides = [1]
  for stride in _units_strides(blocks):
    if stride != 1:
      strides.append(strides[-1] * stride)
  return strides


@slim.add_arg_scope
def stack_blocks_dense(
  net,
  blocks,
  output_stride=None,
  store_non_strided_activations=False,
  outputs_collections=None,
):
  """Stacks ResNet `Block`s and controls the output feature density.

  It creates the scopes `<block.scope>/unit_<i>` (1-based) and calls each
  unit's function in them. Once the product of the strides applied so far
  equals `output_stride`, every further stride is replaced by atrous
  convolution of a growing rate (the unit gets `stride=1` and `rate=`), so the
  features keep their density while the receptive fields stay those of the
  nominal network (Chen et al., arXiv:1606.00915). With nominal strides of
  1, 2, 2, 2 in a block list, valid `output_stride`s are 1, 2, 4, 8 or None.
  Units whose output is denser than the nominal network's get
  `squeeze_stride` for their SE gates through an arg_scope (see
  `squeeze_excitation`), so unit functions stay unaware of output strides.
  A unit function with a `nominal_stride` argument is given its unit's stride
  in the nominal network: a unit that strides its first conv needs it to
  dilate the convs after that one when it runs with a smaller stride (see
  `resnet_builder.unit_convs`).

  Args:
    net: A `Tensor` of size [batch, height, width, channels].
    blocks: A list of `Block`s.
    output_stride: None for the nominal stride, otherwise the requested ratio
      of input to output spatial resolution; it must be a product of the unit
      strides from the start up to some unit.
    store_non_strided_activations: If True, the last unit of each block runs
      with stride 1 and the block's output is subsampled after it is stored as
      an end point, so the end points hold the full-resolution activations. The
      final values are the same (a 1x1-kernel shortcut and a stride in the
      unit's 3x3 conv commute with subsampling up to `conv2d_same` padding).
    outputs_collections: Collection to add the block outputs to.

  Returns:
    The output `Tensor`, with stride `output_stride` (or the nominal one).

  Raises:
    ValueError: If `output_stride` is not reachable with `blocks`.
  """
  if output_stride is not None:
    reachable = reachable_output_strides(blocks)
    if (
      isinstance(output_stride, bool)
      or not isinstance(output_stride, numbers.Integral)
      or output_stride not in reachable
    ):
      raise ValueError(
        'The target output_stride %r cannot be reached by these blocks; '
        'reachable values are %s (or None for the nominal stride)'
        % (output_stride, reachable)
      )
  current_stride = 1
  rate = 1
  for block in blocks:
    with tf.variable_scope(block.scope, 'block', [net]) as sc:
      block_stride = 1
      takes_nominal_stride = _takes_argument(block.unit_fn, 'nominal_stride')
      for i, unit in enumerate(block.args):
        unit = dict(unit)  # Never mutate the Block's shared dicts.
        nominal_stride = unit.get('stride', 1)
        if takes_nominal_stride:
          unit['nominal_stride'] = nominal_stride
        if store_non_strided_activations and i == len(block.args) - 1:
          block_stride = nominal_stride
          unit['stride'] = 1
        with tf.variable_scope('unit_%d' % (i + 1), values=[net]):
          unit_stride = unit.get('stride', 1)
          atrous = output_stride is not None and current_stride == output_stride
          unit_rate = rate if atrous else 1
          # How much denser than the nominal network's the unit's output is.
          density = unit_rate * (
            nominal_stride // unit_stride if not atrous else nominal_stride
          )
          with slim.arg_scope([squeeze_excitation], squeeze_stride=density):
            if atrous:
              # Atrous from here on: keep the density, grow the rate.
              unit['stride'] = 1
              net = block.unit_fn(net, rate=rate, **unit)
              rate *= unit_stride
            else:
              net = block.unit_fn(net, rate=1, **unit)
              current_stride *= unit_stride
      net = slim.utils.collect_named_outputs(outputs_collections, sc.name, net)
      if output_stride is not None and current_stride == output_stride:
        rate *= block_stride
      else:
        net = subsample(net, block_stride)
        current_stride *= block_stride
  return net


def _takes_argument(fn, name):
  """Whether the function `fn` has an argument `name`."""
  try:
    return name in inspect.signature(fn).parameters
  except (TypeError, ValueError):  # Builtins and the like: no.
    return False


def root_block(net):
  """slim's root: 7x7/2 `conv1` (64 filters) and 3x3/2 max pool `pool1`."""
  net = conv2d_same(net, 64, 7, stride=2, scope='conv1')
  return slim.max_pool2d(net, [3, 3], stride=2, scope='pool1')


root_block.stride = 4


def symmetric_root_block(net):
  """The root of torchvision's and Keras's ResNets: `pool1` pads 1 all round.

  The 7x7/2 `conv1` of `root_block`, then the map is zero padded by one pixel
  on every side and max pooled 3x3/2 with 'VALID' padding. slim's 'SAME'
  pool pads nothing before and one pixel after at even sizes, so at 224
  pixels every later feature map of `root_block` is shifted by one pixel
  against these networks', and their weights do not reproduce their logits
  on `root_block`. torchvision pads with -inf and Keras with
  zeros; after v1's ReLU both give the same maximum, and Keras's ResNetV2,
  whose `conv1` has no ReLU, pads with zeros as here. Variables are
  `root_block`'s.
  """
  net = conv2d_same(net, 64, 7, stride=2, scope='conv1')
  net = tf.pad(net, [[0, 0], [1, 1], [1, 1], [0, 0]])
  return slim.max_pool2d(net, [3, 3], stride=2, padding='VALID', scope='pool1')


symmetric_root_block.stride = 4


def beta_root_block(net):
  """DeepLab's "beta" root: three 3x3 convs (64, 64, 128), then max pool.

  Replaces the 7x7 conv of `root_block` as in DeepLab's resnet_v1_beta
  (Chen et al., arXiv:1706.05587): `conv1_1` with stride 2, `conv1_2`,
  `conv1_3`, then `pool1` 3x3/2.
  """
  net = conv2d_same(net, 64, 3, stride=2, scope='conv1_1')
  net = conv2d_same(net, 64, 3, stride=1, scope='conv1_2')
  net = conv2d_same(net, 128, 3, stride=1, scope='conv1_3')
  return slim.max_pool2d(net, [3, 3], stride=2, scope='pool1')


beta_root_block.stride = 4


def deep_root_block(net):
  """ResNet-D's deep stem: three 3x3 convs (32, 32, 64), then max pool.

  He et al., "Bag of Tricks for Image Classification", arXiv:1812.01187,
  figure 2b, as timm builds it (`stem_type='deep'`, `stem_width=32`):
  `conv1_1` with stride 2, `conv1_2`, `conv1_3`, each with the arg scope's
  batch norm and activation, then `pool1` 3x3/2 over the map zero padded by
  one pixel all round, as in `symmetric_root_block`.
  """
  net = conv2d_same(net, 32, 3, stride=2, scope='conv1_1')
  net = conv2d_same(net, 32, 3, stride=1, scope='conv1_2')
  net = conv2d_same(net, 64, 3, stride=1, scope='conv1_3')
  net = tf.pad(net, [[0, 0], [1, 1], [1, 1], [0, 0]])
  return slim.max_pool2d(net, [3, 3], stride=2, padding='VALID', scope='pool1')


deep_root_block.stride = 4


def resnet_arg_scope(
  weight_decay=0.0001,
  batch_norm_decay=0.997,
  batch_norm_epsilon=1e-5,
  batch_norm_scale=True,
  activation_fn=tf.nn.relu,
  use_batch_norm=True,
  batch_norm_updates_collections=tf.GraphKeys.UPDATE_OPS,
):
  """Defines the default ResNet arg scope.

  Convolutions get an L2 weight decay, He (variance scaling) initialisation,
  `activation_fn` and batch norm; max pooling pads 'SAME'. The batch-norm
  settings match those the official slim checkpoints were trained with.

  Args:
    weight_decay: The weight decay to use for regularizing the model.
    batch_norm_decay: The moving average decay when estimating layer activation
      statistics in batch normalization.
    batch_norm_epsilon: Small constant to prevent division by zero when
      normalizing activations by their variance in batch normalization.
    batch_norm_scale: If True, uses an explicit `gamma` multiplier to scale the
      activations in the batch normalization layer.
    activation_fn: The activation function which is used in ResNet.
    use_batch_norm: Whether or not to use batch normalization.
    batch_norm_updates_collections: Collection for the update ops for
      batch norm.

  Returns:
    An `arg_scope` to use for the resnet models.
  """
  batch_norm_params = {
    'decay': batch_norm_decay,
    'epsilon': batch_norm_epsilon,
    'scale': batch_norm_scale,
    'updates_collections': batch_norm_updates_collections,
    'fused': None,  # Fused batch norm where the shapes allow it.
  }
  with slim.arg_scope(
    [slim.conv2d],
    weights_regularizer=slim.l2_regularizer(weight_decay),
    weights_initializer=slim.variance_scaling_initializer(),
    activation_fn=activation_fn,
    normalizer_fn=slim.batch_norm if use_batch_norm else None,
    normalizer_params=batch_norm_params,
  ):
    with slim.arg_scope([slim.batch_norm], **batch_norm_params):
      # slim's checkpoints were trained with 'SAME' max pooling in `pool1`;
      # 'VALID' would shift every later feature map by one pixel.
      with slim.arg_scope([slim.max_pool2d], padding='SAME') as arg_sc:
        return arg_sc


# The batch-norm epsilon of Keras's ResNets (keras.applications), whose
# weights `keras_resnet_arg_scope` serves.
KERAS_BATCH_NORM_EPSILON = 1.001e-5


def keras_resnet_arg_scope(weight_decay=0.0001, **kwargs):
  """`resnet_arg_scope` with Keras's batch-norm epsilon, 1.001e-5.

  The arg scope of the networks that run weights converted from Keras's
  ResNets (`resnet_v1_50_keras`, `resnet_v2_50_keras`, ...): with slim's 1e-5
  their logits would be off by about 1e-6 relative per batch norm.

  Args:
    weight_decay: See `resnet_arg_scope`.
    **kwargs: Further arguments of `resnet_arg_scope`.

  Returns:
    An `arg_scope`.
  """
  kwargs.setdefault('batch_norm_epsilon', KERAS_BATCH_NORM_EPSILON)
  return resnet_arg_scope(weight_decay=weight_decay, **kwargs)
