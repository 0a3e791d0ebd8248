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

'tf_function' and 'eager' time `nets.tf2.SlimNetwork` in a worker process
with `TF_USE_LEGACY_KERAS=1`. The training step is that of
`graph_runners.GraphRunner` in TF2 (softmax cross entropy plus
`layer.losses`, tf_keras's momentum SGD), one `tf.function` or op by op;
inference is `layer(images, training=False)`. The `tf.function` takes the
gradients of the setting's `conv_gradients` (`conv_gradients.gradients`, as
the TF2 trainer does); eager execution takes a `GradientTape`'s.
bfloat16 and XLA are the graph-mode rewrites (grappler's, auto-clustering),
which eager execution has no graph for.
"""

from utils import conv_gradients
from utils.benchmark import graph_runners
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

    from nets import graph_stats
    from nets import tf2

    runner.set_threads(timing)
    if setting.precision == 'bfloat16':
      tf.config.optimizer.set_experimental_options(
        {'auto_mixed_precision_onednn_bfloat16': True}
      )
    if setting.xla:
      tf.config.optimizer.set_jit('autoclustering')
    tf.random.set_seed(timing.seed)
    size, batch = setting.image_size, setting.batch_size
    if setting.data is None:
      self.num_classes = runner.head_classes(setting)
      next_batch = graph_runners.synthetic_inputs(batch, size, self.num_classes)
    else:
      is_training = setting.mode == 'train'
      batches, self.num_classes = runner.dataset_batches(setting, is_training)
      next_batch = iter(batches).__next__
    layer = tf2.SlimNetwork(
      setting.model_name,
      self.num_classes,
      weight_decay=runner.WEIGHT_DECAY,
      **setting.model_kwargs,
    )
    optimizer = tf_keras.optimizers.SGD(
      runner.LEARNING_RATE, momentum=runner.MOMENTUM
    )
    kinds = conv_gradients.resolve(setting.conv_gradients)
    gradient_fields = {}
    if setting.mode == 'train':
      layer(tf.zeros([1, size, size, 3]), training=False)  # The variables.
      gradient_fields = {
        'conv_gradients': setting.conv_gradients,
        'matmul_gradient_kinds': sorted(kinds if self.compiled else ()),
      }

    def train_step(images, labels):
      def forward():
        logits = layer(images, training=True)
        loss = tf.reduce_mean(
          tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
        ) + tf.add_n(layer.losses)
        return loss, None

      variables = layer.trainable_variables
      loss, _, grads = conv_gradients.gradients(forward, variables, kinds)
      optimizer.apply_gradients(zip(grads, variables))
      return loss

    def inference_step(images, labels):
      del labels
      return layer(images, training=False)

    run = train_step if setting.mode == 'train' else inference_step
    if self.compiled:
      run = tf.function(run)
    self.step_function = run  # fn(images, labels); tf.function if compiled.
    self._run = lambda: run(*next_batch()).numpy()  # Waits for the step.
    self._run()  # Builds the variables (and traces the function).
    # Forward GMACs per image, counted on the traced inference function.
    graph = (
      tf.function(lambda images: layer(images, training=False))
      .get_concrete_function(tf.TensorSpec([batch, size, size, 3]))
      .graph
    )
    macs = graph_stats.count_macs(graph_stats.forward_ops(graph.outputs[0]))
    self.fields = runner.graphless_fields(macs / batch / 1e9)
    self.fields.update(gradient_fields)


class Eager(TfFunction):
  name = 'eager'
  precisions = ('fp32',)
  xla = False
  compiled = False
  mode_message = (
    'Eager execution has no graph for the bfloat16 rewrite or XLA; got '
    "precision=%(precision)r, xla=%(xla)r with implementation='eager' (use "
    "'tf_function')"
  )

  @classmethod
  def problem(cls, setting, owners=()):
    # bfloat16 is a precision of TensorFlow's graphs, which eager has none of.
    tf_precisions = runner.Runner.precisions
    if setting.precision in tf_precisions and setting.precision != 'fp32':
      return cls.mode_message % cls.problem_values(setting)
    return super().problem(setting, owners)
