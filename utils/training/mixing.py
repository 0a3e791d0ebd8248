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
"""Mixup and CutMix of a batch, with mixed (soft) targets, as timm's Mixup.

Mixup (Zhang et al. 2018, arXiv:1710.09412) and CutMix (Yun et al. 2019,
arXiv:1905.04899), batch mode of timm's `Mixup`: each image is mixed with
the image at the mirrored position of the batch (the batch reversed, so
image i with image batch - 1 - i), with one ratio lam for the whole batch.
With probability `prob` a batch is mixed (else lam = 1); when both alphas
are positive, CutMix is chosen with probability `switch_prob`, else Mixup;
lam ~ Beta(alpha, alpha) of the method chosen.

  Mixup:  x = lam x + (1 - lam) x_reversed.
  CutMix: a box of (int(H sqrt(1 - lam)), int(W sqrt(1 - lam))) pixels
    centred on a uniform pixel (cy, cx) and clipped to the image,
    [cy - cut_h // 2, cy + (cut_h + 1) // 2) x [cx - cut_w // 2, ...),
    is pasted from x_reversed; lam becomes 1 - box area / (H W), the
    share of the image kept (timm's `correct_lam`).

Targets (timm's `mixup_target`): one-hot labels with label smoothing s over
K classes (off = s / K, on = 1 - s + off) mixed the same way,
lam y + (1 - lam) y_reversed. The loss takes these soft targets with no
further smoothing.
"""

import dataclasses

import tensorflow.compat.v1 as tf

from utils import checks


@dataclasses.dataclass(frozen=True)
class Mixing:
  """Settings of batch mixing; all zero alphas mean no mixing.

  Attributes:
    mixup_alpha: Mixup's Beta parameter; 0 turns Mixup off.
    cutmix_alpha: CutMix's Beta parameter; 0 turns CutMix off.
    prob: Probability that a batch is mixed.
    switch_prob: Probability of CutMix rather than Mixup when both are on.
  """

  mixup_alpha: float = 0.0
  cutmix_alpha: float = 0.0
  prob: float = 1.0
  switch_prob: float = 0.5

  def __post_init__(self):
    checks.check_number('mixup_alpha', self.mixup_alpha, minimum=0)
    checks.check_number('cutmix_alpha', self.cutmix_alpha, minimum=0)
    checks.check_number('mix_prob', self.prob, minimum=0, maximum=1)
    checks.check_number(
      'mix_switch_prob', self.switch_prob, minimum=0, maximum=1
    )

  @property
  def enabled(self):
    """True when a batch can be mixed."""
    return (self.mixup_alpha > 0 or self.cutmix_alpha > 0) and self.prob > 0


def mixed_targets(labels, num_classes, lam, label_smoothing=0.0):
  """timm's mixup_target: smoothed one-hot targets mixed with the reversed.

  Args:
    labels: int [batch] labels in [0, num_classes).
    num_classes: K.
    lam: float scalar, the share of each image's own target.
    label_smoothing: s; off = s / K, on = 1 - s + off.

  Returns:
    float32 [batch, num_classes] targets; each row sums to 1.
  """
  off = label_smoothing / num_classes
  on = 1.0 - label_smoothing + off
  targets = tf.one_hot(labels, num_classes, on_value=on, off_value=off)
  lam = tf.cast(lam, tf.float32)
  return lam * targets + (1.0 - lam) * tf.reverse(targets, [0])


def mixup_images(images, lam):
  """lam * images + (1 - lam) * images reversed along the batch."""
  lam = tf.cast(lam, images.dtype)
  return lam * images + (1.0 - lam) * tf.reverse(images, [0])


