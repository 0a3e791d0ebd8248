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
"""Maps torchvision, timm and Keras ResNet weights onto our variable names.

The core of `convert_weights.py`: plain dicts of numpy arrays in, plain dicts
out; neither Keras nor torch is imported here (`readers` reads the files).

`SOURCES` names, for every network of nets/nets_factory.py that takes
converted weights, where they come from: torchvision's and timm's state
dicts (`resnet50`, `resnet50d`, ...; "layer1.0.conv1.weight" style names;
timm's ResNets extend torchvision's names with the deep stem `conv1.0`,
`conv1.3`, `conv1.6`, the pooled projection `downsample.1`/`.2` and the SE
gate `se.fc1`/`se.fc2`) or Keras's
applications (`ResNet50`, ...; "conv2_block1_1_conv/kernel" style names,
layer name / weight name). `source_to_slim(model_name, source)` returns the
values of every variable of the network, named as in its checkpoints
(`resnet_v1_50_tv/block1/unit_1/bottleneck_v1/conv1/weights`), and checks
that every source tensor was used exactly once.

Tensor rules (each exact):
* torch convolutions are OIHW, ours HWIO: `transpose(2, 3, 1, 0)`, grouped
  convolutions included ([O, I / groups, H, W] -> [H, W, I / groups, O], as
  `resnet_utils.grouped_conv2d_same` stores them).
* torch's Linear `fc` ([classes, C]) and Keras's Dense `predictions`
  ([C, classes]) become the 1x1 conv `logits` [1, 1, C, classes].
* torch BatchNorm weight/bias/running_mean/running_var and Keras's
  gamma/beta/moving_mean/moving_variance become slim's
  `BatchNorm/{gamma,beta,moving_mean,moving_variance}`; torch's
  `num_batches_tracked` (a training counter) is read and dropped.
* Keras's ResNet50/101/152 convolutions have biases before their batch norm:
  BN(conv(x) + b) = BN'(conv(x)) with moving_mean' = moving_mean - b, so
  the bias folds exactly into the moving mean and the networks keep slim's
  variables. Keras's ResNetV2 biases (conv1, conv3, shortcut) are slim v2's
  `biases`.
* Batch-norm epsilons: torchvision's 1e-5 is slim's; Keras's 1.001e-5 is set
  by the networks' arg scope (`resnet_utils.keras_resnet_arg_scope`).
"""

import collections

import numpy as np

# kind: 'torchvision', 'timm', 'keras_v1' or 'keras_v2'. source_model: the
# torchvision or timm builder, or Keras's application, of the weights.
# depth: the ResNet depth. deep_stem, avg_down: timm's stem_type='deep' and
# avg_down (ResNet-D). se: timm's attn_layer='se'.
Source = collections.namedtuple(
  'Source',
  ['kind', 'source_model', 'depth', 'deep_stem', 'avg_down', 'se'],
  defaults=(False, False, False),
)
# The kinds read from torch state dicts.
TORCH_KINDS = ('torchvision', 'timm')
_RESNET_D = dict(deep_stem=True, avg_down=True)

