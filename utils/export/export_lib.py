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
"""Inference graphs with batch norm folded into the convolutions.

`export` reads a training checkpoint (slim's variable names), folds every
convolution -> batch norm pair into the convolution, and writes a frozen
GraphDef and/or a SavedModel whose graph has a float32 placeholder `input`
[batch, size, size, 3] and the outputs `logits` and `predictions` (softmax).

Folding. For a convolution `y = BN(conv(x, w))` in inference mode,
BN(z) = gamma * (z - mean) / sqrt(var + eps) + beta, so with
s = gamma / sqrt(var + eps) (one value per output channel):

    w' = w * s          (the last axis of w is the output channel)
    b' = beta - mean * s

and y = conv(x, w') + b' exactly, for grouped convolutions too. The folded
network is built by the model code itself under
`slim.arg_scope([slim.conv2d], normalizer_fn=None)`, so every convolution that
had batch norm gets `biases` instead, and the checkpoint's values are
converted by `fold_batch_norm`. Which layers fold is decided by the names
alone: a convolution `X` (variable `X/weights`) folds when `X/BatchNorm/*`
exists, which in slim's layout is exactly the convolutions whose batch norm
follows them. In ResNet v1 that is every convolution but `logits`; in v2 it
is `conv1` and `conv2` of each unit. v2's `preact` and `postnorm` batch norms
come *before* a convolution, after a ReLU, and the next convolution pads with
zeros: zero padding of relu(BN(x)) is not relu(BN()) of a zero-padded x, so
folding them would be wrong at the borders; they stay batch norms (with
constant statistics).

Classes. The number of classes of the checkpoint is read from its
`<scope>/logits/biases`. The exported head has `num_classes` classes when
given, else `dataset.num_classes - labels_offset` for `dataset_name`, else the
checkpoint's count minus `labels_offset`. A checkpoint with exactly
`labels_offset` more classes than that (ImageNet's 1001 with the background
class 0, exported with labels_offset=1) has its first `labels_offset` logits
dropped, so output k is the dataset's label k + labels_offset; this is what
slim's export_inference_graph.py got wrong (it built a
`dataset.num_classes - labels_offset` head and then failed to restore a 1001
class checkpoint into it). Any other mismatch is an error naming the counts.

Typical use:

  info = export_lib.export('resnet_v1_50', '/tmp/train', output_file=
                           '/tmp/resnet_v1_50_frozen.pb', labels_offset=1)
  # info['input'] == 'input:0', info['outputs'] == {'logits': 'logits:0', ...}
"""

import collections
import os

import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from utils import checks
from utils import files
from utils.export import config as export_config

INPUT_NAME = 'input'
LOGITS_NAME = 'logits'
PREDICTIONS_NAME = 'predictions'
CLASSES_NAME = 'classes'
# Suffixes of a convolution's batch norm in slim's layout.
_BN = '/BatchNorm/'
_BN_PARTS = ('beta', 'gamma', 'moving_mean', 'moving_variance')
_LAYER_VARIABLES = ('weights', 'biases') + _BN_PARTS


def checkpoint_values(checkpoint_path):
  """Reads every variable of a checkpoint.

  Args:
    checkpoint_path: A checkpoint prefix, or a directory (its latest
      checkpoint is used).

  Returns:
    A dict variable name -> numpy array.

  Raises:
    ValueError: If there is no checkpoint at `checkpoint_path`.
  """
  path = checkpoint_path
  if path and tf.io.gfile.isdir(path):
    path = tf.train.latest_checkpoint(path)
    if path is None:
      raise ValueError(
        'No checkpoint in directory checkpoint_path=%r' % (checkpoint_path,)
      )
  if not path or not tf.train.checkpoint_exists(path):
    raise ValueError('No checkpoint at checkpoint_path=%r' % (checkpoint_path,))
  reader = tf.train.load_checkpoint(path)
  return {
    name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()
  }


