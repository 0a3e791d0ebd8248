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
"""The graph-mode implementations: ours, ours_plain, tf_slim, frozen, folded.

`GraphRunner` builds, in a fresh `tf.Graph()`, synthetic images held in a
local variable (or the tf.data pipeline of `utils/input_pipeline.py`), the
network, and for 'train' a training step (softmax cross entropy plus weight
decay, `MomentumOptimizer`, batch-norm updates); for 'inference' the
eval-mode logits, and with `latency` the same network on one image, sharing
the weights. Its session has `utils/precision.session_config`; the first
step records the convolutions that ran in bfloat16 and the XLA clusters.
'frozen' and 'folded' import the frozen eval graph of
`utils/export/random_graph.py` (random weights and batch-norm statistics;
'folded': batch norm folded into the convolutions, as exported); 'folded'
imports the setting's `model_file` instead when it has one.
"""

import collections
import importlib

import tensorflow.compat.v1 as tf

from utils import conv_gradients
from utils import precision
from utils.benchmark import runner

# Our name -> 'module.function' of tf_slim.nets (tf_slim 1.1.0 has these).
TF_SLIM_REFERENCES = {
  '%s_%d' % (version, depth): '%s.%s_%d' % (version, version, depth)
  for version in ('resnet_v1', 'resnet_v2')
  for depth in (50, 101, 152, 200)
}


def synthetic_inputs(batch_size, image_size, num_classes, **variable_kwargs):
  """Random images and labels in variables (made once, read per step)."""
  shape = [batch_size, image_size, image_size, 3]
  images = tf.Variable(
    tf.random.uniform(shape, -1.0, 1.0),
    trainable=False,
    name='synthetic_images',
    **variable_kwargs,
  )
  labels = tf.Variable(
    tf.random.uniform([batch_size], 0, num_classes, dtype=tf.int64),
    trainable=False,
    name='synthetic_labels',
    **variable_kwargs,
  )
  return lambda: (images.read_value(), labels.read_value())


def network_logits(model_name, images, num_classes, is_training, kwargs):
  """Our network's [batch, classes] logits."""
  from nets import nets_factory  # Applies nets/tf_compat.py first.

  network_fn = nets_factory.get_network_fn(
    model_name,
    num_classes,
    weight_decay=runner.WEIGHT_DECAY,
    is_training=is_training,
  )
  return _squeeze(network_fn(images, **kwargs)[0])


def _squeeze(logits):
  return tf.squeeze(logits, [1, 2]) if logits.shape.ndims == 4 else logits


def profile_step(sess, fetch):
  """Runs one traced step (`RunOptions.FULL_TRACE`); `runner.top_profile`
  of the op types' summed wall times (concurrent ops both count)."""
  run_metadata = tf.RunMetadata()
  options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
  sess.run(fetch, options=options, run_metadata=run_metadata)
  seconds = collections.Counter()
  for device in run_metadata.step_stats.dev_stats:
    for node in device.node_stats:
      # timeline_label is 'name = OpType(inputs)'; node_name is the name.
      label = node.timeline_label.split(' = ', 1)
      op_type = label[1].split('(', 1)[0] if len(label) == 2 else node.node_name
      seconds[op_type] += node.all_end_rel_micros / 1e6
  return runner.top_profile(seconds)


def _train_op(logits, labels):
  tf.losses.sparse_softmax_cross_entropy(labels, logits)
  total_loss = tf.losses.get_total_loss()  # With the weight decay.
  optimizer = tf.train.MomentumOptimizer(runner.LEARNING_RATE, runner.MOMENTUM)
  with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    return optimizer.minimize(
      total_loss, global_step=tf.train.get_or_create_global_step()
    )


class GraphRunner(runner.Runner):
  """A TF1 graph and session; subclasses give the logits (`_logits`)."""

  @classmethod
  def start_process(cls):
    runner.enable_graph_mode()

  def _logits(self, images, is_training, copy):
    """The network's logits on `images`; `copy` > 0 reuses its weights."""
    raise NotImplementedError

  def __init__(self, setting, timing, latency=False):
    from nets import graph_stats

    is_training = setting.mode == 'train'
    self.setting, self.seed = setting, timing.seed
    local = dict(collections=[tf.GraphKeys.LOCAL_VARIABLES])
    self.graph = tf.Graph()
    with self.graph.as_default():
      tf.set_random_seed(timing.seed)
      if setting.data is None:
        self.num_classes = runner.head_classes(setting)
        images, labels = synthetic_inputs(
          setting.batch_size, setting.image_size, self.num_classes, **local
        )()
      else:
        batches, self.num_classes = runner.dataset_batches(setting, is_training)
        images, labels = tf.data.make_one_shot_iterator(batches).get_next()
      logits = self._logits(images, is_training, 0)
      macs = graph_stats.count_macs(graph_stats.forward_ops(logits))
      self._fetch = _train_op(logits, labels) if is_training else logits
      if latency and not is_training:
        inputs = synthetic_inputs(
          1, setting.image_size, self.num_classes, **local
        )
        latency_fetch = self._logits(inputs()[0], False, 1)
      init = [
        tf.global_variables_initializer(),
        tf.local_variables_initializer(),
      ]
    self._session = tf.Session(
      graph=self.graph,
      config=precision.session_config(
        setting.precision, setting.xla, timing.intra_op, timing.inter_op
      ),
    )
    self._session.run(init)
    stats = precision.rewrite_stats(self._session, self._fetch)
    self._run = lambda: self._session.run(self._fetch)
    if latency and not is_training:
      self._run_one = lambda: self._session.run(latency_fetch)
      self._run_one()  # Optimizes its graph.
    self.fields = {
      'gmacs_per_image': macs / setting.batch_size / 1e9,
      'bfloat16_conv_fraction': precision.bfloat16_fraction(stats),
      'xla_clusters': stats.xla_clusters,
      'conv_ops': stats.conv_ops,
    }

  def profile(self):
    return profile_step(self._session, self._fetch)

  def close(self):
    self._session.close()


