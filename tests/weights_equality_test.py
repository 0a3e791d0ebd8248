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
"""Converted torchvision, timm and Keras weights give their source's logits.

Our networks restored from convert_weights' checkpoints give the source's
logits within 1e-5 relative, at an even and an odd input size, for every
layout:
* torchvision through tests/data/torchvision_fixture.npz (torchvision's own
  outputs for seeded weights that tests/torchvision_fixture.py regenerates;
  scripts/make_torchvision_fixture.py remakes it), including its dilated
  models (`replace_stride_with_dilation`) against our `output_stride` 16/8;
* timm's ResNet-D and SE-ResNeXt and torchvision's wide ResNets through
  tests/data/timm_fixture.npz (tests/timm_fixture.py,
  scripts/make_timm_fixture.py), also with one unit per block;
* Keras live, in a subprocess (tests/keras_reference.py; Keras needs eager
  execution), converted by convert_weights.py itself.
Negative controls: the stock network, and the imported layout with the stock
root, do not match at an even size, so no equality passes vacuously. The
converter's own checks are in tests/convert_weights_test.py.
"""

import contextlib
import os
import subprocess
import sys
from unittest import mock

from absl import logging
from absl.testing import parameterized
import numpy as np
import safetensors.numpy
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import resnet_builder
from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2
from nets import tf_compat
from tests import keras_reference
from tests import test_util
from tests import timm_fixture
from tests import torchvision_fixture
from utils.convert import convert_lib
from utils.convert import readers
from utils.convert import weight_map

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 1e-5
# The torchvision and Keras models compared. Which cases are slow (the
# deeper models) is decided by SLOW_TESTS in tests/conftest.py.
TORCHVISION = (
  'resnet18',
  'resnet50',
  'resnext50_32x4d',
  'resnet34',
  'resnet101',
  'resnet152',
  'resnext101_32x8d',
)
# The models of tests/timm_fixture.py compared; the deeper ones are slow.
TIMM = (
  'resnet18d',
  'resnet50d_tiny',
  'seresnext50_32x4d_tiny',
  'wide_resnet50_2_tiny',
  'resnet34d',
  'resnet50d',
  'resnet101d',
  'resnet152d',
  'wide_resnet50_2',
  'wide_resnet101_2',
  'seresnext50_32x4d',
  'seresnext101_32x4d',
)
KERAS = (
  'resnet_v1_50_keras',
  'resnet_v2_50_keras',
  'resnet_v1_101_keras',
  'resnet_v1_152_keras',
  'resnet_v2_101_keras',
  'resnet_v2_152_keras',
)


def setUpModule():
  tf_compat.enable_graph_mode()


def _run_logits(model_name, checkpoint, images, network_fn=None, **kwargs):
  """Logits of `model_name` restored from `checkpoint`, one per image."""
  spec = nets_factory.get_spec(model_name)
  fn = network_fn or spec.fn
  results = []
  with tf.Graph().as_default():
    inputs = tf.placeholder(tf.float32, [1, None, None, 3])
    with slim.arg_scope(spec.arg_scope_fn()):
      logits, _ = fn(
        inputs, 1000, is_training=False, scope=model_name, **kwargs
      )
    saver = tf.train.Saver()
    with tf.Session() as session:
      saver.restore(session, checkpoint)
      for image in images:
        results.append(session.run(logits, {inputs: image}))
  return results


def _stock_root(fn):
  """`fn` with slim's root ('SAME' pool1) instead of the symmetric one."""

  def network(*args, **kwargs):
    return fn(*args, root_block_fn=resnet_utils.root_block, **kwargs)

  return network