def fold_batch_norm(values, epsilon):
  """Folds every convolution -> batch norm pair of a variable dict.

  Args:
    values: A dict variable name -> array in slim's layout (`X/weights`,
      `X/BatchNorm/{beta,gamma,moving_mean,moving_variance}`).
    epsilon: The batch norm epsilon of the training graph.

  Returns:
    (folded, layers): a new dict where each folded convolution `X` has
    `X/weights` = w * s and `X/biases` = beta - mean * s (see the module
    docstring) and no `X/BatchNorm/*`; and the sorted list of the folded `X`.
    Every other entry is unchanged.

  Raises:
    ValueError: If a batch norm has no convolution `X/weights`, lacks its
      moving statistics, or `epsilon` is not positive.
  """
  if not epsilon > 0:
    raise ValueError('epsilon must be positive; got epsilon=%r' % (epsilon,))
  folded = dict(values)
  layers = sorted({name[: name.index(_BN)] for name in values if _BN in name})
  for layer in layers:
    weights_name = layer + '/weights'
    if weights_name not in values:
      raise ValueError(
        'Batch norm %r follows no convolution: %r is missing'
        % (layer + _BN.rstrip('/'), weights_name)
      )
    bn = {part: values.get(layer + _BN + part) for part in _BN_PARTS}
    for part in ('moving_mean', 'moving_variance'):
      if bn[part] is None:
        raise ValueError('Batch norm of %r lacks %r' % (layer, part))
    weights = values[weights_name].astype(np.float64)
    scale = 1.0 / np.sqrt(bn['moving_variance'].astype(np.float64) + epsilon)
    if bn['gamma'] is not None:  # batch_norm_scale=False has no gamma.
      scale = scale * bn['gamma']
    beta = 0.0 if bn['beta'] is None else bn['beta'].astype(np.float64)
    biases = beta - bn['moving_mean'] * scale
    if layer + '/biases' in values:  # A conv with both biases and BN.
      biases = biases + values[layer + '/biases'] * scale
    for part in _BN_PARTS:
      folded.pop(layer + _BN + part, None)
    dtype = values[weights_name].dtype
    folded[weights_name] = (weights * scale).astype(dtype)
    folded[layer + '/biases'] = biases.astype(dtype)
  return folded, layers


def logits_classes(values, scope):
  """The number of classes of the `<scope>/logits` layer in `values`.

  Raises:
    ValueError: If `values` has no `<scope>/logits/biases`.
  """
  name = scope + '/logits/biases'
  if name not in values:
    raise ValueError(
      'The checkpoint has no %r (is model_name %r right, and '
      'was it trained with a classification head?)' % (name, scope)
    )
  return int(values[name].shape[-1])


def resolve_num_classes(
  checkpoint_classes, num_classes=None, labels_offset=0, dataset_classes=None
):
  """The classes of the exported head and the logits to drop from the front.

  See the module docstring.

  Args:
    checkpoint_classes: Classes of the checkpoint's logits layer.
    num_classes: None, or the classes the exported head must have.
    labels_offset: The labels offset used in training (>= 0).
    dataset_classes: None, or the data set's classes (with background).

  Returns:
    (num_classes, dropped): the exported classes, and how many leading logits
    of the checkpoint are dropped (0 or `labels_offset`).

  Raises:
    ValueError: On a negative offset, a non-positive count, or a checkpoint
      whose classes are neither `num_classes` nor `num_classes +
      labels_offset`.
  """
  checks.check_int(
    'labels_offset', labels_offset, 0, message=checks.NON_NEGATIVE_INT_NAMED
  )
  if num_classes is None and dataset_classes is not None:
    num_classes = dataset_classes - labels_offset
  if num_classes is None:
    num_classes = checkpoint_classes - labels_offset
  if not checks.is_int(num_classes) or num_classes < 1:
    raise ValueError(
      'The exported head needs a positive number of classes; '
      'got num_classes=%r (checkpoint %d, labels_offset %d, '
      'dataset %r)'
      % (num_classes, checkpoint_classes, labels_offset, dataset_classes)
    )
  if checkpoint_classes == num_classes:
    return num_classes, 0
  if labels_offset and checkpoint_classes == num_classes + labels_offset:
    return num_classes, labels_offset
  raise ValueError(
    'The checkpoint has %d classes, which is neither num_classes=%d nor '
    'num_classes + labels_offset = %d + %d; pass the num_classes and '
    'labels_offset the network was trained with'
    % (checkpoint_classes, num_classes, num_classes, labels_offset)
  )


