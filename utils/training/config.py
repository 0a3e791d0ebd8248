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
"""The settings of training and evaluation, as small frozen dataclasses.

`train_lib.train`, `eval_lib.evaluate`, `tf2_train.train` and
`utils/export/evaluation.evaluate_exported` take these objects instead of
dozens of keywords. Each object groups one concern, its fields are named
and defaulted as the scripts' flags of the same names (slim's), and it
checks its fields when constructed (also by `dataclasses.replace`), raising
a ValueError (or TypeError) that names the bad field and its value:

  InputConfig      the input pipeline (preprocessing, batch, readers)
  LossConfig       the loss (softmax or bce), label smoothing, weight decay
  OptimizerConfig  the optimizer, its hyper-parameters, moving averages
  ScheduleConfig   the learning-rate schedule, in epochs
  FineTuneConfig   the checkpoint to start from and what it restores, trains
  TrainConfig      all of the above, plus `replicas.Deployment` and
                   `hooks.Intervals`, the length of the training and the
                   network options (stochastic depth, zero-init residuals)
  EvalConfig       checkpoint evaluation
  Tf2TrainConfig   `tf2_train.train` (tf_keras `fit`): the same input, loss,
                   mixing and network options as TrainConfig

The scripts build them from their flags in one place
(utils/flag_defs/configs.py). A new option is one field here and one line
there. Typical use:

  cfg = config.TrainConfig(
      input=config.InputConfig(batch_size=64),
      optimizer=config.OptimizerConfig(optimizer='momentum'),
      schedule=config.ScheduleConfig(learning_rate=0.1,
                                     learning_rate_decay_type='cosine'),
      max_number_of_steps=1000)
  train_lib.train(dataset, '/runs/digits', 'resnet_cifar_20', cfg)
  longer = dataclasses.replace(cfg, max_number_of_steps=2000)
"""

import dataclasses
import typing

from nets import resnet_builder
from utils import checks
from utils import conv_gradients as conv_gradients_lib
from utils.preprocessing import augmentation as augmentation_lib
from utils.training import hooks
from utils.training import losses
from utils.training import mixing as mixing_lib
from utils.training import replicas
from utils.training import schedules


def _check_type(name, value, cls, cls_name):
  if not isinstance(value, cls):
    raise TypeError('%s must be a %s; got %r.' % (name, cls_name, value))


def _check_scopes(name, scopes):
  if scopes is not None and not isinstance(scopes, (str, list, tuple)):
    raise ValueError(
      '%s must be None, a comma-separated string or a list of '
      'scopes; got %s=%r.' % (name, name, scopes)
    )


def _check_network_options(cfg):
  """The checks of `network_kwargs`, `drop_path_rate`, `zero_init_residual`."""
  network_kwargs = cfg.network_kwargs
  checks.check_network_kwargs(network_kwargs)
  drop_path_rate, zero_init_residual = (
    cfg.drop_path_rate,
    cfg.zero_init_residual,
  )
  resnet_builder.check_drop_path_rate(drop_path_rate)
  checks.check_bool('zero_init_residual', zero_init_residual)
  for name in ('drop_path_rate', 'zero_init_residual'):
    if name in (network_kwargs or {}):
      raise ValueError(
        'Give %s as the field of %s, not in network_kwargs; got '
        'network_kwargs=%r.' % (name, type(cfg).__name__, network_kwargs)
      )


def _all_network_kwargs(cfg):
  """`cfg.network_kwargs` plus the network options that are not off."""
  kwargs = dict(cfg.network_kwargs or {})
  if cfg.drop_path_rate:
    kwargs['drop_path_rate'] = cfg.drop_path_rate
  if cfg.zero_init_residual:
    kwargs['zero_init_residual'] = True
  return kwargs


def _check_moving_average_decay(value):
  if value is not None:
    checks.check_number('moving_average_decay', value, minimum=0, maximum=1)


