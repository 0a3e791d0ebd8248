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
"""The training loop of the image classifiers (slim's train_image_classifier).

Everything here takes plain arguments and the settings objects of
config.py (no flags), so it can be unit-tested and called from other
programs; `train_image_classifier.py` only maps its flags to a
`config.TrainConfig` (utils/flag_defs/configs.py).

Typical use:

  dataset = dataset_factory.get_dataset('digits', 'train', '/data/digits')
  result = train_lib.train(
      dataset, '/runs/digits', 'resnet_cifar_20',
      config.TrainConfig(
          optimizer=config.OptimizerConfig(optimizer='momentum'),
          schedule=config.ScheduleConfig(learning_rate=0.1),
          max_number_of_steps=1000))

`train` runs these phases, in order (the pieces live in the modules named):

  1. Checks of every argument, before anything is built or written (the
     settings objects check themselves when constructed).
  2. The train_dir: created; the newest complete checkpoint is resumed from
     (checkpoints.py), else the fine-tuning checkpoint is found.
  3. The schedule in global steps: one epoch is
     `num_samples / (batch_size * num_clones [* replicas_to_aggregate])`
     of them (schedules.py).
  4. The graph: the input pipeline, in-graph replicas ("clones") of the
     network (replicas.py), the variables to restore and train
     (fine_tuning.py), the loss, learning rate and optimizer (optionally
     `SyncReplicasOptimizer`) and the summaries.
  5. The loop: a `MonitoredTrainingSession` with checkpoint, summary,
     progress, stop-at-step and non-finite-loss hooks (hooks.py).

Distributed training: `TrainConfig.deployment` is a `replicas.Deployment`
(slim's master,
is_chief, task, num_ps_tasks, worker_replicas, sync_replicas,
replicas_to_aggregate, num_clones, clone_on_cpu); utils/distributed/cluster.py
starts the `tf.train.Server` whose target is `master`, and
utils/distributed/launch_cluster.py runs a whole cluster on one machine.

Fault tolerance: training killed at any moment (kill -9) resumes, when run
again with the same `train_dir`, from the newest complete checkpoint
(`checkpoints.repair_checkpoint_state`); a restarted worker rejoins its
cluster.
"""

import collections
import dataclasses
import functools
import sys

from absl import logging
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import tf_compat  # noqa: F401  (before tf_slim)
from utils import conv_gradients
from utils import input_pipeline
from utils import repeated_augmentation
from utils.preprocessing import preprocessing_factory
from utils.training import checkpoints
from utils.training import config as train_config
from utils.training import fine_tuning
from utils.training import hooks
from utils.training import losses as losses_lib
from utils.training import mixing
from utils.training import replicas
from utils.training import schedules

# What `train` returns: the global step reached and the last loss (None when
# no step ran, e.g. when resuming a finished run).
TrainResult = collections.namedtuple('TrainResult', ['global_step', 'loss'])

# The losses of the training graph: one per clone (with the regularization in
# the first), the mean cross-entropy, the regularization and their total.
_Losses = collections.namedtuple(
  '_Losses', ['clones', 'cross_entropy', 'regularization', 'total']
)

# What `train(..., build_only=True)` returns: the training graph, the
# `_TrainOps` a step runs (its fetches: `step_fetches`) and the images of one
# global step.
TrainGraph = collections.namedtuple(
  'TrainGraph', ['graph', 'train_ops', 'images_per_step']
)

# The tensors and ops of the training graph that the loop uses.
_TrainOps = collections.namedtuple(
  '_TrainOps',
  [
    'global_step',
    'step_before',
    'total_loss',
    'learning_rate',
    'optimizer',
    'train_tensor',
    'iterator',
    'init_fn',
  ],
)


###############################################################################
# Checks
###############################################################################


