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
"""The flags of the scripts turned into their settings objects, in one place.

Each function reads the parsed flags `fv` (defined by the `define_*_flags`
function named) and returns the settings object of utils/training/config.py
that the script passes to the library; constructing it checks every value.
A new option is one field in its settings object and one line here.

  train_config(fv)      define_train_flags       train_lib.train
  eval_config(fv)       define_eval_flags        eval_lib.evaluate
  input_config(fv, ...)                          evaluate_exported
  tf2_train_config(fv)  define_tf2_train_flags   tf2_train.train
  export_config(fv)     define_export_flags      export_lib.export,
                                                 deploy.export_model

Unlike the rest of this package, this module imports TensorFlow (through the
settings' checks); only the scripts import it.
"""

from utils.export import config as export_config_lib
from utils.preprocessing import augmentation
from utils.training import config
from utils.training import hooks
from utils.training import mixing
from utils.training import replicas
from utils.training import schedules


def input_config(fv, image_size_flag):
  """The `config.InputConfig` of the data flags (train_eval.py).

  Args:
    fv: The parsed flags.
    image_size_flag: The name of the image-size flag of the script.
  """
  return config.InputConfig(
    preprocessing_name=fv.preprocessing_name,
    batch_size=fv.batch_size,
    image_size=fv[image_size_flag].value,
    labels_offset=fv.labels_offset,
    use_grayscale=fv.use_grayscale,
    # Evaluation reads its files in order and has no --num_readers.
    num_readers=(
      fv.num_readers if 'num_readers' in fv else config.InputConfig.num_readers
    ),
    num_preprocessing_threads=fv.num_preprocessing_threads,
    skip_corrupt=fv.skip_corrupt,
    # Training's augmentation flags and evaluation's resize; the other
    # script has none of them.
    augmentation=image_augmentation(fv),
    aug_repeats=fv.aug_repeats if 'aug_repeats' in fv else 1,
    eval_resize_size=(
      fv.eval_resize_size if 'eval_resize_size' in fv else None
    ),
  )


def image_augmentation(fv):
  """The `augmentation.Augmentation` of the image augmentation flags
  (`train_eval.define_image_augmentation_flags`); none without them."""
  if 'auto_augment' not in fv:
    return augmentation.Augmentation()
  return augmentation.Augmentation(
    auto_augment=fv.auto_augment,
    randaugment_num_ops=fv.randaugment_num_ops,
    randaugment_magnitude=fv.randaugment_magnitude,
    randaugment_magnitude_std=fv.randaugment_magnitude_std,
    random_erase=fv.random_erase,
  )


def batch_mixing(fv):
  """The `mixing.Mixing` of the batch mixing flags."""
  return mixing.Mixing(
    mixup_alpha=fv.mixup_alpha,
    cutmix_alpha=fv.cutmix_alpha,
    prob=fv.mix_prob,
    switch_prob=fv.mix_switch_prob,
  )


def deployment(fv, cluster_fields=None):
  """The `replicas.Deployment` of the deployment flags.

  Args:
    fv: The parsed flags.
    cluster_fields: None (one process: the flags as given), or the fields a
      cluster implies (master, is_chief, task, num_ps_tasks, worker_replicas),
      which replace the flags'.
  """
  fields = dict(
    num_clones=fv.num_clones,
    clone_on_cpu=fv.clone_on_cpu,
    master=fv.master,
    is_chief=fv.task == 0,
    task=fv.task,
    num_ps_tasks=fv.num_ps_tasks,
    worker_replicas=fv.worker_replicas,
    sync_replicas=fv.sync_replicas,
    replicas_to_aggregate=fv.replicas_to_aggregate,
    ps_strategy=fv.ps_strategy,
  )
  fields.update(cluster_fields or {})
  return replicas.Deployment(**fields)


def optimizer_params(fv):
  """The `schedules.OptimizerParams` of the flags of the same names."""
  return schedules.OptimizerParams(
    adadelta_rho=fv.adadelta_rho,
    adagrad_initial_accumulator_value=fv.adagrad_initial_accumulator_value,
    adam_beta1=fv.adam_beta1,
    adam_beta2=fv.adam_beta2,
    # Unless given, each optimizer's own epsilon (slim's 1.0, adamw's 1e-8,
    # lamb's 1e-6; schedules.OptimizerParams).
    opt_epsilon=fv.opt_epsilon if fv['opt_epsilon'].present else None,
    ftrl_learning_rate_power=fv.ftrl_learning_rate_power,
    ftrl_initial_accumulator_value=fv.ftrl_initial_accumulator_value,
    ftrl_l1=fv.ftrl_l1,
    ftrl_l2=fv.ftrl_l2,
    momentum=fv.momentum,
    rmsprop_momentum=fv.rmsprop_momentum,
    rmsprop_decay=fv.rmsprop_decay,
  )


