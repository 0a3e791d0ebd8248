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
"""Tests for the weight conversion (utils/convert/, convert_weights.py) and
the layout options it needs (symmetric root, stride placement, nominal
strides): the layouts, the weight maps, the readers and the converter's
errors. That converted weights give their source's logits is
tests/weights_equality_test.py.
"""

import os
import sys
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import resnet_builder
from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2
from nets import tf_compat
from tests import test_util
from tests import torchvision_fixture
from utils.convert import convert_lib
from utils.convert import readers
from utils.convert import weight_map
from utils.export import export_lib

# Which cases are slow (the layouts of no registered network, the models
# deeper than 50 layers) is decided by SLOW_TESTS in tests/conftest.py.
# (family, unit, stride_in, first_unit_stride): every combination. The
# layouts of the registered networks: torchvision ('v1', 'bottleneck',
# 'conv2', True) and ('v1', 'basic', 'conv1', True), Keras v1 (Caffe) ('v1',
# 'bottleneck', 'conv1', True), slim and Keras v2 ('v2', 'bottleneck',
# 'conv2', False).
ATROUS_ALL = [
  (f, u, s, first)
  for f in ('v1', 'v2')
  for u in ('bottleneck', 'basic')
  for s in ('conv1', 'conv2')
  for first in (True, False)
]


def setUpModule():
  tf_compat.enable_graph_mode()


class LayoutTest(tf.test.TestCase, parameterized.TestCase):
  """The builder options: off by default, exact under output_stride."""

  def test_defaults_keep_slim_tables(self):
    for depth in (18, 50):
      self.assertEqual(
        resnet_builder.imagenet_blocks(depth, resnet_v1.UNITS),
        resnet_builder.imagenet_blocks(
          depth,
          resnet_v1.UNITS,
          first_unit_stride=False,
          stride_in='conv2',
          basic_stride_in='conv2',
        ),
      )
    blocks = resnet_builder.imagenet_blocks(50, resnet_v1.UNITS)
    self.assertNotIn('stride_in', blocks[0].args[0])
    self.assertEqual([u['stride'] for u in blocks[0].args], [1, 1, 2])

  @parameterized.named_parameters(
    ('torchvision_bottleneck', 50, resnet_builder.TORCHVISION_LAYOUT, 'conv2'),
    ('torchvision_basic', 18, resnet_builder.TORCHVISION_LAYOUT, 'conv1'),
    ('keras_v1', 50, resnet_builder.KERAS_V1_LAYOUT, 'conv1'),
  )
  def test_first_unit_layouts(self, depth, layout, stride_in):
    options = {k: v for k, v in layout.items() if k != 'root_block_fn'}
    blocks = resnet_builder.imagenet_blocks(depth, resnet_v1.UNITS, **options)
    self.assertEqual(
      [[u['stride'] for u in b.args][0] for b in blocks], [1, 2, 2, 2]
    )
    self.assertTrue(all(u['stride'] == 1 for b in blocks for u in b.args[1:]))
    self.assertEqual(blocks[1].args[0].get('stride_in', 'conv2'), stride_in)

  @parameterized.named_parameters(
    ('stride_in', dict(stride_in='conv3'), r'stride_in=.conv3.'),
    ('basic_stride_in', dict(basic_stride_in=2), r'stride_in=2'),
  )
  def test_bad_stride_in(self, kwargs, regex):
    with self.assertRaisesRegex(ValueError, regex):
      resnet_builder.imagenet_blocks(50, resnet_v1.UNITS, **kwargs)

  def test_bad_nominal_stride(self):
    with self.assertRaisesRegex(ValueError, r'nominal_stride=3'):
      resnet_builder.unit_convs(2, 1, 'conv1', nominal_stride=3)
    self.assertEqual(
      resnet_builder.unit_convs(1, 2, 'conv1', 4), ((1, 2), (1, 8))
    )
    self.assertEqual(
      resnet_builder.unit_convs(2, 1, 'conv2', 2), ((1, 1), (2, 1))
    )

  def test_symmetric_root_pads_one_pixel_all_round(self):
    with tf.Graph().as_default():
      tf.set_random_seed(0)
      image = tf.random_normal([1, 8, 8, 3])
      with test_util.arg_scope(is_training=False):
        with tf.variable_scope('root', reuse=tf.AUTO_REUSE):
          symmetric = resnet_utils.symmetric_root_block(image)
          stock = resnet_utils.root_block(image)
          conv = resnet_utils.conv2d_same(image, 64, 7, stride=2, scope='conv1')
      with self.session() as session:
        session.run(tf.global_variables_initializer())
        sym, slim_pool, conv = session.run([symmetric, stock, conv])

    def pool(padded):
      return np.stack(
        [
          np.stack(
            [
              padded[:, 2 * i : 2 * i + 3, 2 * j : 2 * j + 3].max(axis=(1, 2))
              for j in range(2)
            ],
            1,
          )
          for i in range(2)
        ],
        1,
      )

    # 4x4 conv1 output: symmetric zero pad, or slim's 'SAME' (one after).
    self.assertAllClose(
      sym, pool(np.pad(conv, [(0, 0), (1, 1), (1, 1), (0, 0)]))
    )
    self.assertAllClose(
      slim_pool,
      pool(
        np.pad(conv, [(0, 0), (0, 1), (0, 1), (0, 0)], constant_values=-np.inf)
      ),
    )
    self.assertNotAllClose(sym, slim_pool)

  @parameterized.named_parameters(
    (
      '%s_%s_%s_%s' % (family, unit, stride_in, 'first' if first else 'last'),
      family,
      unit,
      stride_in,
      first,
    )
    for family, unit, stride_in, first in ATROUS_ALL
  )
  def test_atrous_equals_nominal_for_every_stride_option(
    self, family, unit, stride_in, first
  ):
    check_atrous(self, family, unit, stride_in, first)


