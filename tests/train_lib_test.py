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
"""Unit tests of utils/training/: schedules and optimizers (schedules.py),
checkpoints (checkpoints.py), the fine-tuning variable sets (fine_tuning.py),
devices (replicas.py), and that `train_lib.train` and `eval_lib.evaluate`
refuse bad arguments before building anything. No flags, no training loop
(that is tests/train_eval_test.py)."""

import math
import os
import shutil
import tempfile
import types
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

import nets  # noqa: F401  (applies nets/tf_compat first)
from nets import nets_factory
from nets import scope_rule
from nets import tf_compat
from tests import scope_cases
from tests import test_util
from utils.training import checkpoints
from utils.training import eval_lib
from utils.training import fine_tuning
from utils.training import replicas
from utils.training import schedules
from utils.training import train_lib


def _train(dataset, train_dir, model_name, **flat):
  """`train_lib.train` with flat keywords (`test_util.train_args`)."""
  return train_lib.train(
    dataset, train_dir, model_name, **test_util.train_args(**flat)
  )


def _evaluate(dataset, checkpoint_path, model_name, **flat):
  """`eval_lib.evaluate` with flat keywords (`test_util.eval_args`)."""
  return eval_lib.evaluate(
    dataset, checkpoint_path, model_name, **test_util.eval_args(**flat)
  )


def setUpModule():
  tf_compat.enable_graph_mode()


def _schedule_values(decay_type, steps, **kwargs):
  with tf.Graph().as_default():
    step = tf.placeholder(tf.int64, [])
    lr = schedules.configure_learning_rate(
      decay_type, global_step=step, **kwargs
    )
    with tf.Session() as sess:
      return [float(sess.run(lr, {step: s})) for s in steps]


def _expected(decay_type, s, lr, decay_steps, end, factor):
  """The schedules of configure_learning_rate's docstring, in numpy."""
  if decay_type == 'fixed':
    return lr
  if decay_type == 'exponential':
    return lr * factor ** (s // decay_steps)
  if decay_type == 'polynomial':
    return (lr - end) * (1 - min(s, decay_steps) / decay_steps) + end
  return end + (lr - end) * 0.5 * (
    1 + math.cos(math.pi * min(s, decay_steps) / decay_steps)
  )


class LearningRateTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    (name, name) for name in schedules.LEARNING_RATE_DECAY_TYPES
  )
  def test_schedule(self, decay_type):
    steps = [0, 1, 9, 10, 11, 25, 40, 100]
    values = _schedule_values(
      decay_type,
      steps,
      learning_rate=0.5,
      decay_steps=10,
      end_learning_rate=0.01,
      learning_rate_decay_factor=0.5,
    )
    expected = [_expected(decay_type, s, 0.5, 10, 0.01, 0.5) for s in steps]
    self.assertAllClose(expected, values, rtol=1e-5, atol=1e-7)

  @parameterized.named_parameters(
    (name, name) for name in schedules.LEARNING_RATE_DECAY_TYPES
  )
  def test_warmup_is_linear_then_schedule_starts(self, decay_type):
    warmup = 4
    steps = [0, 1, 3, 4, 5, 9, 14, 30]
    values = _schedule_values(
      decay_type,
      steps,
      learning_rate=0.2,
      decay_steps=10,
      end_learning_rate=0.0,
      learning_rate_decay_factor=0.1,
      warmup_steps=warmup,
    )
    expected = [
      0.2 * (s + 1) / warmup
      if s < warmup
      else _expected(decay_type, s - warmup, 0.2, 10, 0.0, 0.1)
      for s in steps
    ]
    self.assertAllClose(expected, values, rtol=1e-5, atol=1e-7)
    self.assertAllClose(0.2, values[steps.index(warmup)])  # The peak.

  def test_unknown_schedule_lists_choices(self):
    with tf.Graph().as_default():
      with self.assertRaisesRegex(
        ValueError, r"'linear'.*cosine, exponential, fixed, polynomial"
      ):
        schedules.configure_learning_rate(
          'linear', 0.1, tf.train.get_or_create_global_step(), 10
        )

  @parameterized.named_parameters(
    ('zero_lr', dict(learning_rate=0.0), r'learning_rate must be > 0'),
    ('zero_decay_steps', dict(decay_steps=0), r'decay_steps=0'),
    ('negative_warmup', dict(warmup_steps=-1), r'warmup_steps=-1'),
    ('float_decay_steps', dict(decay_steps=2.5), r'decay_steps=2.5'),
  )
  def test_bad_values(self, overrides, regex):
    kwargs = dict(
      learning_rate_decay_type='exponential', learning_rate=0.1, decay_steps=10
    )
    kwargs.update(overrides)
    with tf.Graph().as_default():
      with self.assertRaisesRegex(ValueError, regex):
        schedules.configure_learning_rate(
          global_step=tf.train.get_or_create_global_step(), **kwargs
        )

  def test_epochs_count_the_effective_batch(self):
    images = schedules.global_batch_size(32, num_clones=2)
    self.assertEqual(64, images)
    self.assertEqual(
      128,
      schedules.global_batch_size(
        32, num_clones=2, sync_replicas=True, replicas_to_aggregate=2
      ),
    )
    self.assertEqual(
      32,
      schedules.global_batch_size(
        32, sync_replicas=False, replicas_to_aggregate=4
      ),
    )
    self.assertEqual(100, schedules.epochs_to_steps(2.0, 3200, images))
    self.assertEqual(0, schedules.epochs_to_steps(0, 3200, images))
    self.assertEqual(1, schedules.epochs_to_steps(0.001, 3200, images))
    with self.assertRaisesRegex(ValueError, r'epochs=-1'):
      schedules.epochs_to_steps(-1, 3200, images)


