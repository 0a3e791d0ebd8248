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
"""The measurements behind tests/tf2_test.py, run in a TF2 process of its own.

`python -m tests.tf2_checks` is a server: it sets `TF_USE_LEGACY_KERAS=1`
before importing TensorFlow, splits the CPU into two logical devices (for
MirroredStrategy; this must happen before TensorFlow runs anything), answers
`{"ready": ...}`, then reads one JSON request per line, `{"check": name,
"kwargs": {...}}`, runs the function `name` of this module and answers one
JSON line, `{"result": ...}` or `{"error": traceback}`. The functions measure
and return plain numbers, names and messages; tests/tf2_test.py judges them
(see its docstring for why the split).
"""

import os

os.environ.setdefault('TF_USE_LEGACY_KERAS', '1')  # Before TensorFlow.

# pylint: disable=g-import-not-at-top,wrong-import-position
import dataclasses  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tensorflow.compat.v1 as tf1  # noqa: E402
import tf_keras  # noqa: E402

from nets import nets_factory  # noqa: E402
from nets import tf2  # noqa: E402
from tests import scope_cases  # noqa: E402
from tests import test_util  # noqa: E402
from utils import conv_gradients  # noqa: E402
from utils.datasets import dataset_factory  # noqa: E402
from utils.datasets import digits  # noqa: E402
from utils.preprocessing import augmentation  # noqa: E402
from utils.training import config  # noqa: E402
from utils.training import mixing  # noqa: E402
from utils.training import tf2_train  # noqa: E402

NUM_CPU_DEVICES = 2
# Every file of the checks goes under this directory, removed at the end.
_TEMP_ROOT = tempfile.mkdtemp(prefix='tf2_checks_')


def _tempdir():
  return tempfile.mkdtemp(dir=_TEMP_ROOT)


def _relative_error(actual, expected):
  return test_util.relative_error(np.asarray(actual), np.asarray(expected))


def _images(batch, size, seed=0):
  return (
    np.random.RandomState(seed)
    .uniform(-1, 1, [batch, size, size, 3])
    .astype(np.float32)
  )


def _initialize_with_random_batch_norm(session, seed=0):
  """Initializes the graph's variables, batch norm with random values.

  The values of `test_util.randomize_batch_norm` (moving means and betas
  N(0, 0.1^2), moving variances and gammas U(0.5, 1.5): inference-mode batch
  norm far from the identity), fed to the initializers in one run instead of
  one run per variable.
  """
  rng = np.random.RandomState(seed)
  feeds = {}
  variables = tf1.global_variables()
  for var in variables:
    name, shape = var.op.name, var.shape.as_list()
    if name.endswith(('moving_variance', 'gamma')):
      feeds[var.initializer.inputs[1]] = rng.uniform(0.5, 1.5, shape)
    elif name.endswith(('moving_mean', 'beta')):
      feeds[var.initializer.inputs[1]] = rng.normal(0.0, 0.1, shape)
  session.run([var.initializer for var in variables], feed_dict=feeds)


def write_graph_checkpoint(
  directory, model_name, num_classes, images, model_kwargs, is_training=False
):
  """A graph-mode network with random weights and batch-norm statistics.

  Built as `train_image_classifier.py` builds it (nets_factory, a TF1
  graph), saved with `tf.train.Saver`, together with a global step and an
  optimizer slot as in a training checkpoint.

  Returns:
    (checkpoint path, logits of `images`, sorted variable names).
  """
  with tf.Graph().as_default():
    tf1.set_random_seed(0)
    network_fn = nets_factory.get_network_fn(
      model_name, num_classes, is_training=is_training
    )
    logits, _ = network_fn(tf1.constant(images), **model_kwargs)
    names = sorted(v.op.name for v in tf1.global_variables())
    tf1.train.get_or_create_global_step()
    weights = tf1.trainable_variables()[0]
    tf1.get_variable(weights.op.name + '/Momentum', weights.shape)
    with tf1.Session() as session:
      _initialize_with_random_batch_norm(session)
      output = session.run(logits)
      path = tf1.train.Saver().save(
        session, os.path.join(directory, 'model.ckpt')
      )
  return path, output, names


def equality(model_name, model_kwargs, size, num_classes=7):
  """Eager and tf.function outputs against graph mode, same checkpoint.

  Returns:
    A dict: the relative errors 'eager' and 'function' (max |difference| /
    max |graph output|), 'graph_variables' and 'layer_variables' (sorted
    names) and 'restored' (how many were loaded).
  """
  images = _images(2, size)
  path, expected, names = write_graph_checkpoint(
    _tempdir(), model_name, num_classes, images, model_kwargs
  )
  layer = tf2.SlimNetwork(model_name, num_classes, **model_kwargs)
  info = layer.load_checkpoint(path)
  eager = layer(images, training=False)
  function = tf.function(lambda x: layer(x, training=False))(images)
  return {
    'eager': _relative_error(eager, expected),
    'function': _relative_error(function, expected),
    'graph_variables': names,
    'layer_variables': sorted(v.name[:-2] for v in layer.variables),
    'restored': len(info['restored']),
  }