def drop_leading_classes(values, scope, count):
  """Removes the first `count` classes of `<scope>/logits` (a new dict)."""
  if not count:
    return dict(values)
  values = dict(values)
  weights = scope + '/logits/weights'
  biases = scope + '/logits/biases'
  values[weights] = values[weights][..., count:]
  values[biases] = values[biases][count:]
  return values


def batch_norm_epsilon(model_name):
  """The batch norm epsilon of the registered network's arg scope."""
  arg_scope = nets_factory.get_spec(model_name).arg_scope_fn()
  return arg_scope[slim.arg_scope_func_key(slim.batch_norm)]['epsilon']


def build_inference_graph(
  model_name,
  num_classes,
  image_size=None,
  batch_size=None,
  fold=True,
  model_kwargs=None,
):
  """Builds the inference network in the default graph.

  Args:
    model_name: A registered network name.
    num_classes: Classes of the head.
    image_size: Input height and width; None for the network's default.
    batch_size: None for any batch, or a fixed batch size.
    fold: Build the folded network (convolutions with biases instead of batch
      norm); False builds the plain eval-mode network.
    model_kwargs: Further keywords of the model function (e.g.
      `depth_multiplier`); they must be those of training.

  Returns:
    A dict with the tensors 'input', 'logits', 'predictions' and 'classes'
    (named `INPUT_NAME`, ... in the graph).
  """
  spec = nets_factory.get_spec(model_name)
  image_size = image_size or spec.default_image_size
  images = tf.placeholder(
    tf.float32, [batch_size, image_size, image_size, 3], name=INPUT_NAME
  )
  with slim.arg_scope(spec.arg_scope_fn()):
    # Inside the network's own arg scope: slim.conv2d adds `biases` when it
    # has no normalizer; explicit batch norms (v2 `preact`, `postnorm`) are
    # not affected.
    with slim.arg_scope(
      [slim.conv2d], **({'normalizer_fn': None} if fold else {})
    ):
      logits, _ = spec.fn(
        images,
        num_classes=num_classes,
        is_training=False,
        **dict(spec.network_kwargs, **(model_kwargs or {})),
      )
  if logits.get_shape().ndims != 2:
    logits = tf.reshape(logits, [-1, num_classes])
  logits = tf.identity(logits, name=LOGITS_NAME)
  return {
    'input': images,
    'logits': logits,
    'predictions': tf.nn.softmax(logits, name=PREDICTIONS_NAME),
    'classes': tf.argmax(logits, axis=-1, name=CLASSES_NAME),
  }


def load_values(session, values, variables=None):
  """Loads `values` (name -> array) into the graph's variables.

  Raises:
    ValueError: If a variable has no value, a shape differs, or a value
      matches no variable (the wrong network or model_kwargs).
  """
  variables = tf.global_variables() if variables is None else variables
  names = {v.op.name for v in variables}
  missing = sorted(names - set(values))
  unused = sorted(set(values) - names)
  if missing or unused:
    raise ValueError(
      'The checkpoint does not match the network: %d variables without a '
      'value (e.g. %s), %d checkpoint values unused (e.g. %s)'
      % (len(missing), missing[:3], len(unused), unused[:3])
    )
  feeds = {}
  for var in variables:
    value = values[var.op.name]
    if tuple(var.shape.as_list()) != tuple(value.shape):
      raise ValueError(
        'Shape of %r: the network has %s, the checkpoint %s'
        % (var.op.name, var.shape.as_list(), value.shape)
      )
    # Feeding the initial value of the initializer: one run for all
    # variables and no new ops in the graph (`Variable.load` costs one run,
    # and so one pruned executor, per variable).
    feeds[var.initializer.inputs[1]] = value
  session.run([var.initializer for var in variables], feed_dict=feeds)


