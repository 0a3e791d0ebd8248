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
"""utils/conv_gradients.py: the matmul gradients equal TensorFlow's, per
unit kind; the switch ('auto', 'plain', 'matmul') in training and the
benchmark."""

import importlib.util
import os

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import nets_factory
from nets import resnet_builder
from nets import resnet_v1
from nets import resnet_v2
from nets import tf_compat
from tests import test_util
from utils import conv_gradients
from utils import precision
from utils.benchmark import config as benchmark_config
from utils.benchmark import graph_runners
from utils.benchmark import grid
from utils.datasets import dataset_factory
from utils.training import config as train_config
from utils.training import train_lib


def setUpModule():
  tf_compat.enable_graph_mode()


# Two-block networks of each unit kind, built by the generic builders:
# (name, builder, unit function, block options).
_UNIT_KINDS = (
  ('v1_bottleneck', resnet_v1.resnet_v1, resnet_v1.bottleneck, {}),
  ('v2_bottleneck', resnet_v2.resnet_v2, resnet_v2.bottleneck, {}),
  ('basic', resnet_v1.resnet_v1, resnet_v1.basic_block, {}),
  ('resnext', resnet_v1.resnet_v1, resnet_v1.bottleneck, {'cardinality': 4}),
  ('se', resnet_v1.resnet_v1, resnet_v1.bottleneck, {'se_ratio': 4}),
  # torchvision's stride placement: strided 1x1 projection shortcuts.
  (
    'first_unit_stride',
    resnet_v1.resnet_v1,
    resnet_v1.bottleneck,
    {'first_unit_stride': True},
  ),
)

# One registered network per unit kind, at depth_multiplier 1/8 on small
# images (the 50-layer ones in SLOW_TESTS).
_REGISTERED = (
  ('v1_bottleneck', 'resnet_v1_50', 64),
  ('v2_bottleneck', 'resnet_v2_50', 64),
  ('basic', 'resnet_v1_18', 64),
  ('resnext', 'resnext_50_32x4d', 64),
  ('se', 'se_resnet_50', 64),
  ('cifar', 'resnet_cifar_20', 32),
  ('torchvision_stride', 'resnet_v1_50_tv', 64),
)


def _tiny_kwargs(name):
  return dict(
    depth_multiplier=0.125, min_base_depth=16 if 'resnext' in name else 8
  )


def _two_block_network(builder, unit_fn, options):
  """A network function of two blocks of `unit_fn` units (7 classes)."""

  def blocks():
    if unit_fn in (resnet_v1.basic_block, resnet_v2.basic_block):
      return [
        resnet_builder.basic_block_group('block1', 8, 2, 2, unit_fn, **options),
        resnet_builder.basic_block_group(
          'block2', 16, 1, 1, unit_fn, **options
        ),
      ]
    return [
      resnet_builder.bottleneck_block('block1', 4, 2, 2, unit_fn, **options),
      resnet_builder.bottleneck_block('block2', 8, 1, 1, unit_fn, **options),
    ]

  def network_fn(images):
    with test_util.arg_scope(is_training=True):
      return builder(images, blocks(), 7, scope='net')

  return network_fn