SOURCES = {
  'resnet_v1_18_tv': Source('torchvision', 'resnet18', 18),
  'resnet_v1_34_tv': Source('torchvision', 'resnet34', 34),
  'resnet_v1_50_tv': Source('torchvision', 'resnet50', 50),
  'resnet_v1_101_tv': Source('torchvision', 'resnet101', 101),
  'resnet_v1_152_tv': Source('torchvision', 'resnet152', 152),
  'resnext_50_32x4d_tv': Source('torchvision', 'resnext50_32x4d', 50),
  'resnext_101_32x8d_tv': Source('torchvision', 'resnext101_32x8d', 101),
  'wide_resnet_50_2_tv': Source('torchvision', 'wide_resnet50_2', 50),
  'wide_resnet_101_2_tv': Source('torchvision', 'wide_resnet101_2', 101),
  'resnet_v1_18d': Source('timm', 'resnet18d', 18, **_RESNET_D),
  'resnet_v1_34d': Source('timm', 'resnet34d', 34, **_RESNET_D),
  'resnet_v1_50d': Source('timm', 'resnet50d', 50, **_RESNET_D),
  'resnet_v1_101d': Source('timm', 'resnet101d', 101, **_RESNET_D),
  'resnet_v1_152d': Source('timm', 'resnet152d', 152, **_RESNET_D),
  'se_resnext_50_32x4d_timm': Source('timm', 'seresnext50_32x4d', 50, se=True),
  'se_resnext_101_32x4d_timm': Source(
    'timm', 'seresnext101_32x4d', 101, se=True
  ),
  'resnet_v1_50_keras': Source('keras_v1', 'ResNet50', 50),
  'resnet_v1_101_keras': Source('keras_v1', 'ResNet101', 101),
  'resnet_v1_152_keras': Source('keras_v1', 'ResNet152', 152),
  'resnet_v2_50_keras': Source('keras_v2', 'ResNet50V2', 50),
  'resnet_v2_101_keras': Source('keras_v2', 'ResNet101V2', 101),
  'resnet_v2_152_keras': Source('keras_v2', 'ResNet152V2', 152),
}

# Units per block (He et al. 2015, table 1; the same in torchvision and
# Keras), and the depths built from basic units. (nets/resnet_builder.py has
# the same table; this module stays free of TensorFlow.)
UNITS_PER_BLOCK = {
  18: (2, 2, 2, 2),
  34: (3, 4, 6, 3),
  50: (3, 4, 6, 3),
  101: (3, 4, 23, 3),
  152: (3, 8, 36, 3),
}
BASIC_DEPTHS = (18, 34)

_SLIM_BN = ('gamma', 'beta', 'moving_mean', 'moving_variance')
_TORCH_BN = ('weight', 'bias', 'running_mean', 'running_var')
_KERAS_BN = ('gamma', 'beta', 'moving_mean', 'moving_variance')
# torch's BatchNorm counts its training steps; no slim variable holds it.
_TORCH_DROPPED = 'num_batches_tracked'

# One variable: its name, the source tensors it is made of, and how.
Entry = collections.namedtuple('Entry', ['target', 'sources', 'transform'])


def get_source(model_name):
  """The `Source` of `model_name`.

  Raises:
    ValueError: If `model_name` takes no converted weights; the message lists
      those that do.
  """
  try:
    return SOURCES[model_name]
  except (KeyError, TypeError):
    raise ValueError(
      'No weight conversion for model_name=%r; networks with '
      'one: %s' % (model_name, ', '.join(sorted(SOURCES)))
    ) from None


def _rank(array, rank):
  if array.ndim != rank:
    raise ValueError(
      'expected a %d-D tensor, got shape %s' % (rank, list(array.shape))
    )
  return array


def _vector(array):
  return _rank(array, 1)


def _torch_conv(array):
  """[out, in / groups, h, w] -> [h, w, in / groups, out]."""
  return np.transpose(_rank(array, 4), (2, 3, 1, 0))


def _torch_linear(array):
  """[classes, c] -> [1, 1, c, classes]."""
  return np.transpose(_rank(array, 2))[np.newaxis, np.newaxis]


def _keras_conv(array):
  return _rank(array, 4)


def _keras_dense(array):
  """[c, classes] -> [1, 1, c, classes]."""
  return _rank(array, 2)[np.newaxis, np.newaxis]


def _fold_bias(moving_mean, bias):
  """BN(z + bias) with mean m is BN(z) with mean m - bias."""
  if _vector(moving_mean).shape != _vector(bias).shape:
    raise ValueError(
      'the batch norm has %d channels, the bias %d'
      % (moving_mean.shape[0], bias.shape[0])
    )
  return moving_mean.astype(np.float64) - bias.astype(np.float64)


def _unit_scope(model_name, block, unit, unit_name):
  return '%s/block%d/unit_%d/%s' % (model_name, block, unit, unit_name)