def _error(fn):
  try:
    fn()
  except Exception as e:  # pylint: disable=broad-except
    return '%s: %s' % (type(e).__name__, e)
  return None


def checkpoint_loading():
  """`load_checkpoint`: exclusions, labels_offset and the errors.

  Returns:
    A dict of measurements and error messages (None: no error).
  """
  kwargs = {'depth_multiplier': 0.25}
  images = _images(2, 32)
  directory = _tempdir()
  path, expected, _ = write_graph_checkpoint(
    directory, 'resnet_cifar_20', 11, images, kwargs
  )
  reader = tf1.train.load_checkpoint(path)
  result = {}
  # labels_offset=1: 11 classes into 10, the first dropped.
  layer = tf2.SlimNetwork('resnet_cifar_20', 10, **kwargs)
  info = layer.load_checkpoint(directory, labels_offset=1)
  result['dropped_classes'] = info['dropped_classes']
  result['offset_error'] = _relative_error(layer(images), expected[:, 1:])
  # Excluded logits keep the layer's own values.
  layer = tf2.SlimNetwork('resnet_cifar_20', 10, **kwargs)
  layer(images[:1])
  before = {v.name[:-2]: v.numpy() for v in layer.variables}
  info = layer.load_checkpoint(path, exclude_scopes='resnet_cifar_20/logits')
  after = {v.name[:-2]: v.numpy() for v in layer.variables}
  result['excluded'] = info['excluded']
  result['excluded_unchanged'] = all(
    np.array_equal(before[n], after[n]) for n in info['excluded']
  )
  result['restored_equal'] = all(
    np.array_equal(after[n], reader.get_tensor(n)) for n in info['restored']
  )
  result['restored_count'] = len(info['restored'])
  # Errors; a failed load changes nothing.
  layer = tf2.SlimNetwork('resnet_cifar_20', 10, **kwargs)
  layer(images[:1])
  before = [v.numpy() for v in layer.variables]
  result['classes_error'] = _error(lambda: layer.load_checkpoint(path))
  result['unchanged_after_error'] = all(
    np.array_equal(b, v.numpy()) for b, v in zip(before, layer.variables)
  )
  result['shape_error'] = _error(
    lambda: tf2.SlimNetwork(
      'resnet_cifar_20', 11, depth_multiplier=0.5
    ).load_checkpoint(path)
  )
  result['network_error'] = _error(
    lambda: tf2.SlimNetwork('resnet_cifar_32', 11, **kwargs).load_checkpoint(
      path
    )
  )
  result['no_checkpoint_error'] = _error(
    lambda: layer.load_checkpoint(_tempdir())
  )
  result['offset_value_error'] = _error(
    lambda: layer.load_checkpoint(path, labels_offset=-1)
  )
  result['exclude_value_error'] = _error(
    lambda: layer.load_checkpoint(path, exclude_scopes=[3])
  )
  return result


_SCOPE_CHECKPOINT = []


def scope_exclusions(scopes):
  """What `load_checkpoint(exclude_scopes=scopes)` leaves out.

  The network of tests/scope_cases.py, its checkpoint written once.

  Returns:
    A dict: 'excluded' (the sorted names left alone) and 'all_accounted'
    (every variable of the layer was either restored or excluded).
  """
  if not _SCOPE_CHECKPOINT:
    path, _, _ = write_graph_checkpoint(
      _tempdir(),
      scope_cases.MODEL_NAME,
      scope_cases.NUM_CLASSES,
      _images(1, 32),
      {'depth_multiplier': 0.25},
    )
    _SCOPE_CHECKPOINT.append(path)
  layer = tf2.SlimNetwork(
    scope_cases.MODEL_NAME, scope_cases.NUM_CLASSES, depth_multiplier=0.25
  )
  info = layer.load_checkpoint(_SCOPE_CHECKPOINT[0], exclude_scopes=scopes)
  names = sorted(v.name[:-2] for v in layer.variables)
  return {
    'excluded': sorted(info['excluded']),
    'all_accounted': sorted(info['excluded'] + info['restored']) == names,
  }


