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
SGD with a constant learning rate. The training recipe's options are
train_image_classifier.py's, with the same flags, settings objects and
TF ops: --loss=bce, --label_smoothing, --bce_target_threshold, Mixup and
CutMix of each replica's batch (--mixup_alpha, --cutmix_alpha, --mix_prob,
--mix_switch_prob), RandAugment or TrivialAugment and random erasing in the
pipeline (--auto_augment, --randaugment_*, --random_erase), repeated
augmentation spread over the replicas (--aug_repeats), stochastic depth
(--drop_path_rate), --zero_init_residual, and --conv_gradients (convolution
gradients in exact rewritten forms where that measured faster:
`Classifier`, utils/conv_gradients.py). A slim checkpoint can be the start
(`checkpoint_path`, as in train_image_classifier.py) and the result is
written as a TF1 name-based checkpoint (`train_dir/model.ckpt-<steps>`),
which eval_image_classifier.py and export_inference_graph.py read.

The settings are a `config.Tf2TrainConfig`; the data flags are
train_image_classifier.py's (utils/flag_defs/train_eval.py). nets/tf2.py
needs `TF_USE_LEGACY_KERAS=1` before TensorFlow is imported: this module
sets it (unless the environment has it) before its imports, so the program
runs from a plain shell:

  python -m utils.training.tf2_train \
      --model_name=resnet_cifar_20 --dataset_name=digits \
      --dataset_dir=data/digits --train_dir=runs/tf2 --batch_size=32 \
      --max_number_of_steps=1000 [--strategy=mirrored --num_cpu_devices=2]

and, for two workers, on each machine with its own index:

  TF_CONFIG='{"cluster": {"worker": ["host0:2222", "host1:2222"]},
              "task": {"type": "worker", "index": 0}}' \
  python -m utils.training.tf2_train \
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

import os

# Before TensorFlow is imported (also through nets or tf_slim): nets/tf2.py
# needs tf_keras behind tf.keras.
os.environ.setdefault('TF_USE_LEGACY_KERAS', '1')

# pylint: disable=g-import-not-at-top,wrong-import-position
import dataclasses  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

from absl import app  # noqa: E402
from absl import flags  # noqa: E402
from absl import logging  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

from nets import nets_factory  # noqa: E402
from nets import tf2  # noqa: E402
from utils import checks  # noqa: E402
from utils import conv_gradients  # noqa: E402
from utils import flag_defs  # noqa: E402
from utils import input_pipeline  # noqa: E402
from utils import repeated_augmentation  # noqa: E402
from utils.datasets import dataset_factory  # noqa: E402
from utils.flag_defs import configs  # noqa: E402
from utils.flag_defs import train_eval  # noqa: E402
from utils.training import config as tf2_config  # noqa: E402
from utils.training import losses  # noqa: E402
from utils.training import mixing  # noqa: E402

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
  checks.check_choice('strategy', name, STRATEGIES)
  if name == 'default':
    return tf.distribute.get_strategy()
  if name == 'mirrored':
    devices = tf.config.list_logical_devices(
      'GPU'
    ) or tf.config.list_logical_devices('CPU')
    return tf.distribute.MirroredStrategy([d.name for d in devices])
  return tf.distribute.MultiWorkerMirroredStrategy()


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
  per_replica = _per_replica_batch_size(
    global_batch_size, input_context.num_replicas_in_sync
  )
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


def _per_replica_batch_size(global_batch_size, replicas):
  if global_batch_size % replicas:
    raise ValueError(
      'batch_size (the global batch) must be a multiple of the '
      '%d replicas; got batch_size=%d' % (replicas, global_batch_size)
    )
  return global_batch_size // replicas