def _convert_torchvision(test, model, directory):
  fixture = torchvision_fixture.load()
  state = torchvision_fixture.state_dict(fixture, model)
  # Half the models go through our safetensors reader, half through .npz.
  if model in ('resnet50', 'resnet34', 'resnet152'):
    source = os.path.join(directory, model + '.safetensors')
    readers.write_safetensors(source, state)
  else:
    source = os.path.join(directory, model + '.npz')
    np.savez(source, **state)
  name = torchvision_fixture.MODELS[model]
  info = convert_lib.convert(
    name, source, os.path.join(directory, name, 'model.ckpt')
  )
  test.assertEqual(info['num_params'], nets_factory.get_spec(name).num_params)
  return fixture, name, info['checkpoint']


def _check_torchvision(test, model):
  directory = test_util.temp_dir(test)  # Removed after the test.
  fixture, name, checkpoint = _convert_torchvision(test, model, directory)
  images = [
    torchvision_fixture.input_image(s) for s in torchvision_fixture.SIZES
  ]
  errors = {}
  strides = [torchvision_fixture.NOMINAL_OUTPUT_STRIDE]
  if model in torchvision_fixture.DILATED_MODELS:
    strides += sorted(torchvision_fixture.DILATION)
  for output_stride in strides:
    ours = _run_logits(
      name,
      checkpoint,
      images,
      output_stride=(None if output_stride == 32 else output_stride),
    )
    for size, logits in zip(torchvision_fixture.SIZES, ours):
      expected = fixture[
        torchvision_fixture.logits_key(model, size, output_stride)
      ]
      error = test_util.relative_error(logits, expected)
      errors[(size, output_stride)] = error
      test.assertLess(error, TOLERANCE, (model, size, output_stride))
  logging.info('torchvision %s -> %s: relative errors %s', model, name, errors)
  # Negative controls at the even size: the stock layout and the stock root.
  even = images[:1]
  expected = fixture[torchvision_fixture.logits_key(model, 224)]
  stock = getattr(resnet_v1, name[:-3], None) or getattr(
    sys.modules['nets.resnext'], name[:-3]
  )
  for fn in (stock, _stock_root(nets_factory.get_spec(name).fn)):
    (logits,) = _run_logits(name, checkpoint, even, network_fn=fn)
    test.assertGreater(test_util.relative_error(logits, expected), 1e-3)
  return errors


def _units(model):
  """Patches both unit tables to `model`'s units per block (if it has its own).

  The registered network and the weight map then build and map the shallower
  copy that the fixture recorded, through the same code.
  """
  stack = contextlib.ExitStack()
  if model.units is not None:
    depth = weight_map.get_source(model.network).depth
    for table in (resnet_builder.UNITS_PER_BLOCK, weight_map.UNITS_PER_BLOCK):
      stack.enter_context(mock.patch.dict(table, {depth: model.units}))
  return stack


# SE-ResNeXt: the SE gate's weights, whose channels reversed must change the
# logits (the layout controls do not reach the gate).
_PERMUTED = 'layer1.0.se.fc1.weight'


def _convert(name, state, path, output):
  if path.endswith('.safetensors'):
    safetensors.numpy.save_file(state, path)
  else:
    np.savez(path, **state)
  return convert_lib.convert(name, path, output)