def checkpoint_round_trips():
  """TF2 object-based checkpoints, and `save_checkpoint` read by graph mode.

  Returns:
    A dict: 'object_restored' (the values after tf.train.Checkpoint restore
    equal those saved), 'object_changed' (they differed before the restore),
    'graph_error' (a graph-mode network restored from `save_checkpoint` with
    tf.train.Saver, against the eager layer) and 'names' (the checkpoint's
    variable names equal the graph network's).
  """
  kwargs = {'depth_multiplier': 0.25}
  images = _images(2, 32)
  layer = tf2.SlimNetwork('resnet_cifar_20', 10, **kwargs)
  layer(images, training=True)  # Moves the batch-norm statistics too.
  saved = [v.numpy() for v in layer.variables]
  directory = _tempdir()
  checkpoint = tf.train.Checkpoint(network=layer)
  object_path = checkpoint.save(os.path.join(directory, 'object'))
  for var in layer.variables:
    var.assign(var + 1.0)
  changed = not any(
    np.array_equal(s, v.numpy()) for s, v in zip(saved, layer.variables)
  )
  checkpoint.restore(object_path).assert_consumed()
  restored = all(
    np.array_equal(s, v.numpy()) for s, v in zip(saved, layer.variables)
  )
  name_path = layer.save_checkpoint(os.path.join(directory, 'model.ckpt-1'))
  expected = layer(images, training=False).numpy()
  with tf.Graph().as_default():
    network_fn = nets_factory.get_network_fn('resnet_cifar_20', 10)
    logits, _ = network_fn(tf1.constant(images), **kwargs)
    names = sorted(v.op.name for v in tf1.global_variables())
    with tf1.Session() as session:
      tf1.train.Saver().restore(session, tf1.train.latest_checkpoint(directory))
      output = session.run(logits)
  return {
    'object_restored': restored,
    'object_changed': changed,
    'graph_error': _relative_error(output, expected),
    'latest': tf1.train.latest_checkpoint(directory) == name_path,
    'names': names == sorted(n for n, _ in tf1.train.list_variables(name_path)),
  }


def end_points():
  """Backbone use: end points with their strides and channels.

  Returns:
    A dict: 'shapes' (name -> static shape of the returned tensors for a
    64x64 input), 'info' (name -> [stride, channels]) and 'features' (the
    shape of `net`), and 'unknown_error'.
  """
  layer = tf2.SlimNetwork(
    'resnet_v1_50',
    None,
    global_pool=False,
    output_stride=16,
    depth_multiplier=0.125,
    end_points=['conv1', 'block1', 'resnet_v1_50/block2', 'block4'],
  )
  net, points = layer(_images(1, 64), training=False)
  info = layer.end_point_info()
  bad = tf2.SlimNetwork(
    'resnet_v1_50', 10, depth_multiplier=0.125, end_points=['block5']
  )
  return {
    'shapes': {k: v.shape.as_list() for k, v in points.items()},
    'features': net.shape.as_list(),
    'info': {
      k: list(info[k])
      for k in ('conv1', 'block1', 'block2', 'block3', 'block4')
    },
    'unknown_error': _error(lambda: bad(_images(1, 64))),
  }


def eager_collections(calls=3):
  """What eager calls leave in the global graph's TF1 collections.

  Returns:
    A dict: 'before' (collection -> size before the first call), 'after'
    (the sizes after each call, a list), 'end_points' (how many end points
    the network returned, the tensors slim collects), 'losses' (len of
    `layer.losses`) and 'moving_mean_moved' (batch norm still updates).
  """
  graph = tf1.get_default_graph()

  def sizes():
    return {
      key: len(graph.get_collection(key))
      for key in graph.get_all_collection_keys()
    }

  layer = tf2.SlimNetwork('resnet_cifar_20', 10, weight_decay=1e-4)
  images = _images(4, 32)
  before = sizes()
  after = []
  for _ in range(calls):
    layer(images, training=True)
    after.append(sizes())
  _, end_points = tf2.SlimNetwork(
    'resnet_cifar_20', 10, end_points=['block1'], scope='other'
  )(images, training=True)
  after.append(sizes())
  means = [v for v in layer.variables if v.name.endswith('moving_mean:0')]
  return {
    'before': before,
    'after': after,
    'end_points': len(end_points),
    'losses': len(layer.losses),
    'moving_mean_moved': bool(np.abs(means[0].numpy()).max() > 0),
  }


def constructor_errors():
  """The ValueErrors of `SlimNetwork(...)`, as messages, and its config."""
  cases = {
    'model': lambda: tf2.SlimNetwork('resnet_v1_51', 10),
    'classes': lambda: tf2.SlimNetwork('resnet_v1_50', -1),
    'decay': lambda: tf2.SlimNetwork('resnet_v1_50', 10, weight_decay='x'),
    'end_points': lambda: tf2.SlimNetwork(
      'resnet_v1_50', 10, end_points='block1'
    ),
    'is_training': lambda: tf2.SlimNetwork(
      'resnet_v1_50', 10, is_training=True
    ),
    'kwarg': lambda: tf2.SlimNetwork('resnet_v1_50', 10, no_such_option=1)(
      _images(1, 32)
    ),
  }
  result = {name: _error(fn) for name, fn in cases.items()}
  result['dtype'] = _error(
    lambda: tf2.SlimNetwork('resnet_v1_50', 10, dtype='float16')
  )
  layer = tf2.SlimNetwork(
    'resnet_v1_50_beta',
    10,
    depth_multiplier=0.5,
    multi_grid=(1, 2, 4),
    end_points=['block1'],
    name='backbone',
  )
  twin = tf2.SlimNetwork.from_config(layer.get_config())
  result['config'] = layer.get_config()
  result['config_round_trip'] = twin.get_config() == layer.get_config()
  return result