def _network_values(values, scope):
  """The model's own variables: no global_step, optimizer slots or EMAs.

  slim names a slot or moving average `<variable>/<Optimizer>` (e.g.
  `.../weights/Momentum`), so a model variable is one under `scope` whose
  last name component is a layer variable's.
  """
  return {
    k: v
    for k, v in values.items()
    if k.startswith(scope + '/') and k.rsplit('/', 1)[-1] in _LAYER_VARIABLES
  }


def freeze(session, output_names):
  """A GraphDef of the default graph with variables turned into constants.

  Then the `Identity` nodes left between each constant and its user are
  removed (`remove_training_nodes`), and each explicit zero `Pad` in front of
  a 'VALID' convolution (`conv2d_same`) becomes that convolution's
  'EXPLICIT' padding (`merge_pad_into_conv`).
  """
  graph_def = session.graph.as_graph_def()
  frozen = tf.graph_util.convert_variables_to_constants(
    session, graph_def, list(output_names)
  )
  frozen = tf.graph_util.remove_training_nodes(
    frozen, protected_nodes=output_names
  )
  return merge_pad_into_conv(frozen)


def _node_name(tensor_name):
  return tensor_name.lstrip('^').split(':')[0]


def merge_pad_into_conv(graph_def):
  """Turns `Pad` -> `Conv2D(padding='VALID')` into one explicitly padded conv.

  `conv2d_same` pads with zeros and then convolves with 'VALID' padding; a
  `Conv2D` with `padding='EXPLICIT'` and the same amounts computes exactly the
  same (zero padding either way) without the padded copy of its input. Only
  spatial zero padding given by a constant, feeding nothing but the
  convolution, is merged.

  Besides the saved copy, this avoids a TensorFlow 2.21 crash: the oneDNN
  layout pass, which merges such a `Pad` into a fused convolution itself
  (`_MklNativePadWithFusedConv2D`), intermittently crashes (SIGSEGV in
  `MklLayoutRewritePass::RewriteNodeForJustOpNameChange`) on the folded
  graphs of networks with zero-padded (type 'A') shortcuts, whose strided
  convolution is fused with its bias, the residual addition and the ReLU.

  Args:
    graph_def: A frozen `tf.GraphDef`.

  Returns:
    A new `tf.GraphDef`.
  """
  nodes = {node.name: node for node in graph_def.node}
  consumers = collections.Counter(
    _node_name(name) for node in graph_def.node for name in node.input
  )
  merged = tf.GraphDef()
  merged.CopyFrom(graph_def)
  dropped = set()
  for conv in merged.node:
    if (
      conv.op != 'Conv2D'
      or conv.attr['padding'].s != b'VALID'
      or (conv.attr['data_format'].s not in (b'', b'NHWC'))
    ):
      continue
    pad = nodes.get(_node_name(conv.input[0]))
    if pad is None or pad.op != 'Pad' or consumers[pad.name] != 1:
      continue
    amounts = nodes.get(_node_name(pad.input[1]))
    if amounts is None or amounts.op != 'Const':
      continue
    paddings = tf.make_ndarray(amounts.attr['value'].tensor)
    if paddings.shape != (4, 2) or paddings[0].any() or paddings[3].any():
      continue
    conv.attr['padding'].s = b'EXPLICIT'
    conv.attr['explicit_paddings'].list.i[:] = [
      int(v) for v in paddings.reshape(-1)
    ]
    conv.input[0] = pad.input[0]
    dropped.add(pad.name)
  kept = [node for node in merged.node if node.name not in dropped]
  del merged.node[:]
  merged.node.extend(kept)
  return merged


def prepare_values(
  model_name,
  values,
  num_classes=None,
  labels_offset=0,
  dataset_classes=None,
  fold=True,
):
  """Checkpoint values -> the values of the exported network.

  Returns:
    (values, num_classes, dropped, folded_layers).
  """
  scope = nets_factory.default_scope(model_name)
  values = _network_values(values, scope)
  ckpt_classes = logits_classes(values, scope)
  num_classes, dropped = resolve_num_classes(
    ckpt_classes, num_classes, labels_offset, dataset_classes
  )
  values = drop_leading_classes(values, scope, dropped)
  folded_layers = []
  if fold:
    values, folded_layers = fold_batch_norm(
      values, batch_norm_epsilon(model_name)
    )
  return values, num_classes, dropped, folded_layers


