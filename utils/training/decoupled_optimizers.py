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
"""AdamW and LAMB: Adam with weight decay decoupled from the gradient.

Two `tf.compat.v1.train.Optimizer`s written in TensorFlow ops (TensorFlow 2.21
has no LAMB, and tensorflow-addons is no longer maintained):

  * `AdamWOptimizer`: Loshchilov & Hutter, "Decoupled Weight Decay
    Regularization" (arXiv:1711.05101), with the update of
    `torch.optim.AdamW`. At step t (from 1), for each variable w with
    gradient g, learning rate lr and decay rate wd:
      w <- w * (1 - lr * wd)
      m <- beta1 * m + (1 - beta1) * g
      v <- beta2 * v + (1 - beta2) * g^2
      w <- w - lr / (1 - beta1^t) * m / (sqrt(v / (1 - beta2^t)) + epsilon)
  * `LAMBOptimizer`: You et al., "Large Batch Optimization for Deep Learning:
    Training BERT in 76 minutes" (arXiv:1904.00962), with the update of timm's
    `timm.optim.Lamb` (its defaults, as "ResNet strikes back" trains with
    them). First all gradients are divided by max(global norm / max_grad_norm,
    1); then for each variable
      m, v as above;  u = m / (1 - beta1^t) / (sqrt(v / (1 - beta2^t)) + eps)
      if wd != 0:  u <- (u + wd * w) * r,  r = ||w|| / ||u + wd * w||
                   (r = 1 when either norm is 0)
      w <- w - lr * u
    so a variable without weight decay takes the plain Adam step (timm's
    `always_adapt=False`).

Which variables decay: those of rank >= 2 (convolution and fully-connected
kernels) at `weight_decay`; those of rank <= 1 (batch-norm scales and
offsets, biases) at `norm_weight_decay`, which defaults to `weight_decay`
(`decay_rate`). This is timm's grouping (`filter_bias_and_bn`: 1-D parameters
and biases) and torchvision's `--norm-weight-decay` for the batch-norm
parameters; torchvision decays biases at `--bias-weight-decay` instead.

Their updates are those of torch.optim.AdamW and timm.optim.Lamb (reference
values made by scripts/make_training_fixture.py).

`OPTIMIZERS` maps the names 'adamw' and 'lamb' to them (`build`).

Typical use:

  opt = AdamWOptimizer(learning_rate, weight_decay=0.05,
                       norm_weight_decay=0.0)
  train_op = opt.minimize(loss, global_step=global_step)
"""

import tensorflow.compat.v1 as tf


def is_norm_or_bias(var):
  """True for variables of rank <= 1: batch-norm parameters and biases."""
  return var.shape.rank is not None and var.shape.rank <= 1


def decay_rate(var, weight_decay, norm_weight_decay=None):
  """The decoupled weight-decay rate of `var`.

  Args:
    var: A variable.
    weight_decay: The rate of the kernels (rank >= 2).
    norm_weight_decay: The rate of batch-norm parameters and biases (rank <=
      1); None: `weight_decay`.

  Returns:
    A Python float.
  """
  if norm_weight_decay is not None and is_norm_or_bias(var):
    return float(norm_weight_decay)
  return float(weight_decay)


def _check_rates(weight_decay, norm_weight_decay, beta1, beta2, epsilon):
  for name, value in (
    ('weight_decay', weight_decay),
    ('norm_weight_decay', norm_weight_decay),
  ):
    if value is not None and not value >= 0:
      raise ValueError('%s must be >= 0; got %s=%r.' % (name, name, value))
  for name, value in (('beta1', beta1), ('beta2', beta2)):
    if not 0 <= value < 1:
      raise ValueError('%s must be in [0, 1); got %s=%r.' % (name, name, value))
  if not epsilon >= 0:
    raise ValueError('epsilon must be >= 0; got epsilon=%r.' % (epsilon,))


