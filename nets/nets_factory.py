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
"""The one table of networks, slim's two maps, and slim's `get_network_fn`.

`NETWORKS` maps each registered name to a `NetworkSpec`: the model function,
its arg scope, default image size, default preprocessing, expected trainable
parameter count and the keywords `get_network_fn` binds. The registry name is
the model function's `__name__` and, but for DeepLab's beta networks, its
default scope, so checkpoints name their variables `<name>/...`.

slim's `networks_map` and `arg_scopes_map` are derived from it and are what
`get_network_fn` reads, as slim's does, when it is called: code written for
slim can read them, patch an entry, or register a network of its own by
adding it to both maps (its image size is then the function's
`default_image_size`, its preprocessing must be named explicitly).

Typical use:

   network_fn = nets_factory.get_network_fn('resnet_v1_50', num_classes=1000,
                                            is_training=True)
   logits, end_points = network_fn(images)
"""

import collections
import functools
import inspect

import tf_slim as slim

from nets import resnet_cifar
from nets import resnet_utils
from nets import resnet_v1
from nets import resnet_v2
from nets import resnext
from nets import se_resnet
from nets import wide_resnet

# fn: the model function. arg_scope_fn: its arg scope. default_image_size: the
# training resolution. preprocessing_name: the default of
# utils/preprocessing/preprocessing_factory. num_params: trainable parameters
# under arg_scope_fn() with params_num_classes classes (1000 for ImageNet
# networks, 10 for CIFAR ones); the published figure where one exists (noted),
# otherwise the count of the variables this code builds. network_kwargs:
# keywords get_network_fn passes (a classifier's, for networks whose own
# defaults are a backbone's); the caller's keywords win.
NetworkSpec = collections.namedtuple(
  'NetworkSpec',
  [
    'fn',
    'arg_scope_fn',
    'default_image_size',
    'preprocessing_name',
    'num_params',
    'params_num_classes',
    'network_kwargs',
  ],
)

# DeepLab's beta networks default to a backbone (global_pool=False, no
# squeeze); as classifiers they pool and squeeze like the others.
_CLASSIFIER_KWARGS = {'global_pool': True, 'spatial_squeeze': True}


def _imagenet(
  fn,
  num_params,
  preprocessing_name='vgg',
  arg_scope_fn=resnet_utils.resnet_arg_scope,
  **network_kwargs,
):
  return NetworkSpec(
    fn,
    arg_scope_fn,
    fn.default_image_size,
    preprocessing_name,
    num_params,
    1000,
    network_kwargs,
  )


def _torchvision(fn, num_params):
  """A network for weights converted from torchvision or timm.

  Both libraries' ResNets take RGB in [0, 1] normalised by ImageNet's mean
  and std, and use batch-norm epsilon 1e-5 (convert_weights.py).
  """
  return _imagenet(fn, num_params, 'torchvision')


def _keras(fn, num_params, preprocessing_name):
  """A network for weights converted from Keras: its batch-norm epsilon."""
  return _imagenet(
    fn, num_params, preprocessing_name, resnet_utils.keras_resnet_arg_scope
  )


def _cifar(fn, num_params):
  return NetworkSpec(
    fn,
    resnet_utils.resnet_arg_scope,
    fn.default_image_size,
    'cifar',
    num_params,
    10,
    {},
  )