def check_atrous(test, family, unit, stride_in, first, shortcut_type='B'):
  """Each output_stride gives the nominal values at the subsampled
  positions, for tiny blocks with three strides; so does
  store_non_strided_activations. `shortcut_type` is that of every unit."""
  module = resnet_v1 if family == 'v1' else resnet_v2
  units = module.UNITS
  blocks = []
  for i, depth in enumerate((4, 8, 8, 16)):
    stride = ((1, 2, 2, 2) if first else (2, 2, 2, 1))[i]
    if unit == 'basic':
      blocks.append(
        resnet_builder.basic_block_group(
          'block%d' % (i + 1),
          depth,
          2,
          stride,
          units.basic,
          first_unit_stride=first,
          stride_in=stride_in,
          shortcut_type=shortcut_type,
        )
      )
    else:
      blocks.append(
        resnet_builder.bottleneck_block(
          'block%d' % (i + 1),
          depth // 2,
          2,
          stride,
          units.bottleneck,
          first_unit_stride=first,
          stride_in=stride_in,
          shortcut_type=shortcut_type,
        )
      )
  generator = resnet_v1.resnet_v1 if family == 'v1' else resnet_v2.resnet_v2
  with tf.Graph().as_default():
    tf.set_random_seed(0)
    inputs = test_util.create_test_input(2, 33, 33, 3) / 33.0
    outputs = {}
    with test_util.arg_scope(is_training=False):
      for output_stride in (1, 2, 4, 8, None):
        outputs[output_stride], _ = generator(
          inputs,
          blocks,
          None,
          is_training=False,
          global_pool=False,
          output_stride=output_stride,
          include_root_block=False,
          reuse=tf.AUTO_REUSE,
          scope='net',
        )
      unit_fn = blocks[1].unit_fn

      @slim.add_arg_scope
      def unaware(inputs, **kwargs):  # No `nominal_stride` argument.
        return unit_fn(inputs, **kwargs)

      outputs['unaware'], _ = generator(
        inputs,
        [b._replace(unit_fn=unaware) for b in blocks],
        None,
        is_training=False,
        global_pool=False,
        output_stride=1,
        include_root_block=False,
        reuse=tf.AUTO_REUSE,
        scope='net',
      )
      outputs['store'], _ = generator(
        inputs,
        blocks,
        None,
        is_training=False,
        global_pool=False,
        include_root_block=False,
        store_non_strided_activations=True,
        reuse=tf.AUTO_REUSE,
        scope='net',
      )
    with test.session() as session:
      session.run(tf.global_variables_initializer())
      test_util.randomize_batch_norm(session)
      values = session.run(outputs)
  nominal = values[None]
  test.assertEqual(nominal.shape[1], 5)  # 33 -> 17 -> 9 -> 5.
  for output_stride in (1, 2, 4, 8):
    factor = 8 // output_stride
    dense = values[output_stride][:, ::factor, ::factor, :]
    test.assertAllClose(
      nominal,
      dense,
      atol=1e-4,
      rtol=1e-4,
      msg='output_stride=%d' % output_stride,
    )
  test.assertAllClose(nominal, values['store'], atol=1e-4, rtol=1e-4)
  test.assertGreater(np.abs(nominal).max(), 1e-2)  # Not vacuous.
  if stride_in == 'conv1':
    # Negative control: units not told their nominal stride are wrong.
    test.assertNotAllClose(
      nominal, values['unaware'][:, ::8, ::8, :], atol=1e-3
    )


