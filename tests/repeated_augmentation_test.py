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
"""Tests for utils/repeated_augmentation.py: the order each replica reads,
over 2 (and more) workers or clones, against timm's RepeatAugSampler
(tests/data/repeat_aug_sampler.json, made by
scripts/make_repeat_aug_fixture.py)."""

import json
import os

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from utils import repeated_augmentation

_FIXTURE = os.path.join(
  os.path.dirname(os.path.abspath(__file__)), 'data', 'repeat_aug_sampler.json'
)


def setUpModule():
  tf.disable_eager_execution()


def _fixture_cases():
  with open(_FIXTURE) as f:
    cases = json.load(f)['cases']
  return [
    (
      'n%d_repeats%d_replicas%d'
      % (c['size'], c['num_repeats'], c['num_replicas']),
      c,
    )
    for c in cases
  ]


def _values(dataset, count):
  """The first `count` elements of `dataset`."""
  next_element = tf.data.make_one_shot_iterator(dataset.take(count)).get_next()
  values = []
  with tf.Session() as sess:
    for _ in range(count):
      values.append(sess.run(next_element))
  return values


class RepeatedAugmentationTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(*_fixture_cases())
  def test_one_worker_per_replica_matches_sampler(self, case):
    for rank, expected in enumerate(case['ranks']):
      config = repeated_augmentation.RepeatedAugmentation(
        case['num_repeats'], case['num_replicas'], rank, 1
      )
      with tf.Graph().as_default():
        stream = repeated_augmentation.select_local(
          tf.data.Dataset.range(case['size']), config
        )
        self.assertEqual(expected, _values(stream, len(expected)))

  @parameterized.named_parameters(*_fixture_cases())
  def test_clones_of_one_worker_match_sampler(self, case):
    # All replicas are clones of one worker: batches alternate by rank.
    replicas = case['num_replicas']
    config = repeated_augmentation.RepeatedAugmentation(
      case['num_repeats'], replicas, 0, replicas
    )
    batch_size = 2
    with tf.Graph().as_default():
      stream = repeated_augmentation.select_local(
        tf.data.Dataset.range(case['size']), config
      )
      batches = repeated_augmentation.local_batches(stream, batch_size, config)
      values = _values(batches, replicas * 2)
    for rank, expected in enumerate(case['ranks']):
      got = np.concatenate(values[rank::replicas]).tolist()
      count = min(len(expected), len(got))
      self.assertEqual(expected[:count], got[:count])

  def test_two_workers_with_two_clones(self):
    # 4 replicas: worker 1 holds ranks 2 and 3; 4 repeats of each record.
    config = repeated_augmentation.RepeatedAugmentation(4, 4, 2, 2)
    with tf.Graph().as_default():
      records = tf.data.Dataset.range(6)
      images = records.map(lambda i: (tf.fill([2, 2], i), i))
      stream = repeated_augmentation.select_local(images, config)
      batches = repeated_augmentation.local_batches(stream, 3, config)
      values = _values(batches, 2)
    # Rank r reads positions r, r + 4, ...: every record once.
    for images_v, labels_v in values:
      self.assertEqual([0, 1, 2], labels_v.tolist())
      self.assertAllEqual(
        np.array([0, 1, 2])[:, None, None], images_v[:, :1, :1]
      )

  def test_one_repeat_keeps_stream(self):
    config = repeated_augmentation.RepeatedAugmentation()
    self.assertFalse(config.enabled)
    with tf.Graph().as_default():
      stream = repeated_augmentation.select_local(
        tf.data.Dataset.range(5), config
      )
      self.assertEqual([0, 1, 2, 3, 4], _values(stream, 5))

  @parameterized.named_parameters(
    (
      'zero_repeats',
      dict(num_repeats=0),
      'aug_repeats must be an integer >= 1',
    ),
    (
      'ranks_outside',
      dict(num_repeats=2, num_replicas=2, first_rank=1, local_replicas=2),
      r'Replicas \[1, 3\) do not fit',
    ),
  )
  def test_bad_settings_raise(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      repeated_augmentation.RepeatedAugmentation(**kwargs)


if __name__ == '__main__':
  tf.test.main()
