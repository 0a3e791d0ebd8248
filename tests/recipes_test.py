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
after --flagfile override the file's; each ResNet-50 recipe, with its
optimizer, loss, augmentations and network options but a small model, data
and length, trains, saves and evaluates."""

import os

from absl import flags
from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from nets import tf_compat
from tests import test_util
from utils.datasets import dataset_factory
from utils.datasets import digits
from utils.flag_defs import configs
from utils.flag_defs import train_eval
from utils.training import checkpoints
from utils.training import config as train_config
from utils.training import eval_lib
from utils.training import train_lib

_RECIPES_DIR = os.path.join(
  os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'recipes'
)
_RECIPES = sorted(
  name for name in os.listdir(_RECIPES_DIR) if name.endswith('.flags')
)


def setUpModule():
  tf_compat.enable_graph_mode()


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


class RecipeTrainingTest(tf.test.TestCase, parameterized.TestCase):
  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.data_dir = test_util.class_temp_dir(cls)
    digits.convert(cls.data_dir)

  @parameterized.named_parameters(
    (name[: -len('.flags')], name)
    for name in _RECIPES
    if name.startswith('resnet50_')
  )
  def test_recipe_trains_saves_and_evaluates(self, name):
    # The recipe's settings; a small network at 16x16 on digits, 2 steps.
    fv = _parse(
      [
        _flagfile(name),
        '--dataset_name=digits',
        '--dataset_dir=' + self.data_dir,
        '--labels_offset=0',
        '--model_name=resnet_cifar_20',
        '--train_image_size=16',
        '--batch_size=4',
        '--max_number_of_steps=2',
        '--num_readers=1',
        '--num_preprocessing_threads=1',
      ]
    )
    cfg = configs.train_config(fv)
    train_dir = test_util.temp_dir(self)
    result = train_lib.train(
      dataset_factory.get_dataset('digits', 'train', self.data_dir),
      train_dir,
      fv.model_name,
      cfg,
    )
    self.assertEqual(2, result.global_step)
    self.assertEqual(
      2,
      checkpoints.checkpoint_global_step(
        checkpoints.latest_checkpoint(train_dir)
      ),
    )
    (evaluation,) = eval_lib.evaluate(
      dataset_factory.get_dataset('digits', 'test', self.data_dir),
      train_dir,
      fv.model_name,
      train_config.EvalConfig(
        input=train_config.InputConfig(
          batch_size=60, image_size=16, num_preprocessing_threads=1
        ),
        max_num_batches=1,
        moving_average_decay=cfg.optimizer.moving_average_decay,
      ),
    )
    self.assertEqual(60, evaluation.num_examples)
    self.assertBetween(evaluation.metrics['Accuracy'], 0.0, 1.0)


if __name__ == '__main__':
  tf.test.main()
