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
"""Helpers shared by the tests."""

import dataclasses
import shutil
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

import nets  # noqa: F401  (applies nets.tf_compat)


def create_test_input(batch_size, height, width, channels):
  """A deterministic input: pixel (i, j) of every channel holds i + j.

  Any of the sizes may be None, which gives a placeholder of that shape.
  """
  if None in (batch_size, height, width, channels):
    return tf.placeholder(tf.float32, (batch_size, height, width, channels))
  rows = np.arange(height, dtype=np.float32).reshape(height, 1)
  cols = np.arange(width, dtype=np.float32).reshape(1, width)
  image = (rows + cols)[np.newaxis, :, :, np.newaxis]
  return tf.constant(np.tile(image, [batch_size, 1, 1, channels]))


def num_params(scope=None):
  """Trainable parameters in `scope` of the default graph."""
  return int(
    sum(np.prod(v.shape.as_list()) for v in tf.trainable_variables(scope))
  )


def randomize_batch_norm(session, scale=0.1, seed=0):
  """Gives every batch-norm variable a non-trivial value, in place.

  Moving means and betas get N(0, scale^2), moving variances and gammas
  U(0.5, 1.5), so that inference-mode batch norm is far from the identity.
  """
  rng = np.random.RandomState(seed)
  for var in tf.global_variables():
    name = var.op.name
    if (
      '/BatchNorm/' not in name
      and '/preact/' not in name
      and ('/postnorm/' not in name)
    ):
      continue
    shape = var.shape.as_list()
    if name.endswith(('moving_variance', 'gamma')):
      value = rng.uniform(0.5, 1.5, shape)
    else:
      value = rng.normal(0.0, scale, shape)
    var.load(value.astype(np.float32), session)


def temp_dir(test):
  """A new temporary directory, removed after `test` (weights are large)."""
  directory = tempfile.mkdtemp()
  test.addCleanup(shutil.rmtree, directory, ignore_errors=True)
  return directory


def class_temp_dir(cls):
  """A new temporary directory, removed after the tests of class `cls`."""
  directory = tempfile.mkdtemp()
  cls.addClassCleanup(shutil.rmtree, directory, ignore_errors=True)
  return directory


def relative_error(actual, expected):
  return float(
    np.max(np.abs(actual - expected)) / max(np.max(np.abs(expected)), 1e-12)
  )


def arg_scope(is_training=None, **kwargs):
  """`resnet_arg_scope`, plus batch norm's `is_training` when given."""
  from nets import resnet_utils

  scope = resnet_utils.resnet_arg_scope(**kwargs)
  if is_training is None:
    return slim.arg_scope(scope)
  with slim.arg_scope(scope):
    with slim.arg_scope([slim.batch_norm], is_training=is_training) as sc:
      return slim.arg_scope(sc)


# Where the keywords of `train_config` and `eval_config` go: the settings
# object holding a field of that name, or a field under another name.
_RENAMED = {
  'train_image_size': ('input', 'image_size'),
  'eval_image_size': ('input', 'image_size'),
  'optimizer_params': ('optimizer', 'params'),
}


def _grouped(top_cls, flat):
  """`top_cls(...)` with each of `flat`'s keywords in the object owning it."""
  top_fields = {f.name: f for f in dataclasses.fields(top_cls)}
  groups = {}
  top = {}
  for key, value in flat.items():
    if key in _RENAMED:
      group, field = _RENAMED[key]
      groups.setdefault(group, {})[field] = value
      continue
    for name, f in top_fields.items():
      if dataclasses.is_dataclass(f.default) and key in {
        g.name for g in dataclasses.fields(f.default)
      }:
        groups.setdefault(name, {})[key] = value
        break
    else:
      top[key] = value
  for name, fields in groups.items():
    top[name] = dataclasses.replace(top_fields[name].default, **fields)
  return top_cls(**top)


def train_config(**flat):
  """A `config.TrainConfig` from the flat keywords of its fields' fields.

  E.g. `train_config(batch_size=8, optimizer='sgd', learning_rate=0.1)`;
  `train_image_size` and `optimizer_params` are `input.image_size` and
  `optimizer.params`.
  """
  from utils.training import config

  return _grouped(config.TrainConfig, flat)


def eval_config(**flat):
  """A `config.EvalConfig` from flat keywords (see `train_config`)."""
  from utils.training import config

  return _grouped(config.EvalConfig, flat)


def train_args(**flat):
  """The keywords of `train_lib.train` from flat ones (see `train_config`)."""
  extra = {
    k: flat.pop(k) for k in ('session_config', 'live_progress') if k in flat
  }
  return dict(config=train_config(**flat), **extra)


def eval_args(**flat):
  """The keywords of `eval_lib.evaluate` from flat ones (see `train_config`)."""
  extra = {k: flat.pop(k) for k in ('session_config', 'eval_dir') if k in flat}
  return dict(config=eval_config(**flat), **extra)


def write_corrupt_tfrecord_prefix(path, num_records):
  """Keeps the first `num_records` records of a TFRecord file, then flips a
  byte in the middle of it (so a record fails its CRC and the rest of the
  file cannot be read)."""
  records = []
  for record in tf.io.tf_record_iterator(path):
    records.append(record)
    if len(records) == num_records:
      break
  with tf.io.TFRecordWriter(path) as writer:
    for record in records:
      writer.write(record)
  with open(path, 'rb') as f:
    data = bytearray(f.read())
  data[len(data) // 2] ^= 0xFF
  with open(path, 'wb') as f:
    f.write(bytes(data))
