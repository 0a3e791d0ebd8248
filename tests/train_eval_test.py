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
"""End-to-end tests of training and evaluation on tiny generated records.

A tiny resnet_cifar_20 (depth_multiplier 0.25: 8/8/16 filters) at 16x16 runs a
few steps per test, in-process through `train_lib.train` and
`eval_lib.evaluate`; two tests run the scripts as subprocesses.
"""

import dataclasses
import glob
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

import nets  # noqa: F401  (applies nets/tf_compat first)
from nets import tf_compat
from tests import test_util
from utils import input_pipeline
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.preprocessing import augmentation
from utils.training import checkpoints
from utils.training import eval_lib
from utils.training import hooks
from utils.training import mixing
from utils.training import replicas
from utils.training import train_lib

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_MODEL = 'resnet_cifar_20'
_LOGITS = 'resnet_cifar_20/logits'
_NUM_TRAIN, _NUM_TEST = 48, 30
_NETWORK_KWARGS = {'depth_multiplier': 0.25}
_INTERVALS = hooks.Intervals(
  log_every_n_steps=1, save_summaries_secs=3600, save_interval_secs=3600
)


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


def _write_digits_like(directory):
  """Writes 8x8 grey PNG records as the 'digits' data set (10 classes)."""
  rng = np.random.RandomState(0)
  for split, size in [('train', _NUM_TRAIN), ('test', _NUM_TEST)]:
    examples = []
    for i in range(size):
      label = i % 10
      image = rng.randint(0, 60, size=(8, 8)).astype(np.uint8)
      image[label % 8, :] = 255  # A bright row per class (rows 0, 1 shared).
      examples.append(
        dataset_utils.image_to_tfexample(
          dataset_utils.encode_png(image), b'png', 8, 8, label
        )
      )
    dataset_utils.write_tfrecord(
      os.path.join(directory, 'digits_%s.tfrecord' % split), examples
    )