class _DecoupledAdamBase(tf.train.Optimizer):
  """Adam moments, bias correction and per-variable decay rates.

  Subclasses define `_new_value(var, grad, m, v, lr, bias_correction1,
  bias_correction2_sqrt, weight_decay)`, returning the variable's new value
  from the updated moments. Sparse gradients are applied densely.
  """

  def __init__(
    self,
    learning_rate,
    weight_decay,
    norm_weight_decay,
    beta1,
    beta2,
    epsilon,
    use_locking,
    name,
  ):
    _check_rates(weight_decay, norm_weight_decay, beta1, beta2, epsilon)
    super().__init__(use_locking, name)
    self._lr = learning_rate
    self._weight_decay = weight_decay
    self._norm_weight_decay = norm_weight_decay
    self._beta1 = beta1
    self._beta2 = beta2
    self._epsilon = epsilon
    self._lr_t = None

  def _create_slots(self, var_list):
    first_var = min(var_list, key=lambda x: x.name)
    # The number of steps taken, for the bias correction (saved in
    # checkpoints, so a resumed training continues it).
    self._create_non_slot_variable(
      initial_value=0.0, name='%s_step' % self._name, colocate_with=first_var
    )
    for var in var_list:
      self._zeros_slot(var, 'm', self._name)
      self._zeros_slot(var, 'v', self._name)

  def _step_variable(self):
    graph = None if tf.executing_eagerly() else tf.get_default_graph()
    return self._get_non_slot_variable('%s_step' % self._name, graph=graph)

  def _prepare(self):
    self._lr_t = tf.convert_to_tensor(
      self._call_if_callable(self._lr), name='learning_rate'
    )

  def apply_gradients(self, grads_and_vars, global_step=None, name=None):
    """Applies gradients (sparse ones as dense tensors); see tf.train."""
    grads_and_vars = [
      (
        tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g,
        v,
      )
      for g, v in grads_and_vars
    ]
    return super().apply_gradients(grads_and_vars, global_step, name)

  def _apply(self, grad, var):
    dtype = var.dtype.base_dtype
    lr = tf.cast(self._lr_t, dtype)
    beta1 = tf.constant(self._beta1, dtype)
    beta2 = tf.constant(self._beta2, dtype)
    t = tf.cast(self._step_variable(), dtype) + 1.0
    bias_correction1 = 1.0 - tf.pow(beta1, t)
    bias_correction2_sqrt = tf.sqrt(1.0 - tf.pow(beta2, t))
    m = self.get_slot(var, 'm')
    v = self.get_slot(var, 'v')
    m_t = m.assign(
      beta1 * m + (1.0 - beta1) * grad, use_locking=self._use_locking
    )
    v_t = v.assign(
      beta2 * v + (1.0 - beta2) * tf.square(grad),
      use_locking=self._use_locking,
    )
    weight_decay = decay_rate(var, self._weight_decay, self._norm_weight_decay)
    new_value = self._new_value(
      var,
      grad,
      m_t,
      v_t,
      lr,
      bias_correction1,
      bias_correction2_sqrt,
      weight_decay,
    )
    return var.assign(
      new_value, use_locking=self._use_locking, read_value=False
    )

  def _apply_dense(self, grad, var):
    return self._apply(grad, var)

  def _resource_apply_dense(self, grad, handle):
    return self._apply(grad, handle)

  def _apply_sparse(self, grad, var):
    return self._apply(tf.convert_to_tensor(grad), var)

  def _resource_apply_sparse(self, grad, handle, indices):
    dense = tf.convert_to_tensor(
      tf.IndexedSlices(grad, indices, tf.shape(handle))
    )
    return self._apply(dense, handle)

  def _finish(self, update_ops, name_scope):
    step = self._step_variable()
    with tf.control_dependencies(update_ops):
      with tf.colocate_with(step):
        increment = step.assign_add(1.0, use_locking=self._use_locking)
    return tf.group(*(list(update_ops) + [increment]), name=name_scope)


class AdamWOptimizer(_DecoupledAdamBase):
  """AdamW with the update of `torch.optim.AdamW` (see the module doc)."""

  def __init__(
    self,
    learning_rate,
    weight_decay=0.01,
    norm_weight_decay=None,
    beta1=0.9,
    beta2=0.999,
    epsilon=1e-8,
    use_locking=False,
    name='AdamW',
  ):
    """Creates the optimizer.

    Args:
      learning_rate: A float or scalar tensor (or a callable returning one).
      weight_decay: Decoupled decay rate of the kernels (rank >= 2), >= 0;
        the default is torch.optim.AdamW's.
      norm_weight_decay: Rate of batch-norm parameters and biases (rank <= 1);
        None: `weight_decay`.
      beta1, beta2: Decay rates of the moment estimates, in [0, 1).
      epsilon: Added to the bias-corrected sqrt(v), >= 0.
      use_locking: Use locks for the updates.
      name: Name scope of the update ops and suffix of the slots.

    Raises:
      ValueError: on a value out of range, naming it.
    """
    super().__init__(
      learning_rate,
      weight_decay,
      norm_weight_decay,
      beta1,
      beta2,
      epsilon,
      use_locking,
      name,
    )

  def _new_value(
    self,
    var,
    grad,
    m,
    v,
    lr,
    bias_correction1,
    bias_correction2_sqrt,
    weight_decay,
  ):
    del grad
    denominator = tf.sqrt(v) / bias_correction2_sqrt + self._epsilon
    value = var.read_value() if hasattr(var, 'read_value') else var
    if weight_decay:
      value = value * (1.0 - lr * weight_decay)
    return value - (lr / bias_correction1) * m / denominator