# Hyper-parameters deliberately different from the defaults, so that a flag
# that is not passed through shows up as a wrong update.
_HPARAMS = dict(
  adadelta_rho=0.8,
  adagrad_initial_accumulator_value=0.3,
  adam_beta1=0.5,
  adam_beta2=0.75,
  opt_epsilon=0.5,
  ftrl_learning_rate_power=-0.5,
  ftrl_initial_accumulator_value=0.2,
  ftrl_l1=0.0,
  ftrl_l2=0.0,
  momentum=0.5,
  rmsprop_momentum=0.25,
  rmsprop_decay=0.6,
)
# The decay rate of adamw and lamb (configure_optimizer's weight_decay).
_WEIGHT_DECAY = 0.25


def _reference_two_steps(name, lr=0.1, x=1.0):
  """Two steps on f(x) = x^2 / 2 (gradient x), from the papers' update rules
  as tf.compat.v1 implements them (e.g. RMSProp's mean square starts at 1)."""
  h = _HPARAMS
  state = {}
  for _ in range(2):
    g = x
    if name == 'sgd':
      x -= lr * g
    elif name == 'momentum':
      state['a'] = h['momentum'] * state.get('a', 0.0) + g
      x -= lr * state['a']
    elif name == 'adagrad':
      initial = h['adagrad_initial_accumulator_value']
      state['a'] = state.get('a', initial) + g * g
      x -= lr * g / math.sqrt(state['a'])
    elif name == 'adadelta':
      rho, eps = h['adadelta_rho'], h['opt_epsilon']
      state['a'] = rho * state.get('a', 0.0) + (1 - rho) * g * g
      update = (
        math.sqrt(state.get('u', 0.0) + eps) / math.sqrt(state['a'] + eps) * g
      )
      state['u'] = rho * state.get('u', 0.0) + (1 - rho) * update * update
      x -= lr * update
    elif name == 'adam':
      b1, b2, eps = h['adam_beta1'], h['adam_beta2'], h['opt_epsilon']
      t = state['t'] = state.get('t', 0) + 1
      state['m'] = b1 * state.get('m', 0.0) + (1 - b1) * g
      state['v'] = b2 * state.get('v', 0.0) + (1 - b2) * g * g
      lr_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
      x -= lr_t * state['m'] / (math.sqrt(state['v']) + eps)
    elif name in ('adamw', 'lamb'):
      # torch.optim.AdamW and timm's Lamb (whose gradient norm, |x| <= 1,
      # is never clipped); a scalar is decayed at weight_decay.
      b1, b2, eps = h['adam_beta1'], h['adam_beta2'], h['opt_epsilon']
      wd = _WEIGHT_DECAY
      t = state['t'] = state.get('t', 0) + 1
      state['m'] = b1 * state.get('m', 0.0) + (1 - b1) * g
      state['v'] = b2 * state.get('v', 0.0) + (1 - b2) * g * g
      update = (state['m'] / (1 - b1**t)) / (
        math.sqrt(state['v'] / (1 - b2**t)) + eps
      )
      if name == 'adamw':
        x = x * (1 - lr * wd) - lr * update
      else:
        update += wd * x
        x -= lr * abs(x) / abs(update) * update
    elif name == 'rmsprop':
      decay, mom, eps = (
        h['rmsprop_decay'],
        h['rmsprop_momentum'],
        h['opt_epsilon'],
      )
      state['ms'] = decay * state.get('ms', 1.0) + (1 - decay) * g * g
      state['mom'] = mom * state.get('mom', 0.0) + lr * g / math.sqrt(
        state['ms'] + eps
      )
      x -= state['mom']
    elif name == 'ftrl':
      n = state.get('n', h['ftrl_initial_accumulator_value'])
      z = state.get('z', 0.0)
      n_new = n + g * g
      sigma = (math.sqrt(n_new) - math.sqrt(n)) / lr
      z += g - sigma * x
      state['n'], state['z'] = n_new, z
      x = -z / (math.sqrt(n_new) / lr)
  return x


class OptimizerTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters((name, name) for name in schedules.OPTIMIZERS)
  def test_two_steps_match_the_update_rule(self, name):
    with tf.Graph().as_default():
      x = tf.Variable(1.0, dtype=tf.float64)
      optimizer = schedules.configure_optimizer(
        name,
        0.1,
        schedules.OptimizerParams(**_HPARAMS),
        weight_decay=_WEIGHT_DECAY,
      )
      self.assertIsInstance(optimizer, tf.train.Optimizer)
      step = optimizer.minimize(0.5 * tf.square(x))
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        sess.run(step)
        value = sess.run(x)
    self.assertAllClose(_reference_two_steps(name), value, rtol=1e-6)

  def test_all_names_differ(self):
    # The reference updates differ, so the test above tells them apart;
    # but for lamb, whose trust ratio makes its step on a single number
    # lr * |x| whatever the moments, as sgd's on x^2 / 2 (LAMB on tensors:
    # tests/decoupled_optimizers_test.py).
    names = [name for name in schedules.OPTIMIZERS if name != 'lamb']
    values = [_reference_two_steps(name) for name in names]
    self.assertLen(set(np.round(values, 6)), len(values))
    self.assertAllClose(
      _reference_two_steps('lamb'), _reference_two_steps('sgd')
    )

  def test_unknown_optimizer_lists_choices(self):
    with self.assertRaisesRegex(
      ValueError,
      r"'nadam'.*adadelta, adagrad, adam, adamw, ftrl, lamb, momentum, "
      r'rmsprop, sgd',
    ):
      schedules.configure_optimizer('nadam', 0.1)


def _tiny_network(num_classes=10, is_training=True):
  """resnet_cifar_20 at 8x8 with 8/16/32 filters, in the default graph."""
  network_fn = nets_factory.get_network_fn(
    'resnet_cifar_20', num_classes, weight_decay=1e-4, is_training=is_training
  )
  images = tf.random.uniform([2, 8, 8, 3], seed=1)
  return network_fn(images, depth_multiplier=0.5)


