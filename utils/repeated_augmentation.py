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
"""Repeated augmentation (Hoffer et al. 2020; Berman et al. 2019) in tf.data.

Each image is used `num_repeats` times, each time with its own random
augmentation, and the repeats are spread over the replicas that consume
batches (the clones of every worker), with the index arithmetic of DeiT's
`RASampler` (timm's `RepeatAugSampler`): the shuffled stream is repeated
element-wise, [a, a, a, b, b, b, ...] for 3 repeats, and replica r of R takes
the elements at positions r, r + R, r + 2R, ... of it. With as many repeats
as replicas, every replica sees every image once per pass, each with a
different augmentation.

A worker holds replicas [first_rank, first_rank + local_replicas) (its
clones, rank = task * num_clones + clone). Its pipeline keeps the elements of
those ranks (`select_local`), preprocesses them, and groups them into one
batch per local replica in turn (`local_batches`): of each
`local_replicas` consecutive batches, the i-th belongs to rank
first_rank + i. Every worker must read the stream in the same order, so the
record shuffle needs one seed on all of them.

The samplers end an epoch after len(data set) / R samples per replica; the
stream here goes on, so a pass over the data yields num_repeats x len / R
samples per replica. The training schedule counts epochs in steps, so only
which images share an epoch differs.
"""

import dataclasses

import tensorflow.compat.v1 as tf

from utils import checks


@dataclasses.dataclass(frozen=True)
class RepeatedAugmentation:
  """Repeats of each image, and this worker's share of the replicas.

  Attributes:
    num_repeats: Uses of each image per pass (1: off).
    num_replicas: R, the replicas over all workers (workers x clones).
    first_rank: The rank of this worker's first replica.
    local_replicas: The replicas of this worker (its clones).
  """

  num_repeats: int = 1
  num_replicas: int = 1
  first_rank: int = 0
  local_replicas: int = 1

  def __post_init__(self):
    checks.check_int('aug_repeats', self.num_repeats, 1)
    checks.check_int('num_replicas', self.num_replicas, 1)
    checks.check_int('first_rank', self.first_rank, 0)
    checks.check_int('local_replicas', self.local_replicas, 1)
    if self.first_rank + self.local_replicas > self.num_replicas:
      raise ValueError(
        'Replicas [%d, %d) do not fit in num_replicas=%d.'
        % (
          self.first_rank,
          self.first_rank + self.local_replicas,
          self.num_replicas,
        )
      )

  @property
  def enabled(self):
    return self.num_repeats > 1


def select_local(dataset, config):
  """The elements of this worker's replicas, in stream order.

  Args:
    dataset: A `tf.data.Dataset` of (shuffled) elements.
    config: A `RepeatedAugmentation`.

  Returns:
    A dataset of the elements at positions p of the repeated stream with
    p mod R in [first_rank, first_rank + local_replicas): for each block of
    R positions, those of the local replicas, in rank order.
  """
  repeats = config.num_repeats
  repeated = dataset.flat_map(
    lambda *element: tf.data.Dataset.from_tensors(element).repeat(repeats)
  )
  if config.local_replicas == config.num_replicas:
    return repeated.map(_unpack)
  first, last = config.first_rank, config.first_rank + config.local_replicas
  replicas = config.num_replicas

  def keep(position, element):
    del element
    rank = position % replicas
    return (rank >= first) & (rank < last)

  return repeated.enumerate().filter(keep).map(lambda _, e: _unpack(*e))


def _unpack(*element):
  return element if len(element) > 1 else element[0]


def local_batches(dataset, batch_size, config):
  """Batches of preprocessed `select_local` elements, one replica at a time.

  Args:
    dataset: The preprocessed elements of `select_local` (fixed shapes).
    batch_size: Elements per replica batch.
    config: The `RepeatedAugmentation` of `select_local`.

  Returns:
    A dataset of batches of `batch_size`: of each `local_replicas`
    consecutive ones, the i-th holds rank first_rank + i's elements. A
    last incomplete group of batches is dropped.
  """
  local = config.local_replicas
  if local == 1:
    return dataset.batch(batch_size, drop_remainder=True)
  grouped = dataset.batch(local, drop_remainder=True).batch(
    batch_size, drop_remainder=True
  )

  def per_replica(*parts):
    # [batch, local, ...] -> [local, batch, ...]
    moved = tuple(
      tf.transpose(p, [1, 0] + list(range(2, p.shape.ndims))) for p in parts
    )
    return _unpack(*moved)

  return grouped.map(per_replica).unbatch()