@dataclasses.dataclass(frozen=True)
class InputConfig:
  """The input pipeline (`input_pipeline.make_dataset`).

  Attributes:
    preprocessing_name: A preprocessing of `preprocessing_factory`; None: the
      network's own.
    batch_size: Images per batch (per clone when training with clones).
    image_size: Height and width of the images; None: the network's default.
    labels_offset: Subtracted from every label (1 lets a 1000-class network
      use the 1001 labels of ImageNet records).
    use_grayscale: Feed greyscale images.
    num_readers: Files read in parallel when training.
    num_preprocessing_threads: Records decoded and preprocessed in parallel.
    skip_corrupt: Skip (and count) corrupt records instead of stopping with
      `input_pipeline.CorruptDataError`.
    augmentation: Training only: the `augmentation.Augmentation` of each
      image (RandAugment or TrivialAugment, random erasing); default none.
    aug_repeats: Training only: repeated augmentation, each image this many
      times per pass, spread over the clones and workers
      (utils/repeated_augmentation.py); 1: off.
    eval_resize_size: Evaluation only: resize the smaller side to this, then
      crop the centre at the image size (FixRes); None: the
      preprocessing's own evaluation crop.
  """

  preprocessing_name: typing.Optional[str] = None
  batch_size: int = 32
  image_size: typing.Optional[int] = None
  labels_offset: int = 0
  use_grayscale: bool = False
  num_readers: int = 4
  num_preprocessing_threads: int = 4
  skip_corrupt: bool = False
  augmentation: augmentation_lib.Augmentation = augmentation_lib.Augmentation()
  aug_repeats: int = 1
  eval_resize_size: typing.Optional[int] = None

  def __post_init__(self):
    if self.preprocessing_name is not None and not isinstance(
      self.preprocessing_name, str
    ):
      raise ValueError(
        'preprocessing_name must be None or a name; got '
        'preprocessing_name=%r.' % (self.preprocessing_name,)
      )
    for name, minimum in [
      ('batch_size', 1),
      ('num_readers', 1),
      ('num_preprocessing_threads', 1),
      ('labels_offset', 0),
    ]:
      checks.check_int(name, getattr(self, name), minimum)
    checks.check_int('image_size', self.image_size, 1, allow_none=True)
    checks.check_bool('use_grayscale', self.use_grayscale)
    checks.check_bool('skip_corrupt', self.skip_corrupt)
    _check_type(
      'augmentation',
      self.augmentation,
      augmentation_lib.Augmentation,
      'augmentation.Augmentation',
    )
    checks.check_int('aug_repeats', self.aug_repeats, 1)
    checks.check_int(
      'eval_resize_size', self.eval_resize_size, 1, allow_none=True
    )


@dataclasses.dataclass(frozen=True)
class LossConfig:
  """The training loss and the weight decay.

  Weight decay depends on the optimizer (`schedules.decouples_weight_decay`):

    * slim's optimizers (momentum, rmsprop, ...): `weight_decay` is the scale
      of slim's L2 regularizer on the convolution and fully-connected
      kernels (the network's arg_scope): the loss gains
      weight_decay * sum(w ** 2) / 2, whose gradient is weight_decay * w.
      Batch-norm parameters and biases get none, unless `norm_weight_decay`
      is set: then the same L2 loss at that scale covers them.
    * adamw and lamb: no L2 loss; the optimizer decays the variables itself
      (decoupled weight decay), kernels at `weight_decay` and batch-norm
      parameters and biases at `norm_weight_decay` (None: `weight_decay`).

  Attributes:
    weight_decay: The weight decay of the kernels (see above), >= 0.
    label_smoothing: The amount of label smoothing, in [0, 1].
    loss: One of `losses.LOSSES`: 'softmax' (slim's cross-entropy) or 'bce'
      (binary cross-entropy, the mean over batch and classes).
    bce_target_threshold: With loss='bce', None or a threshold in [0, 1]:
      targets above it become 1, the others 0.
    norm_weight_decay: The weight decay of batch-norm parameters and biases
      (see above), None or >= 0.
  """

  weight_decay: float = 0.00004
  label_smoothing: float = 0.0
  loss: str = 'softmax'
  bce_target_threshold: typing.Optional[float] = None
  norm_weight_decay: typing.Optional[float] = None

  def __post_init__(self):
    checks.check_number('weight_decay', self.weight_decay, minimum=0)
    checks.check_number(
      'label_smoothing', self.label_smoothing, minimum=0, maximum=1
    )
    losses.check_loss_args(self.loss, self.bce_target_threshold)
    if self.norm_weight_decay is not None:
      checks.check_number(
        'norm_weight_decay', self.norm_weight_decay, minimum=0
      )


