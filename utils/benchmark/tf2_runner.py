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
"""The TF2 implementations: our network as a tf_keras layer.

'tf_function' and 'eager' time `nets.tf2.SlimNetwork` with TensorFlow 2
semantics, in a worker process whose environment has
`TF_USE_LEGACY_KERAS=1`, as nets/tf2.py needs. The training step is the
graph-mode step of `graph_runners.GraphRunner` written for TF2: softmax cross
entropy plus the weight decay of `layer.losses`, momentum SGD (tf_keras's
`SGD(momentum=...)`, the same fused kernel family as
`tf.train.MomentumOptimizer`), batch-norm updates in the forward pass, one
`GradientTape`; 'tf_function' runs it as one `tf.function` (traced by the
first step, before the timing), 'eager' op by op. Inference is
`layer(images, training=False)`. Images are synthetic (a variable read each
step, as in graph mode) or batches of the tf.data pipeline. Against 'ours'
it says what TF2 execution costs over graph mode.

Precision and XLA ('tf_function' only): bfloat16 is the same grappler
rewrite as in graph mode, switched on for the functions
(`tf.config.optimizer.set_experimental_options`), and XLA the same
auto-clustering (`tf.config.optimizer.set_jit`). Eager execution has no graph
to rewrite, so 'eager' runs fp32 without XLA.
"""

import time

from utils.benchmark import runner


class TfFunction(runner.Runner):
  name = 'tf_function'
  option = 'tf2'
  latency = False
  profiles = False
  own_process = True
  compiled = True  # One tf.function; else op by op.
  worker_env = {'TF_USE_LEGACY_KERAS': '1'}  # Before TensorFlow: nets/tf2.py.
  baselines = (runner.Baseline('ours', '%(implementation)s / graph mode'),)

  @classmethod
  def reference(cls, model_name):
    return 'nets.tf2.SlimNetwork(%r) %s' % (model_name, cls.name)

  def __init__(self, setting, timing, latency=False):
    del latency  # Batches only.
    import tensorflow as tf
    import tf_keras

    from nets import tf2

    runner.set_threads(timing)
    if setting.precision == 'bfloat16':
      tf.config.optimizer.set_experimental_options(
        {'auto_mixed_precision_onednn_bfloat16': True}
      )
    if setting.xla:
      tf.config.optimizer.set_jit('autoclustering')
    tf.random.set_seed(timing.seed)
    next_batch = self._inputs(tf, setting)
    layer = tf2.SlimNetwork(
      setting.model_name,
      self.num_classes,
      weight_decay=runner.WEIGHT_DECAY,
      **setting.model_kwargs,
    )
    optimizer = tf_keras.optimizers.SGD(
      runner.LEARNING_RATE, momentum=runner.MOMENTUM
    )

    def train_step(images, labels):
      with tf.GradientTape() as tape:
        logits = layer(images, training=True)
        loss = tf.reduce_mean(
          tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits
          )
        ) + tf.add_n(layer.losses)
      variables = layer.trainable_variables
      optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
      return loss

    def inference_step(images, labels):
      del labels
      return layer(images, training=False)

    run = train_step if setting.mode == 'train' else inference_step
    if self.compiled:
      run = tf.function(run)
    self._step = lambda: run(*next_batch()).numpy()  # Waits for the step.
    self._step()  # Builds the variables (and traces the function).
    self.fields = {
      'gmacs_per_image': self._forward_gmacs(tf, layer, setting),
      'bfloat16_conv_fraction': None,
      'xla_clusters': None,
      'conv_ops': None,
    }

  def _inputs(self, tf, setting):
    """A function returning the next (images, labels); sets num_classes."""
    size, batch = setting.image_size, setting.batch_size
    if setting.data is not None:
      batches, data_classes = runner.dataset_batches(
        setting, setting.mode == 'train'
      )
      self.num_classes = setting.num_classes or data_classes
      iterator = iter(batches)
      return lambda: next(iterator)
    self.num_classes = runner.head_classes(setting)
    images = tf.Variable(
      tf.random.uniform([batch, size, size, 3], -1.0, 1.0),
      trainable=False,
      name='synthetic_images',
    )
    labels = tf.Variable(
      tf.random.uniform([batch], 0, self.num_classes, dtype=tf.int64),
      trainable=False,
      name='synthetic_labels',
    )
    return lambda: (images.read_value(), labels.read_value())

  @staticmethod
  def _forward_gmacs(tf, layer, setting):
    """Forward GMACs per image, counted on the traced inference function."""
    from nets import graph_stats

    batch, size = setting.batch_size, setting.image_size
    function = tf.function(lambda images: layer(images, training=False))
    graph = function.get_concrete_function(
      tf.TensorSpec([batch, size, size, 3], tf.float32)
    ).graph
    logits = graph.outputs[0]
    return graph_stats.count_macs(graph_stats.forward_ops(logits)) / batch / 1e9

  def step(self):
    start = time.perf_counter()
    self._step()
    return time.perf_counter() - start


class Eager(TfFunction):
  name = 'eager'
  precisions = ('fp32',)
  xla = False
  compiled = False

  @classmethod
  def precision_problem(cls, setting, owners):
    if setting.precision in runner.Runner.precisions:
      return cls.mode_problem(setting)
    return super().precision_problem(setting, owners)

  @classmethod
  def mode_problem(cls, setting):
    return (
      'Eager execution has no graph for the bfloat16 rewrite or XLA; got '
      "precision=%r, xla=%r with implementation='eager' (use 'tf_function')"
      % (setting.precision, setting.xla)
    )