class MatmulGradientsTest(tf.test.TestCase, parameterized.TestCase):
  def _gradients(self, network_fn, size, kinds, session_config=None):
    """The logits and gradients of `network_fn`, TensorFlow's and with
    `kinds`, from one set of weights; and the op types of the graph."""
    with tf.Graph().as_default() as graph:
      tf.set_random_seed(0)
      images = tf.random.uniform([2, size, size, 3], -1, 1, seed=1)
      logits, _ = network_fn(images)
      with conv_gradients.matmul_gradients(kinds):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
          fast_logits, _ = network_fn(images)
      logits = tf.reshape(logits, [2, 7])
      fast_logits = tf.reshape(fast_logits, [2, 7])
      weights = tf.random.normal([2, 7], seed=2)
      variables = tf.trainable_variables()
      self.assertNotEmpty(variables)
      grads = tf.gradients(tf.reduce_sum(logits * weights), variables)
      fast_grads = tf.gradients(tf.reduce_sum(fast_logits * weights), variables)
      op_types = {op.type for op in graph.get_operations()}
      with self.session(graph=graph, config=session_config) as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([logits, fast_logits, grads, fast_grads])
    return values, variables, op_types

  def _check_fp32(self, network_fn, size, tolerance=1e-5):
    (logits, fast_logits, grads, fast_grads), variables, op_types = (
      self._gradients(network_fn, size, conv_gradients.KINDS)
    )
    self.assertAllEqual(logits, fast_logits)  # The forward is untouched.
    self.assertIn('MatMul', op_types)
    self.assertGradientsClose(variables, grads, fast_grads, tolerance)

  def assertGradientsClose(self, variables, grads, fast_grads, tolerance):
    """Each gradient within `tolerance` relative, but those that vanish.

    A gradient whose true value is zero holds only rounding noise, which
    no two summation orders share: ResNeXt's tiny width has one channel
    per group, so the conv1 batch-norm scale of a unit is followed by ReLU,
    a one-channel convolution and another batch norm, which undoes any
    scale (its gradient vanishes; computed, it is about 1e-5 of the
    others). Gradients below 1e-4 of the largest are held to `tolerance`
    of the largest instead.
    """
    largest = max(float(np.max(np.abs(g))) for g in grads)
    for var, grad, fast in zip(variables, grads, fast_grads):
      scale = float(np.max(np.abs(grad)))
      if scale < 1e-4 * largest:
        scale = largest
      self.assertLess(
        float(np.max(np.abs(fast - grad))) / scale,
        tolerance,
        msg='gradient of %s' % var.op.name,
      )

  @parameterized.named_parameters(*_UNIT_KINDS)
  def test_fp32_gradients_equal_tensorflows(self, builder, unit_fn, options):
    self._check_fp32(_two_block_network(builder, unit_fn, options), 32)

  @parameterized.named_parameters(*_REGISTERED)
  def test_fp32_gradients_of_registered_networks(self, name, size):
    # The unit kinds above hold 1e-5. A whole 50-layer network carries the
    # rounding of every layer down to the stem, whose batch-norm beta
    # gradient is a sum over all its positions that largely cancels: with
    # oneDNN's float32 kernels it differs by up to 1.2e-5 (resnet_v1_50_tv;
    # 3e-6 or less everywhere else but resnet_v1_50's stem, 9e-6).
    network_fn = nets_factory.get_network_fn(name, 7, is_training=True)
    self._check_fp32(
      lambda images: network_fn(images, **_tiny_kwargs(name)), size, 3e-5
    )

  def test_bfloat16_gradients_within_bfloat16_rounding(self):
    if not tf_compat.onednn_enabled():
      self.skipTest(
        'bfloat16 training is the oneDNN auto mixed precision rewrite, '
        'which this TensorFlow build does not run (no oneDNN; '
        'TF_ENABLE_ONEDNN_OPTS=1 turns it on)'
      )
    # bfloat16 keeps 8 significant bits; on these tiny networks (batch 2,
    # batch norm) TensorFlow's own bfloat16 gradients are tens of percent
    # of the largest gradient away from the float32 ones, and a sum that
    # cancels (a bias before batch norm) has no relative precision at all.
    # So bfloat16 rounding is measured, per variable, as the distance of
    # TensorFlow's own bfloat16 gradient from the float32 one; the
    # rewritten gradients are held to twice that, plus 1% of the largest
    # float32 gradient.
    for name, builder, unit_fn, options in _UNIT_KINDS:
      network_fn = _two_block_network(builder, unit_fn, options)
      with self.subTest(name):
        try:
          (_, _, grads, fast_grads), variables, _ = self._gradients(
            network_fn,
            32,
            conv_gradients.KINDS,
            precision.session_config('bfloat16'),
          )
        except tf.errors.InvalidArgumentError as error:
          if 'grouped convolutions are not supported' not in str(error):
            raise
          self.skipTest(
            "TensorFlow's own bfloat16 gradient of a grouped convolution "
            'does not run on this CPU'
          )
        (_, _, reference, _), _, _ = self._gradients(
          network_fn, 32, conv_gradients.KINDS
        )
        largest = max(float(np.max(np.abs(g))) for g in reference)
        for var, exact, grad, fast in zip(
          variables, reference, grads, fast_grads
        ):
          rounding = float(np.max(np.abs(grad - exact)))
          self.assertLessEqual(
            float(np.max(np.abs(fast - exact))),
            2 * rounding + 0.01 * largest,
            msg='gradient of %s' % var.op.name,
          )

  def _check_single_convolution(self, x_shape, w_shape, stride, padding, kinds):
    """Checks the gradients of one convolution with `kinds` against
    TensorFlow's (1e-5); returns the (dx, dw) tensors and the ops that
    their `tf.gradients` call added."""
    rng = np.random.RandomState(0)
    x_value = rng.normal(size=x_shape).astype(np.float32)
    w_value = rng.normal(size=w_shape).astype(np.float32)
    with tf.Graph().as_default() as graph:
      x = tf.constant(x_value)
      w = tf.constant(w_value)
      y = tf.nn.conv2d(x, w, stride, padding)
      with conv_gradients.matmul_gradients(kinds):
        fast_y = tf.nn.conv2d(x, w, stride, padding)
      dy = tf.constant(rng.normal(size=y.shape.as_list()).astype(np.float32))
      expected = tf.gradients(y, [x, w], dy)
      before = set(graph.get_operations())
      dx, dw = tf.gradients(fast_y, [x, w], dy)
      added = set(graph.get_operations()) - before
      with self.session(graph=graph) as sess:
        expected, actual = sess.run([expected, [dx, dw]])
    self.assertAllClose(expected[0], actual[0], rtol=1e-5, atol=1e-5)
    self.assertAllClose(expected[1], actual[1], rtol=1e-5, atol=1e-5)
    return (dx, dw), added

  @parameterized.named_parameters(
    ('stride_1', 1, 'SAME', ['1x1_filter', '1x1_input'], 'MatMul', 'MatMul'),
    (
      'stride_1_filter_only',
      1,
      'VALID',
      ['1x1_filter'],
      'MatMul',
      'Conv2DBackpropInput',
    ),
    (
      'stride_1_input_only',
      1,
      'SAME',
      ['1x1_input'],
      'Conv2DBackpropFilter',
      'MatMul',
    ),
    (
      'stride_2_same',
      2,
      'SAME',
      ['1x1_strided_filter'],
      'MatMul',
      'Conv2DBackpropInput',
    ),
    (
      'stride_2_valid',
      2,
      'VALID',
      ['1x1_strided_filter'],
      'MatMul',
      'Conv2DBackpropInput',
    ),
    (
      'stride_2_not_selected',
      2,
      'SAME',
      ['1x1_filter', '1x1_input'],
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
    ),
  )
  def test_single_convolution(
    self, stride, padding, kinds, filter_op, input_op
  ):
    (dx, dw), added = self._check_single_convolution(
      [3, 9, 7, 5], [1, 1, 5, 4], stride, padding, kinds
    )
    # The op that computes each gradient, under the Identity of tf.gradients.
    self.assertEqual(input_op, _producer(dx, added).type)
    self.assertEqual(filter_op, _producer(dw, added).type)

  @parameterized.named_parameters(
    ('3x3_input', [3, 3], 1, 'SAME', ['kxk_input'], True, False),
    ('3x3_filter', [3, 3], 1, 'SAME', ['kxk_filter'], False, True),
    ('5x5', [5, 5], 1, 'SAME', ['kxk_input', 'kxk_filter'], True, True),
    ('3x1', [3, 1], 1, 'SAME', ['kxk_input', 'kxk_filter'], True, True),
    ('strided', [3, 3], 2, 'SAME', ['kxk_input', 'kxk_filter'], False, False),
    ('valid', [3, 3], 1, 'VALID', ['kxk_input', 'kxk_filter'], False, False),
    ('even', [2, 2], 1, 'SAME', ['kxk_input', 'kxk_filter'], False, False),
  )
  def test_kxk_gradients(
    self, kernel, stride, padding, kinds, dx_conv, dw_conv
  ):
    # Forward convolutions for stride-1 SAME odd kernels only, each kind
    # on its own.
    _, added = self._check_single_convolution(
      [2, 9, 7, 5], kernel + [5, 4], stride, padding, kinds
    )
    added = [op.type for op in added]
    self.assertEqual(not dx_conv, 'Conv2DBackpropInput' in added)
    self.assertEqual(not dw_conv, 'Conv2DBackpropFilter' in added)
    self.assertEqual(dx_conv + dw_conv, added.count('Conv2D'))

  def test_other_convolutions_keep_tensorflows_gradients(self):
    with tf.Graph().as_default() as graph:
      x = tf.random.uniform([2, 8, 8, 4])
      with conv_gradients.matmul_gradients(conv_gradients.KINDS):
        ys = [
          tf.nn.conv2d(x, tf.get_variable('k3x3', [3, 3, 4, 6]), 2, 'SAME'),
          tf.nn.conv2d(
            x, tf.get_variable('dilated', [1, 1, 4, 6]), 1, 'SAME', dilations=2
          ),
          tf.nn.conv2d(
            x, tf.get_variable('dilated3', [3, 3, 4, 6]), 1, 'SAME', dilations=2
          ),
          # Grouped (2 groups of 2 channels), where TensorFlow has the kernel.
          tf.nn.conv2d(x, tf.get_variable('grouped', [1, 1, 2, 6]), 1, 'SAME'),
          tf.nn.conv2d(x, tf.get_variable('grouped3', [3, 3, 2, 6]), 1, 'SAME'),
        ]
      before = set(graph.get_operations())
      tf.gradients(
        tf.add_n([tf.reduce_sum(y) for y in ys]), tf.global_variables()
      )
      added = {op.type for op in set(graph.get_operations()) - before}
    self.assertIn('Conv2DBackpropFilter', added)
    self.assertIn('Conv2DBackpropInput', added)
    self.assertNotIn('MatMul', added)
    self.assertNotIn('Conv2D', added)

  def test_variable_names_and_forward_unchanged(self):
    def build(mode):
      with tf.Graph().as_default() as graph:
        images = tf.zeros([1, 64, 64, 3])
        network_fn = nets_factory.get_network_fn(
          'resnet_v1_18_tv', 7, is_training=True
        )
        with conv_gradients.scope(mode):
          network_fn(images, **_tiny_kwargs('resnet_v1_18_tv'))
        variables = [
          (v.op.name, v.shape.as_list()) for v in tf.global_variables()
        ]
        ops = [(op.name, op.type) for op in graph.get_operations()]
      return variables, ops

    plain_variables, plain_ops = build('plain')
    matmul_variables, matmul_ops = build('matmul')
    self.assertNotEmpty(plain_variables)
    self.assertEqual(plain_variables, matmul_variables)
    self.assertEqual(plain_ops, matmul_ops)

  def test_plain_adds_nothing_to_the_ops(self):
    with tf.Graph().as_default():
      x = tf.zeros([1, 4, 4, 2])
      with conv_gradients.scope('plain'):
        y = tf.nn.conv2d(x, tf.zeros([1, 1, 2, 3]), 1, 'SAME')
      with self.assertRaises(ValueError):
        y.op.get_attr('_gradient_op_type')

  def test_override_holds_until_the_last_block_ends(self):
    # MirroredStrategy's replica threads build one graph in turns: the
    # first to leave its block must not end the override for the others.
    # Their interleaving, in one thread: enter, enter, leave, build, leave.
    def attr(op):
      try:
        return op.get_attr('_gradient_op_type').decode()
      except ValueError:
        return None

    with tf.Graph().as_default():
      x, w = tf.zeros([1, 4, 4, 2]), tf.zeros([1, 1, 2, 3])
      first = conv_gradients.matmul_gradients(conv_gradients.KINDS)
      second = conv_gradients.matmul_gradients(conv_gradients.KINDS)
      first.__enter__()
      second.__enter__()
      first.__exit__(None, None, None)
      inside = tf.nn.conv2d(x, w, 1, 'SAME')
      second.__exit__(None, None, None)
      after = tf.nn.conv2d(x, w, 1, 'SAME')
      # Nested blocks of other kinds restore the outer one.
      with conv_gradients.matmul_gradients(['1x1_filter']):
        with conv_gradients.matmul_gradients(['1x1_input']):
          inner = tf.nn.conv2d(x, w, 1, 'SAME')
        outer = tf.nn.conv2d(x, w, 1, 'SAME')
    self.assertEqual(
      'SlimMatmulConv2DGrad_1x1_filter_1x1_input_1x1_strided_filter_kxk_filter_kxk_input',
      attr(inside.op),
    )
    self.assertIsNone(attr(after.op))
    self.assertEqual('SlimMatmulConv2DGrad_1x1_input', attr(inner.op))
    self.assertEqual('SlimMatmulConv2DGrad_1x1_filter', attr(outer.op))

  def test_gradients_of_a_forward_function(self):
    # `gradients`: tf.gradients of the matmul forms in a graph, a tape
    # (TensorFlow's kernels) without kinds; the same values.
    def run(kinds):
      with tf.Graph().as_default() as graph:
        tf.set_random_seed(0)
        x = tf.random.uniform([2, 4, 4, 3], seed=1)
        w = tf.get_variable('w', [1, 1, 3, 5])

        def forward():
          y = tf.nn.conv2d(x, w, 1, 'SAME')
          return tf.reduce_sum(y * y), y

        loss, y, (grad,) = conv_gradients.gradients(forward, [w], kinds)
        types = {op.type for op in graph.get_operations()}
        with self.session(graph=graph) as sess:
          sess.run(tf.global_variables_initializer())
          return sess.run([loss, y, grad]), types

    (loss, y, grad), types = run(())
    (fast_loss, fast_y, fast_grad), fast_types = run(['1x1_filter'])
    self.assertIn('Conv2DBackpropFilter', types)
    self.assertNotIn('MatMul', types)
    self.assertNotIn('Conv2DBackpropFilter', fast_types)
    self.assertIn('MatMul', fast_types)
    self.assertEqual(loss, fast_loss)
    self.assertAllEqual(y, fast_y)
    self.assertAllClose(grad, fast_grad, rtol=1e-5, atol=0)
    with self.assertRaisesRegex(ValueError, r"kind\(s\) '3x3'"):
      conv_gradients.gradients(self.fail, [], ['3x3'])

  def test_description_names_the_mode_and_kinds(self):
    self.assertEqual(
      'Convolution gradients (conv_gradients=matmul on a %s machine): '
      'rewritten for 1x1_filter, 1x1_input, 1x1_strided_filter, kxk_filter, '
      'kxk_input.' % conv_gradients.machine_class(),
      conv_gradients.description('matmul'),
    )
    self.assertEqual(
      'Convolution gradients (conv_gradients=plain on a %s machine): '
      "TensorFlow's own." % conv_gradients.machine_class(),
      conv_gradients.description('plain'),
    )

  def test_auto_resolves_per_machine_class(self):
    for machine in conv_gradients.MACHINE_CLASSES:
      self.assertEqual(
        frozenset(conv_gradients.AUTO_KINDS[machine]),
        conv_gradients.resolve('auto', machine),
      )
    self.assertEqual(
      'onednn' if tf_compat.onednn_enabled() else 'eigen',
      conv_gradients.machine_class(),
    )
    self.assertEqual(
      conv_gradients.resolve('auto', conv_gradients.machine_class()),
      conv_gradients.resolve('auto'),
    )
    self.assertEqual(frozenset(), conv_gradients.resolve('plain'))
    self.assertEqual(
      frozenset(conv_gradients.KINDS), conv_gradients.resolve('matmul')
    )
    # Every machine class has an entry, of known kinds only.
    self.assertCountEqual(
      conv_gradients.MACHINE_CLASSES, conv_gradients.AUTO_KINDS
    )
    for kinds in conv_gradients.AUTO_KINDS.values():
      conv_gradients.check_kinds(kinds)

  def test_bad_values_are_named(self):
    with self.assertRaisesRegex(
      ValueError,
      r'^conv_gradients must be one of auto, plain, matmul; got '
      r"conv_gradients='fast'$",
    ):
      conv_gradients.resolve('fast')
    with self.assertRaisesRegex(
      ValueError, r"^machine must be one of onednn, eigen; got machine='gpu'$"
    ):
      conv_gradients.resolve('auto', 'gpu')
    with self.assertRaisesRegex(
      ValueError,
      r"^Unknown convolution gradient kind\(s\) '3x3'; expected some of "
      r'1x1_filter, 1x1_input, 1x1_strided_filter, kxk_input, kxk_filter$',
    ):
      with conv_gradients.matmul_gradients(['3x3']):
        pass
    with self.assertRaisesRegex(
      ValueError, r"^conv_gradients must be one of .*; got conv_gradients='on'$"
    ):
      train_config.TrainConfig(conv_gradients='on')
    with self.assertRaisesRegex(
      ValueError, r'^conv_gradients must be one of .*; got conv_gradients=None$'
    ):
      grid.check_setting(
        benchmark_config.Setting('resnet_cifar_20', conv_gradients=None)
      )