@dataclasses.dataclass(frozen=True)
class OptimizerConfig:
  """The optimizer (`schedules.configure_optimizer`) and moving averages.

  Attributes:
    optimizer: One of `schedules.OPTIMIZERS`.
    params: A `schedules.OptimizerParams` (or a dict of some of its fields,
      turned into one); the chosen optimizer reads its own.
    moving_average_decay: The decay of an exponential moving average of the
      model variables; None: no moving averages.
  """

  optimizer: str = 'rmsprop'
  params: schedules.OptimizerParams = schedules.OptimizerParams()
  moving_average_decay: typing.Optional[float] = None

  def __post_init__(self):
    params = schedules.check_optimizer_args(self.optimizer, self.params)
    object.__setattr__(self, 'params', params)
    _check_moving_average_decay(self.moving_average_decay)


@dataclasses.dataclass(frozen=True)
class ScheduleConfig:
  """The learning-rate schedule (`schedules.configure_learning_rate`).

  Epochs are converted to global steps of `schedules.global_batch_size`
  images when training starts.

  Attributes:
    learning_rate: The initial (peak) learning rate, > 0.
    learning_rate_decay_type: One of `schedules.LEARNING_RATE_DECAY_TYPES`.
    end_learning_rate: The final rate of the polynomial and cosine decays.
    learning_rate_decay_factor: The factor of the exponential decay.
    num_epochs_per_decay: Epochs per exponential decay; the length of the
      polynomial and cosine decays.
    warmup_epochs: Epochs of linear warm-up from 0 before the schedule.
  """

  learning_rate: float = 0.01
  learning_rate_decay_type: str = 'exponential'
  end_learning_rate: float = 0.0001
  learning_rate_decay_factor: float = 0.94
  num_epochs_per_decay: float = 2.0
  warmup_epochs: float = 0.0

  def __post_init__(self):
    schedules.check_learning_rate_args(
      self.learning_rate_decay_type,
      self.learning_rate,
      decay_steps=1,
      end_learning_rate=self.end_learning_rate,
      learning_rate_decay_factor=self.learning_rate_decay_factor,
    )
    checks.check_number(
      'num_epochs_per_decay', self.num_epochs_per_decay, minimum=0, strict=True
    )
    checks.check_number('warmup_epochs', self.warmup_epochs, minimum=0)


@dataclasses.dataclass(frozen=True)
class FineTuneConfig:
  """Fine-tuning: the checkpoint to start from (fine_tuning.py).

  Attributes:
    checkpoint_path: A checkpoint file or directory to start from; ignored
      when the train_dir already has a checkpoint to resume.
    checkpoint_exclude_scopes: Scopes of variables not restored (a
      comma-separated string or a list).
    trainable_scopes: Scopes of the variables to train (and of the batch-norm
      statistics to update); None: all.
    ignore_missing_vars: Leave variables missing from the checkpoint
      initialized instead of failing.
  """

  checkpoint_path: typing.Optional[str] = None
  checkpoint_exclude_scopes: typing.Union[str, list, tuple, None] = None
  trainable_scopes: typing.Union[str, list, tuple, None] = None
  ignore_missing_vars: bool = False

  def __post_init__(self):
    if self.checkpoint_path is not None and not isinstance(
      self.checkpoint_path, str
    ):
      raise ValueError(
        'checkpoint_path must be None or a path; got '
        'checkpoint_path=%r.' % (self.checkpoint_path,)
      )
    _check_scopes('checkpoint_exclude_scopes', self.checkpoint_exclude_scopes)
    _check_scopes('trainable_scopes', self.trainable_scopes)
    checks.check_bool('ignore_missing_vars', self.ignore_missing_vars)