def trainer_inputs_and_errors():
  """`tf2_train.replica_batches` splits, and the trainer's ValueErrors.

  Returns:
    A dict: 'rows' (pipeline id -> the first row of each per-replica batch
    it yields, for global batches of 8 rows numbered 0..15 over 2 pipelines
    of 2 replicas each) and error messages.
  """
  rows = np.arange(16, dtype=np.int64)
  batches = tf.data.Dataset.from_tensor_slices((rows, rows)).batch(8)
  split = {}
  for pipeline in range(2):
    context = tf.distribute.InputContext(
      num_input_pipelines=2, input_pipeline_id=pipeline, num_replicas_in_sync=4
    )
    split[pipeline] = [
      [int(x) for x in images.numpy()]
      for images, _ in tf2_train.replica_batches(batches, 8, context)
    ]
  context = tf.distribute.InputContext(num_replicas_in_sync=3)
  return {
    'split': split,
    'divisible': _error(lambda: tf2_train.replica_batches(batches, 8, context)),
    'strategy': _error(lambda: tf2_train.make_strategy('parameter_server')),
    'devices': _error(lambda: tf2_train.configure_cpu_devices(0)),
    'steps': _error(
      lambda: tf2_train.train(
        'resnet_cifar_20', None, config.Tf2TrainConfig(max_number_of_steps=0)
      )
    ),
    'epochs': _error(
      lambda: tf2_train.train(
        'resnet_cifar_20',
        None,
        config.Tf2TrainConfig(max_number_of_steps=4, steps_per_epoch=3),
      )
    ),
  }


def _first_batch(input_fn, context=None, seed=0):
  tf.random.set_seed(seed)
  return next(iter(input_fn(context)))


def recipe_inputs():
  """The training recipe's options in `tf2_train.make_input_fn`'s batches.

  Returns:
    A dict: for a mixed batch (mixup, label smoothing 0.1), its 'labels'
    and the 'targets' fed to the loss; the first batches' images
    ('plain', 'plain_again': the same pipeline twice with the same seeds;
    'randaugment': with RandAugment at magnitude 30); the labels of the
    first batches with aug_repeats=2 on one replica ('repeats_one') and on
    2 replicas ('repeats_two': per-replica batches, replica 0's then 1's);
    'loss': the type of `training_loss` and its label smoothing.
  """
  dataset = dataset_factory.get_dataset('digits', 'train', _digits_dir())
  # One preprocessing thread: the random draws in a repeatable order.
  inputs = config.InputConfig(batch_size=8, num_preprocessing_threads=1)
  cfg = config.Tf2TrainConfig(
    input=inputs,
    loss=config.LossConfig(weight_decay=1e-4, label_smoothing=0.1),
    mixing=mixing.Mixing(mixup_alpha=1.0),
  )
  mix = tf2_train.batch_mixing_fn(cfg, 10)

  def keep_labels(images, labels):
    mixed, targets = mix(images, labels)
    return mixed, (labels, targets)

  def input_fn(input_config, batch_fn=None):
    return tf2_train.make_input_fn(
      dataset, 'resnet_cifar_20', input_config, 16, True, 1, batch_fn
    )

  _, (labels, targets) = _first_batch(input_fn(inputs, keep_labels))
  images = {
    name: _first_batch(input_fn(input_config))[0].numpy().tolist()
    for name, input_config in [
      ('plain', inputs),
      ('plain_again', inputs),
      (
        'randaugment',
        dataclasses.replace(
          inputs,
          augmentation=augmentation.Augmentation(
            'randaugment', randaugment_magnitude=30.0
          ),
        ),
      ),
    ]
  }
  repeated = dataclasses.replace(inputs, aug_repeats=2)
  two = tf.distribute.InputContext(num_replicas_in_sync=2)
  batches = input_fn(repeated)(two)
  repeats_two = [labels.numpy().tolist() for _, labels in batches.take(4)]
  repeats_one = [
    labels.numpy().tolist() for _, labels in input_fn(repeated)().take(2)
  ]
  loss = tf2_train.training_loss(cfg, 10)
  return dict(
    images,
    labels=labels.numpy().tolist(),
    targets=targets.numpy().tolist(),
    repeats_one=repeats_one,
    repeats_two=repeats_two,
    loss=[type(loss).__name__, loss._label_smoothing],
    plain_loss=repr(
      tf2_train.training_loss(config.Tf2TrainConfig(input=inputs), 10)
    ),
  )