def train_config(fv, cluster_fields=None):
  """The `config.TrainConfig` of train_image_classifier.py's flags.

  Args:
    fv: The parsed flags.
    cluster_fields: See `deployment`.
  """
  return config.TrainConfig(
    input=input_config(fv, 'train_image_size'),
    loss=config.LossConfig(
      weight_decay=fv.weight_decay,
      label_smoothing=fv.label_smoothing,
      loss=fv.loss,
      bce_target_threshold=fv.bce_target_threshold,
      norm_weight_decay=fv.norm_weight_decay,
    ),
    optimizer=config.OptimizerConfig(
      optimizer=fv.optimizer,
      params=optimizer_params(fv),
      moving_average_decay=fv.moving_average_decay,
    ),
    schedule=config.ScheduleConfig(
      learning_rate=fv.learning_rate,
      learning_rate_decay_type=fv.learning_rate_decay_type,
      end_learning_rate=fv.end_learning_rate,
      learning_rate_decay_factor=fv.learning_rate_decay_factor,
      num_epochs_per_decay=fv.num_epochs_per_decay,
      warmup_epochs=fv.warmup_epochs,
    ),
    fine_tune=fine_tune_config(fv),
    deployment=deployment(fv, cluster_fields),
    intervals=hooks.Intervals(
      log_every_n_steps=fv.log_every_n_steps,
      save_summaries_secs=fv.save_summaries_secs,
      save_interval_secs=fv.save_interval_secs,
    ),
    max_number_of_steps=fv.max_number_of_steps,
    summarize_activations=fv.summarize_activations,
    mixing=batch_mixing(fv),
    drop_path_rate=fv.drop_path_rate,
    zero_init_residual=fv.zero_init_residual,
    conv_gradients=fv.conv_gradients,
  )


def fine_tune_config(fv):
  """The `config.FineTuneConfig` of the fine-tuning flags."""
  return config.FineTuneConfig(
    checkpoint_path=fv.checkpoint_path,
    checkpoint_exclude_scopes=fv.checkpoint_exclude_scopes,
    trainable_scopes=fv.trainable_scopes,
    ignore_missing_vars=fv.ignore_missing_vars,
  )


def eval_config(fv):
  """The `config.EvalConfig` of eval_image_classifier.py's flags."""
  return config.EvalConfig(
    input=input_config(fv, 'eval_image_size'),
    max_num_batches=fv.max_num_batches,
    moving_average_decay=fv.moving_average_decay,
    eval_interval_secs=fv.eval_interval_secs,
    timeout=fv.timeout,
    master=fv.master,
  )


def export_config(fv):
  """The `export.config.ExportConfig` of export_inference_graph.py's flags."""
  return export_config_lib.ExportConfig(
    image_size=fv.image_size,
    batch_size=fv.batch_size,
    num_classes=fv.num_classes,
    labels_offset=fv.labels_offset,
    dataset_name=fv.dataset_name,
    fold=fv.fold_batch_norm,
  )


def tf2_train_config(fv):
  """The `config.Tf2TrainConfig` of utils/training/tf2_train.py's flags."""
  return config.Tf2TrainConfig(
    input=input_config(fv, 'image_size'),
    fine_tune=config.FineTuneConfig(
      checkpoint_path=fv.checkpoint_path,
      checkpoint_exclude_scopes=fv.checkpoint_exclude_scopes,
    ),
    loss=config.LossConfig(
      weight_decay=fv.weight_decay,
      label_smoothing=fv.label_smoothing,
      loss=fv.loss,
      bce_target_threshold=fv.bce_target_threshold,
    ),
    mixing=batch_mixing(fv),
    max_number_of_steps=fv.max_number_of_steps,
    steps_per_epoch=fv.steps_per_epoch,
    learning_rate=fv.learning_rate,
    momentum=fv.momentum,
    freeze_batch_norm=fv.freeze_batch_norm,
    is_training=fv.is_training,
    seed=fv.seed,
    network_kwargs=(
      None
      if fv.depth_multiplier is None
      else {'depth_multiplier': fv.depth_multiplier}
    ),
    drop_path_rate=fv.drop_path_rate,
    zero_init_residual=fv.zero_init_residual,
    conv_gradients=fv.conv_gradients,
  )
