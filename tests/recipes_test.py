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
"""The training recipes (recipes/*.flags): each parses with the flags of
train_image_classifier.py (an unknown flag fails), gives a valid training
configuration, cites its source and states its batch scaling, and flags
after --flagfile override the file's."""

import os

from absl import flags
from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from utils.flag_defs import configs
from utils.flag_defs import train_eval

_RECIPES_DIR = os.path.join(
  os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'recipes'
)
_RECIPES = sorted(
  name for name in os.listdir(_RECIPES_DIR) if name.endswith('.flags')
)


def _parse(argv):
  fv = flags.FlagValues()
  train_eval.define_train_flags(fv)
  fv(['train_image_classifier.py'] + argv)
  return fv


def _flagfile(name):
  return '--flagfile=' + os.path.join(_RECIPES_DIR, name)


class RecipesTest(tf.test.TestCase, parameterized.TestCase):
  def test_the_published_recipes_are_there(self):
    self.assertContainsSubset(
      [
        'resnet50_torchvision_v2.flags',
        'resnet50_rsb_a1.flags',
        'resnet50_rsb_a2.flags',
        'resnet50_rsb_a3.flags',
        'resnet_cifar.flags',
      ],
      _RECIPES,
    )

  @parameterized.named_parameters(
    (name[: -len('.flags')], name) for name in _RECIPES
  )
  def test_recipe_parses_into_a_train_config(self, name):
    fv = _parse([_flagfile(name), '--dataset_dir=/data'])
    cfg = configs.train_config(fv)
    self.assertIsNotNone(cfg.max_number_of_steps)
    with open(os.path.join(_RECIPES_DIR, name)) as f:
      prose = ' '.join(f.read().replace('#', ' ').split())
    self.assertIn('Use', prose)
    self.assertRegex(prose, r'[Ss]ources?:')
    self.assertRegex(prose, r'scales? the learning rate linearly')

  def test_later_flags_override_the_file(self):
    fv = _parse(
      [
        _flagfile('resnet50_rsb_a3.flags'),
        '--dataset_dir=/data',
        '--learning_rate=0.002',
        '--model_name=resnet_cifar_20',
      ]
    )
    self.assertEqual(fv.learning_rate, 0.002)
    self.assertEqual(fv.model_name, 'resnet_cifar_20')
    self.assertEqual(fv.optimizer, 'lamb')

  def test_unknown_flag_in_a_recipe_fails(self):
    path = os.path.join(self.get_temp_dir(), 'bad.flags')
    with open(path, 'w') as f:
      f.write('--no_such_flag=1\n')
    with self.assertRaisesRegex(flags.Error, 'no_such_flag'):
      _parse(['--flagfile=' + path, '--dataset_dir=/data'])


if __name__ == '__main__':
  tf.test.main()
