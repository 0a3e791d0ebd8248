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
"""The registered networks as a TF2 (tf_keras) layer: eager, tf.function.

`SlimNetwork` runs any network of `nets_factory.NETWORKS` in TensorFlow 2's
eager mode, inside `tf.function`, in `tf_keras` models (`compile`/`fit`,
`tf.saved_model.save`) and under `tf.distribute` strategies, with slim's
variable names, so that the official slim checkpoints and the ones our
graph-mode training writes load into it (`load_checkpoint`).

Requirements. This is TensorFlow's migration path for TF1 model code,
`tf.compat.v1.keras.utils.track_tf1_style_variables`, which only the
`tf_keras` package (Keras 2) ships; Keras 3 has no TF1 support. TensorFlow
routes `tf.keras` to `tf_keras` only when the environment variable
`TF_USE_LEGACY_KERAS=1` is set before TensorFlow is first imported:

  TF_USE_LEGACY_KERAS=1 python my_tf2_program.py

(or `os.environ['TF_USE_LEGACY_KERAS'] = '1'` as the first statement of the
program, before anything imports tensorflow, tf_slim or nets). Importing this
module otherwise raises an ImportError that says so: the layer is a tf_keras
layer, and Keras 3's `tf.keras.Model`, optimizers and callbacks do not accept
it. Importing `nets` (graph mode) needs neither.

What the decorator does. Every call of the layer runs the network function
under `nets_factory.get_network_fn`'s arg scope inside a variable store of
the layer: `tf.compat.v1.get_variable` (which all of slim's layers use) creates
the variables on the first call, under slim's names (`resnet_v1_50/conv1/
weights`, not prefixed with the Keras layer's name), and returns the same
variables on later calls; they are the layer's `variables`, and the weight
decay of `slim.l2_regularizer` becomes `layer.losses`. Batch norm (slim's,
over Keras's legacy layer) uses the batch statistics and updates its moving
averages in the forward pass when called with `training=True`, and the moving
averages otherwise.

What it does not track (limits):
  * TF1 collections: nothing is read from `UPDATE_OPS`, `LOSSES` or
    `REGULARIZATION_LOSSES`; updates run in the forward pass and the weight
    decay comes through `layer.losses` only. Code that adds
    `tf.compat.v1.losses` inside the call is not seen by Keras.
  * Variables made with `tf.Variable` inside the call, and
    `tf.compat.v1.train.get_or_create_global_step`; slim's network code
    makes neither.
  * Names: two layers of the same network in one program have variables of
    the same names (each layer its own); the TF2 object-based checkpoint
    (`tf.train.Checkpoint`) tells them apart, a name-based one cannot.
  * TF2 does not prune: the end points that slim computes and nobody reads
    (e.g. the softmax `predictions`) are computed in eager mode;
    `tf.function` prunes nothing that has no side effect either, but grappler
    removes dead ops.
  * tf_keras only, float32 only, and `tf.function`s nested inside the call
    would break the variable scoping (the network code has none).

Typical use:

  model = tf_keras.Sequential([
      tf_keras.Input([224, 224, 3]),
      tf2.SlimNetwork('resnet_v1_50', 1000, weight_decay=1e-4)])
  model.layers[0].load_checkpoint('resnet_v1_50.ckpt', labels_offset=1)
  model.compile(...); model.fit(...)

and as a backbone:

  backbone = tf2.SlimNetwork('resnet_v1_50', None, global_pool=False,
                             output_stride=16, end_points=['block1', 'block4'])
  features, end_points = backbone(images, training=False)
  backbone.end_point_info()['block1']  # EndPointInfo(stride=8, channels=256)
"""

import collections
import contextlib
import numbers
import os

import tensorflow.compat.v1 as tf
import tf_keras

from nets import nets_factory
from nets import scope_rule

LEGACY_KERAS_VARIABLE = 'TF_USE_LEGACY_KERAS'
# The variables of slim's layers (the last component of a variable name); the
# other entries of a training checkpoint (global_step, optimizer slots such as
# `.../weights/Momentum`, moving averages of weights) are not the network's.
LAYER_VARIABLES = (
  'weights',
  'biases',
  'beta',
  'gamma',
  'moving_mean',
  'moving_variance',
)
# The input size of the scratch graph that `end_point_info` measures strides
# on: a multiple of every stride of the registered networks.
_PROBE_SIZE = 256
# The input size of the zero batch that builds the variables before a load.
_BUILD_SIZE = 64

