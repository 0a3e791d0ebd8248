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
"""Tests of nets/nets_factory.py, parameterised over the whole registry.

Full-size networks are only built here, never run.
"""

import inspect

from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from nets import nets_factory
from nets import resnet_cifar
from nets import resnet_v1
from nets import resnet_v2
from nets import resnext
from nets import se_resnet
from nets import tf_compat
from nets import wide_resnet
from tests import test_util

MODEL_MODULES = (
  resnet_v1,
  resnet_v2,
  resnext,
  se_resnet,
  wide_resnet,
  resnet_cifar,
)
NAMES = sorted(nets_factory.NETWORKS)

# Published trainable parameter counts (1000 classes; CIFAR: 10), from the
# issues; the registry must hold exactly these.
PUBLISHED = {
  'resnet_v1_18': 11689512,
  'resnet_v1_34': 21797672,
  'resnet_v1_50': 25557032,
  'resnet_v1_101': 44549160,
  'resnet_v1_152': 60192808,
  'resnet_v1_200': 64673832,
  'resnet_v2_50': 25568360,
  'resnet_v2_101': 44577896,
  'resnet_v2_152': 60236904,
  'resnet_v2_200': 64726120,
  'resnext_50_32x4d': 25028904,
  'resnext_101_32x4d': 44177704,
  'resnext_101_32x8d': 88791336,
  'resnext_101_64x4d': 83455272,
  'se_resnet_50': 28088024,
  'se_resnet_101': 49326872,
  'se_resnet_152': 66821848,
  'se_resnext_50_32x4d': 27559896,
  'se_resnext_101_32x4d': 48955416,
  'resnet_cifar_20': 269722,
  'resnet_cifar_32': 464154,
  'resnet_cifar_44': 658586,
  'resnet_cifar_56': 853018,
  'resnet_cifar_110': 1727962,
  'resnet_cifar_1202': 19421274,
  'resnext_cifar_29_8x64d': 34426698,
  'resnext_cifar_29_16x64d': 68155210,
  # The source models' parameters(): torchvision's wide ResNets, timm's
  # ResNet-D and SE-ResNeXt (tests/data/timm_fixture.npz holds them too).
  'wide_resnet_50_2_tv': 68883240,
  'wide_resnet_101_2_tv': 126886696,
  'resnet_v1_18d': 11708744,
  'resnet_v1_34d': 21816904,
  'resnet_v1_50d': 25576264,
  'resnet_v1_101d': 44568392,
  'resnet_v1_152d': 60212040,
  'se_resnext_50_32x4d_timm': 27559896,
  'se_resnext_101_32x4d_timm': 48955416,
}


def setUpModule():
  tf_compat.enable_graph_mode()


def _public_functions():
  found = {}
  for module in MODEL_MODULES:
    for name, value in vars(module).items():
      if (
        callable(value)
        and hasattr(value, 'default_image_size')
        and name not in ('resnet_v1', 'resnet_v2')
        and not name.startswith('_')
      ):
        found[name] = value
  return found


# The one exception to "registry name == default scope": DeepLab's beta
# networks keep DeepLab's scopes, the names its released checkpoints use.
DEFAULT_SCOPES = {
  'resnet_v1_50_beta': 'resnet_v1_50',
  'resnet_v1_101_beta': 'resnet_v1_101',
}


class NetworksTableTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(*[(n, n) for n in NAMES])
  def test_builds_with_expected_parameter_count(self, name):
    # The deepest networks' cases are slow: SLOW_TESTS in tests/conftest.py.
    spec = nets_factory.get_spec(name)
    network_fn = nets_factory.get_network_fn(name, spec.params_num_classes)
    size = network_fn.default_image_size
    with tf.Graph().as_default():
      images = tf.placeholder(tf.float32, [2, size, size, 3])
      logits, end_points = network_fn(images)
      self.assertEqual(logits.shape.as_list(), [2, spec.params_num_classes])
      self.assertIsInstance(end_points, dict)
      self.assertEqual(test_util.num_params(), spec.num_params)
      # Every variable lives under the network's default scope.
      scope = DEFAULT_SCOPES.get(name, name)
      names = [v.op.name for v in tf.global_variables()]
      self.assertTrue(all(n.startswith(scope + '/') for n in names))
      self.assertIn(scope + '/logits/weights', names)

  @parameterized.named_parameters(*[(n, n) for n in NAMES])
  def test_name_equals_function_name_equals_default_scope(self, name):
    fn = nets_factory.NETWORKS[name].fn
    self.assertEqual(fn.__name__, name)
    self.assertEqual(
      inspect.signature(fn).parameters['scope'].default,
      DEFAULT_SCOPES.get(name, name),
    )
    self.assertEqual(nets_factory.networks_map[name], fn)

  def test_published_counts(self):
    for name, count in PUBLISHED.items():
      self.assertEqual(nets_factory.NETWORKS[name].num_params, count, name)

  def test_table_covers_every_public_model_function(self):
    public = _public_functions()
    self.assertCountEqual(public, nets_factory.NETWORKS)
    for name, fn in public.items():
      self.assertIs(nets_factory.NETWORKS[name].fn, fn)

  def test_default_image_sizes(self):
    for name, spec in nets_factory.NETWORKS.items():
      self.assertEqual(
        spec.default_image_size, 32 if 'cifar' in name else 224, name
      )
      self.assertEqual(spec.default_image_size, spec.fn.default_image_size)

  def test_default_preprocessing(self):
    self.assertEqual(nets_factory.default_preprocessing('resnet_v1_50'), 'vgg')
    self.assertEqual(
      nets_factory.default_preprocessing('resnet_v2_50'), 'inception'
    )
    self.assertEqual(
      nets_factory.default_preprocessing('resnet_cifar_20'), 'cifar'
    )

  @parameterized.parameters('resnet_v3_50', 'ResNet_v1_50', '', None)
  def test_unknown_name_lists_names(self, name):
    with self.assertRaisesRegex(
      ValueError,
      r'Unknown network %r; available: .*'
      r'resnet_v1_50, ' % (name,),
    ):
      nets_factory.get_network_fn(name, 10)

  def test_network_fn_closure(self):
    network_fn = nets_factory.get_network_fn(
      'resnet_v1_50', 10, weight_decay=0.01, is_training=True
    )
    self.assertEqual(network_fn.__name__, 'resnet_v1_50')
    self.assertEqual(network_fn.default_image_size, 224)
    with tf.Graph().as_default():
      images = tf.zeros([1, 64, 64, 3])
      net, _ = network_fn(images, global_pool=False, spatial_squeeze=False)
      self.assertEqual(net.shape.as_list(), [1, 2, 2, 10])
      # Batch norm in training mode, weight decay on every conv.
      self.assertNotEmpty(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
      self.assertLen(
        tf.losses.get_regularization_losses(),
        len(tf.global_variables('.*weights')),
      )

  def test_network_fn_no_classes(self):
    network_fn = nets_factory.get_network_fn('resnet_v2_50', None)
    with tf.Graph().as_default():
      net, end_points = network_fn(tf.zeros([1, 64, 64, 3]))
      self.assertEqual(net.shape.as_list(), [1, 1, 1, 2048])
      self.assertNotIn('predictions', end_points)
      self.assertEmpty(tf.get_collection(tf.GraphKeys.UPDATE_OPS))


if __name__ == '__main__':
  tf.test.main()