def _torchvision_entries(model_name, source):
  """The entries of a torchvision or timm state dict (`source` a `Source`)."""
  depth = source.depth
  basic = depth in BASIC_DEPTHS
  unit_name = 'basic_block_v1' if basic else 'bottleneck_v1'
  convs = 2 if basic else 3
  entries = []

  def conv_bn(target, conv, bn):
    entries.append(Entry(target + '/weights', (conv + '.weight',), _torch_conv))
    for slim_part, torch_part in zip(_SLIM_BN, _TORCH_BN):
      entries.append(
        Entry(
          '%s/BatchNorm/%s' % (target, slim_part),
          ('%s.%s' % (bn, torch_part),),
          _vector,
        )
      )

  def biased_conv(target, conv):
    entries.append(Entry(target + '/weights', (conv + '.weight',), _torch_conv))
    entries.append(Entry(target + '/biases', (conv + '.bias',), _vector))

  if source.deep_stem:
    # timm's Sequential stem: conv, BN, ReLU, conv, BN, ReLU, conv; then bn1.
    conv_bn(model_name + '/conv1_1', 'conv1.0', 'conv1.1')
    conv_bn(model_name + '/conv1_2', 'conv1.3', 'conv1.4')
    conv_bn(model_name + '/conv1_3', 'conv1.6', 'bn1')
  else:
    conv_bn(model_name + '/conv1', 'conv1', 'bn1')
  # timm's avg_down puts its pool (no parameters) first in `downsample`.
  projection = (1, 2) if source.avg_down else (0, 1)
  for b, num_units in enumerate(UNITS_PER_BLOCK[depth]):
    for u in range(num_units):
      scope = _unit_scope(model_name, b + 1, u + 1, unit_name)
      prefix = 'layer%d.%d' % (b + 1, u)
      for k in range(1, convs + 1):
        conv_bn(
          '%s/conv%d' % (scope, k),
          '%s.conv%d' % (prefix, k),
          '%s.bn%d' % (prefix, k),
        )
      # torchvision projects when the depth or the resolution changes: the
      # first unit of every block, but block1's of basic networks (64 -> 64,
      # stride 1). Ours projects when the depth changes: the same units.
      if u == 0 and (b > 0 or not basic):
        conv_bn(
          scope + '/shortcut',
          '%s.downsample.%d' % (prefix, projection[0]),
          '%s.downsample.%d' % (prefix, projection[1]),
        )
      if source.se:
        biased_conv(scope + '/se/fc1', prefix + '.se.fc1')
        biased_conv(scope + '/se/fc2', prefix + '.se.fc2')
  entries.append(
    Entry(model_name + '/logits/weights', ('fc.weight',), _torch_linear)
  )
  entries.append(Entry(model_name + '/logits/biases', ('fc.bias',), _vector))
  return entries


def _keras_entries(model_name, depth, v2):
  unit_name = 'bottleneck_v2' if v2 else 'bottleneck_v1'
  entries = []

  def bn(target, layer):
    for slim_part, keras_part in zip(_SLIM_BN, _KERAS_BN):
      entries.append(
        Entry(
          '%s/%s' % (target, slim_part),
          ('%s/%s' % (layer, keras_part),),
          _vector,
        )
      )

  def conv(target, layer, bias=False):
    entries.append(
      Entry(target + '/weights', (layer + '/kernel',), _keras_conv)
    )
    if bias:
      entries.append(Entry(target + '/biases', (layer + '/bias',), _vector))

  def conv_bn_v1(target, name):
    """Keras v1: conv with bias, then batch norm; the bias folds."""
    conv(target, name + '_conv')
    bn_layer = name + '_bn'
    for slim_part, keras_part in zip(_SLIM_BN, _KERAS_BN):
      if slim_part == 'moving_mean':
        entries.append(
          Entry(
            target + '/BatchNorm/moving_mean',
            (bn_layer + '/moving_mean', name + '_conv/bias'),
            _fold_bias,
          )
        )
      else:
        entries.append(
          Entry(
            '%s/BatchNorm/%s' % (target, slim_part),
            ('%s/%s' % (bn_layer, keras_part),),
            _vector,
          )
        )

  if v2:
    conv(model_name + '/conv1', 'conv1_conv', bias=True)
  else:
    conv_bn_v1(model_name + '/conv1', 'conv1')
  for b, num_units in enumerate(UNITS_PER_BLOCK[depth]):
    for u in range(num_units):
      scope = _unit_scope(model_name, b + 1, u + 1, unit_name)
      # Keras's stages are conv2 ... conv5, its blocks 1-based.
      name = 'conv%d_block%d' % (b + 2, u + 1)
      if v2:
        bn(scope + '/preact', name + '_preact_bn')
        for k in (1, 2):
          conv('%s/conv%d' % (scope, k), '%s_%d_conv' % (name, k))
          bn('%s/conv%d/BatchNorm' % (scope, k), '%s_%d_bn' % (name, k))
        conv(scope + '/conv3', name + '_3_conv', bias=True)
        if u == 0:
          conv(scope + '/shortcut', name + '_0_conv', bias=True)
      else:
        for k in (1, 2, 3):
          conv_bn_v1('%s/conv%d' % (scope, k), '%s_%d' % (name, k))
        if u == 0:
          conv_bn_v1(scope + '/shortcut', name + '_0')
  if v2:
    bn(model_name + '/postnorm', 'post_bn')
  entries.append(
    Entry(model_name + '/logits/weights', ('predictions/kernel',), _keras_dense)
  )
  entries.append(
    Entry(model_name + '/logits/biases', ('predictions/bias',), _vector)
  )
  return entries


