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
"""Tests of utils/flag_defs/: slim's names and defaults, enumerations that
list their choices, required and bounded flags, the flags of every script,
and how scripts start and fail. Flags are defined on fresh `FlagValues`,
never on the global FLAGS."""

import os
import subprocess
import sys

from absl import app
from absl import flags
from absl.testing import absltest
from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from nets import nets_factory
from utils import flag_defs
from utils.datasets import dataset_factory
from utils.flag_defs import configs
from utils.flag_defs import tools
from utils.flag_defs import train_eval
from utils.training import config
from utils.training import schedules

# slim's train_image_classifier.py defaults (research/slim), except
# model_name (slim: inception_v3, not in this library).
_SLIM_TRAIN_DEFAULTS = {
  'master': '',
  'train_dir': '/tmp/tfmodel/',
  'num_clones': 1,
  'clone_on_cpu': False,
  'worker_replicas': 1,
  'num_ps_tasks': 0,
  'num_readers': 4,
  'num_preprocessing_threads': 4,
  'log_every_n_steps': 10,
  'save_summaries_secs': 600,
  'save_interval_secs': 600,
  'task': 0,
  'weight_decay': 0.00004,
  'optimizer': 'rmsprop',
  'adadelta_rho': 0.95,
  'adagrad_initial_accumulator_value': 0.1,
  'adam_beta1': 0.9,
  'adam_beta2': 0.999,
  'opt_epsilon': 1.0,
  'ftrl_learning_rate_power': -0.5,
  'ftrl_initial_accumulator_value': 0.1,
  'ftrl_l1': 0.0,
  'ftrl_l2': 0.0,
  'momentum': 0.9,
  'rmsprop_momentum': 0.9,
  'rmsprop_decay': 0.9,
  'learning_rate_decay_type': 'exponential',
  'learning_rate': 0.01,
  'end_learning_rate': 0.0001,
  'label_smoothing': 0.0,
  'learning_rate_decay_factor': 0.94,
  'num_epochs_per_decay': 2.0,
  'sync_replicas': False,
  'replicas_to_aggregate': 1,
  'moving_average_decay': None,
  'dataset_name': 'imagenet',
  'dataset_split_name': 'train',
  'dataset_dir': None,
  'labels_offset': 0,
  'preprocessing_name': None,
  'batch_size': 32,
  'train_image_size': None,
  'max_number_of_steps': None,
  'use_grayscale': False,
  'checkpoint_path': None,
  'checkpoint_exclude_scopes': None,
  'trainable_scopes': None,
  'ignore_missing_vars': False,
}
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# slim's eval_image_classifier.py defaults, except dataset_split_name (slim:
# test, which imagenet lacks).
_SLIM_EVAL_DEFAULTS = {
  'batch_size': 100,
  'max_num_batches': None,
  'master': '',
  'checkpoint_path': '/tmp/tfmodel/',
  'eval_dir': '/tmp/tfmodel/',
  'num_preprocessing_threads': 4,
  'dataset_name': 'imagenet',
  'dataset_dir': None,
  'labels_offset': 0,
  'preprocessing_name': None,
  'moving_average_decay': None,
  'eval_image_size': None,
  'use_grayscale': False,
}


def _train_flags(*args):
  fv = flags.FlagValues()
  train_eval.define_train_flags(fv)
  fv(['train_image_classifier.py'] + list(args))
  return fv


def _eval_flags(*args):
  fv = flags.FlagValues()
  train_eval.define_eval_flags(fv)
  fv(['eval_image_classifier.py'] + list(args))
  return fv