def _check_train_args(dataset, model_name, cfg, session_config):
  """The checks of `train` that `cfg` cannot make alone.

  Returns:
    (num_classes, input_options): the classes of the network (the data set's
    minus `labels_offset`), and the keyword arguments of
    `input_pipeline.make_dataset` but the data set and image size (its
    `input_config` with the resolved preprocessing name).
  """
  if not isinstance(cfg, train_config.TrainConfig):
    raise TypeError('config must be a config.TrainConfig; got %r.' % (cfg,))
  nets_factory.get_spec(model_name)
  inputs = cfg.input
  preprocessing_name = preprocessing_factory.resolve_preprocessing_name(
    inputs.preprocessing_name or model_name
  )
  if session_config is not None and not isinstance(
    session_config, tf.ConfigProto
  ):
    raise ValueError(
      'session_config must be None or a tf.ConfigProto; got '
      'session_config=%r.' % (session_config,)
    )
  num_classes = dataset.num_classes - inputs.labels_offset
  if num_classes < 1:
    raise ValueError(
      'labels_offset=%d leaves no class of the %d of data set '
      '%r.'
      % (
        inputs.labels_offset,
        dataset.num_classes,
        getattr(dataset, 'name', '?'),
      )
    )
  return num_classes, dict(
    input_config=dataclasses.replace(
      inputs, preprocessing_name=preprocessing_name
    ),
    seed=_input_seed(cfg),
    repeated_augmentation=_repeated_augmentation(cfg),
  )


def _repeated_augmentation(cfg):
  """The `RepeatedAugmentation` of `cfg` (its replicas are all the clones),
  or None without repeats."""
  if cfg.input.aug_repeats == 1:
    return None
  deployment = cfg.deployment
  return repeated_augmentation.RepeatedAugmentation(
    num_repeats=cfg.input.aug_repeats,
    num_replicas=deployment.num_clones * deployment.worker_replicas,
    first_rank=deployment.task * deployment.num_clones,
    local_replicas=deployment.num_clones,
  )


def _spreads_over_workers(cfg):
  return cfg.input.aug_repeats > 1 and cfg.deployment.worker_replicas > 1


def _input_seed(cfg):
  """The input-shuffle seed: `cfg.seed`; 0 when unset and repeated
  augmentation spreads over workers (every worker reads the same order)."""
  if cfg.seed is None and _spreads_over_workers(cfg):
    return 0
  return cfg.seed


def _graph_seed(cfg):
  """The graph-level seed: `cfg.seed`, plus the task when repeated
  augmentation spreads over workers, so that the workers' augmentations of
  the same records differ."""
  if cfg.seed is not None and _spreads_over_workers(cfg):
    return cfg.seed + cfg.deployment.task
  return cfg.seed


###############################################################################
# Phases of `train`
###############################################################################


def _schedule(num_samples, batch_size, deployment, schedule):
  """Checks the schedule and converts it to global steps; logs them.

  Returns:
    (images per global step, the keyword arguments of
    `schedules.configure_learning_rate` but the global step).

  Raises:
    ValueError: on a bad value, naming it.
  """
  images_per_step = schedules.global_batch_size(
    batch_size,
    deployment.num_clones,
    deployment.sync_replicas,
    deployment.replicas_to_aggregate,
  )
  decay_steps = schedules.epochs_to_steps(
    schedule.num_epochs_per_decay, num_samples, images_per_step
  )
  warmup_steps = schedules.epochs_to_steps(
    schedule.warmup_epochs, num_samples, images_per_step
  )
  logging.info(
    'Effective batch: %d images per global step (batch_size %d x '
    'num_clones %d%s); learning-rate decay every %d global steps, '
    'warm-up %d steps.',
    images_per_step,
    batch_size,
    deployment.num_clones,
    ' x replicas_to_aggregate %d' % deployment.replicas_to_aggregate
    if deployment.sync_replicas
    else '',
    decay_steps,
    warmup_steps,
  )
  in_steps = dict(
    learning_rate_decay_type=schedule.learning_rate_decay_type,
    learning_rate=schedule.learning_rate,
    decay_steps=decay_steps,
    end_learning_rate=schedule.end_learning_rate,
    learning_rate_decay_factor=schedule.learning_rate_decay_factor,
    warmup_steps=warmup_steps,
  )
  schedules.check_learning_rate_args(**in_steps)
  return images_per_step, in_steps


def _prepare_train_dir(train_dir, checkpoint_path, is_chief):
  """Creates train_dir; returns the fine-tuning checkpoint (None to resume).

  Raises:
    ValueError: on an unusable train_dir, or no checkpoint at
      `checkpoint_path` when there is nothing to resume.
  """
  checkpoints.make_train_dir(train_dir)
  # The chief restores from train_dir (the other workers wait for it), so it
  # makes sure the checkpoint it will restore is complete.
  resume_from = (
    checkpoints.repair_checkpoint_state(train_dir)
    if is_chief
    else checkpoints.latest_checkpoint(train_dir)
  )
  if resume_from is not None:
    logging.info(
      'Resuming from %s (global step %d).',
      resume_from,
      checkpoints.checkpoint_global_step(resume_from),
    )
    if checkpoint_path:
      logging.info(
        'Ignoring --checkpoint_path=%s because train_dir %s '
        'already has a checkpoint.',
        checkpoint_path,
        train_dir,
      )
    return None
  if checkpoint_path:
    checkpoints.resolve_checkpoint(checkpoint_path)
  return checkpoint_path or None