# Published counts: ResNet v1 = torchvision's resnet18/34/50/101/152 meta;
# ResNet v2-50 = Keras ResNet50V2; ResNeXt = torchvision / [Xie et al.];
# SE = the analytic count with biased SE convs and depth // 16 (Hu et al.);
# CIFAR = He et al. 2015 table 6 (0.27M ... 19.4M) and Xie et al. table 7
# (34.4M, 68.1M). v1/v2-200, v2-18/34, beta and pre-activation CIFAR
# networks: the count of the variables this code builds.
NETWORKS = {
  'resnet_v1_18': _imagenet(resnet_v1.resnet_v1_18, 11689512),
  'resnet_v1_34': _imagenet(resnet_v1.resnet_v1_34, 21797672),
  'resnet_v1_50': _imagenet(resnet_v1.resnet_v1_50, 25557032),
  'resnet_v1_101': _imagenet(resnet_v1.resnet_v1_101, 44549160),
  'resnet_v1_152': _imagenet(resnet_v1.resnet_v1_152, 60192808),
  'resnet_v1_200': _imagenet(resnet_v1.resnet_v1_200, 64673832),
  'resnet_v1_50_beta': _imagenet(
    resnet_v1.resnet_v1_50_beta, 25680808, **_CLASSIFIER_KWARGS
  ),
  'resnet_v1_101_beta': _imagenet(
    resnet_v1.resnet_v1_101_beta, 44672936, **_CLASSIFIER_KWARGS
  ),
  'resnet_v2_18': _imagenet(resnet_v2.resnet_v2_18, 11690600, 'inception'),
  'resnet_v2_34': _imagenet(resnet_v2.resnet_v2_34, 21800616, 'inception'),
  'resnet_v2_50': _imagenet(resnet_v2.resnet_v2_50, 25568360, 'inception'),
  'resnet_v2_101': _imagenet(resnet_v2.resnet_v2_101, 44577896, 'inception'),
  'resnet_v2_152': _imagenet(resnet_v2.resnet_v2_152, 60236904, 'inception'),
  'resnet_v2_200': _imagenet(resnet_v2.resnet_v2_200, 64726120, 'inception'),
  'resnext_50_32x4d': _imagenet(resnext.resnext_50_32x4d, 25028904),
  'resnext_101_32x4d': _imagenet(resnext.resnext_101_32x4d, 44177704),
  'resnext_101_32x8d': _imagenet(resnext.resnext_101_32x8d, 88791336),
  'resnext_101_64x4d': _imagenet(resnext.resnext_101_64x4d, 83455272),
  'se_resnet_50': _imagenet(se_resnet.se_resnet_50, 28088024),
  'se_resnet_101': _imagenet(se_resnet.se_resnet_101, 49326872),
  'se_resnet_152': _imagenet(se_resnet.se_resnet_152, 66821848),
  'se_resnext_50_32x4d': _imagenet(se_resnet.se_resnext_50_32x4d, 27559896),
  'se_resnext_101_32x4d': _imagenet(se_resnet.se_resnext_101_32x4d, 48955416),
  # The layouts of converted torchvision and Keras weights (their
  # parameter counts are the stock networks'; Keras's v1 conv biases are
  # folded into the batch-norm means). torchvision: RGB in [0, 1]
  # normalised by its mean and std; Keras v1: Caffe's BGR minus means;
  # Keras v2: [-1, 1], which is inception preprocessing's range.
  'resnet_v1_18_tv': _torchvision(resnet_v1.resnet_v1_18_tv, 11689512),
  'resnet_v1_34_tv': _torchvision(resnet_v1.resnet_v1_34_tv, 21797672),
  'resnet_v1_50_tv': _torchvision(resnet_v1.resnet_v1_50_tv, 25557032),
  'resnet_v1_101_tv': _torchvision(resnet_v1.resnet_v1_101_tv, 44549160),
  'resnet_v1_152_tv': _torchvision(resnet_v1.resnet_v1_152_tv, 60192808),
  'resnext_50_32x4d_tv': _torchvision(resnext.resnext_50_32x4d_tv, 25028904),
  'resnext_101_32x8d_tv': _torchvision(resnext.resnext_101_32x8d_tv, 88791336),
  # The counts of the source models (their parameters(), recorded in
  # tests/data/timm_fixture.npz): torchvision's wide_resnet50_2 and
  # wide_resnet101_2 (timm's are the same), timm 1.0's resnet18d ...
  # resnet152d and seresnext50_32x4d / seresnext101_32x4d.
  'wide_resnet_50_2_tv': _torchvision(
    wide_resnet.wide_resnet_50_2_tv, 68883240
  ),
  'wide_resnet_101_2_tv': _torchvision(
    wide_resnet.wide_resnet_101_2_tv, 126886696
  ),
  'resnet_v1_18d': _torchvision(resnet_v1.resnet_v1_18d, 11708744),
  'resnet_v1_34d': _torchvision(resnet_v1.resnet_v1_34d, 21816904),
  'resnet_v1_50d': _torchvision(resnet_v1.resnet_v1_50d, 25576264),
  'resnet_v1_101d': _torchvision(resnet_v1.resnet_v1_101d, 44568392),
  'resnet_v1_152d': _torchvision(resnet_v1.resnet_v1_152d, 60212040),
  'se_resnext_50_32x4d_timm': _torchvision(
    se_resnet.se_resnext_50_32x4d_timm, 27559896
  ),
  'se_resnext_101_32x4d_timm': _torchvision(
    se_resnet.se_resnext_101_32x4d_timm, 48955416
  ),
  'resnet_v1_50_keras': _keras(resnet_v1.resnet_v1_50_keras, 25557032, 'caffe'),
  'resnet_v1_101_keras': _keras(
    resnet_v1.resnet_v1_101_keras, 44549160, 'caffe'
  ),
  'resnet_v1_152_keras': _keras(
    resnet_v1.resnet_v1_152_keras, 60192808, 'caffe'
  ),
  'resnet_v2_50_keras': _keras(
    resnet_v2.resnet_v2_50_keras, 25568360, 'inception'
  ),
  'resnet_v2_101_keras': _keras(
    resnet_v2.resnet_v2_101_keras, 44577896, 'inception'
  ),
  'resnet_v2_152_keras': _keras(
    resnet_v2.resnet_v2_152_keras, 60236904, 'inception'
  ),
  'resnet_cifar_20': _cifar(resnet_cifar.resnet_cifar_20, 269722),
  'resnet_cifar_32': _cifar(resnet_cifar.resnet_cifar_32, 464154),
  'resnet_cifar_44': _cifar(resnet_cifar.resnet_cifar_44, 658586),
  'resnet_cifar_56': _cifar(resnet_cifar.resnet_cifar_56, 853018),
  'resnet_cifar_110': _cifar(resnet_cifar.resnet_cifar_110, 1727962),
  'resnet_cifar_1202': _cifar(resnet_cifar.resnet_cifar_1202, 19421274),
  'resnet_v2_cifar_110': _cifar(resnet_cifar.resnet_v2_cifar_110, 1732650),
  'resnet_v2_cifar_164': _cifar(resnet_cifar.resnet_v2_cifar_164, 1711786),
  'resnet_v2_cifar_1001': _cifar(resnet_cifar.resnet_v2_cifar_1001, 10377898),
  'resnext_cifar_29_8x64d': _cifar(
    resnet_cifar.resnext_cifar_29_8x64d, 34426698
  ),
  'resnext_cifar_29_16x64d': _cifar(
    resnet_cifar.resnext_cifar_29_16x64d, 68155210
  ),
}