class Ours(GraphRunner):
  name = 'ours'
  baselines = (
    runner.Baseline('tf_slim', 'ours / tf_slim'),
    runner.Baseline('keras', 'ours / keras'),
    runner.Baseline('ours_plain', 'ours / ours_plain'),
  )

  gradient_mode = None  # Of the convolutions; None: the setting's.

  def __init__(self, setting, timing, latency=False):
    super().__init__(setting, timing, latency)
    self.fields['conv_gradients'] = self._conv_gradients
    if setting.mode == 'train':
      self.fields['matmul_gradient_kinds'] = sorted(self._gradient_kinds)

  def _logits(self, images, is_training, copy):
    self._conv_gradients = self.gradient_mode or self.setting.conv_gradients
    self._gradient_kinds = conv_gradients.resolve(self._conv_gradients)
    kwargs = dict(self.setting.model_kwargs)
    with (
      tf.variable_scope(tf.get_variable_scope(), reuse=bool(copy)),
      conv_gradients.matmul_gradients(
        self._gradient_kinds if is_training else ()
      ),
    ):
      return network_logits(
        self.setting.model_name, images, self.num_classes, is_training, kwargs
      )


class OursPlainGradients(Ours):
  """Our training step with TensorFlow's own convolution gradients."""

  name = 'ours_plain'
  option = 'compare_gradients'
  modes = ('train',)
  baselines = (runner.Baseline('tf_slim', 'ours_plain / tf_slim'),)
  gradient_mode = 'plain'
  mode_message = (
    'The %(name)r implementation times training steps; got mode=%(mode)r'
  )


class TfSlim(GraphRunner):
  name = 'tf_slim'
  option = 'compare'
  kind = 'reference'
  references = TF_SLIM_REFERENCES
  reference_module, reference_owner = 'tf_slim.nets', 'pip tf_slim'
  model_kwargs = False

  def _logits(self, images, is_training, copy):
    import tf_slim as slim

    module_name, fn_name = self.references[self.setting.model_name].split('.')
    module = importlib.import_module('tf_slim.nets.' + module_name)
    arg_scope = module.resnet_arg_scope(weight_decay=runner.WEIGHT_DECAY)
    with (
      slim.arg_scope(arg_scope),
      tf.variable_scope(tf.get_variable_scope(), reuse=bool(copy)),
    ):
      logits, _ = getattr(module, fn_name)(
        images, self.num_classes, is_training=is_training
      )
    return _squeeze(logits)


class Frozen(GraphRunner):
  name = 'frozen'
  option = 'folded_bn'
  modes = ('inference',)
  fold = False
  baselines = (runner.Baseline('ours', 'frozen / eval graph'),)

  def _logits(self, images, is_training, copy):
    from utils.export import export_lib
    from utils.export import random_graph

    if not copy and self.setting.model_file:
      self._graph_def = export_lib.read_graph_def(self.setting.model_file)
    elif not copy:
      self._graph_def = random_graph.frozen_graph_def(
        self.setting.model_name,
        self.setting.image_size,
        self.num_classes,
        batch_size=self.setting.batch_size,
        fold=self.fold,
        model_kwargs=dict(self.setting.model_kwargs),
        seed=self.seed,
      )
    name = self.name + ('_latency' if copy else '')
    (logits,) = tf.import_graph_def(
      self._graph_def, {'input:0': images}, ['logits:0'], name=name
    )
    # An export's head may differ from the setting's.
    self.num_classes = logits.shape.as_list()[-1] or self.num_classes
    return logits


class Folded(Frozen):
  name = 'folded'
  fold = True
  model_format = 'frozen'
  baselines = (
    runner.Baseline('ours', 'folded BN / eval graph'),
    runner.Baseline('frozen', 'folded BN / frozen eval graph'),
  )