def _network_fn(
  model_name, num_classes, weight_decay, network_kwargs, gradient_kinds
):
  """The training network function, with `network_kwargs` bound, whose 1x1
  convolutions take the matmul gradients of `gradient_kinds`
  (utils/conv_gradients.py)."""
  network_fn = nets_factory.get_network_fn(
    model_name,
    num_classes=num_classes,
    weight_decay=weight_decay,
    is_training=True,
  )
  if not network_kwargs and not gradient_kinds:
    return network_fn

  def bound(images):
    with conv_gradients.matmul_gradients(gradient_kinds):
      return network_fn(images, **(network_kwargs or {}))

  bound.default_image_size = network_fn.default_image_size
  return bound


def _make_iterator(dataset, image_size, deployment, input_options):
  """The initializable iterator of the training batches, and its next_batch.

  Args:
    dataset, image_size: See `input_pipeline.make_dataset`.
    deployment: The `replicas.Deployment`; the pipeline runs on the CPU of
      this worker.
    input_options: The other keyword arguments of
      `input_pipeline.make_dataset`.

  Returns:
    (iterator, next_batch): `next_batch()` returns the next (images, labels)
    on the inputs' device.
  """
  device = replicas.inputs_device(deployment)
  with tf.device(device), tf.name_scope('inputs'):
    # One epoch per pass, repeated here rather than with make_dataset's
    # num_epochs=None: its file-level repeat keeps per-epoch state until
    # the session closes, which then takes time growing with the epochs.
    # Each epoch drops its last partial batch.
    batches = input_pipeline.make_dataset(
      dataset,
      image_size=image_size,
      is_training=True,
      num_epochs=1,
      drop_remainder=True,
      **input_options,
    ).repeat()
    iterator = tf.data.make_initializable_iterator(
      input_pipeline.without_autotuning(batches)
    )

  def next_batch():
    with tf.device(device):
      return iterator.get_next()

  return iterator, next_batch


def _count_params(variables):
  return int(sum(np.prod(v.shape.as_list()) for v in variables))


def _fine_tuning_sets(first_scope, checkpoint_path, fine_tune):
  """(variables to train, update ops to run, init_fn or None); logs them.

  Args:
    first_scope: The name scope of clone 0.
    checkpoint_path: The checkpoint to restore, or None (resuming).
    fine_tune: The `config.FineTuneConfig`.
  """
  checkpoint_exclude_scopes = fine_tune.checkpoint_exclude_scopes
  trainable_scopes = fine_tune.trainable_scopes
  variables_to_train = fine_tuning.get_variables_to_train(trainable_scopes)
  update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, first_scope or None)
  kept_update_ops = fine_tuning.filter_update_ops(update_ops, trainable_scopes)
  init_fn = None
  if checkpoint_path:
    to_restore, excluded = fine_tuning.get_variables_to_restore(
      slim.get_model_variables(), checkpoint_exclude_scopes
    )
    init_fn, restored, missing = fine_tuning.get_init_fn(
      checkpoint_path, to_restore, fine_tune.ignore_missing_vars
    )
    logging.info(
      'Fine-tuning: %d model variables restored from %s, %d '
      'excluded (%s), %d missing from the checkpoint and left '
      'initialized%s.',
      len(restored),
      checkpoint_path,
      len(excluded),
      checkpoint_exclude_scopes or 'none',
      len(missing),
      ': ' + ', '.join(missing[:5]) if missing else '',
    )
  logging.info(
    'Training %d of %d trainable variables (%d parameters)%s; '
    '%d of %d batch-norm update ops run.',
    len(variables_to_train),
    len(tf.trainable_variables()),
    _count_params(variables_to_train),
    ' in scopes %s' % trainable_scopes if trainable_scopes else '',
    len(kept_update_ops),
    len(update_ops),
  )
  return variables_to_train, kept_update_ops, init_fn