def make_input_fn(
  dataset,
  model_name,
  input_config,
  image_size,
  is_training,
  seed=None,
  batch_fn=None,
):
  """`fn(input_context)` -> per-replica batches of a slim `Dataset`.

  The pipeline is `input_pipeline.make_dataset` with `input_config`'s
  preprocessing (default: the network's) and, when training, its
  augmentation; repeated, whole global batches only. With `aug_repeats`
  k > 1 the repeats are spread over the R replicas in sync as
  utils/repeated_augmentation.py does over clones: position p of the
  repeated stream goes to replica p mod R.

  Args:
    dataset: A slim `Dataset`.
    model_name: The network, whose preprocessing is the default.
    input_config: A `config.InputConfig`; its `batch_size` is the global
      batch; `image_size` is not read (see `image_size`).
    image_size: The height and width of the images.
    is_training: Training preprocessing (shuffled, augmented) when True.
    seed: The shuffle seed.
    batch_fn: None, or `fn(images, labels)` -> (images, targets) applied to
      each per-replica batch (`mixing.mix_batch`).
  """

  def input_fn(input_context=None):
    replicas = input_context.num_replicas_in_sync if input_context else 1
    repeats = None
    inputs = input_config
    if is_training and input_config.aug_repeats > 1:
      # One batch per replica in turn, regrouped into global batches whose
      # rows [r * b, (r + 1) * b) are replica r's.
      repeats = repeated_augmentation.RepeatedAugmentation(
        input_config.aug_repeats, replicas, 0, replicas
      )
      inputs = dataclasses.replace(
        input_config,
        batch_size=_per_replica_batch_size(input_config.batch_size, replicas),
      )
    batches = input_pipeline.make_dataset(
      dataset,
      inputs,
      is_training,
      image_size=image_size,
      preprocessing_fn=input_config.preprocessing_name
      or nets_factory.default_preprocessing(model_name),
      seed=seed,
      drop_remainder=True,
      repeated_augmentation=repeats,
    )
    if repeats is not None and replicas > 1:
      batches = batches.unbatch().batch(
        input_config.batch_size, drop_remainder=True
      )
    if not is_training:
      batches = batches.repeat()
    batches = replica_batches(batches, input_config.batch_size, input_context)
    if batch_fn is not None:
      batches = batches.map(batch_fn)
    return batches

  return input_fn


def batch_mixing_fn(cfg, num_classes):
  """The `make_input_fn` batch_fn of `cfg.mixing`, or None without mixing.

  See `mixing.batch_fn`; the targets carry `cfg.loss.label_smoothing`.
  """
  return mixing.batch_fn(cfg.mixing, num_classes, cfg.loss.label_smoothing)


class Classifier(tf_keras.Model):
  """`build_model`'s functional model, with the gradient form of its step.

  `Classifier(images, logits, name=..., gradient_kinds=kinds)` is a
  functional model (tf_keras's functional subclass) whose `fit` step
  computes convolution gradients in the rewritten forms of
  `gradient_kinds`: some of `conv_gradients.KINDS`
  (`conv_gradients.resolve(mode)`), empty for TensorFlow's own gradients.
  `train_step` is tf_keras's (forward pass in training mode, `compute_loss`,
  the optimizer's `apply_gradients`, `compute_metrics`) with the gradients
  of `conv_gradients.gradients`: `tf.gradients` with the matmul forms in
  the traced step, a `tf.GradientTape` (as tf_keras) with no kinds or when
  run eagerly. The variables, their names and the forward ops are those of
  a plain `tf_keras.Model`.
  """

  def __init__(self, *args, gradient_kinds=(), **kwargs):
    super().__init__(*args, **kwargs)
    self.gradient_kinds = conv_gradients.check_kinds(gradient_kinds)

  def loss_and_gradients(self, x, y, sample_weight=None):
    """The training forward pass, its loss and the gradients.

    Args:
      x, y, sample_weight: A batch, as `train_step` unpacks it.

    Returns:
      (loss, y_pred, gradients): `compute_loss`'s loss (with `self.losses`),
      the predictions, and the gradients of `trainable_variables` (in their
      order) in the form of `gradient_kinds`.
    """

    def forward():
      y_pred = self(x, training=True)
      return self.compute_loss(x, y, y_pred, sample_weight), y_pred

    return conv_gradients.gradients(
      forward, self.trainable_variables, self.gradient_kinds
    )

  def train_step(self, data):
    x, y, sample_weight = tf_keras.utils.unpack_x_y_sample_weight(data)
    loss, y_pred, grads = self.loss_and_gradients(x, y, sample_weight)
    self._validate_target_and_loss(y, loss)
    self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
    return self.compute_metrics(x, y, y_pred, sample_weight)


