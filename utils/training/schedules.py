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
"""Learning-rate schedules and optimizers of the training (slim's choices).

  * `global_batch_size` / `epochs_to_steps`: an epoch in global steps; one
    epoch is `num_samples / (batch_size * num_clones [*
    replicas_to_aggregate])` of them.
  * `configure_learning_rate`: slim's fixed, exponential and polynomial
    schedules plus cosine, with an optional linear warm-up;
    `check_learning_rate_args` checks its arguments without building
    anything.
  * `configure_optimizer`: slim's seven optimizers and AdamW and LAMB
    (`OPTIMIZERS`) and their hyper-parameters (`OptimizerParams`, slim's
    defaults); `check_optimizer_args` checks them without building anything;
    `decouples_weight_decay` tells which optimizers apply the weight decay
    themselves.

Typical use (what `train_lib.train` does):

  steps = epochs_to_steps(2.0, dataset.num_samples, global_batch_size(32))
  learning_rate = configure_learning_rate('exponential', 0.01, global_step,
                                          decay_steps=steps)
  optimizer = configure_optimizer('momentum', learning_rate,
                                  OptimizerParams(momentum=0.9))
"""

import dataclasses
import math
import typing

import tensorflow.compat.v1 as tf

from utils import checks
from utils.training import decoupled_optimizers

OPTIMIZERS = (
  'adadelta',
  'adagrad',
  'adam',
  'adamw',
  'ftrl',
  'lamb',
  'momentum',
  'rmsprop',
  'sgd',
)
LEARNING_RATE_DECAY_TYPES = ('cosine', 'exponential', 'fixed', 'polynomial')


@dataclasses.dataclass(frozen=True)
class OptimizerParams:
  """The hyper-parameters of `configure_optimizer`, with slim's defaults.

  The fields are slim's flags of the same names; each optimizer reads its own
  only (see `configure_optimizer`). Every field must be a number (opt_epsilon
  may be None), checked when constructed.

  Attributes:
    adadelta_rho: The decay rate of adadelta.
    adagrad_initial_accumulator_value: Starting value of AdaGrad's
      accumulators.
    adam_beta1, adam_beta2: Adam's decay rates of the 1st and 2nd moments.
    opt_epsilon: Epsilon of adadelta, adam, adamw, lamb and rmsprop; None:
      each optimizer's own default, slim's 1.0 for adadelta, adam and rmsprop
      (it suits RMSProp on ImageNet; Adam is usually run with 1e-8),
      torch.optim.AdamW's 1e-8 for adamw, timm's Lamb's 1e-6 for lamb.
    ftrl_learning_rate_power, ftrl_initial_accumulator_value, ftrl_l1,
      ftrl_l2: FTRL's learning-rate power, starting accumulator and l1 and l2
      regularization strengths.
    momentum: The momentum of 'momentum'.
    rmsprop_momentum, rmsprop_decay: RMSProp's momentum and decay.
  """

  adadelta_rho: float = 0.95
  adagrad_initial_accumulator_value: float = 0.1
  adam_beta1: float = 0.9
  adam_beta2: float = 0.999
  opt_epsilon: typing.Optional[float] = None
  ftrl_learning_rate_power: float = -0.5
  ftrl_initial_accumulator_value: float = 0.1
  ftrl_l1: float = 0.0
  ftrl_l2: float = 0.0
  momentum: float = 0.9
  rmsprop_momentum: float = 0.9
  rmsprop_decay: float = 0.9

  def __post_init__(self):
    for field in dataclasses.fields(self):
      value = getattr(self, field.name)
      if field.name != 'opt_epsilon' or value is not None:
        checks.check_number(field.name, value)


def _param_names():
  return [field.name for field in dataclasses.fields(OptimizerParams)]


def global_batch_size(
  batch_size, num_clones=1, sync_replicas=False, replicas_to_aggregate=1
):
  """Images consumed per global step.

  Each step runs `num_clones` clones on `batch_size` images each; with
  `sync_replicas` one global step aggregates `replicas_to_aggregate` such
  replica steps. (slim divided by `batch_size` alone, so its epochs were
  `num_clones` times too long with clones; here an epoch is an epoch.)

  Returns:
    The number of images per global step.
  """
  replicas = replicas_to_aggregate if sync_replicas else 1
  return batch_size * num_clones * replicas


def epochs_to_steps(epochs, num_samples, images_per_step):
  """Converts a number of epochs into global steps (at least 1 if epochs > 0).

  Args:
    epochs: A non-negative number of epochs.
    num_samples: Images per epoch (the split size).
    images_per_step: Images per global step (`global_batch_size(...)`).

  Returns:
    An int: `round(epochs * num_samples / images_per_step)`, 0 for 0 epochs.

  Raises:
    ValueError: on a negative `epochs` or a non-positive size.
  """
  checks.check_number('epochs', epochs, minimum=0)
  checks.check_int('num_samples', num_samples, 1)
  checks.check_int('images_per_step', images_per_step, 1)
  if epochs == 0:
    return 0
  return max(1, int(round(epochs * num_samples / float(images_per_step))))