# The output stride (input pixels per output pixel) and the channels of an
# end point.
EndPointInfo = collections.namedtuple('EndPointInfo', ['stride', 'channels'])


def legacy_keras_error():
  """None if `tf.keras` is tf_keras, otherwise the message saying what to do.

  The test is the one that matters to users of this module: whether
  `tf.keras.layers.Layer` (the class their models and optimizers belong to)
  is tf_keras's. TensorFlow decides it from `TF_USE_LEGACY_KERAS` in the
  environment when it is imported.
  """
  try:
    if tf.keras.layers.Layer is tf_keras.layers.Layer:
      return None
  except (ImportError, AttributeError):  # No Keras at all behind tf.keras.
    pass
  return (
    "nets.tf2 needs TensorFlow's legacy Keras (the tf_keras package): set "
    'the environment variable %s=1 before TensorFlow is imported, e.g. '
    "`%s=1 python my_program.py`, or os.environ[%r] = '1' as the first "
    'statement of the program, before any import of tensorflow, tf_slim or '
    'nets. TensorFlow was imported without it, so tf.keras is Keras 3, '
    'which has no TF1 support (track_tf1_style_variables) and does not '
    'accept tf_keras layers.'
    % (LEGACY_KERAS_VARIABLE, LEGACY_KERAS_VARIABLE, LEGACY_KERAS_VARIABLE)
  )


_ERROR = legacy_keras_error()
if _ERROR:
  raise ImportError(_ERROR)

_track_tf1_style_variables = tf.keras.utils.track_tf1_style_variables


def _checkpoint_file(checkpoint_path):
  """A checkpoint prefix, or the latest one of a directory."""
  path = checkpoint_path
  if path and tf.io.gfile.isdir(path):
    path = tf.train.latest_checkpoint(path)
    if path is None:
      raise ValueError(
        'No checkpoint in directory checkpoint_path=%r' % (checkpoint_path,)
      )
  # A V2 checkpoint is `path.index` + data files; slim's official ones are V1
  # single files.
  if not path or not (
    tf.io.gfile.exists(path + '.index') or tf.io.gfile.exists(path)
  ):
    raise ValueError('No checkpoint at checkpoint_path=%r' % (checkpoint_path,))
  return path


def _var_name(variable):
  return variable.name.rsplit(':', 1)[0]


def _listing(names, limit=5):
  names = sorted(names)
  more = ' and %d more' % (len(names) - limit) if len(names) > limit else ''
  return '%s%s' % (', '.join(names[:limit]), more)


@contextlib.contextmanager
def _collections_kept_clean():
  """In eager mode, drops what the call adds to TF1 collections.

  slim adds every end point (and batch norm its updates, the regularizer its
  losses) to collections of the default graph. In eager mode that is the
  program's one global graph, so each call would keep its activations alive
  there for good: about 40 MB more per eager training step of
  resnet_cifar_20 at batch 32, until the process runs out of memory. Inside
  `tf.function` the collections belong to the traced graph and go with it.
  """
  if not tf.executing_eagerly():
    yield
    return
  graph = tf.get_default_graph()
  sizes = {
    key: len(graph.get_collection_ref(key))
    for key in graph.get_all_collection_keys()
  }
  try:
    yield
  finally:
    for key in graph.get_all_collection_keys():
      del graph.get_collection_ref(key)[sizes.get(key, 0) :]