class VariableSetsTest(tf.test.TestCase, parameterized.TestCase):
  def test_parse_scopes(self):
    self.assertEqual([], scope_rule.parse_scopes(None))
    self.assertEqual([], scope_rule.parse_scopes(''))
    self.assertEqual(['a/b', 'c'], scope_rule.parse_scopes(' a/b , c,'))
    self.assertEqual(['a'], scope_rule.parse_scopes(['a', ' ']))
    with self.assertRaisesRegex(
      ValueError,
      r'^trainable_scopes must be None, a comma-separated string or a list '
      r'of scope names; got trainable_scopes=\[3\]$',
    ):
      scope_rule.parse_scopes([3], 'trainable_scopes')

  @parameterized.named_parameters(*scope_cases.SCOPE_CASES)
  def test_checkpoint_exclude_scopes_select_by_prefix(self, scopes, selected):
    with tf.Graph().as_default():
      _tiny_network()
      variables = slim.get_model_variables()
      to_restore, excluded = fine_tuning.get_variables_to_restore(
        variables, scopes
      )
      self.assertEqual(selected, sorted(v.op.name for v in excluded))
      self.assertEqual([v for v in variables if v not in excluded], to_restore)

  @parameterized.named_parameters(*scope_cases.SCOPE_CASES)
  def test_trainable_scopes_select_by_prefix(self, scopes, selected):
    with tf.Graph().as_default():
      _tiny_network()
      trainable = [
        v.op.name for v in tf.trainable_variables() if v.op.name in selected
      ]
      if not trainable:
        with self.assertRaisesRegex(ValueError, r'matches no trainable'):
          fine_tuning.get_variables_to_train(scopes)
        return
      chosen = fine_tuning.get_variables_to_train(scopes)
      self.assertEqual(trainable, [v.op.name for v in chosen])

  def test_variables_to_restore_excludes_scopes(self):
    with tf.Graph().as_default():
      _tiny_network()
      variables = slim.get_model_variables()
      to_restore, excluded = fine_tuning.get_variables_to_restore(
        variables, 'resnet_cifar_20/logits, resnet_cifar_20/block3'
      )
      names = {v.op.name for v in excluded}
      self.assertIn('resnet_cifar_20/logits/weights', names)
      self.assertIn('resnet_cifar_20/logits/biases', names)
      self.assertTrue(
        all(
          n.startswith(('resnet_cifar_20/logits', 'resnet_cifar_20/block3'))
          for n in names
        )
      )
      self.assertCountEqual(variables, to_restore + excluded)
      self.assertFalse(
        any(v.op.name.startswith('resnet_cifar_20/block3') for v in to_restore)
      )
      # Model variables only: no global step, no optimizer slots.
      self.assertNotIn('global_step', {v.op.name for v in to_restore})

  def test_variables_to_restore_without_exclusions(self):
    with tf.Graph().as_default():
      _tiny_network()
      variables = slim.get_model_variables()
      to_restore, excluded = fine_tuning.get_variables_to_restore(variables)
      self.assertEqual(variables, to_restore)
      self.assertEqual([], excluded)

  def test_variables_to_train(self):
    with tf.Graph().as_default():
      _tiny_network()
      all_trainable = tf.trainable_variables()
      self.assertEqual(all_trainable, fine_tuning.get_variables_to_train(None))
      logits = fine_tuning.get_variables_to_train('resnet_cifar_20/logits')
      self.assertCountEqual(
        ['resnet_cifar_20/logits/weights', 'resnet_cifar_20/logits/biases'],
        [v.op.name for v in logits],
      )
      two = fine_tuning.get_variables_to_train(
        ['resnet_cifar_20/logits', 'resnet_cifar_20/block3']
      )
      self.assertGreater(len(two), len(logits))
      # Batch-norm statistics are never trained.
      self.assertFalse(any('moving_' in v.op.name for v in two))

  def test_unknown_trainable_scope_is_an_error(self):
    with tf.Graph().as_default():
      _tiny_network()
      with self.assertRaisesRegex(
        ValueError, r"'resnet_cifar_20/logitz'.*resnet_cifar_20"
      ):
        fine_tuning.get_variables_to_train('resnet_cifar_20/logitz')

  def test_filter_update_ops_keeps_trainable_scopes(self):
    with tf.Graph().as_default():
      _tiny_network()
      update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
      self.assertNotEmpty(update_ops)
      self.assertEqual(
        update_ops, fine_tuning.filter_update_ops(update_ops, None)
      )
      block3 = fine_tuning.filter_update_ops(
        update_ops, 'resnet_cifar_20/block3'
      )
      # Two statistics (mean, variance) per batch norm of block3's 3 units of
      # 2 convolutions.
      self.assertLen(block3, 2 * 3 * 2)
      self.assertEqual(
        [], fine_tuning.filter_update_ops(update_ops, 'resnet_cifar_20/logits')
      )


