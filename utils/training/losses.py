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
"""The classification losses of the training, on hard or mixed targets.

  * 'softmax': softmax cross-entropy (slim's loss), the mean over the batch.
  * 'bce': binary cross-entropy of each class's sigmoid, the mean over the
    batch and the classes, as timm's `BinaryCrossEntropy` (its default
    reduction) and "ResNet strikes back" (Wightman et al., arXiv:2110.00476)
    train with it. With `bce_target_threshold` t the targets are first made
    binary: 1 where the target is > t, else 0 (so a class mixed in by mixup
    or cutmix with weight > t counts as present).

Targets (`targets_of`): integer labels become one-hot vectors smoothed by
`label_smoothing` s, 1 - s + s / C for the label and s / C elsewhere (C
classes; slim's and timm's smoothing); dense [batch, C] targets (mixed by
mixup or cutmix, which already smoothed them) are used as they are.

Weight decay of batch-norm parameters and biases with the optimizers that
leave the decay to the loss (`norm_l2_regularization`): slim's networks put
an L2 loss on their kernels only; this adds one on the variables of rank <= 1
at a rate of its own.

Typical use (what `replicas.build_clones` does):

  check_loss_args('bce', 0.2)
  loss = classification_loss(logits, labels, num_classes, 'bce',
                             label_smoothing=0.1, bce_target_threshold=0.2)
"""

import collections

import tensorflow.compat.v1 as tf

from utils import checks
from utils.training import decoupled_optimizers

# The two forms of a loss: `mean(logits, targets)`, the scalar mean loss
# of the batch, also added to the LOSSES collection (graph-mode training);
# `per_example(logits, targets)`, the [batch] losses whose mean it is
# (Keras's `fit` reduces them itself).
_LossFns = collections.namedtuple('_LossFns', ['mean', 'per_example'])


def _softmax_cross_entropy(logits, targets):
  return tf.losses.softmax_cross_entropy(targets, logits)


def _softmax_cross_entropy_per_example(logits, targets):
  return tf.nn.softmax_cross_entropy_with_logits_v2(
    labels=targets, logits=logits
  )


def _binary_cross_entropy(logits, targets):
  return tf.losses.sigmoid_cross_entropy(targets, logits)


def _binary_cross_entropy_per_example(logits, targets):
  return tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits),
    axis=-1,
  )


# name -> its `_LossFns`.
_LOSS_FNS = {
  'softmax': _LossFns(
    _softmax_cross_entropy, _softmax_cross_entropy_per_example
  ),
  'bce': _LossFns(_binary_cross_entropy, _binary_cross_entropy_per_example),
}
LOSSES = tuple(_LOSS_FNS)

# The losses whose targets `bce_target_threshold` binarizes.
_THRESHOLDED = ('bce',)


def check_loss_args(loss='softmax', bce_target_threshold=None):
  """Checks the loss name and its threshold; builds nothing.

  Raises:
    ValueError: on an unknown loss (listing the known ones), a threshold
      outside [0, 1], or a threshold with a loss that has none.
  """
  if loss not in _LOSS_FNS:
    raise ValueError(
      'Unknown loss %r; choose one of %s.' % (loss, ', '.join(LOSSES))
    )
  if bce_target_threshold is None:
    return
  checks.check_number(
    'bce_target_threshold', bce_target_threshold, minimum=0, maximum=1
  )
  if loss not in _THRESHOLDED:
    raise ValueError(
      'bce_target_threshold=%r applies to the binary cross-entropy only; '
      'got loss=%r. Add --loss=bce, or drop --bce_target_threshold.'
      % (bce_target_threshold, loss)
    )