# slim's two maps: what get_network_fn reads (see the module docstring).
networks_map = {name: spec.fn for name, spec in NETWORKS.items()}
arg_scopes_map = {name: spec.arg_scope_fn for name, spec in NETWORKS.items()}


def network_names():
  """The names get_network_fn accepts: the keys of `networks_map`."""
  return sorted(networks_map)


def get_spec(name):
  """Returns the `NetworkSpec` of `name`, as the maps define it now.

  The function and arg scope come from `networks_map` and `arg_scopes_map`;
  the rest from `NETWORKS`. A network registered only through the maps gets
  its function's `default_image_size` (None if it has none) and no
  preprocessing, parameter count or bound keywords.

  Raises:
    ValueError: If `name` is not in `networks_map` (the message lists the
      names), or has no entry in `arg_scopes_map`.
  """
  try:
    fn = networks_map[name]
  except (KeyError, TypeError):
    raise ValueError(
      'Unknown network %r; available: %s' % (name, ', '.join(network_names()))
    ) from None
  if name not in arg_scopes_map:
    raise ValueError(
      'Network %r is in nets_factory.networks_map but not in '
      'arg_scopes_map; add its arg scope function there too (as in slim, '
      'get_network_fn needs both).' % (name,)
    )
  spec = NETWORKS.get(name)
  if spec is None:
    return NetworkSpec(
      fn,
      arg_scopes_map[name],
      getattr(fn, 'default_image_size', None),
      None,
      None,
      None,
      {},
    )
  return spec._replace(
    fn=fn,
    arg_scope_fn=arg_scopes_map[name],
    default_image_size=getattr(
      fn, 'default_image_size', spec.default_image_size
    ),
  )