def recipe_training(steps=2):
  """`tf2_train.train` for a few steps with every recipe option on.

  Returns:
    A dict: the 'losses', the compiled loss's type, and the network
    keywords of the trained `SlimNetwork`.
  """
  dataset = dataset_factory.get_dataset('digits', 'train', _digits_dir())
  cfg = config.Tf2TrainConfig(
    input=config.InputConfig(
      batch_size=8,
      image_size=16,
      augmentation=augmentation.Augmentation(
        'trivialaugment_wide', random_erase=0.5
      ),
      aug_repeats=2,
    ),
    loss=config.LossConfig(weight_decay=1e-4, label_smoothing=0.1, loss='bce'),
    mixing=mixing.Mixing(mixup_alpha=0.2, cutmix_alpha=1.0),
    max_number_of_steps=steps,
    seed=0,
    network_kwargs={'depth_multiplier': 0.25},
    drop_path_rate=0.1,
    zero_init_residual=True,
  )
  model, history = tf2_train.train('resnet_cifar_20', dataset, cfg)
  return {
    'losses': history['loss'],
    'loss_type': type(model.loss).__name__,
    'network_kwargs': dict(model.get_layer('resnet_cifar_20').network_kwargs),
  }


def _corrupt_digits_dir():
  """A digits directory whose train file keeps its first 48 records and has
  a flipped byte in the middle (record 24 fails its CRC)."""
  directory = _digits_dir()
  path = os.path.join(directory, 'digits_train.tfrecord')
  test_util.write_corrupt_tfrecord_prefix(path, 48)
  return directory, path


def corrupt_training(strategy='default'):
  """`tf2_train.train` on a train file corrupt in the middle.

  Returns:
    A dict: the 'path' of the corrupt file; without skip_corrupt the
    exception's type names ('error_types': its class and bases) and
    'message'; with it the 'losses' and 'skipped' (the history's count).
  """
  directory, path = _corrupt_digits_dir()
  dataset = dataset_factory.get_dataset('digits', 'train', directory)
  # The 48 records in order: 4 batches of 8 pass the corrupt middle once.
  cfg = config.Tf2TrainConfig(
    input=config.InputConfig(batch_size=8, image_size=16),
    max_number_of_steps=4,
    is_training=False,
    seed=0,
    network_kwargs={'depth_multiplier': 0.25},
  )
  result = {'path': path}
  try:
    tf2_train.train('resnet_cifar_20', dataset, cfg, strategy)
  except Exception as e:  # pylint: disable=broad-except
    result['error_types'] = [c.__name__ for c in type(e).__mro__]
    result['message'] = str(e)
  skipping = dataclasses.replace(
    cfg, input=dataclasses.replace(cfg.input, skip_corrupt=True)
  )
  _, history = tf2_train.train('resnet_cifar_20', dataset, skipping, strategy)
  result['losses'] = history['loss']
  result['skipped'] = history['corrupt_records_skipped']
  return result


def _digits_dir():
  directory = _tempdir()
  digits.convert(directory)
  return directory


def _state(layer, part):
  return {
    v.name[:-2]: v.numpy()
    for v in layer.variables
    if v.name[:-2].endswith(part)
  }


def _max_change(before, after):
  return max(float(np.max(np.abs(after[k] - before[k]))) for k in before)


def fit_digits(epochs=10, steps_per_epoch=10, batch_size=32, image_size=16):
  """compile/fit on digits through our tf.data pipeline.

  Returns:
    A dict: the 'losses' and 'train_accuracy' of `fit`'s epochs (means over
    their steps, batch-norm batch statistics), the weight decay
    ('regularization': the sum of `model.losses`, 'expected': slim's l2 of
    the weights computed here, 'num_losses', 'num_weights'), the batch-norm
    statistics' largest change after `predict` and a `training=False` call
    ('bn_change_inference') and after fit ('bn_change_fit'), the trainable
    variables without a gradient in a tf.function step ('no_gradient') or
    with a zero one ('zero_gradient'), and 'num_trainable'.
  """
  directory = _digits_dir()
  tf.random.set_seed(0)
  model_name, weight_decay = 'resnet_cifar_20', 1e-4
  model = tf2_train.compile_model(
    tf2_train.build_model(
      model_name, 10, image_size, weight_decay, depth_multiplier=0.5
    ),
    0.1,
  )
  layer = model.get_layer(model_name)
  train = tf2_train.make_input_fn(
    dataset_factory.get_dataset('digits', 'train', directory),
    model_name,
    config.InputConfig(batch_size=batch_size),
    image_size,
    True,
    seed=1,
  )()
  images, labels = next(iter(train))
  moving = _state(layer, ('moving_mean', 'moving_variance'))
  model.predict(images, verbose=0)
  model(images, training=False)
  bn_change_inference = _max_change(
    moving, _state(layer, ('moving_mean', 'moving_variance'))
  )
  # Gradients of the loss fit minimises, in a tf.function.
  loss_fn = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)

  @tf.function
  def gradients(images, labels):
    with tf.GradientTape() as tape:
      loss = loss_fn(labels, model(images, training=True)) + tf.add_n(
        model.losses
      )
    return tape.gradient(loss, model.trainable_variables)

  grads = gradients(images, labels)
  names = [v.name[:-2] for v in model.trainable_variables]
  no_gradient = [n for n, g in zip(names, grads) if g is None]
  zero_gradient = [
    n for n, g in zip(names, grads) if g is not None and not np.any(g.numpy())
  ]
  weights = [
    v for v in layer.trainable_variables if v.name[:-2].endswith('/weights')
  ]
  expected = weight_decay * sum(
    0.5 * float(np.sum(np.square(v.numpy()))) for v in weights
  )
  regularization = float(tf.add_n(model.losses))
  moving = _state(layer, ('moving_mean', 'moving_variance'))
  history = model.fit(
    train, epochs=epochs, steps_per_epoch=steps_per_epoch, verbose=0
  )
  bn_change_fit = _max_change(
    moving, _state(layer, ('moving_mean', 'moving_variance'))
  )
  return {
    'losses': history.history['loss'],
    'train_accuracy': history.history['accuracy'],
    'regularization': regularization,
    'expected': expected,
    'num_losses': len(model.losses),
    'num_weights': len(weights),
    'bn_change_inference': bn_change_inference,
    'bn_change_fit': bn_change_fit,
    'no_gradient': no_gradient,
    'zero_gradient': zero_gradient,
    'num_trainable': len(names),
  }