@dataclasses.dataclass(frozen=True)
class TrainConfig:
  """Everything `train_lib.train` does, but the data set, model and paths.

  Attributes:
    input: The `InputConfig` (`batch_size` is per clone).
    loss: The `LossConfig`.
    optimizer: The `OptimizerConfig`.
    schedule: The `ScheduleConfig`.
    fine_tune: The `FineTuneConfig`.
    deployment: The `replicas.Deployment` (clones, cluster task).
    intervals: The `hooks.Intervals` of logs, summaries and checkpoints.
    max_number_of_steps: Stop at this global step; None trains until stopped.
    summarize_activations: Add histograms of clone 0's end points.
    network_kwargs: None, or extra keywords of the model function.
    seed: The graph-level random seed and the input-shuffle seed.
    mixing: The `mixing.Mixing` of each clone's batch (Mixup, CutMix);
      default none. Its targets carry the label smoothing.
    drop_path_rate: Stochastic depth: the probability of dropping the last
      residual unit's branch (earlier units linearly less), in [0, 1); 0:
      off. Passed to the network as a keyword when not 0.
    zero_init_residual: The last batch-norm scale of each residual unit
      starts at 0. Passed to the network as a keyword when True.
    conv_gradients: How the training graph computes convolution gradients
      (utils/conv_gradients.py): 'auto' (in exact rewritten forms where
      that measured faster on this machine class), 'plain'
      (TensorFlow's own) or 'matmul'. Variables and checkpoints are the
      same whichever is chosen.
  """

  input: InputConfig = InputConfig()
  loss: LossConfig = LossConfig()
  optimizer: OptimizerConfig = OptimizerConfig()
  schedule: ScheduleConfig = ScheduleConfig()
  fine_tune: FineTuneConfig = FineTuneConfig()
  deployment: replicas.Deployment = replicas.Deployment()
  intervals: hooks.Intervals = hooks.Intervals()
  max_number_of_steps: typing.Optional[int] = None
  summarize_activations: bool = False
  network_kwargs: typing.Optional[dict] = None
  seed: typing.Optional[int] = None
  mixing: mixing_lib.Mixing = mixing_lib.Mixing()
  drop_path_rate: float = 0.0
  zero_init_residual: bool = False
  conv_gradients: str = 'auto'

  def __post_init__(self):
    _check_type('mixing', self.mixing, mixing_lib.Mixing, 'mixing.Mixing')
    for name, cls in [
      ('input', InputConfig),
      ('loss', LossConfig),
      ('optimizer', OptimizerConfig),
      ('schedule', ScheduleConfig),
      ('fine_tune', FineTuneConfig),
    ]:
      _check_type(name, getattr(self, name), cls, 'config.' + cls.__name__)
    replicas.check_deployment(self.deployment)
    hooks.check_intervals(self.intervals)
    checks.check_int(
      'max_number_of_steps', self.max_number_of_steps, 0, allow_none=True
    )
    checks.check_bool('summarize_activations', self.summarize_activations)
    checks.check_int('seed', self.seed, 0, allow_none=True)
    _check_network_options(self)
    conv_gradients_lib.check_mode(self.conv_gradients)

  def all_network_kwargs(self):
    """`network_kwargs` plus the network options that are not off."""
    return _all_network_kwargs(self)


@dataclasses.dataclass(frozen=True)
class EvalConfig:
  """Everything `eval_lib.evaluate` does, but the data set, model and paths.

  Attributes:
    input: The `InputConfig` (slim's evaluation batch: 100 images).
    max_num_batches: Evaluate at most this many batches; None: every record
      of the split once.
    moving_average_decay: If set, restore the moving averages of the model
      variables (a checkpoint without them is an error).
    eval_interval_secs: None: evaluate one checkpoint. A number: watch the
      checkpoint directory, evaluating each new checkpoint, looking every
      this many seconds (`eval_lib.checkpoints_to_evaluate`).
    timeout: When watching, stop after this many seconds without a new
      checkpoint; None: wait forever.
    master: The TensorFlow target; '' runs in-process.
    network_kwargs: None, or extra keywords of the model function.
  """

  input: InputConfig = InputConfig(batch_size=100)
  max_num_batches: typing.Optional[int] = None
  moving_average_decay: typing.Optional[float] = None
  eval_interval_secs: typing.Optional[float] = None
  timeout: typing.Optional[float] = None
  master: str = ''
  network_kwargs: typing.Optional[dict] = None

  def __post_init__(self):
    _check_type('input', self.input, InputConfig, 'config.InputConfig')
    checks.check_int(
      'max_num_batches', self.max_num_batches, 1, allow_none=True
    )
    _check_moving_average_decay(self.moving_average_decay)
    if self.eval_interval_secs is not None:
      checks.check_number(
        'eval_interval_secs', self.eval_interval_secs, minimum=0, strict=True
      )
    if self.timeout is not None:
      checks.check_number('timeout', self.timeout, minimum=0)
    if not isinstance(self.master, str):
      raise ValueError(
        "master must be a string (a TensorFlow target, or '' "
        'for in-process); got master=%r.' % (self.master,)
      )
    checks.check_network_kwargs(self.network_kwargs)