def _save_checkpoint(directory, values, steps=(7,)):
  """Saves float variables {name: array} and a global step, at each step.

  Returns:
    The prefix of the last checkpoint, or of each if several steps.
  """
  with tf.Graph().as_default():
    variables = [tf.Variable(v, name=n) for n, v in values.items()]
    global_step = tf.train.get_or_create_global_step()
    # Relative paths in the state file, as training writes them.
    saver = tf.train.Saver(variables + [global_step], save_relative_paths=True)
    prefixes = []
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      for step in steps:
        sess.run(global_step.assign(step))
        prefixes.append(
          saver.save(
            sess, os.path.join(directory, 'model.ckpt'), global_step=step
          )
        )
  return prefixes if len(prefixes) > 1 else prefixes[0]


class CheckpointTest(tf.test.TestCase, parameterized.TestCase):
  def setUp(self):
    super().setUp()
    self.dir = tempfile.mkdtemp(dir=self.get_temp_dir())

  def test_resolve_file_directory_and_suffixes(self):
    prefix = _save_checkpoint(self.dir, {'a': np.ones(2, np.float32)})
    self.assertEqual(prefix, checkpoints.resolve_checkpoint(self.dir))
    self.assertEqual(prefix, checkpoints.resolve_checkpoint(prefix))
    self.assertEqual(prefix, checkpoints.resolve_checkpoint(prefix + '.index'))
    self.assertEqual(7, checkpoints.checkpoint_global_step(prefix))

  @parameterized.named_parameters(
    ('empty_dir', ''), ('missing_file', 'model.ckpt-3')
  )
  def test_no_checkpoint_names_the_path(self, relative):
    path = os.path.join(self.dir, relative) if relative else self.dir
    with self.assertRaisesRegex(
      ValueError, 'No checkpoint found.*%s' % path.replace('.', r'\.')
    ):
      checkpoints.resolve_checkpoint(path)

  def test_relative_directory(self):
    prefix = _save_checkpoint(self.dir, {'a': np.ones(2, np.float32)})
    cwd = os.getcwd()
    os.chdir(os.path.dirname(self.dir))
    try:
      relative = os.path.basename(self.dir)
      expected = os.path.join(relative, os.path.basename(prefix))
      self.assertEqual([expected], checkpoints.list_checkpoints(relative))
      self.assertEqual(expected, checkpoints.resolve_checkpoint(relative))
    finally:
      os.chdir(cwd)

  def test_half_written_checkpoints_are_skipped(self):
    first, second = _save_checkpoint(
      self.dir, {'a': np.ones(2, np.float32)}, steps=(1, 2)
    )
    self.assertEqual([first, second], checkpoints.list_checkpoints(self.dir))
    # A checkpoint whose data file is not there (yet, or any more).
    for data in tf.io.gfile.glob(second + '.data-*'):
      os.rename(data, data + '.tmp')
    self.assertEqual([first], checkpoints.list_checkpoints(self.dir))
    self.assertEqual(first, checkpoints.latest_checkpoint(self.dir))
    self.assertEqual(first, checkpoints.resolve_checkpoint(self.dir))
    # Files of a checkpoint the state file does not list yet are ignored:
    # the complete files of step 3, copied in without the state file.
    third = _save_checkpoint(
      tempfile.mkdtemp(dir=self.get_temp_dir()),
      {'a': np.ones(2, np.float32)},
      steps=(3,),
    )
    for path in tf.io.gfile.glob(third + '.*'):
      shutil.copy(path, self.dir)
    self.assertTrue(
      checkpoints.checkpoint_is_complete(
        os.path.join(self.dir, os.path.basename(third))
      )
    )
    self.assertEqual([first], checkpoints.list_checkpoints(self.dir))
    self.assertEqual(first, checkpoints.latest_checkpoint(self.dir))

  def test_init_fn_restores_and_checks(self):
    prefix = _save_checkpoint(
      self.dir,
      {
        'net/w': np.full([2, 3], 2.0, np.float32),
        'net/b': np.full([3], 5.0, np.float32),
      },
    )
    with tf.Graph().as_default():
      w = tf.Variable(tf.zeros([2, 3]), name='net/w')
      b = tf.Variable(tf.zeros([3]), name='net/b')
      extra = tf.Variable(tf.zeros([1]), name='net/extra')
      # A missing variable is an error naming it...
      with self.assertRaisesRegex(
        ValueError,
        r"lacks 1 variable.*'net/extra'.*"
        r'ignore_missing_vars',
      ):
        fine_tuning.get_init_fn(self.dir, [w, b, extra])
      # ... unless ignored.
      init_fn, restored, missing = fine_tuning.get_init_fn(
        self.dir, [w, b, extra], ignore_missing_vars=True
      )
      self.assertCountEqual(['net/w', 'net/b'], restored)
      self.assertEqual(['net/extra'], missing)
      with self.session() as sess:
        sess.run(tf.global_variables_initializer())
        init_fn(None, sess)
        self.assertAllEqual(np.full([2, 3], 2.0), sess.run(w))
        self.assertAllEqual(np.full([3], 5.0), sess.run(b))
        self.assertAllEqual([0.0], sess.run(extra))
    self.assertTrue(prefix)

  def test_shape_mismatch_names_the_variable(self):
    _save_checkpoint(self.dir, {'net/logits': np.zeros([4, 10], np.float32)})
    with tf.Graph().as_default():
      logits = tf.Variable(tf.zeros([4, 9]), name='net/logits')
      with self.assertRaisesRegex(
        ValueError,
        r"'net/logits' has shape \[4, 9\] in the model but "
        r'\[4, 10\].*checkpoint_exclude_scopes',
      ):
        fine_tuning.get_init_fn(self.dir, [logits])