def saved_model():
  """tf.saved_model.save of a model around the layer, reloaded.

  Returns:
    A dict: 'signatures' (of the reloaded model), 'keys' (the output keys of
    its serving signature) and 'error' (the relative error of the reloaded
    logits against the model's).
  """
  model = tf2_train.build_model('resnet_cifar_20', 10, 32, depth_multiplier=0.5)
  # Non-trivial moving statistics, so that inference differs from training.
  model.get_layer('resnet_cifar_20')(_images(4, 32), training=True)

  @tf.function(input_signature=[tf.TensorSpec([None, 32, 32, 3], tf.float32)])
  def serve(images):
    logits = model(images, training=False)
    return {'logits': logits, 'probabilities': tf.nn.softmax(logits)}

  directory = os.path.join(_tempdir(), 'saved')
  tf.saved_model.save(model, directory, signatures={'serving_default': serve})
  loaded = tf.saved_model.load(directory)
  images = _images(3, 32, seed=1)
  outputs = loaded.signatures['serving_default'](images=tf.constant(images))
  return {
    'signatures': sorted(loaded.signatures),
    'keys': sorted(outputs),
    'error': _relative_error(outputs['logits'], model(images, training=False)),
  }


def _layer_values(layer):
  return {v.name[:-2]: v.numpy() for v in layer.variables}


LEARNING_RATE = 0.1


def _fit_one_step(strategy, init_path, images, labels, freeze_batch_norm):
  """One `fit` step of a fresh model from `init_path` under `strategy`."""
  with strategy.scope():
    model = tf2_train.build_model(
      'resnet_cifar_20', 10, 32, 1e-4, freeze_batch_norm, depth_multiplier=0.5
    )
    layer = model.get_layer('resnet_cifar_20')
    layer.load_checkpoint(init_path)
    tf2_train.compile_model(model, LEARNING_RATE)
  batch_size = len(images)
  batches = tf.data.Dataset.from_tensors((images, labels))
  distributed = strategy.distribute_datasets_from_function(
    lambda context: tf2_train.replica_batches(batches, batch_size, context)
  )
  history = model.fit(distributed, epochs=1, steps_per_epoch=1, verbose=0)
  return history.history['loss'][0], _layer_values(layer)


def _single_device_steps(init_path, batches, freeze_batch_norm):
  """One SGD step from `init_path` on each batch, on one device, by hand.

  The loss is `fit`'s (softmax cross entropy, mean over the batch, plus
  `model.losses`); the first step of momentum SGD is w - learning_rate * g.
  Each batch starts from the checkpoint again.

  Returns:
    A list of (loss, {name: value after the step}) per batch.
  """
  model = tf2_train.build_model(
    'resnet_cifar_20', 10, 32, 1e-4, freeze_batch_norm, depth_multiplier=0.5
  )
  layer = model.get_layer('resnet_cifar_20')
  loss_fn = tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True)

  @tf.function(reduce_retracing=True)
  def step(images, labels):
    with tf.GradientTape() as tape:
      loss = loss_fn(labels, model(images, training=True)) + tf.add_n(
        model.losses
      )
    return loss, tape.gradient(loss, model.trainable_variables)

  results = []
  for images, labels in batches:
    layer.load_checkpoint(init_path)
    loss, grads = step(images, labels)
    values = _layer_values(layer)  # Batch-norm statistics after the step.
    for var, grad in zip(model.trainable_variables, grads):
      values[var.name[:-2]] -= LEARNING_RATE * grad.numpy()
    results.append((float(loss), values))
  return results


def _compare(values, reference):
  """The largest relative error over the variables (per variable scale)."""
  return max(
    _relative_error(values[k], reference[k])
    if np.any(reference[k])
    else float(np.max(np.abs(values[k])))
    for k in reference
  )