@dataclasses.dataclass(frozen=True)
class Tf2TrainConfig:
  """Everything `tf2_train.train` does, but the data set, model and strategy.

  The input, loss, mixing and network options are those of `TrainConfig`,
  with the same meanings and checks.

  Attributes:
    input: The `InputConfig`; `batch_size` is the global batch of a step.
      Its `skip_corrupt` skips and counts corrupt records (else one stops
      the training with `input_pipeline.CorruptDataError`). Its
      `augmentation` and
      `aug_repeats` (repeats spread over the replicas of the strategy)
      apply with `is_training` only.
    fine_tune: The `FineTuneConfig`: `checkpoint_path` and
      `checkpoint_exclude_scopes` (`SlimNetwork.load_checkpoint`); the other
      two fields must keep their defaults.
    loss: The `LossConfig`: the loss, label smoothing and its
      `weight_decay`, the L2 weight decay of the network's `layer.losses`
      (default 1e-4 here); `norm_weight_decay` must stay None.
    mixing: The `mixing.Mixing` of each replica's batch (Mixup, CutMix);
      default none. Its targets carry the label smoothing.
    max_number_of_steps: Training steps (global batches), >= 1.
    steps_per_epoch: Steps between Keras's epoch ends (one loss each, the
      mean over its steps); must divide max_number_of_steps. None: one epoch.
    learning_rate: The constant learning rate of momentum SGD.
    momentum: The momentum of SGD.
    freeze_batch_norm: Batch norm in inference mode even in `fit` (moving
      statistics, no updates); gamma and beta still train.
    is_training: Training preprocessing (shuffles, augmentation); False reads
      the split in order with evaluation preprocessing, repeated, which makes
      runs repeatable to the bit.
    seed: The seed of the shuffles and of the initial weights.
    network_kwargs: None, or extra keywords of `SlimNetwork`
      (`depth_multiplier`, ...).
    drop_path_rate: Stochastic depth, as `TrainConfig.drop_path_rate`.
    zero_init_residual: As `TrainConfig.zero_init_residual`.
    conv_gradients: As `TrainConfig.conv_gradients`: how the `fit` step
      computes convolution gradients ('auto', 'plain' or
      'matmul'; `tf2_train.Classifier`).
  """

  input: InputConfig = InputConfig()
  fine_tune: FineTuneConfig = FineTuneConfig()
  loss: LossConfig = LossConfig(weight_decay=1e-4)
  mixing: mixing_lib.Mixing = mixing_lib.Mixing()
  max_number_of_steps: int = 1000
  steps_per_epoch: typing.Optional[int] = None
  learning_rate: float = 0.1
  momentum: float = 0.9
  freeze_batch_norm: bool = False
  is_training: bool = True
  seed: typing.Optional[int] = None
  network_kwargs: typing.Optional[dict] = None
  drop_path_rate: float = 0.0
  zero_init_residual: bool = False
  conv_gradients: str = 'auto'

  def __post_init__(self):
    for name, cls in [
      ('input', InputConfig),
      ('fine_tune', FineTuneConfig),
      ('loss', LossConfig),
    ]:
      _check_type(name, getattr(self, name), cls, 'config.' + cls.__name__)
    _check_type('mixing', self.mixing, mixing_lib.Mixing, 'mixing.Mixing')
    for group, name in [
      (self.fine_tune, 'trainable_scopes'),
      (self.fine_tune, 'ignore_missing_vars'),
      (self.loss, 'norm_weight_decay'),
    ]:
      if getattr(group, name) != getattr(type(group), name):
        raise ValueError(
          'The TF2 trainer does not support %s; got %s=%r.'
          % (name, name, getattr(group, name))
        )
    if self.input.aug_repeats > 1 and not self.is_training:
      raise ValueError(
        'Repeated augmentation (aug_repeats=%d) is for training only; got '
        'is_training=False.' % self.input.aug_repeats
      )
    checks.check_positive_int(
      'max_number_of_steps',
      self.max_number_of_steps,
      message=checks.POSITIVE_INT_NAMED,
    )
    if self.steps_per_epoch is not None:
      checks.check_positive_int(
        'steps_per_epoch',
        self.steps_per_epoch,
        message=checks.POSITIVE_INT_NAMED,
      )
      if self.max_number_of_steps % self.steps_per_epoch:
        raise ValueError(
          'steps_per_epoch must divide max_number_of_steps; got '
          '%r and %r' % (self.steps_per_epoch, self.max_number_of_steps)
        )
    checks.check_number('learning_rate', self.learning_rate, 0, strict=True)
    checks.check_number('momentum', self.momentum, minimum=0)
    for name in ('freeze_batch_norm', 'is_training'):
      checks.check_bool(name, getattr(self, name))
    checks.check_int('seed', self.seed, 0, allow_none=True)
    _check_network_options(self)
    conv_gradients_lib.check_mode(self.conv_gradients)

  def all_network_kwargs(self):
    """`network_kwargs` plus the network options that are not off."""
    return _all_network_kwargs(self)