def check_targets(test, name):
  """The mapping's targets are exactly the network's variables."""
  with tf.Graph().as_default():
    nets_factory.get_network_fn(name, 1000)(
      tf.placeholder(tf.float32, [1, 224, 224, 3])
    )
    variables = {v.op.name for v in tf.global_variables()}
  test.assertCountEqual(variables, [e.target for e in weight_map.entries(name)])


class WeightMapTest(tf.test.TestCase, parameterized.TestCase):
  """The mapping core: plain dicts of numpy arrays."""

  @parameterized.named_parameters((n, n) for n in sorted(weight_map.SOURCES))
  def test_every_source_tensor_used_once_every_variable_once(self, name):
    table = weight_map.entries(name)
    sources = [s for entry in table for s in entry.sources]
    targets = [entry.target for entry in table]
    self.assertLen(set(sources), len(sources))
    self.assertLen(set(targets), len(targets))
    self.assertTrue(all(t.startswith(name + '/') for t in targets))

  @parameterized.named_parameters((n, n) for n in sorted(weight_map.SOURCES))
  def test_targets_are_the_network_variables(self, name):
    check_targets(self, name)

  def test_registry_and_sources_agree(self):
    # torchvision's preprocessing serves torchvision's and timm's weights.
    converted = {
      n
      for n, spec in nets_factory.NETWORKS.items()
      if n.endswith('_keras') or spec.preprocessing_name == 'torchvision'
    }
    self.assertCountEqual(converted, weight_map.SOURCES)
    for name, source in weight_map.SOURCES.items():
      spec = nets_factory.get_spec(name)
      expected = (
        'torchvision'
        if source.kind in weight_map.TORCH_KINDS
        else 'caffe'
        if source.kind == 'keras_v1'
        else 'inception'
      )
      self.assertEqual(spec.preprocessing_name, expected, name)
      epsilon = spec.arg_scope_fn()[slim.arg_scope_func_key(slim.batch_norm)][
        'epsilon'
      ]
      self.assertEqual(
        epsilon,
        1e-5 if source.kind in weight_map.TORCH_KINDS else 1.001e-5,
        name,
      )
      # The export folds batch norm with that epsilon.
      self.assertEqual(export_lib.batch_norm_epsilon(name), epsilon)

  def test_tensor_rules(self):
    rng = np.random.RandomState(0)
    state = torchvision_fixture.seeded_state_dict(
      torchvision_fixture.load()['resnet18/state_dict'], 1
    )
    values, provenance = weight_map.source_to_slim('resnet_v1_18_tv', state)
    self.assertAllEqual(
      values['resnet_v1_18_tv/conv1/weights'],
      np.transpose(state['conv1.weight'], (2, 3, 1, 0)),
    )
    self.assertAllEqual(
      values['resnet_v1_18_tv/logits/weights'][0, 0], state['fc.weight'].T
    )
    name = 'resnet_v1_18_tv/block2/unit_1/basic_block_v1/shortcut'
    self.assertAllEqual(
      values[name + '/BatchNorm/moving_variance'],
      state['layer2.0.downsample.1.running_var'],
    )
    self.assertEqual(
      provenance[name + '/weights'], ('layer2.0.downsample.0.weight',)
    )
    # Keras v1: the conv bias folds into the moving mean.
    bias = rng.normal(size=[64]).astype(np.float32)
    mean = rng.normal(size=[64]).astype(np.float32)
    folded = weight_map._fold_bias(mean, bias)
    self.assertAllClose(folded, mean - bias)

  def test_fold_bias_is_exact_for_batch_norm(self):
    rng = np.random.RandomState(0)
    z = rng.normal(size=[5, 8])
    bias, mean, gamma, beta = (rng.normal(size=[8]) for _ in range(4))
    var = rng.uniform(0.5, 1.5, [8])

    def bn(x, m):
      return gamma * (x - m) / np.sqrt(var + 1.001e-5) + beta

    self.assertAllClose(
      bn(z + bias, mean), bn(z, weight_map._fold_bias(mean, bias))
    )

  def test_wrong_model_names_missing_and_unused_tensors(self):
    state = torchvision_fixture.seeded_state_dict(
      torchvision_fixture.load()['resnet18/state_dict'], 1
    )
    with self.assertRaisesRegex(
      ValueError,
      r'model_x does not hold the weights of resnet_v1_34_tv '
      r".*torchvision's resnet34.*tensors missing \('layer1.2.bn1.bias'.*"
      r"Is model_name='resnet_v1_34_tv' right",
    ):
      weight_map.source_to_slim('resnet_v1_34_tv', state, 'model_x')
    state['extra.weight'] = np.zeros([3], np.float32)
    with self.assertRaisesRegex(
      ValueError,
      r'165 tensors missing '
      r"\('layer1.0.bn3.bias'.* 1 tensors it has "
      r"are unused \('extra.weight'\)",
    ):
      weight_map.source_to_slim('resnet_v1_50_tv', state)

  def test_bad_rank_and_dtype_name_the_tensor(self):
    state = torchvision_fixture.seeded_state_dict(
      torchvision_fixture.load()['resnet18/state_dict'], 1
    )
    state['conv1.weight'] = state['conv1.weight'][0]
    with self.assertRaisesRegex(
      ValueError,
      r"Source tensor 'conv1.weight' of f.pth \(for "
      r"'resnet_v1_18_tv/conv1/weights'\): expected a 4-D tensor, got "
      r'shape \[3, 7, 7\]',
    ):
      weight_map.source_to_slim('resnet_v1_18_tv', state, 'f.pth')
    state['conv1.weight'] = np.zeros([64, 3, 7, 7], np.int32)
    with self.assertRaisesRegex(ValueError, r"'conv1.weight' .* dtype int32"):
      weight_map.source_to_slim('resnet_v1_18_tv', state)

  def test_unknown_model_name(self):
    with self.assertRaisesRegex(
      ValueError,
      r"model_name='resnet_v1_50'; "
      r'networks with one: resnet_v1_101_keras',
    ):
      weight_map.get_source('resnet_v1_50')


