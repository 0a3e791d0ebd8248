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
r"""TF2 training of the networks: tf_keras `fit` under tf.distribute.

A tf_keras model around `nets.tf2.SlimNetwork` trains with `compile`/`fit`
(tf.function steps) on our tf.data pipeline (`utils/input_pipeline.py`),
with no strategy, `MirroredStrategy` (the GPUs, or the CPU split into
logical devices) or `MultiWorkerMirroredStrategy` (worker processes that
find each other through `TF_CONFIG`, collective all-reduce). The loss is
softmax cross entropy plus the weight decay of `layer.losses`; momentum
SGD with a constant learning rate. A slim checkpoint can be the start
(`checkpoint_path`, as in train_image_classifier.py) and the result is
written as a TF1 name-based checkpoint (`train_dir/model.ckpt-<steps>`),
which eval_image_classifier.py and export_inference_graph.py read.

Needs `TF_USE_LEGACY_KERAS=1` in the environment before TensorFlow is
imported (see nets/tf2.py):

  TF_USE_LEGACY_KERAS=1 python -m utils.training.tf2_train \
      --model_name=resnet_cifar_20 --dataset_name=digits \
      --dataset_dir=data/digits --train_dir=runs/tf2 --batch_size=32 \
      --max_number_of_steps=1000 [--strategy=mirrored --num_cpu_devices=2]

and, for two workers, on each machine with its own index:

  TF_CONFIG='{"cluster": {"worker": ["host0:2222", "host1:2222"]},
              "task": {"type": "worker", "index": 0}}' \
  TF_USE_LEGACY_KERAS=1 python -m utils.training.tf2_train \
      --strategy=multi_worker ... (the same flags everywhere)

Data. `batch_size` is the global batch of a step. Every input pipeline (one
per worker) reads the same stream of global batches and keeps its slice, so
replica r of n always gets rows [r * b, (r + 1) * b) of each global batch
(b = batch_size / n), whatever the mix of workers and devices: a step on n
replicas is the step of one device on the global batch except for batch
norm, whose batch statistics are per replica (no synchronised batch norm in
slim). The price is that each worker decodes the whole global batch; for
large data sets with many files, sharding files per worker would be cheaper
(and no longer exact).
"""

import json
import os
import tempfile

from absl import app
from absl import flags
from absl import logging
import tensorflow as tf
import tf_keras

from nets import nets_factory
from nets import tf2
from utils import checks
from utils import flag_defs
from utils import input_pipeline
from utils.datasets import dataset_factory
from utils.flag_defs import tools

STRATEGIES = ('default', 'mirrored', 'multi_worker')
CHECKPOINT_NAME = 'model.ckpt'


def configure_cpu_devices(num_devices):
  """Splits the CPU into `num_devices` logical devices (for MirroredStrategy).

  Must run before TensorFlow runs anything in the process.

  Raises:
    ValueError: If num_devices is not a positive integer.
    RuntimeError: If TensorFlow is already initialised (TensorFlow's own
      error).
  """
  checks.check_positive_int(
    'num_devices', num_devices, message=checks.POSITIVE_INT_NAMED
  )
  cpu = tf.config.list_physical_devices('CPU')[0]
  tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * num_devices
  )


def make_strategy(name):
  """'default' (no distribution), 'mirrored' or 'multi_worker' (TF_CONFIG).

  'mirrored' mirrors over the GPUs if there are any, otherwise over the
  logical CPU devices (`configure_cpu_devices`).

  Raises:
    ValueError: For another name, listing the valid ones.
  """
  if name == 'default':
    return tf.distribute.get_strategy()
  if name == 'mirrored':
    devices = tf.config.list_logical_devices(
      'GPU'
    ) or tf.config.list_logical_devices('CPU')
    return tf.distribute.MirroredStrategy([d.name for d in devices])
  if name == 'multi_worker':
    return tf.distribute.MultiWorkerMirroredStrategy()
  raise ValueError(
    'strategy must be one of %s; got strategy=%r'
    % (', '.join(STRATEGIES), name)
  )