def mirrored(freeze_batch_norm):
  """One MirroredStrategy `fit` step on 2 logical CPUs against one device.

  With frozen batch norm, the reference is one device on the same global
  batch of 8. With batch norm training, each replica normalises its half
  with its own batch statistics, so the reference is the mean of two
  single-device steps from the same start, one on each half: for one SGD
  step the weights, the moving statistics (synchronised on read: the mean
  over the replicas) and the loss are all means of the halves'.

  Returns:
    A dict: 'replicas', 'loss' and 'reference_loss', 'weights_error' (the
    largest relative error of a variable against the reference), and
    'global_batch_loss' (one device on the global batch; with batch norm
    training not the reference, for the record).
  """
  images = _images(8, 32, seed=2)
  labels = np.arange(8, dtype=np.int64) % 10
  init_path, _, _ = write_graph_checkpoint(
    _tempdir(), 'resnet_cifar_20', 10, images[:1], {'depth_multiplier': 0.5}
  )
  devices = ['/cpu:%d' % i for i in range(NUM_CPU_DEVICES)]
  strategy = tf.distribute.MirroredStrategy(devices)
  loss, values = _fit_one_step(
    strategy, init_path, images, labels, freeze_batch_norm
  )
  halves = [(images[:4], labels[:4]), (images[4:], labels[4:])]
  steps = _single_device_steps(
    init_path, [(images, labels)] + halves, freeze_batch_norm
  )
  if freeze_batch_norm:
    reference_loss, reference = steps[0]
  else:
    reference_loss = (steps[1][0] + steps[2][0]) / 2
    reference = {k: (steps[1][1][k] + steps[2][1][k]) / 2 for k in steps[1][1]}
  return {
    'replicas': strategy.num_replicas_in_sync,
    'loss': loss,
    'reference_loss': reference_loss,
    'weights_error': _compare(values, reference),
    'global_batch_loss': steps[0][0],
  }


_GRADIENT_OPS = (
  'Conv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MatMul',
)


def _gradient_ops(graph):
  """Counts of the convolution and matmul ops of `graph` (and of its
  forward Conv2D ops by `conv_gradients.conv_kind`: '1x1', '1x1_strided',
  'kxk', 'other'; the Conv2D ops of gradients, under a '<op>_grad' name
  scope, count as 'Conv2D_grad'), and the gradient functions its forward
  Conv2D ops name (`_gradient_op_type`)."""
  counts = dict.fromkeys(
    _GRADIENT_OPS + ('Conv2D_grad', '1x1', '1x1_strided', 'kxk', 'other'), 0
  )
  overrides = set()
  for op in graph.get_operations():
    if op.type == 'Conv2D' and '_grad/' in op.name:
      counts['Conv2D_grad'] += 1
      continue
    if op.type in counts:
      counts[op.type] += 1
    if op.type == 'Conv2D':
      counts[conv_gradients.conv_kind(op) or 'other'] += 1
      try:
        overrides.add(op.get_attr('_gradient_op_type').decode())
      except ValueError:  # No override.
        overrides.add(None)
  return counts, sorted(overrides, key=str)


def conv_gradient_equality(model_name, model_kwargs, size, batch_size=4):
  """The `fit` step's gradients with every kind as matmuls, and TensorFlow's.

  Two `tf2_train.build_model` models of the network, the second with
  `conv_gradients.KINDS`, start from the same weights; each computes
  `Classifier.loss_and_gradients` (the gradients of its `train_step`) of one
  batch in a `tf.function`.

  Returns:
    A dict: 'names' and 'matmul_names' (the trainable variables' names of
    each model, in order; 'all_names' and 'all_matmul_names' of all their
    variables), 'difference' and 'scale' (per trainable variable, the
    largest |matmul - plain| gradient and the largest |plain| one),
    'losses' (of each) and 'ops' ([counts, gradient functions] of each
    traced graph, `_gradient_ops`).
  """
  images = _images(batch_size, size, seed=3)
  labels = np.arange(batch_size, dtype=np.int64) % 10
  results = []
  for kinds in ((), conv_gradients.KINDS):
    tf.random.set_seed(0)
    model = tf2_train.compile_model(
      tf2_train.build_model(
        model_name, 10, size, 1e-4, gradient_kinds=kinds, **model_kwargs
      ),
      0.1,
    )
    if results:
      model.set_weights(results[0][0].get_weights())
    step = tf.function(model.loss_and_gradients)
    loss, _, grads = step(images, labels)
    graph = step.get_concrete_function(images, labels).graph
    results.append((model, float(loss), [g.numpy() for g in grads], graph))
  (plain, plain_loss, plain_grads, plain_graph) = results[0]
  (matmul, matmul_loss, matmul_grads, matmul_graph) = results[1]
  return {
    'names': [v.name for v in plain.trainable_variables],
    'matmul_names': [v.name for v in matmul.trainable_variables],
    'all_names': [v.name for v in plain.variables],
    'all_matmul_names': [v.name for v in matmul.variables],
    'difference': [
      float(np.max(np.abs(m - p))) for m, p in zip(matmul_grads, plain_grads)
    ],
    'scale': [float(np.max(np.abs(p))) for p in plain_grads],
    'losses': [plain_loss, matmul_loss],
    'ops': [_gradient_ops(plain_graph), _gradient_ops(matmul_graph)],
  }