class TrainFlagsTest(parameterized.TestCase):
  def test_slim_defaults(self):
    fv = _train_flags('--dataset_dir=/data')
    for name, default in _SLIM_TRAIN_DEFAULTS.items():
      if name == 'dataset_dir':
        continue
      self.assertEqual(default, fv[name].default, msg=name)
    self.assertEqual('resnet_v1_50', fv.model_name)
    self.assertEqual('/data', fv.dataset_dir)

  def test_added_flags(self):
    fv = _train_flags(
      '--dataset_dir=/d',
      '--learning_rate_decay_type=cosine',
      '--warmup_epochs=1.5',
      '--precision=bfloat16',
      '--xla',
    )
    self.assertEqual('cosine', fv.learning_rate_decay_type)
    self.assertEqual(1.5, fv.warmup_epochs)
    self.assertEqual('bfloat16', fv.precision)
    self.assertTrue(fv.xla)
    self.assertFalse(fv.summarize_activations)

  def test_training_options_are_off_by_default(self):
    cfg = configs.train_config(_train_flags('--dataset_dir=/d'))
    self.assertEqual('softmax', cfg.loss.loss)
    self.assertIsNone(cfg.loss.bce_target_threshold)
    self.assertIsNone(cfg.loss.norm_weight_decay)
    self.assertEqual(0.0, cfg.drop_path_rate)
    self.assertFalse(cfg.zero_init_residual)
    self.assertEqual({}, cfg.all_network_kwargs())

  def test_training_options_reach_the_config(self):
    cfg = configs.train_config(
      _train_flags(
        '--dataset_dir=/d',
        '--optimizer=lamb',
        '--weight_decay=0.02',
        '--norm_weight_decay=0',
        '--loss=bce',
        '--bce_target_threshold=0.2',
        '--drop_path_rate=0.05',
        '--zero_init_residual',
      )
    )
    self.assertEqual('lamb', cfg.optimizer.optimizer)
    self.assertEqual(
      (0.02, 0.0, 'bce', 0.2),
      (
        cfg.loss.weight_decay,
        cfg.loss.norm_weight_decay,
        cfg.loss.loss,
        cfg.loss.bce_target_threshold,
      ),
    )
    self.assertEqual(
      {'drop_path_rate': 0.05, 'zero_init_residual': True},
      cfg.all_network_kwargs(),
    )

  @parameterized.named_parameters(
    # Unless --opt_epsilon is given, each optimizer's own: slim's 1.0,
    # torch.optim.AdamW's 1e-8, timm's Lamb's 1e-6.
    ('rmsprop_default', 'rmsprop', [], 1.0),
    ('adamw_default', 'adamw', [], 1e-8),
    ('lamb_default', 'lamb', [], 1e-6),
    ('lamb_given', 'lamb', ['--opt_epsilon=1.0'], 1.0),
  )
  def test_opt_epsilon_defaults_per_optimizer(self, name, extra, epsilon):
    cfg = configs.train_config(
      _train_flags('--dataset_dir=/d', '--optimizer=' + name, *extra)
    )
    optimizer = schedules.configure_optimizer(name, 0.1, cfg.optimizer.params)
    self.assertEqual(epsilon, optimizer._epsilon)

  def test_enumerations_match_the_libraries(self):
    fv = _train_flags('--dataset_dir=/d')
    self.assertCountEqual(
      schedules.OPTIMIZERS, fv['optimizer'].parser.enum_values
    )
    self.assertCountEqual(
      schedules.LEARNING_RATE_DECAY_TYPES,
      fv['learning_rate_decay_type'].parser.enum_values,
    )
    self.assertCountEqual(
      nets_factory.NETWORKS, fv['model_name'].parser.enum_values
    )
    self.assertCountEqual(
      dataset_factory.dataset_names(), fv['dataset_name'].parser.enum_values
    )

  @parameterized.named_parameters(
    (
      'optimizer',
      '--optimizer=nadam',
      r'adadelta\|adagrad\|adam\|adamw\|ftrl\|lamb\|'
      r'momentum\|rmsprop\|sgd',
    ),
    (
      'schedule',
      '--learning_rate_decay_type=step',
      r'cosine\|exponential\|fixed\|polynomial',
    ),
    (
      'model',
      '--model_name=inception_v3',
      r'resnet_cifar_20\|.*\|resnet_v1_50\|',
    ),
    ('dataset', '--dataset_name=coco', r'cifar10\|digits\|flowers'),
    (
      'preprocessing',
      '--preprocessing_name=lenet',
      r'caffe\|cifar\|inception\|torchvision\|vgg',
    ),
    ('precision', '--precision=fp16', r'fp32\|bfloat16'),
  )
  def test_unknown_choice_lists_the_valid_ones(self, arg, choices):
    with self.assertRaisesRegex(flags.IllegalFlagValueError, choices):
      _train_flags('--dataset_dir=/d', arg)

  def test_dataset_dir_is_required(self):
    with self.assertRaisesRegex(
      flags.IllegalFlagValueError, r'--dataset_dir must have a value'
    ):
      _train_flags()

  @parameterized.named_parameters(
    ('batch_size', '--batch_size=0'),
    ('num_clones', '--num_clones=0'),
    ('labels_offset', '--labels_offset=-1'),
    ('label_smoothing', '--label_smoothing=1.5'),
    ('max_steps', '--max_number_of_steps=-5'),
  )
  def test_bounds(self, arg):
    with self.assertRaisesRegex(
      flags.IllegalFlagValueError, arg.split('=')[0][2:]
    ):
      _train_flags('--dataset_dir=/d', arg)

  def test_help_explains_the_effective_batch(self):
    fv = _train_flags('--dataset_dir=/d')
    self.assertIn('batch_size * num_clones', fv['num_clones'].help)
    self.assertIn('batch_size * num_clones', fv['num_epochs_per_decay'].help)
    self.assertIn('frozen', fv['trainable_scopes'].help)
    self.assertIn('not part of this library', fv['model_name'].help)