def replica_batches(batches, global_batch_size, input_context):
  """The per-replica batches of one input pipeline (see the module docstring).

  Args:
    batches: A dataset of (images, labels) global batches, the same stream in
      every pipeline.
    global_batch_size: Their batch size.
    input_context: The `tf.distribute.InputContext` of the pipeline, or None
      for a single one.

  Returns:
    A dataset of per-replica batches; replica r gets rows [r * b, (r + 1) *
    b) of each global batch.

  Raises:
    ValueError: If the replicas do not divide the global batch.
  """
  if input_context is None:
    return batches
  replicas = input_context.num_replicas_in_sync
  if global_batch_size % replicas:
    raise ValueError(
      'batch_size (the global batch) must be a multiple of the '
      '%d replicas; got batch_size=%d' % (replicas, global_batch_size)
    )
  per_replica = global_batch_size // replicas
  pipelines = input_context.num_input_pipelines
  per_pipeline = global_batch_size // pipelines
  start = input_context.input_pipeline_id * per_pipeline
  if pipelines > 1:
    batches = batches.map(
      lambda images, labels: (
        images[start : start + per_pipeline],
        labels[start : start + per_pipeline],
      )
    )
  if per_replica != per_pipeline:
    batches = batches.unbatch().batch(per_replica, drop_remainder=True)
  return batches


def make_input_fn(
  dataset,
  model_name,
  global_batch_size,
  image_size,
  is_training,
  labels_offset=0,
  seed=None,
  num_readers=4,
  num_preprocessing_threads=4,
):
  """`fn(input_context)` -> per-replica batches of a slim `Dataset`.

  The pipeline is `input_pipeline.make_dataset` with the network's default
  preprocessing, repeated, whole global batches only.
  """

  def input_fn(input_context=None):
    batches = input_pipeline.make_dataset(
      dataset,
      nets_factory.default_preprocessing(model_name),
      global_batch_size,
      image_size,
      is_training=is_training,
      num_readers=num_readers,
      num_preprocessing_threads=num_preprocessing_threads,
      labels_offset=labels_offset,
      seed=seed,
      drop_remainder=True,
    )
    if not is_training:
      batches = batches.repeat()
    return replica_batches(batches, global_batch_size, input_context)

  return input_fn


def build_model(
  model_name,
  num_classes,
  image_size,
  weight_decay=0.0,
  freeze_batch_norm=False,
  **network_kwargs,
):
  """A tf_keras functional model: images -> `SlimNetwork` logits.

  Args:
    model_name, num_classes, weight_decay, **network_kwargs: Of
      `nets.tf2.SlimNetwork`.
    image_size: The input height and width.
    freeze_batch_norm: Batch norm in inference mode even in `fit` (moving
      statistics, no updates), as in fine-tuning with small batches; gamma
      and beta still train.

  Returns:
    The model; `model.get_layer(model_name)` is the `SlimNetwork`.
  """
  images = tf_keras.Input([image_size, image_size, 3], name='images')
  network = tf2.SlimNetwork(
    model_name, num_classes, weight_decay, **network_kwargs
  )
  logits = network(images, **({'training': False} if freeze_batch_norm else {}))
  return tf_keras.Model(images, logits, name=model_name + '_classifier')


def compile_model(model, learning_rate, momentum=0.9):
  """Momentum SGD on softmax cross entropy (plus `model.losses`)."""
  model.compile(
    optimizer=tf_keras.optimizers.SGD(learning_rate, momentum=momentum),
    loss=tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy'],
  )
  return model


class StepLog(tf_keras.callbacks.Callback):
  """Logs 'TF2 step N' (the optimizer's iterations) every `every_n` steps.

  Also 'TF2 training starts at step N' when `fit` begins (after a
  `BackupAndRestore` earlier in the callbacks has restored its state).
  """

  def __init__(self, every_n):
    super().__init__()
    self._every_n = every_n

  def on_train_begin(self, logs=None):
    del logs
    logging.info(
      'TF2 training starts at step %d.',
      int(tf_keras.backend.get_value(self.model.optimizer.iterations)),
    )

  def on_train_batch_end(self, batch, logs=None):
    del batch, logs
    step = int(tf_keras.backend.get_value(self.model.optimizer.iterations))
    if step % self._every_n == 0:
      logging.info('TF2 step %d', step)