def _make_optimizer(global_step, deployment, variables_device, schedule, cfg):
  """(learning rate, optimizer, moving averages or None).

  Args:
    global_step, deployment, variables_device: Of the training graph.
    schedule: The keyword arguments of `schedules.configure_learning_rate`
      but the global step.
    cfg: The `config.TrainConfig` (its optimizer and weight decay).
  """
  optimizer_config = cfg.optimizer
  moving_average_decay = optimizer_config.moving_average_decay
  # Tensors under 'train/' so that the summaries get the plain tags
  # 'learning_rate', 'total_loss' (a summary named like an existing op
  # would be renamed 'total_loss_1').
  with tf.device(variables_device), tf.name_scope('train'):
    learning_rate = schedules.configure_learning_rate(
      global_step=global_step, **schedule
    )
    opt = schedules.configure_optimizer(
      optimizer_config.optimizer,
      learning_rate,
      optimizer_config.params,
      weight_decay=cfg.loss.weight_decay,
      norm_weight_decay=cfg.loss.norm_weight_decay,
    )
    moving_averages = None
    if moving_average_decay:
      moving_averages = tf.train.ExponentialMovingAverage(
        moving_average_decay, global_step
      )
    if deployment.sync_replicas:
      opt = tf.train.SyncReplicasOptimizer(
        opt,
        replicas_to_aggregate=deployment.replicas_to_aggregate,
        total_num_replicas=deployment.worker_replicas,
        variable_averages=moving_averages,
        variables_to_average=(
          slim.get_model_variables() if moving_averages else None
        ),
      )
  return learning_rate, opt, moving_averages


def _losses(cross_entropies):
  """The `_Losses` of the clones' cross-entropies and the regularization."""
  num_clones = len(cross_entropies)
  with tf.name_scope('train'):
    regularization = tf.losses.get_regularization_losses()
    regularization_loss = (
      tf.add_n(regularization, name='regularization_loss')
      if regularization
      else tf.constant(0.0)
    )
    clone_losses = [ce / float(num_clones) for ce in cross_entropies]
    # Regularization counts once, with the first clone (as slim).
    clone_losses[0] += regularization_loss
    cross_entropy = tf.add_n(cross_entropies) / float(num_clones)
    total_loss = tf.add_n(clone_losses, name='total_loss')
  return _Losses(clone_losses, cross_entropy, regularization_loss, total_loss)


def _apply_updates(
  opt,
  grads_and_vars,
  global_step,
  update_ops,
  moving_averages,
  sync_replicas,
  variables_device,
  total_loss,
):
  """(global step before the update, the train tensor: the loss after it)."""
  with tf.device(variables_device):
    step_before = tf.identity(global_step, name='step_before')
    with tf.control_dependencies([step_before]):
      apply_op = opt.apply_gradients(grads_and_vars, global_step=global_step)
  ops = [apply_op] + update_ops
  # SyncReplicasOptimizer applies the averages itself, after each update.
  if moving_averages is not None and not sync_replicas:
    with tf.device(variables_device):
      ops.append(moving_averages.apply(slim.get_model_variables()))
  with tf.control_dependencies([tf.group(*ops)]):
    train_tensor = tf.identity(total_loss, name='train_op')
  return step_before, train_tensor


def step_fetches(train_ops):
  """What one training step runs: the train tensor and the hooks' fetches.

  The session hooks of the loop fetch the loss, learning rate, global step
  before the update and (stop-at-step and checkpoint hooks) the global step
  with every step.
  """
  return [
    train_ops.train_tensor,
    train_ops.total_loss,
    train_ops.learning_rate,
    train_ops.step_before,
    train_ops.global_step,
  ]


def _add_summaries(losses, learning_rate, end_points=None):
  """Scalar summaries of the losses and learning rate; end-point histograms."""
  tf.summary.scalar('total_loss', losses.total)
  tf.summary.scalar('losses/cross_entropy', losses.cross_entropy)
  tf.summary.scalar('losses/regularization_loss', losses.regularization)
  tf.summary.scalar('learning_rate', learning_rate)
  for name, tensor in sorted((end_points or {}).items()):
    tf.summary.histogram('activations/' + name, tensor)