def check_learning_rate_args(
  learning_rate_decay_type,
  learning_rate,
  decay_steps,
  end_learning_rate=0.0001,
  learning_rate_decay_factor=0.94,
  warmup_steps=0,
):
  """Checks the arguments of `configure_learning_rate`; builds nothing.

  Args:
    learning_rate_decay_type, learning_rate, decay_steps, end_learning_rate,
      learning_rate_decay_factor, warmup_steps: See `configure_learning_rate`.

  Raises:
    ValueError: on an unknown schedule (listing the known ones) or a bad
      value, naming it.
  """
  if learning_rate_decay_type not in LEARNING_RATE_DECAY_TYPES:
    raise ValueError(
      'Unknown learning_rate_decay_type %r; choose one of %s.'
      % (learning_rate_decay_type, ', '.join(LEARNING_RATE_DECAY_TYPES))
    )
  checks.check_number('learning_rate', learning_rate, minimum=0, strict=True)
  checks.check_number('end_learning_rate', end_learning_rate, minimum=0)
  checks.check_number(
    'learning_rate_decay_factor',
    learning_rate_decay_factor,
    minimum=0,
    strict=True,
  )
  checks.check_int('warmup_steps', warmup_steps, 0)
  if learning_rate_decay_type != 'fixed':
    checks.check_int('decay_steps', decay_steps, 1)


def configure_learning_rate(
  learning_rate_decay_type,
  learning_rate,
  global_step,
  decay_steps,
  end_learning_rate=0.0001,
  learning_rate_decay_factor=0.94,
  warmup_steps=0,
):
  """Builds the learning-rate tensor.

  Schedules (s = global step - warmup_steps, D = decay_steps):
    fixed:        learning_rate.
    exponential:  learning_rate * learning_rate_decay_factor ** floor(s / D)
                  (slim's staircase decay).
    polynomial:   linear from learning_rate to end_learning_rate over D steps,
                  then end_learning_rate (slim's, power 1).
    cosine:       end + (learning_rate - end) * (1 + cos(pi * min(s, D) / D))
                  / 2
                  (Loshchilov & Hutter, arXiv:1608.03983, without restarts).
  Warm-up (Goyal et al., arXiv:1706.02677): during the first `warmup_steps`
  steps the rate rises linearly, learning_rate * (step + 1) / warmup_steps;
  the schedule then starts from s = 0, so the warm-up ends at its peak.

  Args:
    learning_rate_decay_type: One of `LEARNING_RATE_DECAY_TYPES`.
    learning_rate: The initial (peak) learning rate, > 0.
    global_step: The int64 global step tensor.
    decay_steps: D above, >= 1 (ignored by 'fixed').
    end_learning_rate: Final rate of 'polynomial' and 'cosine'.
    learning_rate_decay_factor: Factor of 'exponential'.
    warmup_steps: Linear warm-up steps, >= 0.

  Returns:
    A scalar float32 tensor named 'learning_rate'.

  Raises:
    ValueError: on an unknown schedule (listing the known ones) or a bad
      value.
  """
  check_learning_rate_args(
    learning_rate_decay_type,
    learning_rate,
    decay_steps,
    end_learning_rate,
    learning_rate_decay_factor,
    warmup_steps,
  )

  with tf.name_scope('learning_rate_schedule'):
    global_step = tf.cast(global_step, tf.int64)
    step = tf.maximum(global_step - warmup_steps, 0)
    if learning_rate_decay_type == 'fixed':
      decayed = tf.constant(learning_rate, tf.float32)
    elif learning_rate_decay_type == 'exponential':
      decayed = tf.train.exponential_decay(
        learning_rate,
        step,
        decay_steps,
        learning_rate_decay_factor,
        staircase=True,
      )
    elif learning_rate_decay_type == 'polynomial':
      decayed = tf.train.polynomial_decay(
        learning_rate,
        step,
        decay_steps,
        end_learning_rate,
        power=1.0,
        cycle=False,
      )
    else:
      progress = tf.cast(tf.minimum(step, decay_steps), tf.float32) / float(
        decay_steps
      )
      decayed = end_learning_rate + (
        (learning_rate - end_learning_rate)
        * 0.5
        * (1.0 + tf.cos(math.pi * progress))
      )
    decayed = tf.cast(decayed, tf.float32)
    if warmup_steps:
      warmup = (
        learning_rate
        * tf.cast(global_step + 1, tf.float32)
        / float(warmup_steps)
      )
      decayed = tf.where(global_step < warmup_steps, warmup, decayed)
  return tf.identity(decayed, name='learning_rate')


