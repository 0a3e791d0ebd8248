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
"""Tests for the serving exports (utils/export/deploy.py, onnx_export.py,
tflite_export.py, data.py, files.py, exported_model.py, evaluation.py).

Each format and precision of a random resnet_cifar_20 (random batch-norm
statistics) is exported, loaded back through `exported_model` and compared
with the eval-mode checkpoint graph: float32 within 1e-4 relative, float16
within 1e-2, int8 within 0.1 and with int8 weights really in the file. An
exported model evaluated on a split gives the checkpoint evaluation's
figures. Bad input is named and leaves nothing written. The scripts'
flags (export --format/--quantize, eval --model_file, benchmark --runtime)
run on the command line. The 50-layer networks at full width are the slow
`FullNetworkTest` (tests/conftest.py SLOW_TESTS)."""

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import nets_factory
from nets import tf_compat
from tests import test_util
from utils import files
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import digits
from utils.export import config as export_config
from utils.export import data
from utils.export import deploy
from utils.export import evaluation
from utils.export import exported_model
from utils.export import tflite_export
from utils.training import config
from utils.training import eval_lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = 'resnet_cifar_20'
SIZE = 32
CLASSES = 10


def _evaluate(dataset, checkpoint_path, model_name, **flat):
  """`eval_lib.evaluate` with flat keywords (`test_util.eval_args`)."""
  return eval_lib.evaluate(
    dataset, checkpoint_path, model_name, **test_util.eval_args(**flat)
  )


def setUpModule():
  tf_compat.enable_graph_mode()


def write_digits(directory, sizes=(('train', 24), ('test', 13))):
  """Digits-format splits of random 8x8 images, labels 0..9 in turn."""
  rng = np.random.RandomState(0)
  for split, count in sizes:
    dataset_utils.write_tfrecord(
      os.path.join(directory, digits.FILE_PATTERN % split),
      [
        dataset_utils.image_to_tfexample(
          dataset_utils.encode_png(rng.randint(0, 255, (8, 8), np.uint8)),
          b'png',
          8,
          8,
          i % CLASSES,
        )
        for i in range(count)
      ],
    )
  return directory


def make_images(batch=5, size=SIZE):
  return (
    np.random.RandomState(1)
    .uniform(-1, 1, (batch, size, size, 3))
    .astype(np.float32)
  )


def relative_error(actual, expected):
  return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def write_network(directory, model_name=MODEL, size=SIZE, batch=5):
  """Saves a random checkpoint with random batch-norm statistics.

  Means and betas N(0, 0.1^2), variances and gammas U(0.5, 1.5): folding and
  quantization both matter. The checkpoint has a global step, as training's.

  Returns:
    (images, the eval-mode logits of the images).
  """
  images = make_images(batch, size)
  rng = np.random.RandomState(0)
  with tf.Graph().as_default():
    tf.set_random_seed(0)
    network_fn = nets_factory.get_network_fn(model_name, CLASSES)
    inputs = tf.placeholder(tf.float32, [None, size, size, 3])
    logits, _ = network_fn(inputs)
    tf.train.get_or_create_global_step()
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      for var in tf.global_variables():
        shape = var.shape.as_list()
        if var.op.name.endswith(('moving_variance', 'gamma')):
          var.load(rng.uniform(0.5, 1.5, shape), sess)
        elif var.op.name.endswith(('moving_mean', 'beta')):
          var.load(rng.normal(0.0, 0.1, shape), sess)
      expected = sess.run(logits, {inputs: images})
      tf.train.Saver().save(sess, os.path.join(directory, 'model.ckpt'))
  return images, expected


def leftovers(directory):
  return sorted(
    name
    for name in os.listdir(directory)
    if name.startswith('.') or name.endswith('.tmp')
  )