def _check_timm(test, model_name):
  """Our network restored from the converted fixture weights gives the
  source's logits; slim's stride placement, option B projections (ResNet-D)
  and a permuted SE weight do not."""
  directory = test_util.temp_dir(test)  # Removed after the test.
  fixture = timm_fixture.load()
  model = timm_fixture.MODELS[model_name]
  name = model.network
  state = timm_fixture.state_dict(fixture, model_name)
  # Half the models through the safetensors package's files, half .npz.
  suffix = '.safetensors' if len(model_name) % 2 else '.npz'
  images = [
    torchvision_fixture.input_image(s) for s in torchvision_fixture.SIZES
  ]
  spec = nets_factory.get_spec(name)
  strides = [torchvision_fixture.NOMINAL_OUTPUT_STRIDE]
  if model_name in timm_fixture.DILATED_MODELS:
    strides += sorted(torchvision_fixture.DILATION)
  errors = {}
  with _units(model):
    info = _convert(
      name,
      state,
      os.path.join(directory, model_name + suffix),
      os.path.join(directory, name, 'model.ckpt'),
    )
    checkpoint = info['checkpoint']
    test.assertEqual(
      info['num_params'], int(fixture[model_name + '/num_params'])
    )
    if model.units is None:
      test.assertEqual(info['num_params'], spec.num_params)
    for output_stride in strides:
      ours = _run_logits(
        name,
        checkpoint,
        images,
        output_stride=(None if output_stride == 32 else output_stride),
      )
      for size, logits in zip(torchvision_fixture.SIZES, ours):
        expected = fixture[
          torchvision_fixture.logits_key(model_name, size, output_stride)
        ]
        errors[(size, output_stride)] = test_util.relative_error(
          logits, expected
        )
        test.assertLess(
          errors[(size, output_stride)],
          TOLERANCE,
          (model_name, size, output_stride),
        )
    logging.info(
      '%s -> %s (%d parameters): relative errors %s',
      model_name,
      name,
      info['num_params'],
      errors,
    )
    # Negative controls at the even size.
    expected = fixture[torchvision_fixture.logits_key(model_name, 224)]
    controls = [dict(first_unit_stride=False)]  # slim's stride placement.
    if name.endswith('d'):
      controls.append(dict(shortcut_type='B'))  # Strided 1x1 projections.
    for overrides in controls:
      (logits,) = _run_logits(name, checkpoint, images[:1], **overrides)
      error = test_util.relative_error(logits, expected)
      logging.info(
        '%s control %s: relative error %g', model_name, overrides, error
      )
      test.assertGreater(error, 1e-3, overrides)
    if _PERMUTED in state:
      permuted = dict(state)
      permuted[_PERMUTED] = permuted[_PERMUTED][::-1].copy()
      other = _convert(
        name,
        permuted,
        os.path.join(directory, 'permuted.npz'),
        os.path.join(directory, 'permuted', 'model.ckpt'),
      )
      (logits,) = _run_logits(name, other['checkpoint'], images[:1])
      error = test_util.relative_error(logits, expected)
      logging.info(
        '%s control %s reversed: relative error %g',
        model_name,
        _PERMUTED,
        error,
      )
      test.assertGreater(error, 1e-3)
  return errors


class TimmEqualityTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters((m, m) for m in TIMM)
  def test_logits_equal_source(self, model):
    _check_timm(self, model)

  def test_fixture_is_small_and_complete(self):
    self.assertLess(os.path.getsize(timm_fixture.FIXTURE_PATH), 1024 * 1024)
    fixture = timm_fixture.load()
    self.assertCountEqual(TIMM, timm_fixture.MODELS)
    for model in timm_fixture.MODELS:
      self.assertIn(model + '/num_params', fixture)
      # The source's float32 logits are within a fifth of the tolerance of
      # its float64 ones, so a comparison within TOLERANCE is meaningful.
      self.assertLess(
        float(fixture[model + '/float64_error']), TOLERANCE / 5, model
      )
      for size in torchvision_fixture.SIZES:
        self.assertIn(torchvision_fixture.logits_key(model, size), fixture)
    self.assertIn('timm', fixture['versions'])


class TorchvisionEqualityTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters((m, m) for m in TORCHVISION)
  def test_logits_equal_torchvision(self, model):
    _check_torchvision(self, model)

  def test_fixture_is_small_and_complete(self):
    self.assertLess(
      os.path.getsize(torchvision_fixture.FIXTURE_PATH), 2 * 1024 * 1024
    )
    fixture = torchvision_fixture.load()
    for model in torchvision_fixture.MODELS:
      for size in torchvision_fixture.SIZES:
        self.assertIn(torchvision_fixture.logits_key(model, size), fixture)
    self.assertIn('torchvision', fixture['versions'])