def default_scope(name):
  """The variable scope network `name` builds in by default.

  The registry name, but for networks whose function defaults to another
  scope (DeepLab's beta networks: 'resnet_v1_50', 'resnet_v1_101').

  Raises:
    ValueError: If `name` is unknown.
  """
  parameter = inspect.signature(get_spec(name).fn).parameters.get('scope')
  if parameter is not None and isinstance(parameter.default, str):
    return parameter.default
  return name


def default_preprocessing(name):
  """The preprocessing a registered network was trained with.

  Raises:
    ValueError: If `name` is unknown, or was added only through the maps
      (then the preprocessing must be named).
  """
  preprocessing_name = get_spec(name).preprocessing_name
  if preprocessing_name is None:
    raise ValueError(
      'Network %r was registered through nets_factory.networks_map only, '
      'so it has no default preprocessing; name one (preprocessing_name= or '
      '--preprocessing_name).' % (name,)
    )
  return preprocessing_name


def get_network_fn(name, num_classes, weight_decay=0.0, is_training=False):
  """Returns a network_fn such as `logits, end_points = network_fn(images)`.

  As slim's: the model function is looked up in `networks_map` now, its arg
  scope in `arg_scopes_map` each time network_fn is called.

  Args:
    name: The name of the network (a key of `networks_map`).
    num_classes: The number of classes to use for classification. If 0 or None,
      the logits layer is omitted and its input features are returned instead.
    weight_decay: The l2 coefficient for the model weights.
    is_training: `True` if the model is being used for training and `False`
      otherwise.

  Returns:
    network_fn: A function that applies the model to a batch of images. It has
      the following signature:
          net, end_points = network_fn(images)
      The `images` input is a tensor of shape [batch_size, height, width, 3]
      with height = width = network_fn.default_image_size. (The permissibility
      and treatment of other sizes depends on the network_fn.)
      The returned `end_points` are a dictionary of intermediate activations.
      The returned `net` is the logits tensor [batch_size, num_classes] if
      num_classes is a non-zero integer, or the features otherwise. Further
      keywords of network_fn go to the model function (they override the
      registry's `network_kwargs`).

  Raises:
    ValueError: If network `name` is not recognized.
  """
  spec = get_spec(name)

  @functools.wraps(spec.fn)
  def network_fn(images, **kwargs):
    arg_scope_fn = arg_scopes_map.get(name)
    if arg_scope_fn is None:
      get_spec(name)  # Raises the error naming the missing arg scope.
    with slim.arg_scope(arg_scope_fn(weight_decay=weight_decay)):
      return spec.fn(
        images,
        num_classes=num_classes,
        is_training=is_training,
        **dict(spec.network_kwargs, **kwargs),
      )

  if spec.default_image_size is not None:
    network_fn.default_image_size = spec.default_image_size
  return network_fn