def build_model(
  model_name,
  num_classes,
  image_size,
  weight_decay=0.0,
  freeze_batch_norm=False,
  channels=3,
  gradient_kinds=(),
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
    channels: The input channels (1 for greyscale images).
    gradient_kinds: The convolution gradient kinds `fit` rewrites
      (`Classifier`, utils/conv_gradients.py); empty: TensorFlow's own.

  Returns:
    The `Classifier`; `model.get_layer(model_name)` is the `SlimNetwork`.

  Raises:
    ValueError: On an unknown gradient kind, before the network is built.
  """
  gradient_kinds = conv_gradients.check_kinds(gradient_kinds)
  images = tf_keras.Input([image_size, image_size, channels], name='images')
  network = tf2.SlimNetwork(
    model_name, num_classes, weight_decay, **network_kwargs
  )
  logits = network(images, **({'training': False} if freeze_batch_norm else {}))
  return Classifier(
    images,
    logits,
    name=model_name + '_classifier',
    gradient_kinds=gradient_kinds,
  )


class ClassificationLoss(tf_keras.losses.Loss):
  """`losses.per_example_loss` of a `config.LossConfig`, as a Keras loss.

  `y_true` is integer labels ([batch] or [batch, 1]) or [batch,
  num_classes] soft targets (mixed batches); `fit` averages the per-example
  losses over the global batch. Softmax or binary cross-entropy, label
  smoothing of integer labels, `bce_target_threshold`: as graph-mode
  training (utils/training/losses.py).
  """

  def __init__(self, loss_config, num_classes, label_smoothing=None):
    """`label_smoothing`: None: the config's (0 for mixed targets)."""
    super().__init__(name='classification_loss')
    self._config = loss_config
    self._num_classes = num_classes
    self._label_smoothing = (
      loss_config.label_smoothing
      if label_smoothing is None
      else label_smoothing
    )

  def call(self, y_true, y_pred):
    if y_true.dtype.is_integer:
      y_true = tf.reshape(y_true, [-1])
    return losses.per_example_loss(
      y_pred,
      y_true,
      self._num_classes,
      self._config.loss,
      self._label_smoothing,
      self._config.bce_target_threshold,
    )


def compile_model(model, learning_rate, momentum=0.9, loss=None):
  """Momentum SGD on `loss` (plus `model.losses`).

  `loss`: a Keras loss (`ClassificationLoss`); None: softmax cross entropy
  of integer labels.
  """
  model.compile(
    optimizer=tf_keras.optimizers.SGD(learning_rate, momentum=momentum),
    loss=loss
    or tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy'],
  )
  return model


def training_loss(cfg, num_classes):
  """The Keras loss of a `config.Tf2TrainConfig`.

  None (`compile_model`'s softmax cross entropy of integer labels) for
  slim's plain loss; else a `ClassificationLoss`, whose label smoothing the
  mixed targets already carry when `cfg.mixing` is on.
  """
  plain = tf2_config.LossConfig(weight_decay=cfg.loss.weight_decay)
  if cfg.loss == plain and not cfg.mixing.enabled:
    return None
  return ClassificationLoss(
    cfg.loss, num_classes, 0.0 if cfg.mixing.enabled else None
  )


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
  dataset,
  config=None,
  strategy='default',
  train_dir=None,
  verbose=0,
  callbacks=None,
):
  """Trains a network with `fit`; see the module docstring.

  Args:
    model_name: A registered network name.
    dataset: A slim `Dataset` (`dataset_factory.get_dataset`).
    config: A `config.Tf2TrainConfig`; None: its defaults.
    strategy: One of `STRATEGIES`, or a `tf.distribute.Strategy`.
    train_dir: None, or where the chief writes the final name-based
      checkpoint `model.ckpt-<steps>` (other workers write to a temporary
      directory: reading batch-norm statistics is a collective operation).
    verbose: Keras's `fit` verbosity.
    callbacks: Of `fit` (`training_callbacks`: backup and resume, step log).

  Returns:
    (model, history): the trained model and `{'loss': [...], 'accuracy':
    [...], 'checkpoint': path or None}`, with `skip_corrupt` also
    'corrupt_records_skipped', the number of corrupt records skipped.

  Raises:
    ValueError: On a bad strategy, network or data set.
    TypeError: If `config` is not a `config.Tf2TrainConfig`.
    IOError: If the data set's files do not exist.
    input_pipeline.CorruptDataError: (an IOError) on a corrupt record or
      file, naming it, unless `skip_corrupt`.
  """
  cfg = tf2_config.Tf2TrainConfig() if config is None else config
  if not isinstance(cfg, tf2_config.Tf2TrainConfig):
    raise TypeError('config must be a config.Tf2TrainConfig; got %r.' % (cfg,))
  inputs = cfg.input
  image_size = (
    inputs.image_size or nets_factory.get_spec(model_name).default_image_size
  )
  num_classes = dataset.num_classes - inputs.labels_offset
  if num_classes < 1:
    raise ValueError(
      'labels_offset=%d leaves no class of the %d of data set %r.'
      % (inputs.labels_offset, dataset.num_classes, dataset.name)
    )
  steps_per_epoch = cfg.steps_per_epoch or cfg.max_number_of_steps
  data_files = input_pipeline.resolve_data_files(dataset.data_sources)
  if isinstance(strategy, str):
    strategy = make_strategy(strategy)
  # The process's counter of skipped records, made outside the strategy's
  # scope (see `input_pipeline.corrupt_record_counter`).
  skipped = (
    input_pipeline.corrupt_record_counter() if inputs.skip_corrupt else None
  )
  skipped_before = 0 if skipped is None else int(skipped.numpy())
  if cfg.seed is not None:
    tf.random.set_seed(cfg.seed)
  input_fn = make_input_fn(
    dataset,
    model_name,
    inputs,
    image_size,
    cfg.is_training,
    cfg.seed,
    batch_mixing_fn(cfg, num_classes),
  )
  gradient_kinds = conv_gradients.resolve(cfg.conv_gradients)
  logging.info(conv_gradients.description(cfg.conv_gradients))
  with strategy.scope():
    model = build_model(
      model_name,
      num_classes,
      image_size,
      cfg.loss.weight_decay,
      cfg.freeze_batch_norm,
      channels=1 if inputs.use_grayscale else 3,
      gradient_kinds=gradient_kinds,
      **cfg.all_network_kwargs(),
    )
    network = model.get_layer(model_name)
    if cfg.fine_tune.checkpoint_path:
      network.load_checkpoint(
        cfg.fine_tune.checkpoint_path,
        cfg.fine_tune.checkpoint_exclude_scopes,
        inputs.labels_offset,
      )
    compile_model(
      model,
      cfg.learning_rate,
      cfg.momentum,
      training_loss(cfg, num_classes),
    )
  batches = strategy.distribute_datasets_from_function(input_fn)
  # A corrupt record ends the training as one CorruptDataError naming its
  # file and record, as in graph-mode training.
  with input_pipeline.corrupt_data_raised(data_files):
    result = model.fit(
      batches,
      epochs=cfg.max_number_of_steps // steps_per_epoch,
      steps_per_epoch=steps_per_epoch,
      verbose=verbose,
      callbacks=callbacks,
    )
  history = {
    k: [float(v) for v in values] for k, values in result.history.items()
  }
  if skipped is not None:
    history['corrupt_records_skipped'] = int(skipped.numpy()) - skipped_before
    logging.info(
      'Skipped %d corrupt record(s).', history['corrupt_records_skipped']
    )
  history['checkpoint'] = None
  if train_dir:
    chief = is_chief(strategy)
    directory = train_dir if chief else tempfile.mkdtemp()
    tf.io.gfile.makedirs(directory)
    path = network.save_checkpoint(
      os.path.join(
        directory, '%s-%d' % (CHECKPOINT_NAME, cfg.max_number_of_steps)
      )
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
  strategy = make_strategy(flag_values.strategy)
  dataset = dataset_factory.get_dataset(
    flag_values.dataset_name,
    flag_values.dataset_split_name,
    flag_values.dataset_dir,
  )
  _, history = train(
    flag_values.model_name,
    dataset,
    configs.tf2_train_config(flag_values),
    strategy,
    flag_values.train_dir,
    verbose=2,
    callbacks=training_callbacks(
      flag_values.backup_dir,
      flag_values.backup_every_n_steps,
      flag_values.log_every_n_steps,
    ),
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
  train_eval.define_tf2_train_flags()
  # --help lists the flags of utils/flag_defs/train_eval.py as this program's.
  flags.adopt_module_key_flags(train_eval)
  app.run(main)
