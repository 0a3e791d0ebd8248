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
"""The TF2 implementations of the benchmark: our network as a tf_keras layer.

'tf_function' and 'eager' time `nets.tf2.SlimNetwork` with TensorFlow 2
semantics, in a worker process (`runners.WorkerRunner`) whose environment has
`TF_USE_LEGACY_KERAS=1`, as nets/tf2.py needs. The training step is the
graph-mode step of `runners.GraphRunner` written for TF2: softmax cross
entropy plus the weight decay of `layer.losses`, momentum SGD (tf_keras's
`SGD(momentum=...)`, the same fused kernel family as
`tf.train.MomentumOptimizer`), batch-norm updates in the forward pass, one
`GradientTape`; 'tf_function' runs it as one `tf.function` (traced by the
first step, before the timing), 'eager' op by op. Inference is
`layer(images, training=False)`. Images are synthetic (a variable read each
step, as in graph mode) or batches of the tf.data pipeline.

Precision and XLA ('tf_function' only): bfloat16 is the same grappler
rewrite as in graph mode, switched on for the functions
(`tf.config.optimizer.set_experimental_options`), and XLA the same
auto-clustering (`tf.config.optimizer.set_jit`). Eager execution has no graph
to rewrite; `benchmark_lib.check_settings` refuses both for 'eager'.
"""

import time

import tensorflow as tf

from utils.benchmark import runners


def _configure(request):
  """Threads, precision and XLA, before TensorFlow runs anything."""
  if request['intra_op'] is not None:
    tf.config.threading.set_intra_op_parallelism_threads(request['intra_op'])
  if request['inter_op'] is not None:
    tf.config.threading.set_inter_op_parallelism_threads(request['inter_op'])
  if request['precision'] == 'bfloat16':
    tf.config.optimizer.set_experimental_options(
      {'auto_mixed_precision_onednn_bfloat16': True}
    )
  if request['xla']:
    tf.config.optimizer.set_jit('autoclustering')


def _inputs(request, num_classes):
  """A function returning the next (images, labels), and the classes."""
  size, batch = request['image_size'], request['batch_size']
  data = request['data']
  if data is None:
    images = tf.Variable(
      tf.random.uniform([batch, size, size, 3], -1.0, 1.0),
      trainable=False,
      name='synthetic_images',
    )
    labels = tf.Variable(
      tf.random.uniform([batch], 0, num_classes, dtype=tf.int64),
      trainable=False,
      name='synthetic_labels',
    )
    return lambda: (images.read_value(), labels.read_value()), num_classes

  batches, data_classes = runners.dataset_batches(
    runners.DataConfig(**data),
    request['model_name'],
    batch,
    size,
    request['mode'] == 'train',
  )
  iterator = iter(batches)
  return lambda: next(iterator), num_classes or data_classes


def _forward_gmacs(layer, batch, size):
  """Forward GMACs per image, counted on the traced inference function."""
  from nets import graph_stats

  function = tf.function(lambda images: layer(images, training=False))
  graph = function.get_concrete_function(
    tf.TensorSpec([batch, size, size, 3], tf.float32)
  ).graph
  logits = graph.outputs[0]
  return graph_stats.count_macs(graph_stats.forward_ops(logits)) / batch / 1e9


def build_step(request):
  """The layer and the step of `request` (see the module docstring).

  Returns:
    (step, num_classes, gmacs_per_image): `step()` runs one step and returns
    once its results exist.
  """
  import tf_keras

  from nets import nets_factory
  from nets import tf2

  _configure(request)
  tf.random.set_seed(request['seed'])
  num_classes = request['num_classes'] or (
    None
    if request['data']
    else nets_factory.get_spec(request['model_name']).params_num_classes
  )
  next_batch, num_classes = _inputs(request, num_classes)
  layer = tf2.SlimNetwork(
    request['model_name'],
    num_classes,
    weight_decay=runners.WEIGHT_DECAY,
    **request['model_kwargs'],
  )
  optimizer = tf_keras.optimizers.SGD(
    runners.LEARNING_RATE, momentum=runners.MOMENTUM
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

  run = train_step if request['mode'] == 'train' else inference_step
  if request['implementation'] == 'tf_function':
    run = tf.function(run)

  def step():
    result = run(*next_batch())
    result.numpy()  # Waits for the step.

  step()  # Builds the variables (and traces the function).
  return (
    step,
    num_classes,
    _forward_gmacs(layer, request['batch_size'], request['image_size']),
  )


def serve(request, commands, answer):
  """Runs in the worker process: serves steps of a TF2 implementation.

  Args:
    request: The settings (see `runners.WorkerRunner`).
    commands: An iterable of lines ('step' or 'quit'), e.g. sys.stdin.
    answer: A function that sends one JSON-serializable dict back.
  """
  step, num_classes, gmacs = build_step(request)
  answer(
    {
      'fields': {
        'gmacs_per_image': gmacs,
        'bfloat16_conv_fraction': None,
        'xla_clusters': None,
        'conv_ops': None,
      },
      'num_classes': num_classes,
    }
  )
  for command in commands:
    if command.strip() != 'step':
      break
    start = time.perf_counter()
    step()
    answer({'seconds': time.perf_counter() - start})