class ExportFormatsTest(tf.test.TestCase, parameterized.TestCase):
  @classmethod
  def setUpClass(cls):
    super(ExportFormatsTest, cls).setUpClass()
    tf_compat.enable_graph_mode()
    cls.directory = test_util.class_temp_dir(cls)
    cls.images, cls.expected = write_network(cls.directory)
    cls.data_dir = write_digits(test_util.class_temp_dir(cls))
    cls.calibration = data.Calibration(
      'digits', cls.data_dir, 'train', 16, None
    )

  _exports = {}

  def export(self, export_format, quantize='none', **kwargs):
    """Exports the class's network (once per format, precision, kwargs)."""
    key = (export_format, quantize, tuple(sorted(kwargs.items())))
    if key not in self._exports:
      output = os.path.join(
        tempfile.mkdtemp(dir=self.directory),
        'model' + deploy.EXTENSIONS.get(export_format, ''),
      )
      info = deploy.export_model(
        MODEL,
        self.directory,
        output,
        export_format,
        quantize,
        self.calibration,
        export_config.ExportConfig(**kwargs),
      )
      self.assertEqual(info['output'], output)
      self._exports[key] = info
    return self._exports[key]

  @parameterized.named_parameters(
    ('frozen', 'frozen', 'none', 'tensorflow', 1e-4),
    ('saved_model', 'saved_model', 'none', 'tensorflow', 1e-4),
    ('onnx', 'onnx', 'none', 'onnxruntime', 1e-4),
    ('onnx_float16', 'onnx', 'float16', 'onnxruntime', 1e-2),
    ('onnx_int8', 'onnx', 'int8', 'onnxruntime', 0.1),
    ('tflite', 'tflite', 'none', 'ai_edge_litert', 1e-4),
    ('tflite_float16', 'tflite', 'float16', 'ai_edge_litert', 1e-2),
    ('tflite_int8', 'tflite', 'int8', 'ai_edge_litert', 0.1),
    ('openvino', 'openvino', 'none', 'openvino', 1e-4),
    ('openvino_float16', 'openvino', 'float16', 'openvino', 1e-2),
    ('openvino_int8', 'openvino', 'int8', 'openvino', 0.1),
  )
  def test_exported_model_reproduces_the_eval_graph(
    self, export_format, quantize, runtime, tolerance
  ):
    info = self.export(export_format, quantize)
    self.assertEqual(
      info['calibration_images'], 16 if quantize == 'int8' else 0
    )
    self.assertEqual(leftovers(os.path.dirname(info['output'])), [])
    with exported_model.load_model(info['output'], num_threads=1) as model:
      self.assertEqual(model.format, export_format)
      self.assertEqual(model.runtime, runtime)
      self.assertEqual(model.input_shape, [None, SIZE, SIZE, 3])
      self.assertEqual(model.num_classes, CLASSES)
      logits = model.run(self.images)
    self.assertEqual(logits.shape, (5, CLASSES))
    error = relative_error(logits, self.expected)
    self.assertLess(error, tolerance)
    if quantize != 'none':
      # Not the float32 model: quantization changed the logits.
      self.assertGreater(error, 1e-6)

  def test_int8_and_float16_models_hold_small_weights(self):
    import onnx

    sizes = {}
    for export_format in ('onnx', 'tflite'):
      for quantize in deploy.QUANTIZE_MODES:
        path = self.export(export_format, quantize)['output']
        sizes[export_format, quantize] = os.path.getsize(path)
    for export_format in ('onnx', 'tflite'):
      fp32 = sizes[export_format, 'none']
      self.assertLess(sizes[export_format, 'float16'], 0.6 * fp32)
      self.assertLess(sizes[export_format, 'int8'], 0.4 * fp32)
    model = onnx.load(self.export('onnx', 'int8')['output'])
    ops = [node.op_type for node in model.graph.node]
    self.assertIn('QuantizeLinear', ops)
    weights = [t for t in model.graph.initializer if len(t.dims) == 4]
    self.assertTrue(weights)
    self.assertTrue(all(t.data_type == onnx.TensorProto.INT8 for t in weights))
    # Per-channel: one scale per output channel of the first convolution.
    scales = [
      t
      for t in model.graph.initializer
      if t.name.endswith('_scale') and len(t.dims) == 1 and t.dims[0] == 16
    ]
    self.assertTrue(scales)

  def test_openvino_weights_and_int8_fake_quantize(self):
    import openvino as ov

    sizes = {}
    for quantize in deploy.QUANTIZE_MODES:
      xml = self.export('openvino', quantize)['output']
      sizes[quantize] = os.path.getsize(xml[: -len('.xml')] + '.bin')
    self.assertLess(sizes['float16'], 0.6 * sizes['none'])
    model = ov.Core().read_model(self.export('openvino', 'int8')['output'])
    ops = {op.get_type_name() for op in model.get_ops()}
    self.assertIn('FakeQuantize', ops)
    float_model = ov.Core().read_model(self.export('openvino')['output'])
    self.assertNotIn(
      'FakeQuantize', {op.get_type_name() for op in float_model.get_ops()}
    )
    self.assertEqual(
      [port.get_any_name() for port in float_model.outputs].count('logits'), 1
    )

  def test_tflite_int8_runs_integer_kernels(self):
    path = self.export('tflite', 'int8')['output']
    model = exported_model.load_model(path)
    dtypes = {
      detail['dtype'] for detail in model._interpreter.get_tensor_details()
    }
    self.assertIn(np.int8, dtypes)
    self.assertNotIn(np.float16, dtypes)

  @parameterized.named_parameters(
    ('onnx', 'onnx'), ('tflite', 'tflite'), ('openvino', 'openvino')
  )
  def test_fixed_batch_size_is_fed_in_padded_chunks(self, export_format):
    info = self.export(export_format, 'int8', batch_size=2)
    with exported_model.load_model(info['output']) as model:
      self.assertEqual(model.input_shape, [2, SIZE, SIZE, 3])
      logits = model.run(self.images)  # 5 images: 2 + 2 + 1 padded.
      self.assertAllClose(logits[4:], model.run(self.images[4:]))
    self.assertEqual(logits.shape, (5, CLASSES))
    self.assertLess(relative_error(logits, self.expected), 0.1)

  def test_evaluation_equals_the_checkpoint_evaluation(self):
    path = self.export('onnx')['output']
    dataset = dataset_factory.get_dataset('digits', 'test', self.data_dir)
    expected = next(
      iter(_evaluate(dataset, self.directory, MODEL, batch_size=5))
    )
    result = evaluation.evaluate_exported(
      dataset, path, MODEL, config.InputConfig(batch_size=4)
    )
    self.assertEqual(result.num_examples, 13)
    self.assertEqual(expected.num_examples, 13)
    self.assertEqual(result.format, 'onnx')
    for name in evaluation.METRIC_NAMES:
      self.assertAlmostEqual(
        result.metrics[name], expected.metrics[name], places=6
      )
    limited = evaluation.evaluate_exported(
      dataset, path, MODEL, config.InputConfig(batch_size=4), max_num_batches=2
    )
    self.assertEqual(limited.num_examples, 8)
    self.assertNotIn(evaluation.AGREEMENT, limited.metrics)

  @parameterized.named_parameters(
    ('frozen', 'frozen'), ('openvino', 'openvino')
  )
  def test_bfloat16_evaluation_against_float32(self, export_format):
    path = self.export(export_format)['output']
    dataset = dataset_factory.get_dataset('digits', 'test', self.data_dir)
    result = evaluation.evaluate_exported(
      dataset,
      path,
      MODEL,
      config.InputConfig(batch_size=4),
      reference_file=path,
      precision='bfloat16',
    )
    self.assertEqual(result.num_examples, 13)
    # The same model in fp32 as the reference: bfloat16 rounding may flip a
    # near-tie, not more on 13 images.
    self.assertGreaterEqual(result.metrics[evaluation.AGREEMENT], 12 / 13)

  def test_agreement_with_a_reference_model(self):
    dataset = dataset_factory.get_dataset('digits', 'test', self.data_dir)
    fp32 = self.export('onnx')['output']
    itself = evaluation.evaluate_exported(
      dataset, fp32, MODEL, reference_file=fp32
    )
    self.assertEqual(itself.metrics[evaluation.AGREEMENT], 1.0)
    int8 = self.export('tflite', 'int8')['output']
    result = evaluation.evaluate_exported(
      dataset, int8, MODEL, reference_file=fp32
    )
    with (
      exported_model.load_model(fp32) as a,
      exported_model.load_model(int8) as b,
    ):
      images, _ = next(
        data.eval_batches(
          dataset,
          config.InputConfig(preprocessing_name=MODEL, batch_size=100),
          SIZE,
        )
      )
      expected = np.mean(a.run(images).argmax(1) == b.run(images).argmax(1))
    self.assertAlmostEqual(result.metrics[evaluation.AGREEMENT], expected)
    with self.assertRaisesRegex(
      ValueError,
      r'not exports of the same '
      r'network',
    ):
      evaluation.evaluate_exported(
        dataset,
        fp32,
        MODEL,
        reference_file=self.export('onnx', image_size=40)['output'],
      )

  def test_evaluation_errors(self):
    path = self.export('tflite')['output']
    dataset = dataset_factory.get_dataset('digits', 'test', self.data_dir)
    with self.assertRaisesRegex(
      ValueError,
      r'has 10 classes.*10 - '
      r'labels_offset 1 = 9',
    ):
      evaluation.evaluate_exported(
        dataset, path, MODEL, config.InputConfig(labels_offset=1)
      )
    with self.assertRaisesRegex(
      ValueError,
      r'takes 32x32 images; got '
      r'eval_image_size=64',
    ):
      evaluation.evaluate_exported(
        dataset, path, MODEL, config.InputConfig(image_size=64)
      )
    with self.assertRaisesRegex(
      ValueError, r'eval_resize_size must be an integer >= 1'
    ):
      evaluation.evaluate_exported(
        dataset, path, MODEL, config.InputConfig(eval_resize_size=0)
      )
    with self.assertRaisesRegex(ValueError, r'needs --model_name'):
      evaluation.evaluate_exported(dataset, path)
    with self.assertRaisesRegex(ValueError, r'Unknown network'):
      evaluation.evaluate_exported(dataset, path, 'resnet_v9')

  def test_calibration_images_are_the_first_of_the_split(self):
    images = data.calibration_images(self.calibration, MODEL, SIZE)
    self.assertEqual(images.shape, (16, SIZE, SIZE, 3))
    dataset = dataset_factory.get_dataset('digits', 'train', self.data_dir)
    first, _ = next(
      data.eval_batches(
        dataset,
        config.InputConfig(preprocessing_name=MODEL, batch_size=16),
        SIZE,
      )
    )
    self.assertAllEqual(images, first)
    everything = data.calibration_images(
      self.calibration._replace(num_images=1000), MODEL, SIZE
    )
    self.assertEqual(len(everything), 24)  # The whole split.

  def test_eval_batches_with_eval_resize_size(self):
    # digits are 8x8: cifar's evaluation resizes to 32x32; with
    # eval_resize_size=40 it resizes to 40x40 and crops the central 32x32.
    dataset = dataset_factory.get_dataset('digits', 'test', self.data_dir)
    inputs = config.InputConfig(preprocessing_name='cifar', batch_size=4)
    plain, labels = next(data.eval_batches(dataset, inputs, SIZE))
    fixres, fixres_labels = next(
      data.eval_batches(
        dataset, dataclasses.replace(inputs, eval_resize_size=40), SIZE
      )
    )
    self.assertEqual(plain.shape, fixres.shape)
    self.assertAllEqual(labels, fixres_labels)
    self.assertNotAllClose(plain, fixres)

  def test_failed_export_leaves_nothing_and_keeps_the_old_file(self):
    directory = test_util.temp_dir(self)
    output = os.path.join(directory, 'model.tflite')
    with open(output, 'wb') as f:
      f.write(b'the previous model')
    with mock.patch.object(
      tflite_export, 'saved_model_to_tflite', side_effect=RuntimeError('killed')
    ):
      with self.assertRaisesRegex(RuntimeError, 'killed'):
        deploy.export_model(MODEL, self.directory, output, 'tflite')
    with open(output, 'rb') as f:
      self.assertEqual(f.read(), b'the previous model')
    self.assertEqual(leftovers(directory), [])
    saved = os.path.join(directory, 'saved')
    with mock.patch(
      'utils.export.export_lib.write_saved_model',
      side_effect=RuntimeError('killed'),
    ):
      with self.assertRaisesRegex(RuntimeError, 'killed'):
        deploy.export_model(MODEL, self.directory, saved, 'saved_model')
    self.assertFalse(os.path.exists(saved))
    self.assertEqual(leftovers(directory), [])
    xml = os.path.join(directory, 'model.xml')
    with mock.patch('openvino.save_model', side_effect=RuntimeError('killed')):
      with self.assertRaisesRegex(RuntimeError, 'killed'):
        deploy.export_model(MODEL, self.directory, xml, 'openvino')
    self.assertEqual(sorted(os.listdir(directory)), ['model.tflite'])

  @parameterized.named_parameters(
    ('frozen', 'frozen', 'tensorflow'), ('openvino', 'openvino', 'openvino')
  )
  def test_bfloat16_serving_stays_close_to_float32(
    self, export_format, runtime
  ):
    path = self.export(export_format)['output']
    with exported_model.load_model(path, precision='bfloat16') as model:
      self.assertEqual(model.runtime, runtime)
      logits = model.run(self.images)
    # bfloat16 keeps 8 bits of mantissa: about 2 significant digits.
    self.assertLess(relative_error(logits, self.expected), 0.05)

  def test_bfloat16_is_refused_where_the_runtime_has_none(self):
    path = self.export('onnx')['output']
    with self.assertRaisesRegex(
      ValueError, r"precision='bfloat16' is not available for the onnx"
    ):
      exported_model.load_model(path, precision='bfloat16')

  @parameterized.named_parameters(
    (
      'format',
      {'export_format': 'pt'},
      r"format='pt'.*frozen, saved_model, onnx, tflite",
    ),
    (
      'quantize',
      {'export_format': 'onnx', 'quantize': 'int4'},
      r"quantize='int4'.*none, float16, int8",
    ),
    (
      'quantize_frozen',
      {'quantize': 'int8'},
      r"quantize='int8' needs format=onnx, tflite or openvino",
    ),
    (
      'extension',
      {'export_format': 'onnx', 'output': 'model.pb'},
      r"onnx model is a .onnx file; got output_file='.*model.pb'",
    ),
    (
      'no_dataset',
      {'export_format': 'tflite', 'quantize': 'int8', 'calibration': None},
      r'calibrated on images of a data set.*--dataset_dir',
    ),
    (
      'missing_dir',
      {
        'export_format': 'onnx',
        'quantize': 'int8',
        'calibration': ('digits', '/nonexistent/d', 'train'),
      },
      r"'/nonexistent/d' does not exist",
    ),
    (
      'bad_split',
      {
        'export_format': 'onnx',
        'quantize': 'int8',
        'calibration': ('digits', 'DATA', 'valid'),
      },
      r"Unknown split 'valid' of data set 'digits'",
    ),
    (
      'empty_split',
      {
        'export_format': 'tflite',
        'quantize': 'int8',
        'calibration': ('digits', 'EMPTY', 'train'),
      },
      r"calibration split 'train' of data set 'digits' in '.*' has no "
      r'image',
    ),
    (
      'no_images',
      {
        'export_format': 'onnx',
        'quantize': 'int8',
        'calibration': ('digits', 'DATA', 'train', 0),
      },
      r'calibration_images=0',
    ),
    (
      'wrong_depth',
      {'model_name': 'resnet_cifar_32'},
      r"no 'resnet_cifar_32/logits/biases' \(is model_name "
      r"'resnet_cifar_32' right",
    ),
    (
      'wrong_family',
      {'export_format': 'onnx', 'model_name': 'resnet_v1_50'},
      r"no 'resnet_v1_50/logits/biases'.*model_name",
    ),
    (
      'saved_model_exists',
      {'export_format': 'saved_model', 'output': 'EXISTS'},
      r'SavedModel directory .* exists already',
    ),
  )
  def test_bad_input_is_named_and_nothing_written(self, kwargs, message):
    kwargs = dict(kwargs)
    directory = test_util.temp_dir(self)
    export_format = kwargs.pop('export_format', 'frozen')
    output = kwargs.pop('output', None)
    if output == 'EXISTS':
      output = os.path.join(directory, 'exists')
      os.mkdir(output)
    output = os.path.join(
      directory, output or ('model' + deploy.EXTENSIONS.get(export_format, ''))
    )
    calibration = kwargs.pop('calibration', 'default')
    if calibration == 'default':
      calibration = self.calibration
    elif calibration is not None:
      name, data_dir, split = calibration[:3]
      if data_dir == 'EMPTY':
        data_dir = write_digits(test_util.temp_dir(self), [('train', 0)])
      calibration = data.Calibration(
        name,
        self.data_dir if data_dir == 'DATA' else data_dir,
        split,
        (calibration + (8,))[3],
        None,
      )
    before = sorted(os.listdir(directory))
    with self.assertRaisesRegex((ValueError, IOError), message):
      deploy.export_model(
        kwargs.pop('model_name', MODEL),
        self.directory,
        output,
        export_format,
        kwargs.pop('quantize', 'none'),
        calibration,
        export_config.ExportConfig(**kwargs),
      )
    self.assertEqual(sorted(os.listdir(directory)), before)


class ExportedModelTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('text_onnx', 'model.onnx', r"'.*model.onnx' is not an ONNX model"),
    (
      'text_tflite',
      'model.tflite',
      r"'.*model.tflite' is not a TFLite "
      r'model',
    ),
    (
      'text_pb',
      'model.pb',
      r"'.*model.pb' is not (a frozen GraphDef|an "
      r'inference graph)',
    ),
    (
      'extension',
      'model.h5',
      r'Unknown kind of model file '
      r"model_file='.*model.h5'",
    ),
  )
  def test_a_file_that_is_not_a_model(self, name, message):
    path = os.path.join(test_util.temp_dir(self), name)
    with open(path, 'w') as f:
      f.write('This is a text file, not a model.\n')
    with self.assertRaisesRegex(ValueError, message):
      exported_model.load_model(path)

  def test_a_directory_that_is_not_a_saved_model(self):
    directory = test_util.temp_dir(self)
    with self.assertRaisesRegex(
      ValueError,
      r'directory without '
      r'saved_model.pb: not a SavedModel',
    ):
      exported_model.load_model(directory)
    with self.assertRaisesRegex(
      ValueError,
      r'No exported model at '
      r"model_file='/nonexistent/m.onnx'",
    ):
      exported_model.load_model('/nonexistent/m.onnx')
    with self.assertRaisesRegex(ValueError, r'num_threads=0'):
      exported_model.load_model(directory, num_threads=0)

  def test_in_top_k_is_tensorflows(self):
    rng = np.random.RandomState(0)
    # Rounded logits: many ties across the top-k boundary.
    logits = np.round(rng.normal(size=(64, 7)), 0).astype(np.float32)
    logits[3, 2] = np.nan
    labels = rng.randint(0, 7, 64)
    with tf.Graph().as_default(), self.session() as sess:
      for k in (1, 3, 5):
        expected = sess.run(tf.nn.in_top_k(logits, labels, k))
        self.assertAllEqual(evaluation.in_top_k(logits, labels, k), expected)

  def test_int8_calibration_covers_every_batch(self):
    # A 1x1 convolution that copies its input: the int8 model reproduces
    # 100 only if the calibration range covers the first batch's 100s (the
    # later batches hold 1s). Guards against ranges of the last batches
    # only (ONNX Runtime 1.32's CalibMaxIntermediateOutputs).
    import onnx
    from onnx import helper
    from onnx import numpy_helper
    import onnxruntime

    from utils.export import onnx_export

    weights = np.eye(2, dtype=np.float32).reshape(2, 2, 1, 1)
    graph = helper.make_graph(
      [helper.make_node('Conv', ['input', 'w'], ['logits'])],
      'copy',
      [
        helper.make_tensor_value_info(
          'input', onnx.TensorProto.FLOAT, ['n', 2, 2, 1]
        )
      ],
      [
        helper.make_tensor_value_info(
          'logits', onnx.TensorProto.FLOAT, ['n', 2, 2, 1]
        )
      ],
      [numpy_helper.from_array(weights, 'w')],
    )
    model = helper.make_model(
      graph, opset_imports=[helper.make_opsetid('', 17)]
    )
    images = np.ones((3 * onnx_export.CALIBRATION_BATCH, 2, 2, 1), np.float32)
    images[: onnx_export.CALIBRATION_BATCH] = 100.0
    quantized = onnx_export.quantize_int8(model, images)
    self.assertIn('QuantizeLinear', [n.op_type for n in quantized.graph.node])
    session = onnxruntime.InferenceSession(
      quantized.SerializeToString(), providers=['CPUExecutionProvider']
    )
    output = session.run(None, {'input': images[:1]})[0]
    self.assertAllClose(output, images[:1], rtol=0.02)

  def test_split_batches(self):
    images = np.arange(5)
    self.assertEqual(
      [b.tolist() for b in data.split_batches(images, 2)], [[0, 1], [2, 3], [4]]
    )
    self.assertEqual(
      [b.tolist() for b in data.split_batches(images, 3, True)],
      [[0, 1, 2], [3, 4, 0]],
    )
    self.assertEqual(
      [b.tolist() for b in data.split_batches(images, 7, True)],
      [[0, 1, 2, 3, 4, 0, 1]],
    )

  def test_atomic_file_replaces_only_when_complete(self):
    directory = test_util.temp_dir(self)
    path = os.path.join(directory, 'sub', 'f.bin')
    files.write_bytes(path, b'one')
    mask = os.umask(0o022)
    os.umask(mask)
    self.assertEqual(os.stat(path).st_mode & 0o777, 0o666 & ~mask)
    with self.assertRaises(RuntimeError):
      with files.atomic_file(path) as temp:
        with open(temp, 'wb') as f:
          f.write(b'half')
        raise RuntimeError('killed')
    with open(path, 'rb') as f:
      self.assertEqual(f.read(), b'one')
    self.assertEqual(os.listdir(os.path.dirname(path)), ['f.bin'])
    with self.assertRaisesRegex(
      ValueError,
      r"output_file='.*' is a "
      r'directory',
    ):
      files.write_bytes(directory, b'x')