def _corrupt_middle(path):
  """Flips a byte in the middle of a TFRecord file (a record's CRC fails)."""
  with open(path, 'rb') as f:
    data = bytearray(f.read())
  data[len(data) // 2] ^= 0xFF
  with open(path, 'wb') as f:
    f.write(bytes(data))


def _corrupt_copy(data_dir, directory, split):
  """A copy of `data_dir` whose `split` file is corrupt in the middle."""
  shutil.copytree(data_dir, directory)
  path = os.path.join(directory, 'digits_%s.tfrecord' % split)
  _corrupt_middle(path)
  return path


def _train_kwargs(**overrides):
  kwargs = dict(
    preprocessing_name='cifar',
    batch_size=8,
    train_image_size=16,
    num_readers=1,
    num_preprocessing_threads=1,
    optimizer='momentum',
    learning_rate=0.01,
    learning_rate_decay_type='fixed',
    weight_decay=1e-4,
    intervals=_INTERVALS,
    network_kwargs=_NETWORK_KWARGS,
    seed=0,
  )
  kwargs.update(overrides)
  return kwargs


def _eval_kwargs(**overrides):
  kwargs = dict(
    preprocessing_name='cifar',
    batch_size=8,
    eval_image_size=16,
    num_preprocessing_threads=1,
    network_kwargs=_NETWORK_KWARGS,
  )
  kwargs.update(overrides)
  return kwargs


def _values(checkpoint):
  reader = tf.train.load_checkpoint(checkpoint)
  return {
    name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()
  }


def _model_names(values):
  """The model variables of a checkpoint (not optimizer slots or averages)."""
  return sorted(
    n
    for n in values
    if n.startswith(_MODEL + '/')
    and n.rsplit('/', 1)[-1]
    not in ('Momentum', 'Adam', 'Adam_1', 'ExponentialMovingAverage')
  )


def _summary_tags(directory):
  tags = set()
  for path in glob.glob(os.path.join(directory, 'events.*')):
    for event in tf.train.summary_iterator(path):
      tags.update(v.tag for v in event.summary.value)
  return tags


def _first_summary_value(directory, tag):
  for path in sorted(glob.glob(os.path.join(directory, 'events.*'))):
    for event in tf.train.summary_iterator(path):
      for value in event.summary.value:
        if value.tag == tag:
          return value.simple_value
  return None


class TrainEvalTest(tf.test.TestCase, parameterized.TestCase):
  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.root = test_util.class_temp_dir(cls)
    cls.data_dir = os.path.join(cls.root, 'digits')
    os.makedirs(cls.data_dir)
    _write_digits_like(cls.data_dir)
    cls.train_set = dataset_factory.get_dataset('digits', 'train', cls.data_dir)
    cls.test_set = dataset_factory.get_dataset('digits', 'test', cls.data_dir)
    # A "pre-trained" checkpoint for the fine-tuning tests.
    cls.pretrained_dir = os.path.join(cls.root, 'pretrained')
    _train(
      cls.train_set,
      cls.pretrained_dir,
      _MODEL,
      **_train_kwargs(max_number_of_steps=2),
    )
    cls.pretrained = _values(checkpoints.latest_checkpoint(cls.pretrained_dir))

  def train_dir(self):
    return tempfile.mkdtemp(dir=self.root)

  def test_train_then_evaluate_every_record_once(self):
    train_dir = self.train_dir()
    live = io.StringIO()
    result = _train(
      self.train_set,
      train_dir,
      _MODEL,
      summarize_activations=True,
      live_progress=live,
      **_train_kwargs(
        max_number_of_steps=3,
        intervals=dataclasses.replace(_INTERVALS, log_every_n_steps=100),
      ),
    )
    # Step 2 is neither a log step nor the last: the live line shows it.
    self.assertRegex(
      live.getvalue(),
      r'^\r\x1b\[Kglobal step 2/3, loss = [\d.]+, learning rate'
      r' = 0\.01',
    )
    self.assertEqual(3, result.global_step)
    self.assertTrue(np.isfinite(result.loss))
    self.assertEqual(
      3,
      checkpoints.checkpoint_global_step(
        checkpoints.latest_checkpoint(train_dir)
      ),
    )
    train_tags = _summary_tags(train_dir)
    self.assertContainsSubset(
      {
        'total_loss',
        'learning_rate',
        'losses/cross_entropy',
        'losses/regularization_loss',
      },
      train_tags,
    )
    self.assertTrue(any(t.startswith('activations/') for t in train_tags))

    eval_dir = os.path.join(train_dir, 'eval')
    results = list(
      _evaluate(
        self.test_set, train_dir, _MODEL, eval_dir=eval_dir, **_eval_kwargs()
      )
    )
    self.assertLen(results, 1)
    # 30 records in batches of 8: the last, partial batch counts too.
    self.assertEqual(_NUM_TEST, results[0].num_examples)
    self.assertEqual(3, results[0].global_step)
    for name in eval_lib.METRIC_NAMES:
      self.assertBetween(results[0].metrics[name], 0.0, 1.0)
    self.assertGreaterEqual(
      results[0].metrics['Recall_5'], results[0].metrics['Accuracy']
    )
    self.assertContainsSubset(
      {'eval/Accuracy', 'eval/Recall_5'}, _summary_tags(eval_dir)
    )

    limited = list(
      _evaluate(
        self.test_set, train_dir, _MODEL, max_num_batches=2, **_eval_kwargs()
      )
    )
    self.assertEqual(16, limited[0].num_examples)

  @parameterized.named_parameters(
    ('adamw', dict(optimizer='adamw', norm_weight_decay=0.0), 'AdamW'),
    (
      'lamb_bce',
      dict(
        optimizer='lamb',
        weight_decay=0.02,
        loss='bce',
        bce_target_threshold=0.2,
        label_smoothing=0.1,
      ),
      'LAMB',
    ),
  )
  def test_decoupled_optimizers_train_without_l2_loss(
    self, overrides, optimizer_name
  ):
    train_dir = self.train_dir()
    result = _train(
      self.train_set,
      train_dir,
      _MODEL,
      **_train_kwargs(max_number_of_steps=2, **overrides),
    )
    self.assertEqual(2, result.global_step)
    self.assertTrue(np.isfinite(result.loss))
    # The decay is the optimizer's: no L2 loss (slim's is > 0, see below).
    self.assertEqual(
      _first_summary_value(train_dir, 'losses/regularization_loss'), 0.0
    )
    # The optimizer's step count and moments are saved for resuming.
    values = _values(checkpoints.latest_checkpoint(train_dir))
    self.assertEqual(values[optimizer_name + '_step'], 2.0)
    self.assertIn(_LOGITS + '/weights/' + optimizer_name, values)

  def test_norm_weight_decay_adds_to_slims_l2_loss(self):
    losses_seen = []
    for norm_weight_decay in (None, 0.5):
      train_dir = self.train_dir()
      _train(
        self.train_set,
        train_dir,
        _MODEL,
        **_train_kwargs(
          max_number_of_steps=1, norm_weight_decay=norm_weight_decay
        ),
      )
      losses_seen.append(
        _first_summary_value(train_dir, 'losses/regularization_loss')
      )
    # slim's L2 loss on the kernels; with the same seed the same kernels,
    # plus the rank-1 term (0.5 * sum(gamma^2) / 2, gamma initialized to 1).
    self.assertGreater(losses_seen[0], 0.0)
    self.assertGreater(losses_seen[1], losses_seen[0] + 0.1)

  def test_resume_continues_step_and_optimizer_state(self):
    train_dir = self.train_dir()
    # Adam's beta1_power starts at beta1 and is multiplied by it every step:
    # it shows whether the optimizer state was restored (0.9 ** 4 after 3
    # steps) or restarted (0.9 ** 2).
    kwargs = _train_kwargs(optimizer='adam')
    _train(self.train_set, train_dir, _MODEL, max_number_of_steps=2, **kwargs)
    with self.assertLogs(level='INFO') as logs:
      result = _train(
        self.train_set,
        train_dir,
        _MODEL,
        max_number_of_steps=3,
        checkpoint_path=self.pretrained_dir,
        **kwargs,
      )
    self.assertEqual(3, result.global_step)
    text = '\n'.join(logs.output)
    self.assertRegex(text, r'Resuming from .*model\.ckpt-2 \(global step 2\)')
    self.assertRegex(text, r'Ignoring --checkpoint_path=.*pretrained')
    values = _values(checkpoints.latest_checkpoint(train_dir))
    self.assertEqual(3, values['global_step'])
    self.assertAllClose(0.9**4, values['beta1_power'])
    # A finished run resumes, runs no step and returns no loss.
    again = _train(
      self.train_set, train_dir, _MODEL, max_number_of_steps=3, **kwargs
    )
    self.assertEqual(train_lib.TrainResult(3, None), again)

  def test_fine_tuning_restores_all_but_the_excluded_scope(self):
    train_dir = self.train_dir()
    with self.assertLogs(level='INFO') as logs:
      _train(
        self.train_set,
        train_dir,
        _MODEL,
        checkpoint_path=self.pretrained_dir,
        checkpoint_exclude_scopes=_LOGITS,
        **_train_kwargs(max_number_of_steps=0),
      )
    values = _values(checkpoints.latest_checkpoint(train_dir))
    self.assertEqual(0, values['global_step'])
    names = _model_names(values)
    self.assertIn(_LOGITS + '/weights', names)
    # The counts logged: every model variable but the logits' 2.
    self.assertRegex(
      '\n'.join(logs.output),
      r'Fine-tuning: %d model variables restored from .*, '
      r'2 excluded \(resnet_cifar_20/logits\), 0 missing' % (len(names) - 2),
    )
    for name in names:
      if name.startswith(_LOGITS):
        self.assertNotAllClose(self.pretrained[name], values[name], msg=name)
      else:
        self.assertAllEqual(self.pretrained[name], values[name], msg=name)

  def test_trainable_scopes_leave_the_rest_bit_identical(self):
    train_dir = self.train_dir()
    _train(
      self.train_set,
      train_dir,
      _MODEL,
      checkpoint_path=self.pretrained_dir,
      trainable_scopes=_LOGITS,
      **_train_kwargs(max_number_of_steps=2),
    )
    values = _values(checkpoints.latest_checkpoint(train_dir))
    self.assertEqual(2, values['global_step'])
    names = _model_names(values)
    self.assertTrue(any('moving_mean' in n for n in names))
    for name in names:
      if name.startswith(_LOGITS):
        self.assertNotAllClose(self.pretrained[name], values[name], msg=name)
      else:  # Weights and batch-norm moving statistics alike.
        self.assertAllEqual(self.pretrained[name], values[name], msg=name)

  def test_fewer_classes_need_the_logits_excluded(self):
    # labels_offset=1 turns 10 labels into 9 classes: the logits differ.
    with self.assertRaisesRegex(
      ValueError,
      r"'resnet_cifar_20/logits/biases' has shape \[9\] in the "
      r'model but \[10\].*--checkpoint_exclude_scopes',
    ):
      _train(
        self.train_set,
        self.train_dir(),
        _MODEL,
        checkpoint_path=self.pretrained_dir,
        labels_offset=1,
        **_train_kwargs(max_number_of_steps=0),
      )

  def test_missing_variables_error_or_ignored(self):
    # The same network under another scope: the checkpoint has none of its
    # variables, as many as the pretrained network's model variables.
    num_variables = len(_model_names(self.pretrained))
    kwargs = _train_kwargs(
      max_number_of_steps=0,
      network_kwargs={'depth_multiplier': 0.25, 'scope': 'other'},
    )
    with self.assertRaisesRegex(
      ValueError,
      r'lacks %d variable\(s\) of the model, e\.g\. '
      r"'other/.*--ignore_missing_vars" % num_variables,
    ):
      _train(
        self.train_set,
        self.train_dir(),
        _MODEL,
        checkpoint_path=self.pretrained_dir,
        **kwargs,
      )
    train_dir = self.train_dir()
    with self.assertLogs(level='INFO') as logs:
      result = _train(
        self.train_set,
        train_dir,
        _MODEL,
        checkpoint_path=self.pretrained_dir,
        ignore_missing_vars=True,
        **kwargs,
      )
    self.assertEqual(0, result.global_step)
    self.assertRegex(
      '\n'.join(logs.output),
      r'0 model variables restored .* %d missing from the '
      r'checkpoint and left initialized: other/' % num_variables,
    )
    # Left initialized: the model is the scope 'other', fresh.
    values = _values(checkpoints.latest_checkpoint(train_dir))
    self.assertFalse(any(n.startswith(_MODEL + '/') for n in values))
    self.assertNotAllClose(
      self.pretrained[_LOGITS + '/weights'], values['other/logits/weights']
    )

  def test_two_clones_on_cpu(self):
    train_dir = self.train_dir()
    with self.assertLogs(level='INFO') as logs:
      result = _train(
        self.train_set,
        train_dir,
        _MODEL,
        deployment=replicas.Deployment(num_clones=2, clone_on_cpu=True),
        **_train_kwargs(max_number_of_steps=2),
      )
    self.assertEqual(2, result.global_step)
    self.assertTrue(np.isfinite(result.loss))
    # The clones share one set of variables: the same as one network's.
    names = _model_names(_values(checkpoints.latest_checkpoint(train_dir)))
    self.assertCountEqual(_model_names(self.pretrained), names)
    text = '\n'.join(logs.output)
    self.assertRegex(
      text,
      r'Effective batch: 16 images per global step '
      r'\(batch_size 8 x num_clones 2\)',
    )
    # The batch-norm statistics are updated from the first clone only: one
    # update op per moving mean or variance, not one per clone.
    statistics = len([n for n in names if '/moving_' in n])
    self.assertRegex(
      text, r'%d of %d batch-norm update ops run' % (statistics, statistics)
    )

  def test_sync_replicas_update_is_the_mean_of_the_contributions(self):
    # One process stands for both workers of worker_replicas=2: each of its
    # runs contributes one gradient (on the next batch), and the global step
    # and the variables move once per 2 contributions, by their mean. Two
    # clones compute the mean of the same two batches' gradients in one step:
    # the variables must agree.
    kwargs = _train_kwargs(
      optimizer='sgd', learning_rate=0.5, checkpoint_path=self.pretrained_dir
    )
    sync_dir, clones_dir = self.train_dir(), self.train_dir()
    # The loop stops after a run that started at global step >= 1: runs 1
    # and 2 make the update, the next runs' contributions wait for a second
    # one that never comes.
    _train(
      self.train_set,
      sync_dir,
      _MODEL,
      deployment=replicas.Deployment(
        sync_replicas=True, worker_replicas=2, replicas_to_aggregate=2
      ),
      max_number_of_steps=2,
      **kwargs,
    )
    _train(
      self.train_set,
      clones_dir,
      _MODEL,
      deployment=replicas.Deployment(num_clones=2, clone_on_cpu=True),
      max_number_of_steps=1,
      **kwargs,
    )
    sync = _values(checkpoints.latest_checkpoint(sync_dir))
    clones = _values(checkpoints.latest_checkpoint(clones_dir))
    self.assertEqual(1, sync['global_step'])
    # Trainable variables only: batch-norm statistics are updated by every
    # run of the synchronous worker, by the first clone only with clones.
    names = [n for n in _model_names(sync) if '/moving_' not in n]
    self.assertIn(_LOGITS + '/weights', names)
    for name in names:
      self.assertNotAllClose(self.pretrained[name], sync[name], msg=name)
      self.assertAllClose(
        clones[name], sync[name], atol=1e-5, rtol=1e-5, msg=name
      )

  def test_non_finite_loss_stops_with_the_step(self):
    train_dir = self.train_dir()
    with self.assertRaisesRegex(
      hooks.NonFiniteLossError,
      r'Loss is (nan|inf) at global step (\d+) \(the update from step \d+ '
      r'to \2\)',
    ):
      _train(
        self.train_set,
        train_dir,
        _MODEL,
        **_train_kwargs(
          optimizer='sgd', learning_rate=1e30, max_number_of_steps=20
        ),
      )
    # Nothing after the diverged step was saved (only step 0 at the start).
    self.assertEqual(
      [0],
      [
        checkpoints.checkpoint_global_step(c)
        for c in checkpoints.list_checkpoints(train_dir)
      ],
    )

  def test_corrupt_record_stops_with_its_file_or_is_skipped(self):
    directory = os.path.join(self.train_dir(), 'digits')
    bad = _corrupt_copy(self.data_dir, directory, 'train')
    dataset = dataset_factory.get_dataset('digits', 'train', directory)
    # Training reads about half the file, then meets the corrupt record in
    # its first epoch (3 batches of 8).
    with self.assertRaisesRegex(
      input_pipeline.CorruptDataError,
      r'^Corrupt TFRecord file %s: record \d+ \(at byte \d+ of \d+\) and '
      r'all after it cannot be read\. Regenerate the file, or pass '
      r'skip_corrupt=True \(--skip_corrupt\) to skip them\.$' % bad,
    ):
      _train(
        dataset,
        self.train_dir(),
        _MODEL,
        **_train_kwargs(max_number_of_steps=8),
      )
    result = _train(
      dataset,
      self.train_dir(),
      _MODEL,
      skip_corrupt=True,
      **_train_kwargs(max_number_of_steps=8),
    )
    self.assertEqual(8, result.global_step)

  def test_evaluation_of_a_corrupt_split(self):
    directory = os.path.join(self.train_dir(), 'digits')
    bad = _corrupt_copy(self.data_dir, directory, 'test')
    dataset = dataset_factory.get_dataset('digits', 'test', directory)
    with self.assertRaisesRegex(
      input_pipeline.CorruptDataError,
      r'^Corrupt TFRecord file %s: record' % bad,
    ):
      list(_evaluate(dataset, self.pretrained_dir, _MODEL, **_eval_kwargs()))
    with self.assertLogs(level='INFO') as logs:
      result = list(
        _evaluate(
          dataset,
          self.pretrained_dir,
          _MODEL,
          skip_corrupt=True,
          **_eval_kwargs(),
        )
      )[0]
    # The records before the corrupt one are evaluated, the rest skipped.
    self.assertBetween(result.num_examples, 1, _NUM_TEST - 1)
    self.assertRegex('\n'.join(logs.output), r'Skipped 1 corrupt record')

  def test_moving_averages_are_evaluated_when_asked(self):
    train_dir = self.train_dir()
    _train(
      self.train_set,
      train_dir,
      _MODEL,
      moving_average_decay=0.9,
      **_train_kwargs(max_number_of_steps=2),
    )
    values = _values(checkpoints.latest_checkpoint(train_dir))
    self.assertIn(_LOGITS + '/weights/ExponentialMovingAverage', values)
    result = list(
      _evaluate(
        self.test_set,
        train_dir,
        _MODEL,
        moving_average_decay=0.9,
        **_eval_kwargs(),
      )
    )[0]
    self.assertEqual(_NUM_TEST, result.num_examples)
    with self.assertRaisesRegex(
      ValueError,
      r'no moving average.*evaluate '
      'without --moving_average_decay',
    ):
      list(
        _evaluate(
          self.test_set,
          self.pretrained_dir,
          _MODEL,
          moving_average_decay=0.9,
          **_eval_kwargs(),
        )
      )

  @parameterized.named_parameters(
    (
      'unknown_model',
      dict(model_name='resnet_v9'),
      r'Unknown network '
      r"'resnet_v9'; available: .*resnet_cifar_20",
    ),
    (
      'unknown_optimizer',
      dict(optimizer='nadam'),
      r"Unknown optimizer 'nadam'; choose one of adadelta",
    ),
    (
      'unknown_schedule',
      dict(learning_rate_decay_type='step'),
      r"Unknown learning_rate_decay_type 'step'; choose one of cosine",
    ),
    (
      'unknown_preprocessing',
      dict(preprocessing_name='vgg_caffe'),
      r"Unknown preprocessing 'vgg_caffe'",
    ),
    (
      'no_checkpoint',
      dict(checkpoint_path='/nonexistent/model.ckpt-1'),
      r"No checkpoint found at checkpoint_path='/nonexistent/model\.ckpt-1'",
    ),
    (
      'bad_batch',
      dict(batch_size=0),
      r'batch_size must be an integer >= 1; '
      r'got batch_size=0',
    ),
    (
      'too_large_offset',
      dict(labels_offset=10),
      r'labels_offset=10 leaves '
      r'no class',
    ),
    (
      'negative_mixup_alpha',
      dict(mixup_alpha=-0.2),
      r'mixup_alpha must be >= 0; got mixup_alpha=-0\.2',
    ),
    (
      'negative_cutmix_alpha',
      dict(cutmix_alpha=-1.0),
      r'cutmix_alpha must be >= 0; got cutmix_alpha=-1\.0',
    ),
    (
      'mix_probability_above_one',
      dict(mixup_alpha=0.2, prob=1.5),
      r'mix_prob must be <= 1; got mix_prob=1\.5',
    ),
    (
      'magnitude_above_30',
      # The settings object is made (and fails) inside the test.
      dict(
        augmentation=dict(auto_augment='randaugment', randaugment_magnitude=31)
      ),
      r'randaugment_magnitude must be <= 30; got randaugment_magnitude=31',
    ),
    (
      'aug_repeats_below_one',
      dict(aug_repeats=0),
      r'aug_repeats must be an integer >= 1; got aug_repeats=0',
    ),
  )
  def test_bad_input_fails_before_the_graph(self, overrides, regex):
    train_dir = os.path.join(self.train_dir(), 'run')
    kwargs = _train_kwargs(max_number_of_steps=1)
    overrides = dict(overrides)
    model_name = overrides.pop('model_name', _MODEL)
    augment = overrides.pop('augmentation', None)
    kwargs.update(overrides)
    with self.assertRaisesRegex(ValueError, regex):
      if augment is not None:
        kwargs['augmentation'] = augmentation.Augmentation(**augment)
      _train(self.train_set, train_dir, model_name, **kwargs)
    # Nothing was written: no graph, no checkpoint.
    self.assertEqual([], glob.glob(os.path.join(train_dir, '*')))

  def test_mixed_repeated_training_and_fixres_evaluation(self):
    # Mixup/CutMix, random erasing and 2 repeats over 2 clones.
    train_dir = self.train_dir()
    result = _train(
      self.train_set,
      train_dir,
      _MODEL,
      deployment=replicas.Deployment(num_clones=2, clone_on_cpu=True),
      mixing=mixing.Mixing(mixup_alpha=0.2, cutmix_alpha=1.0),
      augmentation=augmentation.Augmentation(random_erase=0.25),
      aug_repeats=2,
      **_train_kwargs(max_number_of_steps=2, label_smoothing=0.1),
    )
    self.assertEqual(2, result.global_step)
    self.assertTrue(np.isfinite(result.loss))
    results = list(
      _evaluate(
        self.test_set,
        train_dir,
        _MODEL,
        **_eval_kwargs(eval_resize_size=20),
      )
    )
    self.assertEqual(_NUM_TEST, results[0].num_examples)

  @parameterized.named_parameters(
    ('randaugment', 'randaugment'),
    ('trivialaugment_wide', 'trivialaugment_wide'),
  )
  def test_auto_augment_training(self, policy):
    result = _train(
      self.train_set,
      self.train_dir(),
      _MODEL,
      augmentation=augmentation.Augmentation(policy, randaugment_num_ops=1),
      **_train_kwargs(max_number_of_steps=1),
    )
    self.assertEqual(1, result.global_step)
    self.assertTrue(np.isfinite(result.loss))

  def test_uncreatable_train_dir(self):
    blocker = os.path.join(self.train_dir(), 'file')
    with open(blocker, 'w') as f:
      f.write('not a directory')
    with self.assertRaisesRegex(
      ValueError,
      r"Cannot create train_dir '.*/file"
      r"/run'.*--train_dir",
    ):
      _train(
        self.train_set,
        os.path.join(blocker, 'run'),
        _MODEL,
        **_train_kwargs(max_number_of_steps=1),
      )


class CheckpointsToEvaluateTest(tf.test.TestCase):
  """The watch loop of eval_lib, on a fake clock."""

  def test_watches_new_checkpoints_until_timeout(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    with tf.Graph().as_default():
      step = tf.train.get_or_create_global_step()
      saver = tf.train.Saver()
      sess = tf.Session()
      sess.run(tf.global_variables_initializer())

    def save(value):
      sess.run(step.assign(value))
      return saver.save(
        sess, os.path.join(directory, 'model.ckpt'), global_step=value
      )

    now = [0.0]
    sleeps = []
    new_at = {21.0: 2, 25.0: 3}  # Checkpoints appearing at those times.

    def sleep(seconds):
      sleeps.append(seconds)
      now[0] += seconds
      for t in sorted(new_at):
        if t <= now[0]:
          save(new_at.pop(t))

    first = save(1)
    found = list(
      eval_lib.checkpoints_to_evaluate(
        directory,
        eval_interval_secs=10,
        timeout=30,
        sleep=sleep,
        clock=lambda: now[0],
      )
    )
    sess.close()
    # 1 at once; 2 and 3 both appear before the look at t=30, so only the
    # newest is evaluated; then 30 s without a new one.
    self.assertEqual([first, os.path.join(directory, 'model.ckpt-3')], found)
    self.assertEqual([10, 10, 10, 10, 10, 10], sleeps)

  def test_once_mode_needs_a_checkpoint(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    with self.assertRaisesRegex(
      ValueError,
      'No checkpoint found in directory checkpoint_path=.*%s' % directory,
    ):
      list(eval_lib.checkpoints_to_evaluate(directory))


def _run_script(args, timeout=240):
  env = dict(os.environ, PYTHONPATH=_ROOT, TF_CPP_MIN_LOG_LEVEL='2')
  return subprocess.run(
    [sys.executable] + args,
    cwd=_ROOT,
    env=env,
    capture_output=True,
    text=True,
    timeout=timeout,
    check=False,
  )


class ScriptsTest(tf.test.TestCase):
  """Smoke tests of the two scripts (subprocesses, so only a few)."""

  def test_train_and_eval_scripts(self):
    root = tempfile.mkdtemp(dir=self.get_temp_dir())
    data_dir = os.path.join(root, 'digits')
    os.makedirs(data_dir)
    _write_digits_like(data_dir)
    train_dir = os.path.join(root, 'train')
    common = [
      '--dataset_name=digits',
      '--dataset_dir=' + data_dir,
      '--model_name=resnet_cifar_20',
      '--preprocessing_name=cifar',
      '--batch_size=8',
      '--num_preprocessing_threads=1',
    ]
    train = _run_script(
      [
        'train_image_classifier.py',
        '--train_dir=' + train_dir,
        '--train_image_size=16',
        '--max_number_of_steps=2',
        '--num_readers=1',
        '--optimizer=sgd',
        '--log_every_n_steps=1',
      ]
      + common
    )
    self.assertEqual(0, train.returncode, train.stderr[-3000:])
    self.assertIn('Trained to global step 2', train.stdout)
    self.assertIn('global step 2/2, loss = ', train.stderr)
    self.assertEqual(
      2,
      checkpoints.checkpoint_global_step(
        checkpoints.latest_checkpoint(train_dir)
      ),
    )
    evaluation = _run_script(
      [
        'eval_image_classifier.py',
        '--checkpoint_path=' + train_dir,
        '--eval_dir=' + os.path.join(root, 'eval'),
        '--dataset_split_name=test',
        '--eval_image_size=16',
      ]
      + common
    )
    self.assertEqual(0, evaluation.returncode, evaluation.stderr[-3000:])
    printed = re.search(
      r'model\.ckpt-2 global_step=2 images=%d Accuracy=([01]\.\d{4}) '
      r'Recall_5=([01]\.\d{4})' % _NUM_TEST,
      evaluation.stdout,
    )
    self.assertIsNotNone(printed, evaluation.stdout)
    # The printed metrics are those of the checkpoint, evaluated here.
    (result,) = _evaluate(
      dataset_factory.get_dataset('digits', 'test', data_dir),
      train_dir,
      _MODEL,
      preprocessing_name='cifar',
      batch_size=8,
      eval_image_size=16,
      num_preprocessing_threads=1,
    )
    for i, name in enumerate(eval_lib.METRIC_NAMES):
      self.assertAlmostEqual(
        result.metrics[name], float(printed.group(i + 1)), delta=5e-5, msg=name
      )

  def test_corrupt_record_is_one_error_line(self):
    root = tempfile.mkdtemp(dir=self.get_temp_dir())
    data_dir = os.path.join(root, 'clean')
    os.makedirs(data_dir)
    _write_digits_like(data_dir)
    bad_dir = os.path.join(root, 'digits')
    bad = _corrupt_copy(data_dir, bad_dir, 'train')
    _corrupt_middle(os.path.join(bad_dir, 'digits_test.tfrecord'))
    common = [
      '--dataset_name=digits',
      '--dataset_dir=' + bad_dir,
      '--model_name=resnet_cifar_20',
      '--preprocessing_name=cifar',
      '--batch_size=8',
      '--num_preprocessing_threads=1',
    ]
    train = _run_script(
      [
        'train_image_classifier.py',
        '--train_dir=' + root + '/train',
        '--train_image_size=16',
        '--max_number_of_steps=20',
        '--num_readers=1',
        '--optimizer=sgd',
      ]
      + common
    )
    self.assertEqual(1, train.returncode)
    self.assertRegex(
      train.stderr.splitlines()[-1],
      r'^train_image_classifier\.py: error: Corrupt TFRecord '
      r'file %s: record \d+ .* or pass skip_corrupt=True '
      r'\(--skip_corrupt\) to skip them\.$' % bad,
    )
    self.assertNotIn('Traceback', train.stderr)
    self.assertNotIn('InvalidArgumentError', train.stderr)
    # The training saved its step-0 checkpoint before it met the record.
    evaluation = _run_script(
      [
        'eval_image_classifier.py',
        '--checkpoint_path=' + root + '/train',
        '--eval_dir=' + root + '/eval',
        '--dataset_split_name=test',
        '--eval_image_size=16',
      ]
      + common
    )
    self.assertEqual(1, evaluation.returncode)
    self.assertRegex(
      evaluation.stderr.splitlines()[-1],
      r'^eval_image_classifier\.py: error: Corrupt TFRecord '
      r'file .*digits_test\.tfrecord: .*--skip_corrupt',
    )
    self.assertNotIn('Traceback', evaluation.stderr)

  def test_script_errors_are_clear(self):
    root = tempfile.mkdtemp(dir=self.get_temp_dir())
    missing = _run_script(
      [
        'train_image_classifier.py',
        '--train_dir=' + root,
        '--dataset_name=digits',
        '--dataset_dir=' + root + '/nowhere',
      ]
    )
    self.assertEqual(1, missing.returncode)
    self.assertRegex(
      missing.stderr,
      r'train_image_classifier\.py: error: '
      r"dataset_dir '.*/nowhere' does not exist",
    )
    self.assertNotIn('Traceback', missing.stderr)
    # A flag that needs another: one line naming both, before any graph.
    threshold = _run_script(
      [
        'train_image_classifier.py',
        '--train_dir=' + root,
        '--dataset_name=digits',
        '--dataset_dir=' + root + '/nowhere',
        '--bce_target_threshold=0.2',
      ]
    )
    self.assertEqual(1, threshold.returncode)
    self.assertRegex(
      threshold.stderr,
      r'train_image_classifier\.py: error: bce_target_threshold=0\.2 applies '
      r"to the binary cross-entropy only; got loss='softmax'\. Add --loss=bce",
    )
    self.assertNotIn('Traceback', threshold.stderr)


if __name__ == '__main__':
  tf.test.main()
