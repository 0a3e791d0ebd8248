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
  """Training augmentations of one image.

  Attributes:
    auto_augment: None, or an `auto_augment.AutoAugment` policy.
    random_erase: The probability of random erasing (0: off).
  """

  auto_augment: Optional[auto_augment_lib.AutoAugment] = None
  random_erase: float = 0.0

  def __post_init__(self):
    if self.auto_augment is not None and not isinstance(
      self.auto_augment, auto_augment_lib.AutoAugment
    ):
      raise TypeError(
        'auto_augment must be None or an auto_augment.AutoAugment; got %r.'
        % (self.auto_augment,)
      )
    random_erasing.check_probability(self.random_erase)

  @property
  def augment_fn(self):
    """The uint8 augmentation function, or None."""
    if self.auto_augment is None:
      return None
    return auto_augment_lib.augment_fn(self.auto_augment)

  def erase(self, image):
    """Random erasing of a normalized image (unchanged when off)."""
    if not self.random_erase:
      return image
    return random_erasing.random_erasing(image, self.random_erase)