def run_script(script, *args):
  env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL='2')
  return subprocess.run(
    [sys.executable, os.path.join(ROOT, script)] + list(args),
    env=env,
    capture_output=True,
    text=True,
    check=False,
  )


class ScriptTest(tf.test.TestCase):
  """export_inference_graph.py, eval_image_classifier.py --model_file and
  benchmark_networks.py --runtime on the command line."""

  @classmethod
  def setUpClass(cls):
    super(ScriptTest, cls).setUpClass()
    tf_compat.enable_graph_mode()
    cls.directory = test_util.class_temp_dir(cls)
    write_network(cls.directory)
    cls.data_dir = write_digits(test_util.class_temp_dir(cls))

  def test_export_int8_and_evaluate_it_against_float32(self):
    common = [
      '--model_name=' + MODEL,
      '--checkpoint_path=' + self.directory,
      '--format=onnx',
      '--dataset_name=digits',
    ]
    fp32 = os.path.join(self.directory, 'fp32.onnx')
    int8 = os.path.join(self.directory, 'int8.onnx')
    proc = run_script(
      'export_inference_graph.py', *common, '--output_file=' + fp32
    )
    self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
    proc = run_script(
      'export_inference_graph.py',
      *common,
      '--output_file=' + int8,
      '--quantize=int8',
      '--dataset_dir=' + self.data_dir,
      '--calibration_images=10',
    )
    self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
    self.assertIn('Calibrated int8 on 10 images', proc.stderr)
    self.assertIn('(onnx, quantize=int8)', proc.stderr)
    self.assertIn(
      'Input: input; outputs: classes=classes, logits=logits', proc.stderr
    )
    proc = run_script(
      'eval_image_classifier.py',
      '--model_file=' + int8,
      '--reference_model_file=' + fp32,
      '--model_name=' + MODEL,
      '--dataset_name=digits',
      '--dataset_split_name=test',
      '--dataset_dir=' + self.data_dir,
      '--batch_size=5',
    )
    self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
    self.assertRegex(
      proc.stdout.strip().splitlines()[-1],
      r'int8.onnx format=onnx runtime=onnxruntime images=13 '
      r'Accuracy=[0-9.]+ Recall_5=[0-9.]+ Agreement=[0-9.]+$',
    )

  def test_errors_name_the_value(self):
    output = os.path.join(test_util.temp_dir(self), 'm.tflite')
    proc = run_script(
      'export_inference_graph.py',
      '--model_name=' + MODEL,
      '--checkpoint_path=' + self.directory,
      '--format=tflite',
      '--quantize=int8',
      '--output_file=' + output,
    )
    self.assertNotEqual(proc.returncode, 0)
    self.assertIn(
      'dataset_name=None, dataset_dir=None (pass --dataset_name', proc.stderr
    )
    self.assertFalse(os.path.exists(output))
    with open(output, 'w') as f:
      f.write('not a model')
    proc = run_script(
      'eval_image_classifier.py',
      '--model_file=' + output,
      '--model_name=' + MODEL,
      '--dataset_name=digits',
      '--dataset_split_name=test',
      '--dataset_dir=' + self.data_dir,
    )
    self.assertNotEqual(proc.returncode, 0)
    self.assertIn("model_file='%s' is not a TFLite model" % output, proc.stderr)

  def test_benchmark_exported_runtimes(self):
    output = os.path.join(test_util.temp_dir(self), 'bench.jsonl')
    proc = run_script(
      'benchmark_networks.py',
      '--model_name=' + MODEL,
      '--mode=inference',
      '--runtime=onnxruntime,tflite',
      '--precision=int8',
      '--batch_size=2',
      '--num_warmup_steps=1',
      '--num_steps=2',
      '--latency_steps=2',
      '--nomeasure_peak',
      '--paired',
      '--noisolate',
      '--output_json=' + output,
    )
    self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
    self.assertIn('b1 ms', proc.stdout)
    with open(output) as f:
      results = [json.loads(line) for line in f]
    self.assertEqual(
      [(r['implementation'], r['precision']) for r in results],
      [('onnxruntime', 'int8'), ('tflite', 'int8')],
    )
    self.assertTrue(all(len(r['latency_seconds']) == 2 for r in results))