class TrainDirTest(tf.test.TestCase):
  def test_creates_nested_dir(self):
    path = os.path.join(self.get_temp_dir(), 'a', 'b')
    checkpoints.make_train_dir(path)
    self.assertTrue(os.path.isdir(path))

  def test_file_in_the_way(self):
    path = os.path.join(self.get_temp_dir(), 'file')
    with open(path, 'w') as f:
      f.write('x')
    with self.assertRaisesRegex(
      ValueError,
      r'Cannot create train_dir .*/file/'
      r'sub|not a directory',
    ):
      checkpoints.make_train_dir(os.path.join(path, 'sub'))
    with self.assertRaisesRegex(ValueError, 'not a directory'):
      checkpoints.make_train_dir(path)
    with self.assertRaisesRegex(
      ValueError,
      r"eval_dir '.*/file' exists and is "
      r'not a directory.*--eval_dir',
    ):
      checkpoints.make_train_dir(path, what='eval_dir')


class DevicesTest(tf.test.TestCase):
  def test_clone_devices(self):
    self.assertEqual('', replicas.clone_device(0, 1, False))
    self.assertEqual('/device:GPU:1', replicas.clone_device(1, 2, False))
    self.assertEqual('/device:CPU:0', replicas.clone_device(1, 2, True))
    self.assertEqual(
      '/job:worker/task:3/device:GPU:0',
      replicas.clone_device(0, 2, False, num_ps_tasks=2, task=3),
    )
    self.assertEqual('', replicas.default_variables_device(1))
    self.assertEqual('/device:CPU:0', replicas.default_variables_device(2))

  def test_ps_tasks_place_variables_on_ps(self):
    device_fn = replicas.default_variables_device(1, num_ps_tasks=2, task=1)
    with tf.Graph().as_default(), tf.device(device_fn):
      a = tf.Variable(1.0, name='a')
      b = tf.Variable(1.0, name='b')
    self.assertEqual(
      ['/job:ps/task:0', '/job:ps/task:1'], sorted([a.device, b.device])
    )


