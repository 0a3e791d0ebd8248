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
"""The per-image training augmentations added to a preprocessing.

`Augmentation` (a frozen dataclass) holds them; `preprocessing_factory.
get_preprocessing(..., augmentation=...)` applies them in the order of
torchvision's and timm's training transforms: the preprocessing's crop and
flip, then the auto-augmentation policy on uint8 pixels (RandAugment or
TrivialAugment, auto_augment.py), then the preprocessing's normalization,
then random erasing of the normalized image (random_erasing.py). The
default applies none, so the preprocessing is unchanged.
"""

import dataclasses
from typing import Optional

from utils.preprocessing import auto_augment as auto_augment_lib
from utils.preprocessing import random_erasing


@dataclasses.dataclass(frozen=True)
class Augmentation:
  """Training augmentations of one image (fields named as the flags).

  Attributes:
    auto_augment: None, or a policy of `auto_augment.POLICIES`
      ('randaugment', 'trivialaugment_wide').
    randaugment_num_ops: RandAugment's layers per image (N).
    randaugment_magnitude: RandAugment's mean magnitude (M), in [0, 30].
    randaugment_magnitude_std: RandAugment's magnitude noise (S).
    random_erase: The probability of random erasing (0: off).
  """

  auto_augment: Optional[str] = None
  randaugment_num_ops: int = 2
  randaugment_magnitude: float = 9
  randaugment_magnitude_std: float = 0.5
  random_erase: float = 0.0

  def __post_init__(self):
    # Checks the RandAugment numbers also when no policy is chosen.
    auto_augment_lib.AutoAugment(
      self.auto_augment or 'randaugment',
      self.randaugment_num_ops,
      self.randaugment_magnitude,
      self.randaugment_magnitude_std,
    )
    random_erasing.check_probability(self.random_erase)

  @property
  def enabled(self):
    """True when some augmentation is on."""
    return self.auto_augment is not None or self.random_erase > 0

  @property
  def augment_fn(self):
    """The uint8 augmentation function, or None."""
    if self.auto_augment is None:
      return None
    return auto_augment_lib.augment_fn(
      auto_augment_lib.AutoAugment(
        self.auto_augment,
        self.randaugment_num_ops,
        self.randaugment_magnitude,
        self.randaugment_magnitude_std,
      )
    )

  def erase(self, image):
    """Random erasing of a normalized image (unchanged when off)."""
    if not self.random_erase:
      return image
    return random_erasing.random_erasing(image, self.random_erase)