class EvalFlagsTest(parameterized.TestCase):
  def test_slim_defaults(self):
    fv = _eval_flags('--dataset_dir=/data')
    for name, default in _SLIM_EVAL_DEFAULTS.items():
      if name == 'dataset_dir':
        continue
      self.assertEqual(default, fv[name].default, msg=name)
    self.assertEqual('validation', fv.dataset_split_name)
    self.assertIn('imagenet does not have', fv['dataset_split_name'].help)
    self.assertIsNone(fv.eval_interval_secs)
    self.assertIsNone(fv.timeout)

  def test_dataset_dir_is_required(self):
    with self.assertRaisesRegex(
      flags.IllegalFlagValueError, r'--dataset_dir must have a value'
    ):
      _eval_flags()

  def test_conv_gradients_flag_reaches_the_config(self):
    self.assertEqual(
      'auto',
      configs.train_config(_train_flags('--dataset_dir=/d')).conv_gradients,
    )
    cfg = configs.train_config(
      _train_flags('--dataset_dir=/d', '--conv_gradients=plain')
    )
    self.assertEqual('plain', cfg.conv_gradients)
    with self.assertRaisesRegex(
      flags.IllegalFlagValueError,
      r'^flag --conv_gradients=fast: value should be one of '
      r'<auto\|plain\|matmul>$',
    ):
      _train_flags('--dataset_dir=/d', '--conv_gradients=fast')

  def test_unknown_model_lists_choices(self):
    with self.assertRaisesRegex(
      flags.IllegalFlagValueError,
      r'vgg_16: value should be one of '
      r'<resnet_cifar_110\|',
    ):
      _eval_flags('--dataset_dir=/d', '--model_name=vgg_16')

  def test_train_and_eval_flags_coexist_on_separate_flag_values(self):
    self.assertEqual(32, _train_flags('--dataset_dir=/d').batch_size)
    self.assertEqual(100, _eval_flags('--dataset_dir=/d').batch_size)


class ScriptFlagsTest(parameterized.TestCase):
  """Every script's flags come from flag_defs, on any FlagValues."""

  @parameterized.named_parameters(
    ('train', train_eval.define_train_flags, ['skip_corrupt', 'num_clones']),
    ('eval', train_eval.define_eval_flags, ['skip_corrupt', 'eval_dir']),
    (
      'download',
      tools.define_download_and_convert_flags,
      ['dataset_name', 'imagenet_train_dir', 'accept_unverified_archive'],
    ),
    (
      'export',
      tools.define_export_flags,
      ['checkpoint_path', 'output_file', 'fold_batch_norm'],
    ),
    (
      'convert_weights',
      tools.define_convert_weights_flags,
      ['source_file', 'output_checkpoint', 'model_name'],
    ),
    (
      'benchmark',
      tools.define_benchmark_flags,
      ['model_name', 'paired', 'step_overhead'],
    ),
    (
      'pipeline_benchmark',
      tools.define_pipeline_benchmark_flags,
      ['preprocessing', 'num_batches', 'is_training'],
    ),
    (
      'launch_cluster',
      tools.define_launch_cluster_flags,
      ['num_ps', 'num_workers', 'max_restarts'],
    ),
    (
      'graph_build',
      tools.define_graph_build_flags,
      ['copies', 'repeats', 'model_name'],
    ),
    (
      'tf2_train',
      train_eval.define_tf2_train_flags,
      ['strategy', 'preprocessing_name', 'image_size'],
    ),
  )
  def test_defines_on_fresh_flag_values(self, define, names):
    fv = flags.FlagValues()
    define(fv)
    for name in names:
      self.assertIn(name, fv)
    self.assertNotIn(names[0], flags.FLAGS)

  def test_skip_corrupt_is_off_by_default(self):
    self.assertFalse(_train_flags('--dataset_dir=/d').skip_corrupt)
    self.assertTrue(
      _eval_flags('--dataset_dir=/d', '--skip_corrupt').skip_corrupt
    )

  def test_import_loads_no_tensorflow(self):
    # The cluster launcher starts through flag_defs and stays light.
    code = (
      'import sys; from utils import flag_defs; '
      'from utils.flag_defs import tools; '
      'from utils.distributed import launch_cluster; '
      'print("tensorflow" in sys.modules)'
    )
    out = subprocess.run(
      [sys.executable, '-c', code],
      cwd=_ROOT,
      capture_output=True,
      text=True,
      check=True,
    ).stdout
    self.assertEqual('False', out.strip())