# A data set descriptor as train() and evaluate() see it; its files are never
# read, since bad arguments are refused before any input pipeline exists.
_DATASET = types.SimpleNamespace(
  name='digits',
  num_classes=10,
  num_samples=48,
  data_sources='/nonexistent/digits_*',
)
_TRAIN_ERRORS = [
  (
    'unknown_loss',
    dict(loss='hinge'),
    r"^Unknown loss 'hinge'; choose one of softmax, bce\.$",
  ),
  (
    'bce_threshold_above_one',
    dict(loss='bce', bce_target_threshold=1.5),
    r'^bce_target_threshold must be <= 1; got bce_target_threshold=1\.5\.$',
  ),
  (
    'bce_threshold_without_bce',
    dict(bce_target_threshold=0.2),
    r'^bce_target_threshold=0\.2 applies to the binary cross-entropy only; '
    r"got loss='softmax'\. Add --loss=bce, or drop --bce_target_threshold\.$",
  ),
  (
    'norm_weight_decay',
    dict(norm_weight_decay=-0.1),
    r'^norm_weight_decay must be >= 0; got norm_weight_decay=-0\.1\.$',
  ),
  (
    'drop_path_rate_one',
    dict(drop_path_rate=1.0),
    r'^drop_path_rate must be a number in \[0, 1\) \(the drop probability '
    r'of the last unit; 0 turns stochastic depth off\); got '
    r'drop_path_rate=1\.0$',
  ),
  (
    'drop_path_rate_negative',
    dict(drop_path_rate=-0.1),
    r'drop_path_rate must be a number in \[0, 1\).*got drop_path_rate=-0\.1',
  ),
  (
    'drop_path_rate_in_network_kwargs',
    dict(network_kwargs={'drop_path_rate': 0.1}),
    r'Give drop_path_rate as the field of TrainConfig, not in network_kwargs',
  ),
  (
    'learning_rate',
    dict(learning_rate=-1),
    r'^learning_rate must be > 0; got learning_rate=-1\.$',
  ),
  (
    'end_learning_rate',
    dict(end_learning_rate=-0.5),
    r'^end_learning_rate must be >= 0; got end_learning_rate=-0\.5\.$',
  ),
  (
    'decay_factor',
    dict(learning_rate_decay_factor=0),
    r'learning_rate_decay_factor must be > 0; got '
    r'learning_rate_decay_factor=0',
  ),
  (
    'decay_epochs',
    dict(num_epochs_per_decay=0),
    r'num_epochs_per_decay must be > 0; got num_epochs_per_decay=0',
  ),
  ('warmup', dict(warmup_epochs=-1), r'warmup_epochs must be >= 0'),
  (
    'max_steps',
    dict(max_number_of_steps=-1),
    r'max_number_of_steps must be an integer >= 0 or None; got '
    r'max_number_of_steps=-1',
  ),
  (
    'optimizer_value',
    dict(optimizer='momentum', optimizer_params={'momentum': 'high'}),
    r"^momentum must be a number; got momentum='high'\.$",
  ),
  (
    'optimizer_key',
    dict(optimizer_params={'momentun': 0.9}),
    r"Unknown optimizer hyper-parameter\(s\) 'momentun'; known: "
    r'adadelta_rho',
  ),
  (
    'ftrl_power',
    dict(optimizer='ftrl', optimizer_params=dict(ftrl_learning_rate_power=0.5)),
    r'learning_rate_power 0\.5.* needs to be negative or zero',
  ),
  (
    'clones',
    dict(num_clones=0),
    r'^num_clones must be an integer >= 1; got num_clones=0\.$',
  ),
  (
    'clone_on_cpu',
    dict(clone_on_cpu='yes'),
    r"^clone_on_cpu must be True or False; got clone_on_cpu='yes'$",
  ),
  (
    'replicas',
    dict(sync_replicas=True, replicas_to_aggregate=3, worker_replicas=2),
    r'replicas_to_aggregate=3 is larger than the number of workers',
  ),
  (
    'interval',
    dict(log_every_n_steps=0),
    r'log_every_n_steps must be an integer >= 1; got log_every_n_steps=0',
  ),
  (
    'skip_corrupt',
    dict(skip_corrupt='no'),
    r"skip_corrupt must be True or False; got skip_corrupt='no'",
  ),
  (
    'scopes',
    dict(trainable_scopes=3),
    r'trainable_scopes must be None, a comma-separated string or a list of '
    r'scopes; got trainable_scopes=3',
  ),
  (
    'ignore_missing',
    dict(ignore_missing_vars=None),
    r'ignore_missing_vars must be True or False',
  ),
  ('seed', dict(seed=-1), r'seed must be an integer >= 0 or None'),
  (
    'network_kwargs',
    dict(network_kwargs=['depth_multiplier']),
    r'network_kwargs must be None or a dict',
  ),
  (
    'session_config',
    dict(session_config='allow_soft_placement'),
    r'session_config must be None or a tf.ConfigProto',
  ),
  (
    'weight_decay',
    dict(weight_decay=float('nan')),
    r'weight_decay must be a number; got weight_decay=nan',
  ),
]