def _make_session(
  train_ops, train_dir, deployment, intervals, session_hooks, session_config
):
  """The chief's MonitoredTrainingSession, or a worker's MonitoredSession."""
  scaffold = tf.train.Scaffold(
    init_fn=train_ops.init_fn,
    local_init_op=tf.group(
      tf.train.Scaffold.default_local_init_op(), train_ops.iterator.initializer
    ),
    saver=tf.train.Saver(sharded=True, max_to_keep=5, save_relative_paths=True),
  )
  if session_config is None:
    session_config = tf.ConfigProto(allow_soft_placement=True)
  if deployment.is_chief:
    return tf.train.MonitoredTrainingSession(
      master=deployment.master,
      is_chief=True,
      checkpoint_dir=train_dir,
      scaffold=scaffold,
      hooks=session_hooks,
      config=session_config,
      save_checkpoint_secs=intervals.save_interval_secs,
      save_summaries_secs=intervals.save_summaries_secs,
      log_step_count_steps=None,
      # Short: the only threads are SyncReplicasOptimizer queue runners,
      # which stop when the session closes.
      stop_grace_period_secs=2,
    )
  # What MonitoredTrainingSession builds for a non-chief worker, except
  # that it looks for the chief's initialization every second, not 30.
  return tf.train.MonitoredSession(
    session_creator=hooks.WorkerSessionCreator(
      scaffold, deployment.master, session_config
    ),
    hooks=session_hooks,
    stop_grace_period_secs=2,
  )


def _run_loop(
  train_ops,
  train_dir,
  deployment,
  intervals,
  images_per_step,
  max_number_of_steps,
  session_config,
  live_progress,
):
  """Runs training steps until max_number_of_steps or a stop.

  Returns:
    The `hooks.ProgressHook`, holding the last global step and loss.

  Raises:
    hooks.NonFiniteLossError: when the loss becomes NaN or infinite.
    input_pipeline.CorruptDataError: on corrupt data (without skip_corrupt).
  """
  if live_progress is None and sys.stdout.isatty():
    live_progress = sys.stdout
  progress = hooks.ProgressHook(
    train_ops.total_loss,
    train_ops.learning_rate,
    train_ops.global_step,
    train_ops.step_before,
    intervals.log_every_n_steps,
    images_per_step,
    max_number_of_steps,
    live_progress or None,
  )
  session_hooks = [
    hooks.NonFiniteLossHook(train_ops.total_loss, train_ops.step_before),
    progress,
  ]
  if max_number_of_steps is not None:
    session_hooks.append(tf.train.StopAtStepHook(last_step=max_number_of_steps))
  if deployment.sync_replicas:
    session_hooks.append(
      hooks.SyncReplicasHook(
        train_ops.optimizer, deployment.is_chief, deployment.worker_replicas
      )
    )
  session = _make_session(
    train_ops, train_dir, deployment, intervals, session_hooks, session_config
  )
  # A corrupt record (also when a hook or the session's end meets it) ends
  # the run as one CorruptDataError naming its file.
  with input_pipeline.corrupt_data_raised():
    with session:
      # StopAtStepHook stops after a run, so check first: a run resumed at
      # (or asked for) max_number_of_steps does not take one more step.
      while not session.should_stop():
        if (
          max_number_of_steps is not None
          and progress.step >= max_number_of_steps
        ):
          logging.info(
            'Global step %d reached max_number_of_steps=%d; nothing to train.',
            progress.step,
            max_number_of_steps,
          )
          break
        session.run(train_ops.train_tensor)
  return progress


###############################################################################
# Training
###############################################################################