class ReadersTest(tf.test.TestCase):
  def setUp(self):
    super().setUp()
    self.dir = test_util.temp_dir(self)

  def test_safetensors_written_by_the_safetensors_package(self):
    tensors = readers.read_safetensors(
      torchvision_fixture.SAFETENSORS_SAMPLE_PATH
    )
    rng = np.random.RandomState(0)  # As scripts/make_torchvision_fixture.py.
    self.assertAllEqual(
      tensors['f32'], rng.normal(size=(2, 3)).astype(np.float32)
    )
    self.assertAllEqual(
      tensors['f16'], rng.normal(size=(4,)).astype(np.float16)
    )
    self.assertAllEqual(tensors['i64'], np.arange(5).reshape(5, 1))
    self.assertEqual(tensors['scalar'], 3.5)
    self.assertEqual(tensors['f16'].dtype, np.float16)
    bf16 = readers.read_safetensors(
      torchvision_fixture.SAFETENSORS_SAMPLE_PATH.replace(
        '.safetensors', '_bf16.safetensors'
      )
    )
    self.assertAllEqual(bf16['bf16'], [1.0, -2.5, 3.140625])

  def test_safetensors_round_trip(self):
    path = os.path.join(self.dir, 'w.safetensors')
    tensors = {
      'a': np.arange(6, dtype=np.float32).reshape(2, 3),
      'b': np.ones([1], np.float16),
      'c': np.zeros([0, 2]),
    }
    readers.write_safetensors(path, tensors, {'k': 'v'})
    read = readers.read_safetensors(path)
    self.assertCountEqual(read, tensors)
    for name in tensors:
      self.assertAllEqual(read[name], tensors[name])
      self.assertEqual(read[name].dtype, tensors[name].dtype)
    self.assertEqual(os.listdir(self.dir), ['w.safetensors'])

  def test_truncated_safetensors_names_the_file(self):
    path = os.path.join(self.dir, 'w.safetensors')
    readers.write_safetensors(
      path,
      {
        'a.weight': np.ones([4, 4], np.float32),
        'b.weight': np.ones([8], np.float32),
      },
    )
    with open(path, 'rb') as f:
      data = f.read()
    with open(path, 'wb') as f:
      f.write(data[:-4])
    with self.assertRaisesRegex(
      ValueError,
      r"w.safetensors' is not a safetensors file, or is truncated: "
      r'.*not fully covered',
    ):
      readers.read_safetensors(path)
    with open(path, 'wb') as f:
      f.write(data[:5])
    with self.assertRaisesRegex(
      ValueError, r'not a safetensors file, or is truncated: .*too small'
    ):
      readers.read_safetensors(path)

  def test_not_safetensors(self):
    path = os.path.join(self.dir, 'w.safetensors')
    with open(path, 'wb') as f:
      f.write(b'\x10\x00\x00\x00\x00\x00\x00\x00' + b'not json at all!')
    with self.assertRaisesRegex(
      ValueError, r'not a safetensors file, or is truncated: .*invalid JSON'
    ):
      readers.read_safetensors(path)
    with open(path, 'wb') as f:
      f.write(b'PK\x03\x04 a zip file, say, of some length')
    with self.assertRaisesRegex(
      ValueError,
      r'not a safetensors file, or is '
      'truncated',
    ):
      readers.read_safetensors(path)

  def test_npz(self):
    path = os.path.join(self.dir, 'w.npz')
    np.savez(path, **{'fc.weight': np.ones([2, 3], np.float32)})
    self.assertAllEqual(readers.read_source(path)['fc.weight'], np.ones([2, 3]))
    with open(path, 'rb') as f:
      data = f.read()
    with open(path, 'wb') as f:
      f.write(data[: len(data) // 2])
    with self.assertRaisesRegex(
      ValueError,
      r"Cannot read '.*w.npz' as a "
      r'.npz of arrays',
    ):
      readers.read_source(path)

  def test_suffixes_and_missing_file(self):
    with self.assertRaisesRegex(ValueError, r"No weight file at '/no/w.pth'"):
      readers.read_source('/no/w.pth')
    path = os.path.join(self.dir, 'w.bin')
    open(path, 'wb').close()
    with self.assertRaisesRegex(
      ValueError,
      r'Unknown weight file suffix of '
      r"'.*w.bin'; expected one of .pth, .pt",
    ):
      readers.read_source(path)
    path = os.path.join(self.dir, 'w.h5')
    open(path, 'wb').close()
    with self.assertRaisesRegex(
      ValueError,
      r'is a Keras file, but the '
      'network takes torchvision weights',
    ):
      readers.read_source(path)

  def test_pth_without_torch_says_how_to_do_without(self):
    path = os.path.join(self.dir, 'w.pth')
    open(path, 'wb').close()
    with mock.patch.dict(sys.modules, {'torch': None}):
      with self.assertRaisesRegex(
        ValueError,
        r'needs PyTorch .* '
        r'safetensors.torch.save_file',
      ):
        readers.read_source(path)

  def test_pth_is_read_with_weights_only(self):
    path = os.path.join(self.dir, 'w.pth')
    open(path, 'wb').close()
    calls = []

    class Tensor:
      def __init__(self, value):
        self.value = value
        self.dtype = 'float32'

      def detach(self):
        return self

      def cpu(self):
        return self

      def numpy(self):
        return self.value

    def load(f, **kwargs):
      calls.append((f, kwargs))
      return {'state_dict': {'fc.bias': Tensor(np.ones([3], np.float32))}}

    fake = mock.Mock(load=load, Tensor=Tensor, bfloat16='bfloat16')
    with mock.patch.dict(sys.modules, {'torch': fake}):
      tensors = readers.read_source(path)
    self.assertEqual(
      calls, [(path, {'map_location': 'cpu', 'weights_only': True})]
    )
    self.assertAllEqual(tensors['fc.bias'], np.ones([3]))

  def test_keras_needs_eager_execution(self):
    # This test module runs in graph mode (setUpModule).
    with self.assertRaisesRegex(ValueError, r'needs eager execution'):
      readers.read_keras('/tmp/w.weights.h5', 'ResNet50')


class ConverterTest(tf.test.TestCase):
  """Checkpoint writing: checks, errors and atomicity."""

  def setUp(self):
    super().setUp()
    self.dir = test_util.temp_dir(self)
    self.state = torchvision_fixture.seeded_state_dict(
      torchvision_fixture.load()['resnet18/state_dict'], 1
    )
    self.source = os.path.join(self.dir, 'resnet18.npz')
    np.savez(self.source, **self.state)

  def test_checkpoint_holds_every_variable_of_the_network(self):
    prefix = os.path.join(self.dir, 'out', 'model.ckpt')
    info = convert_lib.convert('resnet_v1_18_tv', self.source, prefix)
    self.assertEqual(
      info['num_params'], nets_factory.get_spec('resnet_v1_18_tv').num_params
    )
    self.assertEqual(info['num_classes'], 1000)
    self.assertCountEqual(
      os.listdir(os.path.dirname(prefix)),
      ['model.ckpt.index', 'model.ckpt.data-00000-of-00001'],
    )
    reader = tf.train.load_checkpoint(prefix)
    shapes = reader.get_variable_to_shape_map()
    self.assertLen(shapes, info['num_variables'])
    self.assertAllEqual(
      reader.get_tensor(
        'resnet_v1_18_tv/block1/unit_2/basic_block_v1/conv2/BatchNorm/gamma'
      ),
      self.state['layer1.1.bn2.weight'],
    )

  def test_shape_mismatch_names_both_tensors(self):
    self.state['layer3.0.conv2.weight'] = np.zeros([256, 256, 5, 5], np.float32)
    np.savez(self.source, **self.state)
    with self.assertRaisesRegex(
      ValueError,
      r"Shape mismatch for 'resnet_v1_18_tv/block3/unit_1/"
      r"basic_block_v1/conv2/weights' \(from source tensor "
      r"'layer3.0.conv2.weight'\): the network has \[3, 3, 256, 256\], the "
      r'converted value \[5, 5, 256, 256\]',
    ):
      convert_lib.convert(
        'resnet_v1_18_tv', self.source, os.path.join(self.dir, 'x.ckpt')
      )
    self.assertEqual(os.listdir(self.dir), ['resnet18.npz'])

  def test_wrong_network_for_the_file(self):
    with self.assertRaisesRegex(
      ValueError,
      r"source_file='.*resnet18.npz' "
      r'does not hold the weights of '
      r'resnet_v1_50_tv',
    ):
      convert_lib.convert(
        'resnet_v1_50_tv', self.source, os.path.join(self.dir, 'x.ckpt')
      )

  def test_keras_file_for_a_keras_network_reads_through_keras(self):
    path = os.path.join(self.dir, 'w.weights.h5')
    with mock.patch.object(
      readers, 'read_keras', side_effect=ValueError('read_keras called')
    ) as m:
      open(path, 'wb').close()
      with self.assertRaisesRegex(ValueError, 'read_keras called'):
        convert_lib.convert(
          'resnet_v2_50_keras', path, os.path.join(self.dir, 'x.ckpt')
        )
    m.assert_called_once_with(path, 'ResNet50V2')

  def test_interrupted_save_leaves_no_file(self):
    prefix = os.path.join(self.dir, 'model.ckpt')
    with mock.patch.object(
      tf.train.Saver, 'save', side_effect=KeyboardInterrupt()
    ):
      with self.assertRaises(KeyboardInterrupt):
        convert_lib.convert('resnet_v1_18_tv', self.source, prefix)
    self.assertEqual(os.listdir(self.dir), ['resnet18.npz'])


if __name__ == '__main__':
  tf.test.main()