def _producer(tensor, ops):
  """The first op of `ops` up `tensor`'s Identity chain."""
  op = tensor.op
  while op.type == 'Identity' or op.type == 'Reshape':
    if op.type == 'Reshape' and op in ops:
      op = op.inputs[0].op
      continue
    if op.type == 'Identity':
      op = op.inputs[0].op
      continue
    break
  return op


class TrainingGraphTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('plain', 'plain', False), ('matmul', 'matmul', True)
  )
  def test_train_lib_builds_the_chosen_gradients(self, mode, matmul):
    directory = test_util.temp_dir(self)
    open(os.path.join(directory, 'empty.tfrecord'), 'wb').close()
    dataset = dataset_factory.get_dataset(
      'cifar10', 'train', directory, file_pattern='empty.tfrecord'
    )
    built = train_lib.train(
      dataset,
      os.path.join(directory, 'train'),
      'resnet_cifar_20',
      train_config.TrainConfig(
        input=train_config.InputConfig(batch_size=2, image_size=16),
        network_kwargs={'depth_multiplier': 0.5},
        conv_gradients=mode,
      ),
      build_only=True,
    )
    gradient_types = [
      op.type
      for op in built.graph.get_operations()
      if op.name.startswith('gradients')
    ]
    # resnet_cifar_20's only 1x1 convolution is its logits layer; the input
    # gradients of its stride-1 3x3 convolutions are forward convolutions.
    self.assertEqual(matmul, 'MatMul' in gradient_types)
    self.assertEqual(matmul, 'Conv2D' in gradient_types)
    # Only its strided 3x3 convolutions keep Conv2DBackpropFilter.
    self.assertEqual(
      2 if matmul else 20, gradient_types.count('Conv2DBackpropFilter')
    )

  def test_benchmark_runner_reports_its_gradients(self):
    setting = benchmark_config.Setting(
      'resnet_cifar_20',
      batch_size=2,
      image_size=16,
      num_classes=5,
      model_kwargs={'depth_multiplier': 0.5},
      conv_gradients='matmul',
    )
    timing = benchmark_config.Timing(isolate=False)
    for cls, mode, kinds in (
      (graph_runners.Ours, 'matmul', sorted(conv_gradients.KINDS)),
      (graph_runners.OursPlainGradients, 'plain', []),
    ):
      built = cls(setting, timing)
      try:
        types = {op.type for op in built.graph.get_operations()}
        self.assertEqual(bool(kinds), 'MatMul' in types)
        self.assertEqual(mode, built.fields['conv_gradients'])
        self.assertEqual(kinds, built.fields['matmul_gradient_kinds'])
        self.assertGreater(built.step(), 0)
      finally:
        built.close()
    self.assertRegex(
      graph_runners.OursPlainGradients.problem(
        benchmark_config.Setting('resnet_cifar_20', mode='inference')
      ),
      r"^The 'ours_plain' implementation times training steps; "
      r"got mode='inference'$",
    )