def train(
  dataset,
  train_dir,
  model_name,
  config=None,
  session_config=None,
  live_progress=None,
  build_only=False,
):
  """Trains `model_name` on `dataset`, resuming from `train_dir` if possible.

  Everything is checked before anything is built or written (`config`
  checked itself when it was constructed).

  Args:
    dataset: A slim `Dataset` (`dataset_factory.get_dataset`).
    train_dir: Checkpoints and summaries; created if missing. If it holds a
      checkpoint, training resumes from the newest one (global step,
      variables and optimizer state) and `config.fine_tune.checkpoint_path`
      is ignored.
    model_name: A network of `nets_factory.NETWORKS`.
    config: A `config.TrainConfig`; None: its defaults (slim's).
    session_config: A `tf.ConfigProto`; default allows soft placement.
    live_progress: A stream for the live progress line; default stdout when
      it is a terminal.
    build_only: Only build the training graph (after the same checks):
      nothing is written to train_dir (which is neither read: no resume,
      the fine-tuning checkpoint is not restored) and nothing runs.

  Returns:
    A `TrainResult(global_step, loss)`; with `build_only`, a `TrainGraph`.

  Raises:
    ValueError: on a bad argument, an unusable train_dir or checkpoint.
    TypeError: if `config` is not a `config.TrainConfig`.
    hooks.NonFiniteLossError: when the loss becomes NaN or infinite.
    input_pipeline.CorruptDataError: (an IOError) on a corrupt record or
      file, naming it, unless `skip_corrupt`.
  """
  cfg = train_config.TrainConfig() if config is None else config
  # ---- Checks, before anything is built or written. ----
  num_classes, input_options = _check_train_args(
    dataset, model_name, cfg, session_config
  )
  deployment = cfg.deployment
  images_per_step, schedule = _schedule(
    dataset.num_samples, cfg.input.batch_size, deployment, cfg.schedule
  )

  # ---- The train_dir: resume, or find the fine-tuning checkpoint. ----
  if build_only:
    checkpoint_path = None
  else:
    checkpoint_path = _prepare_train_dir(
      train_dir, cfg.fine_tune.checkpoint_path, deployment.is_chief
    )

  with tf.Graph().as_default() as graph:
    # ---- Inputs and clones of the network. ----
    if _graph_seed(cfg) is not None:
      tf.set_random_seed(_graph_seed(cfg))
    variables_device = replicas.variables_device_of(deployment)
    with tf.device(variables_device):
      global_step = tf.train.get_or_create_global_step()
    # slim's optimizers decay through the network's L2 regularizer; adamw
    # and lamb decay the variables themselves (config.LossConfig).
    decoupled = schedules.decouples_weight_decay(cfg.optimizer.optimizer)
    gradient_kinds = conv_gradients.resolve(cfg.conv_gradients)
    logging.info(conv_gradients.description(cfg.conv_gradients))
    network_fn = _network_fn(
      model_name,
      num_classes,
      0.0 if decoupled else cfg.loss.weight_decay,
      cfg.all_network_kwargs(),
      gradient_kinds,
    )
    iterator, next_batch = _make_iterator(
      dataset,
      cfg.input.image_size or network_fn.default_image_size,
      deployment,
      input_options,
    )
    cross_entropies, end_points, first_scope = replicas.build_clones(
      network_fn,
      next_batch,
      deployment,
      variables_device,
      functools.partial(
        losses_lib.classification_loss,
        num_classes=num_classes,
        loss=cfg.loss.loss,
        # Mixed targets carry the label smoothing (timm's mixup_target).
        label_smoothing=0.0 if cfg.mixing.enabled else cfg.loss.label_smoothing,
        bce_target_threshold=cfg.loss.bce_target_threshold,
      ),
      batch_fn=mixing.batch_fn(
        cfg.mixing, num_classes, cfg.loss.label_smoothing
      ),
    )

    # ---- Fine-tuning sets. ----
    variables_to_train, update_ops, init_fn = _fine_tuning_sets(
      first_scope, checkpoint_path, cfg.fine_tune
    )

    # ---- Loss, learning rate, optimizer. ----
    if not decoupled and cfg.loss.norm_weight_decay:
      losses_lib.norm_l2_regularization(
        variables_to_train, cfg.loss.norm_weight_decay
      )
    learning_rate_t, opt, moving_averages = _make_optimizer(
      global_step, deployment, variables_device, schedule, cfg
    )
    losses = _losses(cross_entropies)
    step_before, train_tensor = _apply_updates(
      opt,
      replicas.average_gradients(opt, losses.clones, variables_to_train),
      global_step,
      update_ops,
      moving_averages,
      deployment.sync_replicas,
      variables_device,
      losses.total,
    )

    # ---- Summaries. ----
    _add_summaries(
      losses, learning_rate_t, end_points if cfg.summarize_activations else None
    )

    # ---- The loop. ----
    train_ops = _TrainOps(
      global_step,
      step_before,
      losses.total,
      learning_rate_t,
      opt,
      train_tensor,
      iterator,
      init_fn,
    )
    if build_only:
      return TrainGraph(graph, train_ops, images_per_step)
    progress = _run_loop(
      train_ops,
      train_dir,
      deployment,
      cfg.intervals,
      images_per_step,
      cfg.max_number_of_steps,
      session_config,
      live_progress,
    )
  logging.info(
    'Training stopped at global step %d; checkpoints in %s.',
    progress.step,
    train_dir,
  )
  return TrainResult(progress.step, progress.loss)