def conv_gradients_in_fit(mode, strategy='default'):
  """The step function of `fit` with `conv_gradients=mode`.

  With the default strategy, trains one step of `tf2_train.train` on
  resnet_v1_18_tv (depth 0.125, 32x32 digits, global batch 4), which has
  stride-1 (the logits layer) and strided (projection shortcuts) 1x1
  convolutions, then traces the step function that `fit` built
  (`model.train_function`) again on a batch of the same structure and
  counts its ops. With 'mirrored' (two logical CPUs), builds the model of
  `train` under the strategy and only traces its step function: the
  collective all-reduce of a MirroredStrategy numbers its operations from
  the same start in every strategy of the process, and one run with other
  gradient shapes would break the next strategy's run (MirroredTest).

  Returns:
    A dict: 'kinds' (`conv_gradients.resolve(mode)`, sorted), 'replicas',
    'loss' (of the trained step; None when only traced), and 'counts' and
    'overrides' of the traced graph (`_gradient_ops`).
  """
  dataset = dataset_factory.get_dataset('digits', 'train', _digits_dir())
  cfg = config.Tf2TrainConfig(
    input=config.InputConfig(batch_size=4, image_size=32),
    max_number_of_steps=1,
    seed=0,
    network_kwargs={'depth_multiplier': 0.125},
    conv_gradients=mode,
  )
  loss = None
  if strategy == 'default':
    model, history = tf2_train.train('resnet_v1_18_tv', dataset, cfg)
    loss = history['loss'][0]
  else:
    strategy = tf2_train.make_strategy(strategy)
    with strategy.scope():
      model = tf2_train.compile_model(
        tf2_train.build_model(
          'resnet_v1_18_tv',
          10,
          32,
          gradient_kinds=conv_gradients.resolve(mode),
          **cfg.all_network_kwargs(),
        ),
        0.1,
      )
    model.make_train_function()
  batches = tf.data.Dataset.from_tensors(
    (tf.zeros([4, 32, 32, 3]), tf.zeros([4], tf.int64))
  )
  distributed = model.distribute_strategy.experimental_distribute_dataset(
    batches
  )
  graph = model.train_function.get_concrete_function(iter(distributed)).graph
  counts, overrides = _gradient_ops(graph)
  return {
    'kinds': sorted(conv_gradients.resolve(mode)),
    'replicas': model.distribute_strategy.num_replicas_in_sync,
    'loss': loss,
    'counts': counts,
    'overrides': overrides,
  }


def benchmark_step_gradients(mode):
  """The traced training step of the benchmark's 'tf_function' runner.

  Builds `tf2_runner.TfFunction` for resnet_v1_18_tv (depth 0.125, 32x32,
  batch 2, synthetic images) with `conv_gradients=mode` and traces its step
  function again on tensors of the batch's structure.

  Returns:
    A dict: 'kinds' (`conv_gradients.resolve(mode)`, sorted), 'fields'
    (the runner's gradient result fields) and 'counts' (`_gradient_ops`).
  """
  from utils.benchmark import config as benchmark_config
  from utils.benchmark import tf2_runner

  function = tf2_runner.TfFunction(
    benchmark_config.Setting(
      'resnet_v1_18_tv',
      'train',
      batch_size=2,
      image_size=32,
      model_kwargs={'depth_multiplier': 0.125},
      conv_gradients=mode,
    ),
    benchmark_config.Timing(num_warmup_steps=1, num_steps=1, isolate=False),
  )
  graph = function.step_function.get_concrete_function(
    tf.TensorSpec([2, 32, 32, 3]), tf.TensorSpec([2], tf.int64)
  ).graph
  return {
    'kinds': sorted(conv_gradients.resolve(mode)),
    'fields': {
      key: function.fields[key]
      for key in ('conv_gradients', 'matmul_gradient_kinds')
    },
    'counts': _gradient_ops(graph)[0],
  }


def serve(lines, answer):
  """Answers each JSON request line (see the module docstring)."""
  for line in lines:
    if not line.strip():
      continue
    request = json.loads(line)
    start = time.process_time()
    try:
      result = globals()[request['check']](**request.get('kwargs', {}))
      answer({'result': result, 'cpu_seconds': time.process_time() - start})
    except Exception:  # pylint: disable=broad-except
      answer({'error': traceback.format_exc()})


def _answer_on_stdout(message):
  sys.stdout.write(json.dumps(message) + '\n')
  sys.stdout.flush()


if __name__ == '__main__':
  tf2_train.configure_cpu_devices(NUM_CPU_DEVICES)
  tf1.logging.set_verbosity(tf1.logging.ERROR)
  _answer_on_stdout({'ready': tf.keras.layers.Layer is tf_keras.layers.Layer})
  try:
    serve(sys.stdin, _answer_on_stdout)
  finally:
    shutil.rmtree(_TEMP_ROOT, ignore_errors=True)