def targets_of(labels, num_classes, label_smoothing=0.0):
  """[batch, num_classes] float targets of integer labels or dense targets.

  Args:
    labels: [batch] integer labels (checked to be in [0, num_classes) when
      the graph runs), or [batch, num_classes] float targets, returned as
      they are.
    num_classes: The number of classes C.
    label_smoothing: s in [0, 1]: the label gets 1 - s + s / C, the other
      classes s / C (integer labels only).

  Returns:
    A float32 tensor of shape [batch, num_classes].
  """
  labels = tf.convert_to_tensor(labels)
  if labels.dtype.is_floating:
    return tf.cast(labels, tf.float32)
  label_checks = [
    tf.debugging.assert_non_negative(
      labels, message='labels must be >= 0 after labels_offset'
    ),
    tf.debugging.assert_less(
      labels,
      tf.cast(num_classes, labels.dtype),
      message='labels must be < num_classes (%d) after labels_offset'
      % num_classes,
    ),
  ]
  with tf.control_dependencies(label_checks):
    onehot = tf.one_hot(labels, num_classes)
  if label_smoothing:
    onehot = onehot * (1.0 - label_smoothing) + label_smoothing / num_classes
  return onehot


def classification_loss(
  logits,
  labels,
  num_classes,
  loss='softmax',
  label_smoothing=0.0,
  bce_target_threshold=None,
):
  """The mean classification loss of a batch (see the module docstring).

  Args:
    logits: [batch, num_classes] float logits.
    labels: [batch] integer labels or [batch, num_classes] targets
      (`targets_of`).
    num_classes: The number of classes.
    loss: One of `LOSSES`.
    label_smoothing: See `targets_of`.
    bce_target_threshold: None, or a threshold in [0, 1] binarizing the
      targets of the 'bce' loss.

  Returns:
    The scalar loss (also added to the LOSSES collection).

  Raises:
    ValueError: see `check_loss_args`.
  """
  targets = _loss_targets(
    labels, num_classes, loss, label_smoothing, bce_target_threshold
  )
  return _LOSS_FNS[loss].mean(logits, targets)


def per_example_loss(
  logits,
  labels,
  num_classes,
  loss='softmax',
  label_smoothing=0.0,
  bce_target_threshold=None,
):
  """The [batch] losses whose mean is `classification_loss`.

  For training loops that reduce the loss themselves (tf_keras's `fit`).
  Softmax: the cross-entropy of each example; bce: the mean over the
  classes of each example's binary cross-entropies. The arguments are
  `classification_loss`'s.

  Returns:
    A float32 tensor [batch]; nothing is added to a collection.

  Raises:
    ValueError: see `check_loss_args`.
  """
  targets = _loss_targets(
    labels, num_classes, loss, label_smoothing, bce_target_threshold
  )
  return _LOSS_FNS[loss].per_example(logits, targets)


def _loss_targets(
  labels, num_classes, loss, label_smoothing, bce_target_threshold
):
  """The checked loss arguments' targets (see `classification_loss`)."""
  check_loss_args(loss, bce_target_threshold)
  targets = targets_of(labels, num_classes, label_smoothing)
  if bce_target_threshold is not None:
    targets = tf.cast(targets > bce_target_threshold, targets.dtype)
  return targets


def norm_l2_regularization(variables, norm_weight_decay):
  """Adds slim's L2 loss on the batch-norm parameters and biases.

  The loss is `norm_weight_decay * sum(v ** 2) / 2` over the variables of
  rank <= 1 (`decoupled_optimizers.is_norm_or_bias`), the form of slim's
  `l2_regularizer` on the kernels: its gradient is `norm_weight_decay * v`,
  the weight decay of torch's SGD.

  Args:
    variables: The candidate (trainable) variables.
    norm_weight_decay: The rate, >= 0; 0 adds nothing.

  Returns:
    The scalar loss added to the REGULARIZATION_LOSSES collection, or None
    when nothing was added.
  """
  checks.check_number('norm_weight_decay', norm_weight_decay, minimum=0)
  decayed = [v for v in variables if decoupled_optimizers.is_norm_or_bias(v)]
  if not norm_weight_decay or not decayed:
    return None
  with tf.name_scope('norm_l2_regularization'):
    loss = norm_weight_decay * tf.add_n([tf.nn.l2_loss(v) for v in decayed])
  tf.losses.add_loss(loss, tf.GraphKeys.REGULARIZATION_LOSSES)
  return loss