def _keras_subprocess(args):
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2', PYTHONPATH=ROOT)
  result = subprocess.run(
    [sys.executable] + args,
    cwd=ROOT,
    env=env,
    capture_output=True,
    text=True,
    timeout=1200,
    check=False,
  )
  if result.returncode:
    raise AssertionError(
      '%s failed (%d):\n%s'
      % (' '.join(args), result.returncode, result.stderr[-3000:])
    )
  return result


def _check_keras(test, name, suffix='.weights.h5'):
  directory = test_util.temp_dir(test)  # Removed after the test.
  application = weight_map.get_source(name).source_model
  weights = os.path.join(directory, application + suffix)
  reference = os.path.join(directory, 'reference.npz')
  _keras_subprocess(
    [
      '-m',
      'tests.keras_reference',
      '--application=%s' % application,
      '--weights_file=%s' % weights,
      '--output=%s' % reference,
    ]
  )
  prefix = os.path.join(directory, name, 'model.ckpt')
  _keras_subprocess(
    [
      'convert_weights.py',
      '--model_name=%s' % name,
      '--source_file=%s' % weights,
      '--output_checkpoint=%s' % prefix,
    ]
  )
  sizes = (224, 225)
  images = [keras_reference.input_image(s) for s in sizes]
  with np.load(reference) as data:
    expected = [data['logits/%d' % s] for s in sizes]
  errors = {}
  for size, logits, exp in zip(
    sizes, _run_logits(name, prefix, images), expected
  ):
    errors[size] = test_util.relative_error(logits, exp)
    test.assertLess(errors[size], TOLERANCE, (name, size))
  logging.info(
    'Keras %s (%s) -> %s: relative errors %s', application, suffix, name, errors
  )
  module = resnet_v1 if name.startswith('resnet_v1') else resnet_v2
  stock = getattr(module, name[: -len('_keras')])
  for fn in (stock, _stock_root(nets_factory.get_spec(name).fn)):
    (logits,) = _run_logits(name, prefix, images[:1], network_fn=fn)
    test.assertGreater(test_util.relative_error(logits, expected[0]), 1e-3)
  return errors


class KerasEqualityTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters((n, n) for n in KERAS)
  def test_logits_equal_keras(self, name):
    _check_keras(self, name)

  @parameterized.named_parameters(('keras', '.keras'), ('h5', '.h5'))
  def test_other_keras_formats(self, suffix):
    _check_keras(self, 'resnet_v1_50_keras', suffix)

  def test_truncated_keras_file(self):
    directory = test_util.temp_dir(self)
    weights = os.path.join(directory, 'ResNet50.weights.h5')
    _keras_subprocess(
      [
        '-m',
        'tests.keras_reference',
        '--application=ResNet50',
        '--weights_file=%s' % weights,
        '--sizes=32',
        '--output=%s' % os.path.join(directory, 'r.npz'),
      ]
    )
    with open(weights, 'rb') as f:
      data = f.read()
    with open(weights, 'wb') as f:
      f.write(data[: len(data) // 3])
    prefix = os.path.join(directory, 'out', 'model.ckpt')
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2', PYTHONPATH=ROOT)
    result = subprocess.run(
      [
        sys.executable,
        'convert_weights.py',
        '--model_name=resnet_v1_50_keras',
        '--source_file=%s' % weights,
        '--output_checkpoint=%s' % prefix,
      ],
      cwd=ROOT,
      env=env,
      capture_output=True,
      text=True,
      timeout=600,
      check=False,
    )
    self.assertNotEqual(result.returncode, 0)
    self.assertRegex(
      result.stderr,
      r"Cannot load '.*ResNet50.weights.h5' "
      r'into keras.applications.ResNet50',
    )
    self.assertFalse(os.path.exists(os.path.dirname(prefix)))


if __name__ == '__main__':
  tf.test.main()