class LAMBOptimizer(_DecoupledAdamBase):
  """LAMB with the update of timm's `Lamb` (see the module doc)."""

  def __init__(
    self,
    learning_rate,
    weight_decay=0.01,
    norm_weight_decay=None,
    beta1=0.9,
    beta2=0.999,
    epsilon=1e-6,
    max_grad_norm=1.0,
    use_locking=False,
    name='LAMB',
  ):
    """Creates the optimizer.

    Args:
      learning_rate: A float or scalar tensor (or a callable returning one).
      weight_decay: Decay rate of the kernels (rank >= 2), >= 0; a variable
        with a non-zero rate also gets the trust ratio. The default is timm's.
      norm_weight_decay: Rate of batch-norm parameters and biases (rank <= 1);
        None: `weight_decay`.
      beta1, beta2: Decay rates of the moment estimates, in [0, 1).
      epsilon: Added to the bias-corrected sqrt(v), >= 0 (timm's 1e-6).
      max_grad_norm: The gradients are scaled down together so that their
        global norm is at most this (timm's default 1.0); None: no clipping.
      use_locking: Use locks for the updates.
      name: Name scope of the update ops and suffix of the slots.

    Raises:
      ValueError: on a value out of range, naming it.
    """
    if max_grad_norm is not None and not max_grad_norm > 0:
      raise ValueError(
        'max_grad_norm must be None or > 0; got max_grad_norm=%r.'
        % (max_grad_norm,)
      )
    super().__init__(
      learning_rate,
      weight_decay,
      norm_weight_decay,
      beta1,
      beta2,
      epsilon,
      use_locking,
      name,
    )
    self._max_grad_norm = max_grad_norm

  def apply_gradients(self, grads_and_vars, global_step=None, name=None):
    """Clips the global gradient norm, then applies; see tf.train."""
    grads_and_vars = [
      (
        tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g,
        v,
      )
      for g, v in grads_and_vars
    ]
    if self._max_grad_norm is not None:
      grads = [g for g, _ in grads_and_vars if g is not None]
      if grads:
        with tf.name_scope(self._name + '_clip'):
          global_norm = tf.linalg.global_norm(grads)
          divisor = tf.maximum(global_norm / self._max_grad_norm, 1.0)
        grads_and_vars = [
          (None if g is None else g / tf.cast(divisor, g.dtype), v)
          for g, v in grads_and_vars
        ]
    return super().apply_gradients(grads_and_vars, global_step, name)

  def _new_value(
    self,
    var,
    grad,
    m,
    v,
    lr,
    bias_correction1,
    bias_correction2_sqrt,
    weight_decay,
  ):
    del grad
    denominator = tf.sqrt(v) / bias_correction2_sqrt + self._epsilon
    update = (m / bias_correction1) / denominator
    value = var.read_value() if hasattr(var, 'read_value') else var
    if weight_decay:
      update += weight_decay * value
      weight_norm = tf.norm(value)
      update_norm = tf.norm(update)
      ratio = tf.where(
        weight_norm > 0.0,
        tf.where(
          update_norm > 0.0,
          weight_norm / tf.where(update_norm > 0.0, update_norm, 1.0),
          1.0,
        ),
        1.0,
      )
      update *= ratio
    return value - lr * update


# name -> the optimizer class (`build`); each one's epsilon default is its
# source's (torch.optim.AdamW: 1e-8, timm's Lamb: 1e-6).
OPTIMIZERS = {'adamw': AdamWOptimizer, 'lamb': LAMBOptimizer}


def build(
  name,
  learning_rate,
  weight_decay,
  norm_weight_decay=None,
  beta1=0.9,
  beta2=0.999,
  epsilon=None,
):
  """The optimizer `name` of `OPTIMIZERS`.

  Args:
    name: 'adamw' or 'lamb'.
    learning_rate, weight_decay, norm_weight_decay, beta1, beta2: See the
      classes.
    epsilon: None: the class's default.

  Returns:
    A `tf.train.Optimizer`.

  Raises:
    ValueError: on an unknown name or a bad value, naming it.
  """
  if name not in OPTIMIZERS:
    raise ValueError(
      'Unknown optimizer %r; choose one of %s.'
      % (name, ', '.join(sorted(OPTIMIZERS)))
    )
  kwargs = dict(
    weight_decay=weight_decay,
    norm_weight_decay=norm_weight_decay,
    beta1=beta1,
    beta2=beta2,
  )
  if epsilon is not None:
    kwargs['epsilon'] = epsilon
  return OPTIMIZERS[name](learning_rate, **kwargs)