def cutmix_box(height, width, lam, center_y, center_x):
  """timm's rand_bbox and correct_lam, for a given centre.

  Args:
    height, width: int32 scalars, the image size.
    lam: float scalar, the Beta draw.
    center_y, center_x: int32 scalars in [0, height) and [0, width).

  Returns:
    ((top, bottom, left, right), lam): the clipped box (int32, bottom and
    right exclusive) and the corrected ratio 1 - box area / (H W).
  """
  ratio = tf.sqrt(1.0 - tf.cast(lam, tf.float32))
  cut_h = tf.cast(tf.cast(height, tf.float32) * ratio, tf.int32)
  cut_w = tf.cast(tf.cast(width, tf.float32) * ratio, tf.int32)
  top = tf.clip_by_value(center_y - cut_h // 2, 0, height)
  bottom = tf.clip_by_value(center_y + (cut_h + 1) // 2, 0, height)
  left = tf.clip_by_value(center_x - cut_w // 2, 0, width)
  right = tf.clip_by_value(center_x + (cut_w + 1) // 2, 0, width)
  area = tf.cast((bottom - top) * (right - left), tf.float32)
  corrected = 1.0 - area / tf.cast(height * width, tf.float32)
  return (top, bottom, left, right), corrected


def cutmix_images(images, box):
  """`images` with the box (top, bottom, left, right) of the reversed batch."""
  top, bottom, left, right = box
  shape = tf.shape(images)
  rows = tf.range(shape[1])
  cols = tf.range(shape[2])
  inside = ((rows >= top) & (rows < bottom))[:, None] & (
    (cols >= left) & (cols < right)
  )[None, :]
  inside = tf.broadcast_to(inside[None, :, :, None], shape)
  return tf.where(inside, tf.reverse(images, [0]), images)


def _checked_labels(labels, num_classes):
  """`labels`, asserted (when the graph runs) to be in [0, num_classes)."""
  labels = tf.convert_to_tensor(labels)
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
    return tf.identity(labels)


def _beta(alpha):
  """One draw of Beta(alpha, alpha), as X / (X + Y) of two Gamma draws."""
  x = tf.random.gamma([], alpha)
  y = tf.random.gamma([], alpha)
  return x / (x + y)


def mix_batch(images, labels, num_classes, mixing, label_smoothing=0.0):
  """Mixes a batch by `mixing` (a `Mixing`); see the module docstring.

  Args:
    images: float [batch, height, width, channels].
    labels: int [batch] labels in [0, num_classes).
    num_classes: The number of classes K.
    mixing: A `Mixing` with at least one positive alpha.
    label_smoothing: Smoothing of the targets (timm's Mixup smoothing).

  Returns:
    (images, targets): the mixed images and float32 [batch, num_classes]
    soft targets.

  Raises:
    TypeError: if `mixing` is not a `Mixing`.
    ValueError: if `mixing` mixes nothing.
  """
  if not isinstance(mixing, Mixing):
    raise TypeError('mixing must be a mixing.Mixing; got %r.' % (mixing,))
  if not mixing.enabled:
    raise ValueError(
      'mix_batch needs mixup_alpha or cutmix_alpha > 0 and mix_prob > 0; '
      'got %r.' % (mixing,)
    )
  with tf.name_scope('mix_batch'):
    labels = _checked_labels(labels, num_classes)
    apply = tf.random.uniform([]) < mixing.prob
    if mixing.mixup_alpha > 0 and mixing.cutmix_alpha > 0:
      use_cutmix = tf.random.uniform([]) < mixing.switch_prob
      lam = tf.where(
        use_cutmix, _beta(mixing.cutmix_alpha), _beta(mixing.mixup_alpha)
      )
    elif mixing.mixup_alpha > 0:
      use_cutmix = tf.constant(False)
      lam = _beta(mixing.mixup_alpha)
    else:
      use_cutmix = tf.constant(True)
      lam = _beta(mixing.cutmix_alpha)
    shape = tf.shape(images)
    box, cut_lam = cutmix_box(
      shape[1],
      shape[2],
      lam,
      tf.random.uniform([], 0, shape[1], dtype=tf.int32),
      tf.random.uniform([], 0, shape[2], dtype=tf.int32),
    )
    images = tf.cond(
      apply,
      lambda: tf.cond(
        use_cutmix,
        lambda: cutmix_images(images, box),
        lambda: mixup_images(images, lam),
      ),
      lambda: images,
    )
    lam = tf.where(apply, tf.where(use_cutmix, cut_lam, lam), 1.0)
    targets = mixed_targets(labels, num_classes, lam, label_smoothing)
  return images, targets


def batch_fn(mixing, num_classes, label_smoothing=0.0):
  """`mix_batch` as a batch function, or None when `mixing` is off.

  Returns:
    None if `mixing.enabled` is False; otherwise a function (images, labels)
    -> (mixed images, float32 [batch, num_classes] targets carrying
    `label_smoothing`), for the trainers' per-replica batches.
  """
  if not mixing.enabled:
    return None

  def mix(images, labels):
    return mix_batch(images, labels, num_classes, mixing, label_smoothing)

  return mix