class SlimNetwork(tf_keras.layers.Layer):
  """A registered network (`nets_factory.NETWORKS`) as a tf_keras layer.

  `layer(images, training=False)` returns what the network function returns
  as `net` (the logits, [batch, num_classes] by default); with `end_points`
  it returns `(net, {name: tensor})`. See the module docstring for the
  requirements and limits.
  """

  def __init__(
    self,
    model_name,
    num_classes,
    weight_decay=0.0,
    end_points=None,
    name=None,
    trainable=True,
    dtype=None,
    **network_kwargs,
  ):
    """Creates the layer; the variables are made by its first call.

    Args:
      model_name: A registered network name (`nets_factory.NETWORKS`).
      num_classes: Classes of the logits layer; 0 or None for the features
        (see `resnet_v1.resnet_v1`).
      weight_decay: The l2 coefficient of the arg scope (slim's
        `l2_regularizer`: weight_decay * sum(w ** 2) / 2 per weight);
        the terms are in `layer.losses`.
      end_points: None, or names of end points to return with `net`: names
        relative to the network's scope ('block1', 'block4/unit_3/
        bottleneck_v1', 'conv1', 'logits') or slim's keys (`resnet_v1_50/
        block1`, 'global_pool', 'predictions'). `end_point_info()` lists
        them all with their stride and channels.
      name: The Keras layer name; default: `model_name`.
      trainable: Keras's `trainable` (False: no trainable weights).
      dtype: None or 'float32', the only dtype of the networks.
      **network_kwargs: Further keywords of the network function
        (`depth_multiplier`, `output_stride`, `global_pool`, `multi_grid`,
        `scope`, ...). `is_training` is the call's `training`.

    Raises:
      ValueError: On an unknown network, a bad `num_classes`, `weight_decay`
        or `end_points`, or a keyword the layer sets itself.
    """
    nets_factory.get_spec(model_name)
    if num_classes is not None and (
      isinstance(num_classes, bool)
      or not isinstance(num_classes, numbers.Integral)
      or num_classes < 0
    ):
      raise ValueError(
        'num_classes must be None or a non-negative integer; '
        'got num_classes=%r' % (num_classes,)
      )
    if (
      isinstance(weight_decay, bool)
      or not isinstance(weight_decay, numbers.Real)
      or weight_decay < 0
    ):
      raise ValueError(
        'weight_decay must be a non-negative number; got '
        'weight_decay=%r' % (weight_decay,)
      )
    if end_points is not None:
      if isinstance(end_points, str) or not all(
        isinstance(n, str) for n in end_points
      ):
        raise ValueError(
          'end_points must be None or a list of end-point '
          "names such as ['block1', 'block4']; got "
          'end_points=%r' % (end_points,)
        )
      end_points = list(end_points)
    if dtype not in (None, 'float32', tf.float32):
      raise ValueError(
        'The networks run in float32 only; got dtype=%r' % (dtype,)
      )
    for key in ('is_training', 'inputs', 'num_classes', 'reuse'):
      if key in network_kwargs:
        raise ValueError(
          "%s is set by the layer (is_training: the call's `training`); "
          'got %s=%r in the network keywords' % (key, key, network_kwargs[key])
        )
    super().__init__(
      name=name or model_name, trainable=trainable, dtype='float32'
    )
    self.model_name = model_name
    self.num_classes = num_classes
    self.weight_decay = float(weight_decay)
    self.end_point_names = end_points
    self.network_kwargs = dict(network_kwargs)
    self._scope = self.network_kwargs.get(
      'scope'
    ) or nets_factory.default_scope(model_name)
    self._end_point_info = None

  @property
  def scope(self):
    """The network's variable scope: `scope=`, or the network's default.

    The default is the registry name, but DeepLab's (`resnet_v1_50`) for the
    beta networks (`nets_factory.default_scope`).
    """
    return self._scope

  def _network(self, images, is_training):
    network_fn = nets_factory.get_network_fn(
      self.model_name,
      self.num_classes,
      weight_decay=self.weight_decay,
      is_training=is_training,
    )
    return network_fn(images, **self.network_kwargs)

  @_track_tf1_style_variables
  def call(self, images, training=None):
    """Runs the network on `images` [batch, height, width, channels].

    Args:
      images: A float32 tensor.
      training: Batch norm in training mode (batch statistics, moving-average
        updates) when True; None (Keras's default outside `fit`) is False. A
        boolean tensor is passed on to slim.

    Returns:
      `net`, or `(net, end_points)` when the layer has `end_points`.
    """
    if training is None:
      training = False
    with _collections_kept_clean():
      net, end_points = self._network(images, training)
    if self.end_point_names is None:
      return net
    return net, self._select(end_points)

  def _select(self, end_points):
    selected = {}
    for name in self.end_point_names:
      key = self._key(name, end_points)
      if key is None:
        blocks = sorted(
          k[len(self.scope) + 1 :]
          for k in end_points
          if k.startswith(self.scope + '/block') and k.count('/') == 1
        )
        raise ValueError(
          'Unknown end point %r of %s; names are relative to the scope %r, '
          "e.g. %s, 'conv1', 'logits' (end_point_info() lists all)"
          % (name, self.model_name, self.scope, ', '.join(map(repr, blocks)))
        )
      selected[name] = end_points[key]
    return selected

  def _key(self, name, end_points):
    for key in (self.scope + '/' + name, name):
      if key in end_points:
        return key
    return None

  def end_point_info(self):
    """Stride and channels of every end point, by name relative to the scope.

    Measured once on a scratch graph of the network (static shapes of a
    256x256 input), with this layer's keywords (`output_stride` and
    `global_pool` change strides). Names outside the scope ('global_pool',
    'predictions') keep slim's keys.

    Returns:
      An ordered dict name -> `EndPointInfo(stride, channels)`, in the order
      the network makes them.
    """
    if self._end_point_info is None:
      with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [1, _PROBE_SIZE, _PROBE_SIZE, 3])
        _, end_points = self._network(images, False)
      info = collections.OrderedDict()
      for key, tensor in end_points.items():
        shape = tensor.shape.as_list()
        name = (
          key[len(self.scope) + 1 :]
          if key.startswith(self.scope + '/')
          else key
        )
        stride = _PROBE_SIZE // shape[1] if len(shape) == 4 else None
        info[name] = EndPointInfo(stride, shape[-1])
      self._end_point_info = info
    return collections.OrderedDict(self._end_point_info)

  def get_config(self):
    """Keras's config: `SlimNetwork.from_config(config)` makes a twin."""
    config = super().get_config()
    config.update(
      model_name=self.model_name,
      num_classes=self.num_classes,
      weight_decay=self.weight_decay,
      end_points=(
        None if self.end_point_names is None else list(self.end_point_names)
      ),
      **dict(self.network_kwargs),
    )
    return config

  def _ensure_variables(self):
    """Builds the variables with one call on a small zero batch if needed."""
    if self.variables:
      return
    channels = 3
    input_shape = getattr(self, '_build_input_shape', None)
    if input_shape is not None and tf.TensorShape(input_shape).rank == 4:
      channels = tf.TensorShape(input_shape)[-1] or 3
    self(tf.zeros([1, _BUILD_SIZE, _BUILD_SIZE, channels]), training=False)

  def load_checkpoint(
    self, checkpoint_path, exclude_scopes=None, labels_offset=0
  ):
    """Restores a TF1 name-based checkpoint (slim's names) into the layer.

    Official slim checkpoints and those of `train_image_classifier.py` both
    qualify; entries that are not network variables (global_step, optimizer
    slots, moving averages of weights) are ignored. Nothing is assigned
    unless every check passes. Builds the variables first if the layer was
    never called (one call on a 64x64 zero batch).

    Args:
      checkpoint_path: A checkpoint prefix, or a directory (its latest
        checkpoint).
      exclude_scopes: Scopes not to restore, as slim's
        `--checkpoint_exclude_scopes`: a comma-separated string or a list,
        e.g. 'resnet_v1_50/logits'; a variable whose name starts with one of
        them keeps its value (`nets/scope_rule.py`: a string prefix, so
        'resnet_v1_101/block3/unit_1' also covers unit_10 to unit_19).
      labels_offset: With a logits layer of `labels_offset` more classes in
        the checkpoint (ImageNet's 1001 with the background class 0, into a
        1000-class layer: 1), the first `labels_offset` classes are dropped,
        as `utils/export/export_lib.py` does for exports.

    Returns:
      A dict: 'restored' (the variable names restored, sorted), 'excluded'
      (those left alone) and 'dropped_classes'.

    Raises:
      ValueError: If there is no checkpoint; if a variable of the layer has
        no value in it or a network value of the checkpoint (under the scope)
        matches no variable of the layer (naming them: the wrong network or
        network keywords); on a shape or dtype mismatch (naming each); or if
        the classes differ by other than `labels_offset`.
    """
    if (
      isinstance(labels_offset, bool)
      or not isinstance(labels_offset, numbers.Integral)
      or labels_offset < 0
    ):
      raise ValueError(
        'labels_offset must be a non-negative integer; got '
        'labels_offset=%r' % (labels_offset,)
      )
    scopes = scope_rule.parse_scopes(exclude_scopes, 'exclude_scopes')
    reader = tf.train.load_checkpoint(_checkpoint_file(checkpoint_path))
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    self._ensure_variables()
    variables = {_var_name(v): v for v in self.variables}
    wanted = {
      n: v for n, v in variables.items() if not scope_rule.in_scopes(n, scopes)
    }
    missing = [n for n in wanted if n not in shapes]
    unused = [
      n
      for n in shapes
      if n.startswith(self.scope + '/')
      and n.rsplit('/', 1)[-1] in LAYER_VARIABLES
      and n not in variables
      and not scope_rule.in_scopes(n, scopes)
    ]
    if missing or unused:
      networks = sorted(
        {
          n.split('/')[0] + '/'
          for n in shapes
          if n.rsplit('/', 1)[-1] in LAYER_VARIABLES
        }
      )
      raise ValueError(
        'The checkpoint %s does not match the layer (%s, keywords %r): %d '
        'variables of the layer have no value in it (%s); %d of its network '
        'values match no variable of the layer (%s); the checkpoint has '
        'networks under %s. Check model_name, the network keywords '
        '(depth_multiplier, scope, ...) or exclude_scopes.'
        % (
          checkpoint_path,
          self.model_name,
          dict(self.network_kwargs),
          len(missing),
          _listing(missing) or '-',
          len(unused),
          _listing(unused) or '-',
          ', '.join(networks) or 'no scope',
        )
      )
    dropped = self._dropped_classes(shapes, wanted, labels_offset)
    values, mismatched = {}, []
    for name, var in sorted(wanted.items()):
      value = reader.get_tensor(name)
      if dropped and name in self._logits_names():
        value = value[..., dropped:]
      if dtypes[name] != var.dtype.base_dtype:
        mismatched.append(
          '%s: dtype %s in the checkpoint, %s in the layer'
          % (name, dtypes[name].name, var.dtype.name)
        )
      elif tuple(value.shape) != tuple(var.shape.as_list()):
        mismatched.append(
          '%s: shape %s in the checkpoint, %s in the layer'
          % (name, list(value.shape), var.shape.as_list())
        )
      values[name] = value
    if mismatched:
      more = len(mismatched) - 5
      raise ValueError(
        'The checkpoint %s does not match the layer (%s, keywords %r): %s%s'
        % (
          checkpoint_path,
          self.model_name,
          dict(self.network_kwargs),
          '; '.join(mismatched[:5]),
          ' and %d more' % more if more > 0 else '',
        )
      )
    for name, value in values.items():
      wanted[name].assign(value)
    return {
      'restored': sorted(wanted),
      'excluded': sorted(set(variables) - set(wanted)),
      'dropped_classes': dropped,
    }

  def _logits_names(self):
    return (self.scope + '/logits/weights', self.scope + '/logits/biases')

  def _dropped_classes(self, shapes, wanted, labels_offset):
    """0, or `labels_offset` when the checkpoint's logits have that many more.

    Raises:
      ValueError: If the logits of the checkpoint and the layer differ in
        classes by other than `labels_offset`.
    """
    biases = self._logits_names()[1]
    if biases not in wanted:
      return 0
    ours = wanted[biases].shape.as_list()[-1]
    theirs = shapes[biases][-1]
    if theirs == ours:
      return 0
    if labels_offset and theirs == ours + labels_offset:
      return labels_offset
    raise ValueError(
      "The checkpoint's logits have %d classes and the layer's %d; with "
      'labels_offset=%d only %d or %d would load. Pass the labels_offset '
      'of the data (1 for a 1001-class ImageNet checkpoint into 1000 '
      "classes), or exclude_scopes=[%r] to keep the layer's own logits."
      % (
        theirs,
        ours,
        labels_offset,
        ours,
        ours + labels_offset,
        self.scope + '/logits',
      )
    )

  def save_checkpoint(self, checkpoint_prefix):
    """Writes the variables as a TF1 name-based checkpoint (slim's names).

    The graph-mode tools (`eval_image_classifier.py`,
    `export_inference_graph.py`, `--checkpoint_path` of training) read it;
    the directory's `checkpoint` state file names it as the latest. Under a
    distribution strategy, call it in every worker (reading batch-norm
    statistics averages them over the replicas, a collective operation).

    Args:
      checkpoint_prefix: The path prefix, e.g. `train_dir/model.ckpt-1000`.

    Returns:
      The checkpoint path written.
    """
    self._ensure_variables()
    values = {_var_name(v): v.read_value() for v in self.variables}
    names = sorted(values)
    # The op tf.train.Saver runs, which does not take the distributed
    # variables of tf.distribute.
    tf.raw_ops.SaveV2(
      prefix=checkpoint_prefix,
      tensor_names=names,
      shape_and_slices=[''] * len(names),
      tensors=[values[name] for name in names],
    )
    tf.train.update_checkpoint_state(
      os.path.dirname(checkpoint_prefix) or '.', checkpoint_prefix
    )
    return checkpoint_prefix