def export(
  model_name,
  checkpoint_path,
  output_file=None,
  saved_model_dir=None,
  config=None,
):
  """Exports a checkpoint as a frozen GraphDef and/or a SavedModel.

  Args:
    model_name: A registered network name (also the checkpoint's scope).
    checkpoint_path: A checkpoint prefix or directory.
    output_file: Where to write the frozen GraphDef (binary), or None.
    saved_model_dir: Where to write a SavedModel with the signature
      'serving_default' (input 'images'; outputs 'logits', 'predictions',
      'classes'), or None. The directory must not exist.
    config: An `export.config.ExportConfig` (image size, batch size,
      classes, folding); None: its defaults.

  Returns:
    A dict: 'input' and 'outputs' (tensor names), 'num_classes',
    'dropped_classes', 'folded_layers', 'output_file', 'saved_model_dir'.

  Raises:
    ValueError: If neither output is requested, on a bad class setting, or if
      the checkpoint does not match the network.
  """
  cfg = export_config.ExportConfig() if config is None else config
  if not output_file and not saved_model_dir:
    raise ValueError(
      'Nothing to write: give output_file and/or '
      'saved_model_dir (got %r, %r)' % (output_file, saved_model_dir)
    )
  if saved_model_dir and os.path.lexists(saved_model_dir):
    raise ValueError('saved_model_dir=%r exists already' % (saved_model_dir,))
  if output_file and os.path.isdir(output_file):
    raise ValueError(
      'output_file=%r is a directory; give a file name' % (output_file,)
    )
  nets_factory.get_spec(model_name)
  dataset_classes = None
  if cfg.dataset_name:
    # Imported here: the data-set code is only needed for this option.
    from utils.datasets import dataset_factory

    dataset_classes = dataset_factory.get_spec(cfg.dataset_name).num_classes
  values, num_classes, dropped, folded_layers = prepare_values(
    model_name,
    checkpoint_values(checkpoint_path),
    cfg.num_classes,
    cfg.labels_offset,
    dataset_classes,
    cfg.fold,
  )
  with tf.Graph().as_default() as graph:
    tensors = build_inference_graph(
      model_name,
      num_classes,
      cfg.image_size,
      cfg.batch_size,
      cfg.fold,
      cfg.model_kwargs,
    )
    outputs = {k: v for k, v in tensors.items() if k != 'input'}
    with tf.Session(graph=graph) as session:
      load_values(session, values)
      # Written atomically (utils/export/files.py): a failed or killed
      # export leaves nothing under these names.
      if output_file:
        graph_def = freeze(session, [t.op.name for t in outputs.values()])
        files.write_bytes(output_file, graph_def.SerializeToString())
      if saved_model_dir:
        with files.atomic_directory(saved_model_dir) as temp:
          write_saved_model(session, temp, tensors)
  return {
    'input': tensors['input'].name,
    'outputs': {k: v.name for k, v in outputs.items()},
    'num_classes': num_classes,
    'dropped_classes': dropped,
    'folded_layers': folded_layers,
    'output_file': output_file,
    'saved_model_dir': saved_model_dir,
  }


def write_saved_model(session, saved_model_dir, tensors):
  """Writes the session's graph and variables as a serving SavedModel."""
  signature = tf.saved_model.signature_def_utils.predict_signature_def(
    inputs={'images': tensors['input']},
    outputs={k: v for k, v in tensors.items() if k != 'input'},
  )
  builder = tf.saved_model.Builder(saved_model_dir)
  builder.add_meta_graph_and_variables(
    session,
    [tf.saved_model.SERVING],
    signature_def_map={
      tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signature
    },
    strip_default_attrs=True,
  )
  builder.save()


def read_graph_def(path):
  """Reads a binary GraphDef file such as the one `export` writes."""
  graph_def = tf.GraphDef()
  with tf.io.gfile.GFile(path, 'rb') as f:
    graph_def.ParseFromString(f.read())
  return graph_def