def _measure_script():
  path = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    'scripts',
    'measure_conv_gradients.py',
  )
  spec = importlib.util.spec_from_file_location('measure_conv_gradients', path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


class MeasureScriptTest(tf.test.TestCase):
  def test_shapes_and_table_of_every_kind(self):
    script = _measure_script()
    shapes = script.network_shapes(['resnet_v1_18', 'resnet_v1_18_tv'], 1)
    Shape = script.Shape
    # resnet_v1_18 (slim's stride placement): stride-1 projections and the
    # logits; resnet_v1_18_tv adds its strided projections (its stride-1
    # shapes are not counted twice).
    self.assertEqual(1, shapes[Shape((1, 1, 1, 512), 1000, 1)])
    self.assertEqual(1, shapes[Shape((1, 56, 56, 64), 128, 2)])
    self.assertEqual(
      {1, 2}, {s.stride for s in shapes}, msg='stride-1 and strided shapes'
    )
    small = {s: n for s, n in shapes.items() if s.x[1] <= 7 or s.stride > 1}
    times = script.measure(small, tf.float32, repeats=2, warmup=0)
    lines, _ = script.report(small, times, 1.05)
    for kind in conv_gradients.KINDS:
      self.assertTrue(
        any(line.strip().startswith(kind + ' ') for line in lines),
        msg='no total for %s in %s' % (kind, lines),
      )
    for forms in times.values():
      self.assertLen(forms['conv'], 2)
      self.assertLen(forms['new'], 2)


if __name__ == '__main__':
  tf.test.main()