def training_callbacks(
  backup_dir=None, backup_every_n_steps=None, log_every_n_steps=None
):
  """The callbacks of `fit`: the backup of the state, then the step log.

  Args:
    backup_dir: None (no backup), or where `tf_keras.callbacks.
      BackupAndRestore` keeps the training state (weights, optimizer, epoch
      and step within it): a `fit` started again with the same arguments
      resumes from it at the step after the backup, and a finished `fit`
      deletes it. Under MultiWorkerMirroredStrategy every worker restores
      it; when a worker fails, the others fail too (their collective
      operations lose a peer), and the whole cluster is started again with
      the same TF_CONFIG (tf_keras's and TensorFlow's fault-tolerance
      contract). The input pipeline starts over at its first batch.
    backup_every_n_steps: Steps between backups; None: each epoch end.
    log_every_n_steps: None, or the period of `StepLog`.

  Returns:
    A list of callbacks.
  """
  callbacks = []
  if backup_dir:
    callbacks.append(
      tf_keras.callbacks.BackupAndRestore(
        backup_dir, save_freq=backup_every_n_steps or 'epoch'
      )
    )
  if log_every_n_steps:
    callbacks.append(StepLog(log_every_n_steps))
  return callbacks


def is_chief(strategy):
  """Whether this task writes the outputs (always, without multi-worker)."""
  resolver = getattr(strategy, 'cluster_resolver', None)
  if resolver is None or not resolver.cluster_spec().as_dict():
    return True
  task_type, task_id = resolver.task_type, resolver.task_id
  return task_type == 'chief' or (
    task_type == 'worker'
    and task_id == 0
    and 'chief' not in resolver.cluster_spec().as_dict()
  )


def train(
  model_name,
  dataset_name,
  dataset_dir,
  max_number_of_steps,
  batch_size=32,
  strategy='default',
  train_dir=None,
  dataset_split_name='train',
  learning_rate=0.1,
  momentum=0.9,
  weight_decay=1e-4,
  image_size=None,
  labels_offset=0,
  checkpoint_path=None,
  checkpoint_exclude_scopes=None,
  freeze_batch_norm=False,
  steps_per_epoch=None,
  is_training=True,
  seed=None,
  num_readers=4,
  num_preprocessing_threads=4,
  verbose=0,
  callbacks=None,
  **network_kwargs,
):
  """Trains a network with `fit`; see the module docstring.

  Args:
    model_name: A registered network name.
    dataset_name, dataset_dir, dataset_split_name: A converted data set.
    max_number_of_steps: Training steps (global batches).
    batch_size: The global batch of a step.
    strategy: One of `STRATEGIES`, or a `tf.distribute.Strategy`.
    train_dir: None, or where the chief writes the final name-based
      checkpoint `model.ckpt-<steps>` (other workers write to a temporary
      directory: reading batch-norm statistics is a collective operation).
    learning_rate, momentum, weight_decay: Of the optimizer and the loss.
    image_size: Input size; None for the network's default.
    labels_offset: Subtracted from the labels; also passed to
      `load_checkpoint`.
    checkpoint_path, checkpoint_exclude_scopes: A TF1 name-based checkpoint
      to start from (`SlimNetwork.load_checkpoint`).
    freeze_batch_norm: See `build_model`.
    steps_per_epoch: Steps between Keras's epoch ends (the history has one
      loss per epoch, the mean over its steps); None: one epoch.
    is_training: Training preprocessing (shuffle, augmentation) when True;
      False reads the split in order with evaluation preprocessing,
      repeated, which makes runs repeatable to the bit.
    seed: Seed of the shuffles and of the initial weights.
    num_readers, num_preprocessing_threads: Of the input pipeline.
    verbose: Keras's `fit` verbosity.
    callbacks: Of `fit` (`training_callbacks`: backup and resume, step log).
    **network_kwargs: Of `SlimNetwork` (`depth_multiplier`, ...).

  Returns:
    (model, history): the trained model and `{'loss': [...], 'accuracy':
    [...], 'checkpoint': path or None}`.

  Raises:
    ValueError: On a bad strategy, data set or step count.
  """
  checks.check_positive_int(
    'max_number_of_steps',
    max_number_of_steps,
    message=checks.POSITIVE_INT_NAMED,
  )
  steps_per_epoch = steps_per_epoch or max_number_of_steps
  if max_number_of_steps % steps_per_epoch:
    raise ValueError(
      'steps_per_epoch must divide max_number_of_steps; got '
      '%r and %r' % (steps_per_epoch, max_number_of_steps)
    )
  if isinstance(strategy, str):
    strategy = make_strategy(strategy)
  dataset = dataset_factory.get_dataset(
    dataset_name, dataset_split_name, dataset_dir
  )
  image_size = (
    image_size or nets_factory.get_spec(model_name).default_image_size
  )
  if seed is not None:
    tf.random.set_seed(seed)
  input_fn = make_input_fn(
    dataset,
    model_name,
    batch_size,
    image_size,
    is_training,
    labels_offset,
    seed,
    num_readers,
    num_preprocessing_threads,
  )
  with strategy.scope():
    model = build_model(
      model_name,
      dataset.num_classes - labels_offset,
      image_size,
      weight_decay,
      freeze_batch_norm,
      **network_kwargs,
    )
    network = model.get_layer(model_name)
    if checkpoint_path:
      network.load_checkpoint(
        checkpoint_path, checkpoint_exclude_scopes, labels_offset
      )
    compile_model(model, learning_rate, momentum)
  batches = strategy.distribute_datasets_from_function(input_fn)
  result = model.fit(
    batches,
    epochs=max_number_of_steps // steps_per_epoch,
    steps_per_epoch=steps_per_epoch,
    verbose=verbose,
    callbacks=callbacks,
  )
  history = {
    k: [float(v) for v in values] for k, values in result.history.items()
  }
  history['checkpoint'] = None
  if train_dir:
    chief = is_chief(strategy)
    directory = train_dir if chief else tempfile.mkdtemp()
    tf.io.gfile.makedirs(directory)
    path = network.save_checkpoint(
      os.path.join(directory, '%s-%d' % (CHECKPOINT_NAME, max_number_of_steps))
    )
    if chief:
      history['checkpoint'] = path
      logging.info('Wrote %s', path)
    else:
      tf.io.gfile.rmtree(directory)
  return model, history