def configure_optimizer(
  optimizer_name,
  learning_rate,
  params=None,
  weight_decay=0.0,
  norm_weight_decay=None,
):
  """Returns the `tf.train` optimizer `optimizer_name` (slim's mapping).

  Each optimizer uses its own hyper-parameters of `params` only: adadelta
  (adadelta_rho, opt_epsilon), adagrad (adagrad_initial_accumulator_value),
  adam (adam_beta1, adam_beta2, opt_epsilon), adamw and lamb (adam_beta1,
  adam_beta2, opt_epsilon), ftrl (ftrl_*), momentum (momentum), rmsprop
  (rmsprop_decay, rmsprop_momentum, opt_epsilon), sgd (none). The defaults
  are slim's; opt_epsilon None is each optimizer's own default (see
  `OptimizerParams`).

  Weight decay: adamw and lamb decay the variables themselves
  (`decouples_weight_decay`; decoupled_optimizers.py), at `weight_decay` for
  kernels and `norm_weight_decay` (None: `weight_decay`) for batch-norm
  parameters and biases. The other optimizers ignore both: their weight
  decay is the network's L2 regularization loss.

  Args:
    optimizer_name: One of `OPTIMIZERS`.
    learning_rate: A float or scalar tensor.
    params: An `OptimizerParams`; None: slim's defaults.
    weight_decay, norm_weight_decay: The decay rates of adamw and lamb (see
      above), >= 0.

  Returns:
    A `tf.train.Optimizer`.

  Raises:
    ValueError: on an unknown name, listing the known ones.
  """
  params = OptimizerParams() if params is None else params
  if optimizer_name in decoupled_optimizers.OPTIMIZERS:
    return decoupled_optimizers.build(
      optimizer_name,
      learning_rate,
      weight_decay,
      norm_weight_decay,
      beta1=params.adam_beta1,
      beta2=params.adam_beta2,
      epsilon=params.opt_epsilon,
    )
  if params.opt_epsilon is None:
    params = dataclasses.replace(params, opt_epsilon=1.0)
  if optimizer_name == 'adadelta':
    return tf.train.AdadeltaOptimizer(
      learning_rate, rho=params.adadelta_rho, epsilon=params.opt_epsilon
    )
  if optimizer_name == 'adagrad':
    return tf.train.AdagradOptimizer(
      learning_rate,
      initial_accumulator_value=params.adagrad_initial_accumulator_value,
    )
  if optimizer_name == 'adam':
    return tf.train.AdamOptimizer(
      learning_rate,
      beta1=params.adam_beta1,
      beta2=params.adam_beta2,
      epsilon=params.opt_epsilon,
    )
  if optimizer_name == 'ftrl':
    return tf.train.FtrlOptimizer(
      learning_rate,
      learning_rate_power=params.ftrl_learning_rate_power,
      initial_accumulator_value=params.ftrl_initial_accumulator_value,
      l1_regularization_strength=params.ftrl_l1,
      l2_regularization_strength=params.ftrl_l2,
    )
  if optimizer_name == 'momentum':
    return tf.train.MomentumOptimizer(
      learning_rate, momentum=params.momentum, name='Momentum'
    )
  if optimizer_name == 'rmsprop':
    return tf.train.RMSPropOptimizer(
      learning_rate,
      decay=params.rmsprop_decay,
      momentum=params.rmsprop_momentum,
      epsilon=params.opt_epsilon,
    )
  if optimizer_name == 'sgd':
    return tf.train.GradientDescentOptimizer(learning_rate)
  raise ValueError(
    'Unknown optimizer %r; choose one of %s.'
    % (optimizer_name, ', '.join(OPTIMIZERS))
  )


def as_optimizer_params(optimizer_params):
  """`OptimizerParams` from None (slim's defaults), a dict or itself.

  Raises:
    ValueError: for a key that is not a hyper-parameter, naming it and the
      known ones.
  """
  if optimizer_params is None:
    return OptimizerParams()
  if isinstance(optimizer_params, OptimizerParams):
    return optimizer_params
  unknown = sorted(set(optimizer_params) - set(_param_names()))
  if unknown:
    raise ValueError(
      'Unknown optimizer hyper-parameter(s) %s; known: %s.'
      % (', '.join(map(repr, unknown)), ', '.join(_param_names()))
    )
  return OptimizerParams(**optimizer_params)


def check_optimizer_args(optimizer_name, optimizer_params=None):
  """Checks an optimizer name and its hyper-parameters; builds nothing.

  Every hyper-parameter must be a number (opt_epsilon may be None); the
  chosen optimizer is then constructed with them (a `tf.train` optimizer adds
  nothing to the graph before it is used), so the ranges TensorFlow refuses
  (e.g. ftrl's `learning_rate_power` > 0, adagrad's accumulator value <= 0)
  are refused here too, with TensorFlow's message.

  Args:
    optimizer_name: One of `OPTIMIZERS`.
    optimizer_params: None, a dict or an `OptimizerParams`.

  Returns:
    The `OptimizerParams`.

  Raises:
    ValueError: on an unknown name (listing the known ones), an unknown key,
      or a bad value, naming it.
  """
  params = as_optimizer_params(optimizer_params)
  if optimizer_name not in OPTIMIZERS:
    configure_optimizer(optimizer_name, 1.0)  # Raises, listing choices.
  configure_optimizer(optimizer_name, 1.0, params)
  return params


def decouples_weight_decay(optimizer_name):
  """Whether `optimizer_name` applies the weight decay itself (adamw, lamb).

  Such an optimizer decays the variables directly (decoupled from the
  gradient), so the network is built without an L2 regularization loss.
  """
  return optimizer_name in decoupled_optimizers.OPTIMIZERS