class FullNetworkTest(tf.test.TestCase, parameterized.TestCase):
  """float32 ONNX, TFLite and OpenVINO equal the frozen graph, full networks.

  Full width, small inputs (64x64; every layer and stride is there). At
  224x224, random se_resnet_50 is too ill-conditioned for a 1e-4 bound on
  anything: scaling each of its weights by a random 1 + 6e-8 (one float32
  ulp) moves its logits by 2.9e-3 relative (resnet_v1_50's: 9e-7), so two
  correct implementations that merely sum in another order differ as much.
  """

  @parameterized.named_parameters(
    ('resnet_v1_50', 'resnet_v1_50', 64),
    ('resnet_v2_50', 'resnet_v2_50', 64),
    ('resnext_50_32x4d', 'resnext_50_32x4d', 64),
    ('se_resnet_50', 'se_resnet_50', 64),
    ('resnet_cifar_20', 'resnet_cifar_20', 32),
  )
  def test_exports_equal_the_frozen_graph(self, model_name, size):
    directory = test_util.temp_dir(self)
    images, expected = write_network(directory, model_name, size, batch=2)
    outputs = {}
    for export_format in ('frozen', 'onnx', 'tflite', 'openvino'):
      path = os.path.join(directory, 'model' + deploy.EXTENSIONS[export_format])
      deploy.export_model(
        model_name,
        directory,
        path,
        export_format,
        config=export_config.ExportConfig(image_size=size),
      )
      with exported_model.load_model(path) as model:
        outputs[export_format] = model.run(images)
    self.assertLess(relative_error(outputs['frozen'], expected), 1e-4)
    for export_format in ('onnx', 'tflite', 'openvino'):
      self.assertLess(
        relative_error(outputs[export_format], outputs['frozen']), 1e-4
      )


if __name__ == '__main__':
  tf.test.main()