class Tf2TrainFlagsTest(parameterized.TestCase):
  @parameterized.parameters(
    'dataset_name',
    'dataset_split_name',
    'dataset_dir',
    'labels_offset',
    'model_name',
    'preprocessing_name',
    'use_grayscale',
    'num_preprocessing_threads',
    'skip_corrupt',
    'loss',
    'label_smoothing',
    'bce_target_threshold',
    'mixup_alpha',
    'cutmix_alpha',
    'mix_prob',
    'mix_switch_prob',
    'auto_augment',
    'randaugment_num_ops',
    'randaugment_magnitude',
    'randaugment_magnitude_std',
    'random_erase',
    'aug_repeats',
    'drop_path_rate',
    'zero_init_residual',
    'conv_gradients',
  )
  def test_data_flags_are_the_training_scripts(self, name):
    train, tf2 = flags.FlagValues(), flags.FlagValues()
    train_eval.define_train_flags(train)
    train_eval.define_tf2_train_flags(tf2)
    self.assertEqual(train[name].flag_type(), tf2[name].flag_type())
    if name != 'dataset_split_name':
      self.assertEqual(train[name].help, tf2[name].help)

  @parameterized.parameters(
    ['--mixup_alpha=-1'],
    ['--cutmix_alpha=-0.5'],
    ['--mix_prob=2'],
    ['--mix_switch_prob=-0.1'],
    ['--auto_augment=randaugment', '--randaugment_magnitude=31'],
    ['--auto_augment=randaugment', '--randaugment_num_ops=-1'],
    ['--random_erase=1.5'],
    ['--aug_repeats=0'],
    ['--bce_target_threshold=0.5'],
    ['--loss=bce', '--bce_target_threshold=2'],
    ['--label_smoothing=1.5'],
    ['--drop_path_rate=1'],
  )
  def test_bad_recipe_values_fail_as_in_the_training_script(self, *args):
    messages = []
    for define, build in [
      (train_eval.define_train_flags, configs.train_config),
      (train_eval.define_tf2_train_flags, configs.tf2_train_config),
    ]:
      fv = flags.FlagValues()
      define(fv)
      try:
        fv(['program', '--dataset_dir=/d'] + list(args))
        build(fv)
      except (ValueError, flags.Error) as e:
        messages.append(str(e))
      else:
        messages.append(None)
    self.assertIsNotNone(messages[0])
    self.assertEqual(messages[0], messages[1])

  def test_conv_gradients_reaches_the_tf2_config(self):
    fv = flags.FlagValues()
    train_eval.define_tf2_train_flags(fv)
    fv(['tf2_train', '--dataset_dir=/d'])
    self.assertEqual('auto', fv['conv_gradients'].default)
    self.assertEqual('auto', configs.tf2_train_config(fv).conv_gradients)
    fv(['tf2_train', '--dataset_dir=/d', '--conv_gradients=matmul'])
    self.assertEqual('matmul', configs.tf2_train_config(fv).conv_gradients)
    # A bad value: the training script's error line.
    with self.assertRaisesRegex(
      flags.IllegalFlagValueError,
      r'^flag --conv_gradients=fast: value should be one of '
      r'<auto\|plain\|matmul>$',
    ):
      fv(['tf2_train', '--dataset_dir=/d', '--conv_gradients=fast'])
    with self.assertRaisesRegex(
      ValueError,
      r'^conv_gradients must be one of auto, plain, matmul; got '
      r"conv_gradients='fast'$",
    ):
      config.Tf2TrainConfig(conv_gradients='fast')

  def test_defaults_of_the_tf2_trainer(self):
    fv = flags.FlagValues()
    train_eval.define_tf2_train_flags(fv)
    fv(['tf2_train', '--dataset_dir=/d', '--preprocessing_name=cifar'])
    self.assertEqual('digits', fv.dataset_name)
    self.assertEqual('resnet_cifar_20', fv.model_name)
    self.assertEqual('cifar', fv.preprocessing_name)
    self.assertNotIn('moving_average_decay', fv)