def entries(model_name):
  """Every variable of `model_name` as an `Entry` (target, sources, how)."""
  source = get_source(model_name)
  if source.kind in TORCH_KINDS:
    return _torchvision_entries(model_name, source)
  return _keras_entries(model_name, source.depth, source.kind == 'keras_v2')


def _describe(names, limit=5):
  names = sorted(names)
  more = ' and %d more' % (len(names) - limit) if len(names) > limit else ''
  return ', '.join(repr(n) for n in names[:limit]) + more


def source_to_slim(model_name, source, source_name='the source'):
  """The variable values of `model_name` from a dict of source arrays.

  Args:
    model_name: A key of `SOURCES`.
    source: A dict source tensor name -> numpy array (torchvision's or
      timm's state-dict names, or Keras's "layer/weight" names).
    source_name: How errors name the source (e.g. its file).

  Returns:
    (values, provenance): dicts variable name -> float32 array and variable
    name -> the source tensor names it was made of.

  Raises:
    ValueError: If a tensor the network needs is missing, has the wrong rank,
      or if a source tensor is left unused (the wrong file or model_name); the
      message names the tensors.
  """
  table = entries(model_name)
  kind = get_source(model_name).kind
  needed = {name for entry in table for name in entry.sources}
  missing = needed - set(source)
  dropped = {
    name
    for name in source
    if kind in TORCH_KINDS and name.rsplit('.', 1)[-1] == _TORCH_DROPPED
  }
  unused = set(source) - needed - dropped
  if missing or unused:
    raise ValueError(
      "%s does not hold the weights of %s (%s's %s): %d tensors missing "
      '(%s), %d tensors it has are unused (%s). Is model_name=%r right for '
      'this file?'
      % (
        source_name,
        model_name,
        kind.split('_')[0],
        get_source(model_name).source_model,
        len(missing),
        _describe(missing) or 'none',
        len(unused),
        _describe(unused) or 'none',
        model_name,
      )
    )
  values = {}
  provenance = {}
  for entry in table:
    arrays = [np.asarray(source[name]) for name in entry.sources]
    for name, array in zip(entry.sources, arrays):
      if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
          'Source tensor %r of %s has dtype %s; expected '
          'floating-point weights' % (name, source_name, array.dtype)
        )
    try:
      value = entry.transform(*arrays)
    except ValueError as e:
      raise ValueError(
        'Source tensor %s of %s (for %r): %s'
        % (
          ' and '.join(repr(n) for n in entry.sources),
          source_name,
          entry.target,
          e,
        )
      ) from None
    values[entry.target] = np.ascontiguousarray(value, dtype=np.float32)
    provenance[entry.target] = entry.sources
  return values, provenance