def main(argv):
  flag_defs.start_script(argv, flags.FLAGS, graph_mode=False)
  with flag_defs.exit_on_error('tf2_train'):
    _main(flags.FLAGS)


def _main(flag_values):
  if flag_values.num_cpu_devices:
    configure_cpu_devices(flag_values.num_cpu_devices)
  network_kwargs = {}
  if flag_values.depth_multiplier is not None:
    network_kwargs['depth_multiplier'] = flag_values.depth_multiplier
  strategy = make_strategy(flag_values.strategy)
  _, history = train(
    flag_values.model_name,
    flag_values.dataset_name,
    flag_values.dataset_dir,
    flag_values.max_number_of_steps,
    flag_values.batch_size,
    strategy,
    flag_values.train_dir,
    flag_values.dataset_split_name,
    flag_values.learning_rate,
    flag_values.momentum,
    flag_values.weight_decay,
    image_size=flag_values.image_size,
    labels_offset=flag_values.labels_offset,
    checkpoint_path=flag_values.checkpoint_path,
    checkpoint_exclude_scopes=flag_values.checkpoint_exclude_scopes,
    freeze_batch_norm=flag_values.freeze_batch_norm,
    steps_per_epoch=flag_values.steps_per_epoch,
    is_training=flag_values.is_training,
    seed=flag_values.seed,
    verbose=2,
    callbacks=training_callbacks(
      flag_values.backup_dir,
      flag_values.backup_every_n_steps,
      flag_values.log_every_n_steps,
    ),
    **network_kwargs,
  )
  if flag_values.history_file and is_chief(strategy):
    # Atomically: a reader never sees half a file.
    directory = os.path.dirname(os.path.abspath(flag_values.history_file))
    with tempfile.NamedTemporaryFile(
      'w', dir=directory, delete=False, suffix='.tmp'
    ) as f:
      json.dump(history, f)
    os.replace(f.name, flag_values.history_file)
  print(json.dumps({k: v for k, v in history.items() if k != 'accuracy'}))


if __name__ == '__main__':
  tools.define_tf2_train_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this program's.
  flags.adopt_module_key_flags(tools)
  app.run(main)