def _run_program(args, env=None):
  return subprocess.run(
    [sys.executable] + args,
    cwd=_ROOT,
    env=env,
    capture_output=True,
    text=True,
    check=False,
  )


class ProgramsTest(tf.test.TestCase):
  """How the shipped programs start: absl's app, --flagfile, tf_keras."""

  def test_every_program_runs_through_absl_app(self):
    # absl.app.run parses --flagfile (and --helpshort, --verbosity). Every
    # program with flags (internal child processes, such as the benchmark's
    # workers, take a request instead).
    programs = [n for n in os.listdir(_ROOT) if n.endswith('.py')] + [
      os.path.relpath(os.path.join(directory, name), _ROOT)
      for package in ('nets', 'utils')
      for directory, _, names in os.walk(os.path.join(_ROOT, package))
      for name in names
      if name.endswith('.py')
    ]
    mains = []
    for path in programs:
      with open(os.path.join(_ROOT, path)) as f:
        text = f.read()
      if "if __name__ == '__main__':" in text and 'flags' in text:
        mains.append(path)
        self.assertIn('app.run(', text, path)
    self.assertIn('train_image_classifier.py', mains)
    self.assertIn(os.path.join('utils', 'training', 'tf2_train.py'), mains)

  def test_flagfile_with_later_flags_overriding_it(self):
    flagfile = os.path.join(self.get_temp_dir(), 'train.flags')
    with open(flagfile, 'w') as f:
      f.write(
        '--dataset_name=digits\n'
        '--model_name=resnet_cifar_20\n'
        '--dataset_dir=/nonexistent/from_the_file\n'
      )
    proc = _run_program(
      [
        'train_image_classifier.py',
        '--flagfile=' + flagfile,
        '--dataset_dir=/nonexistent/from_the_command_line',
      ]
    )
    self.assertEqual(1, proc.returncode, proc.stderr[-3000:])
    # dataset_name comes from the file, dataset_dir from the later flag.
    self.assertIn(
      'train_image_classifier.py: error: dataset_dir '
      "'/nonexistent/from_the_command_line' does not exist; create it with "
      'download_and_convert_data.py --dataset_name=digits',
      proc.stderr,
    )
    self.assertNotIn('from_the_file', proc.stderr)

  def test_tf2_trainer_starts_without_legacy_keras_in_the_environment(self):
    env = {k: v for k, v in os.environ.items() if k != 'TF_USE_LEGACY_KERAS'}
    proc = _run_program(
      ['-m', 'utils.training.tf2_train', '--helpshort'], env=env
    )
    # absl's --helpshort ends every program with exit code 1, after the help.
    self.assertEqual(1, proc.returncode, proc.stderr[-3000:])
    self.assertNotIn('Traceback', proc.stderr)
    self.assertIn('TF2 training of the networks', proc.stdout)
    for flag in ('--preprocessing_name', '--dataset_dir', '--strategy'):
      self.assertIn(flag, proc.stdout)


class StartAndErrorsTest(parameterized.TestCase):
  def test_positional_arguments(self):
    fv = flags.FlagValues()
    flags.DEFINE_integer('verbosity', 0, 'v', flag_values=fv)
    fv(['script.py', '--verbosity=0'])  # Present: the level stays as is.
    with self.assertRaisesRegex(app.UsageError, r'^Unexpected arguments: a b$'):
      flag_defs.start_script(['script.py', 'a', 'b'], fv, graph_mode=False)
    flag_defs.start_script(
      ['script.py', 'a'], fv, graph_mode=False, positional=True
    )

  def test_expected_errors_become_one_line(self):
    with self.assertRaises(SystemExit) as exit_info:
      with flag_defs.exit_on_error('script.py'):
        raise IOError('No file matches /d/*.tfrecord;\ncheck dataset_dir.')
    self.assertEqual(
      'script.py: error: No file matches /d/*.tfrecord; check dataset_dir.',
      exit_info.exception.code,
    )
    with self.assertRaises(SystemExit) as exit_info:
      with flag_defs.exit_on_error('train.py', (ValueError, RuntimeError)):
        raise RuntimeError('Loss is nan')
    self.assertEqual('train.py: error: Loss is nan', exit_info.exception.code)

  def test_other_errors_keep_their_traceback(self):
    with self.assertRaisesRegex(KeyError, 'bug'):
      with flag_defs.exit_on_error('script.py'):
        raise KeyError('bug')


if __name__ == '__main__':
  absltest.main()