class TrainArgumentsTest(tf.test.TestCase, parameterized.TestCase):
  """Every argument of train() is refused before anything is built."""

  def setUp(self):
    super().setUp()
    self.train_dir = os.path.join(self.get_temp_dir(), self.id(), 'train')
    # The network (and with it the graph) is built after every check: a call
    # here means a check came too late.
    patcher = mock.patch.object(
      nets_factory, 'get_network_fn', side_effect=AssertionError('graph built')
    )
    self.get_network_fn = patcher.start()
    self.addCleanup(patcher.stop)

  @parameterized.named_parameters(*_TRAIN_ERRORS)
  def test_refused_before_the_graph(self, overrides, regex):
    kwargs = dict(optimizer='momentum', max_number_of_steps=1)
    kwargs.update(overrides)
    with self.assertRaisesRegex(ValueError, regex):
      _train(_DATASET, self.train_dir, 'resnet_cifar_20', **kwargs)
    self.get_network_fn.assert_not_called()
    self.assertFalse(os.path.exists(self.train_dir))

  def test_wrong_option_group_types(self):
    with self.assertRaisesRegex(
      TypeError,
      r'deployment must be a '
      r'replicas\.Deployment; got \{',
    ):
      _train(
        _DATASET,
        self.train_dir,
        'resnet_cifar_20',
        deployment={'num_clones': 2},
      )
    with self.assertRaisesRegex(
      TypeError,
      r'intervals must be a '
      r'hooks\.Intervals; got \(10, 600\)',
    ):
      _train(_DATASET, self.train_dir, 'resnet_cifar_20', intervals=(10, 600))
    self.get_network_fn.assert_not_called()

  def test_good_arguments_reach_the_network(self):
    # The control of the tests above: valid arguments do build the network.
    with self.assertRaisesRegex(AssertionError, 'graph built'):
      _train(
        _DATASET,
        self.train_dir,
        'resnet_cifar_20',
        learning_rate=0.1,
        max_number_of_steps=1,
      )
    self.get_network_fn.assert_called_once()
    self.assertTrue(os.path.isdir(self.train_dir))


class EvaluateArgumentsTest(tf.test.TestCase, parameterized.TestCase):
  """Every argument of evaluate() is refused before anything is built."""

  @parameterized.named_parameters(
    (
      'timeout',
      dict(eval_interval_secs=1, timeout=-1),
      r'^timeout must be >= 0; got timeout=-1\.$',
    ),
    (
      'interval',
      dict(eval_interval_secs=0),
      r'eval_interval_secs must be > 0; got eval_interval_secs=0',
    ),
    (
      'moving_average',
      dict(moving_average_decay=2.0),
      r'moving_average_decay must be <= 1; got moving_average_decay=2\.0',
    ),
    (
      'skip_corrupt',
      dict(skip_corrupt=1),
      r'skip_corrupt must be True or False; got skip_corrupt=1',
    ),
    (
      'grayscale',
      dict(use_grayscale='yes'),
      r"use_grayscale must be True or False; got use_grayscale='yes'",
    ),
    (
      'batch_size',
      dict(batch_size=0),
      r'batch_size must be an integer >= 1; got batch_size=0',
    ),
    ('master', dict(master=None), r'master must be a string'),
    (
      'network_kwargs',
      dict(network_kwargs='depth_multiplier=0.5'),
      r'network_kwargs must be None or a dict',
    ),
    (
      'no_checkpoint',
      dict(),
      r'No checkpoint found in directory checkpoint_path=',
    ),
  )
  def test_refused_before_the_graph(self, overrides, regex):
    checkpoint_dir = tempfile.mkdtemp(dir=self.get_temp_dir())
    eval_dir = os.path.join(checkpoint_dir, 'eval')
    with mock.patch.object(
      nets_factory, 'get_network_fn', side_effect=AssertionError('graph built')
    ) as fn:
      with self.assertRaisesRegex(ValueError, regex):
        _evaluate(
          _DATASET,
          checkpoint_dir,
          'resnet_cifar_20',
          eval_dir=eval_dir,
          **overrides,
        )
      fn.assert_not_called()
    self.assertFalse(os.path.exists(eval_dir))


if __name__ == '__main__':
  tf.test.main()
