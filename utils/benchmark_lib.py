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
"""Throughput of the registered networks: training steps and inference.

One measurement (`benchmark_network`) builds one graph in a fresh
`tf.Graph()`: synthetic images held in a local variable (or the tf.data
pipeline of `utils/input_pipeline.py` over a converted data set), the network,
and for 'train' a real training step (softmax cross entropy plus weight decay,
`MomentumOptimizer`, batch-norm moving-average updates); for 'inference' the
eval-mode network's logits. The session gets `utils/precision.session_config`,
so 'bfloat16' is grappler's oneDNN auto mixed precision and `xla` TensorFlow's
auto-clustering. It runs the step once with partition graphs (to record how
many convolutions really ran in bfloat16 and how many XLA clusters), warms up,
then times `num_steps` steps one by one; throughput is reported as the median
images/s with the min-max spread over the steps.

Work per image is counted on the graph that was built
(`utils/graph_stats.py`): the forward conv/matmul MACs. Achieved GFLOP/s is
2 * MACs * (3 for training, 1 for inference) * images/s, and is compared with
the GFLOP/s of a 4096 x 4096 matmul in the same precision (`matmul_peak`).

Implementations (`IMPLEMENTATIONS`):
  ours      this package's network (`nets_factory`).
  folded    inference only: the graph `utils/export_lib.py` exports (batch
            norm folded into the convolutions, variables frozen to
            constants), on random weights with random batch-norm statistics.
  frozen    inference only: the same without folding (the eval graph with
            its variables frozen), which separates the two effects.
  tf_slim   the pip tf_slim 1.1.0 reference network (`tf_slim.nets`), for
            the names in `TF_SLIM_REFERENCES`; this comparison is the only
            user of `tf_slim.nets` in the project.
  keras     Keras 3's `keras.applications` model for the names in
            `KERAS_REFERENCES`, timed with `train_on_batch` /
            `predict_on_batch` in a subprocess (Keras 3 runs eagerly and
            tf.function, which does not mix with this process's graph mode).
            Its GMACs are counted on the Keras layers: Keras's ResNet50/
            101/152 put the stride in the first 1x1 convolution of a block
            (Caffe's layout) and do more MACs per image than slim's layout
            (3.86 against 3.48 GMACs at 224); the V2 models have slim's
            layout and the same MACs as ours.

`benchmark_paired` runs several implementations of one setting with their
steps interleaved, so that on a machine shared with other jobs they all see
the same load; each can run in its own process (`WorkerRunner`).
`run_benchmarks` runs a grid of settings (optionally paired and repeated),
prints a table and the ratios of interest (ours / reference, bfloat16 / fp32,
folded / unfolded, XLA on / off) and appends JSON lines.

Library use needs TF1 graph semantics first (`utils.tf_compat.
enable_graph_mode()`), as the scripts do.
"""

import collections
import importlib
from importlib import metadata
import importlib.util
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import tensorflow.compat.v1 as tf

MODES = ('train', 'inference')
IMPLEMENTATIONS = ('ours', 'frozen', 'folded', 'tf_slim', 'keras')
# Our name -> (module of tf_slim.nets, function). tf_slim 1.1.0 has these only.
TF_SLIM_REFERENCES = {
    '%s_%d' % (version, depth): (version, '%s_%d' % (version, depth))
    for version in ('resnet_v1', 'resnet_v2') for depth in (50, 101, 152, 200)
}
# Our name -> keras.applications model.
KERAS_REFERENCES = {
    'resnet_v1_50': 'ResNet50',
    'resnet_v1_101': 'ResNet101',
    'resnet_v1_152': 'ResNet152',
    'resnet_v2_50': 'ResNet50V2',
    'resnet_v2_101': 'ResNet101V2',
    'resnet_v2_152': 'ResNet152V2',
}
# The training step's hyperparameters (slim's defaults for momentum).
LEARNING_RATE = 0.01
MOMENTUM = 0.9
WEIGHT_DECAY = 1e-4
# Training does ~3x the forward work (forward, input and filter gradients).
TRAIN_WORK_FACTOR = 3
WORKER_TIMEOUT_SECONDS = 600

_PAIR_IDS = itertools.count()

# Where the images come from: None (synthetic) or a converted data set.
DataConfig = collections.namedtuple(
    'DataConfig', ['dataset_name', 'dataset_dir', 'split_name',
                   'labels_offset', 'num_readers',
                   'num_preprocessing_threads'])


def data_config(dataset_name, dataset_dir, split_name='train',
                labels_offset=0, num_readers=4, num_preprocessing_threads=4):
  """A `DataConfig` for a data set converted by download_and_convert_data."""
  return DataConfig(dataset_name, dataset_dir, split_name, labels_offset,
                    num_readers, num_preprocessing_threads)


def _check_positive_int(name, value):
  if isinstance(value, bool) or not isinstance(value, int) or value < 1:
    raise ValueError('%s must be a positive integer; got %s=%r'
                     % (name, name, value))


def check_settings(model_name, mode, precision_name, xla, batch_size,
                   image_size, num_warmup_steps, num_steps,
                   implementation='ours'):
  """Validates one measurement's settings.

  Raises:
    ValueError: Naming the first bad value and what is allowed.
  """
  # Imported here so that `python -m utils.benchmark_lib` (the Keras worker)
  # does not import the graph-mode network code.
  from nets import nets_factory  # pylint: disable=g-import-not-at-top
  from utils import precision  # pylint: disable=g-import-not-at-top
  nets_factory.get_spec(model_name)
  if mode not in MODES:
    raise ValueError('mode must be one of %s; got mode=%r'
                     % (', '.join(MODES), mode))
  precision.check_precision(precision_name)
  if not isinstance(xla, bool):
    raise ValueError('xla must be True or False; got xla=%r' % (xla,))
  _check_positive_int('batch_size', batch_size)
  if image_size is not None:
    _check_positive_int('image_size', image_size)
  _check_positive_int('num_warmup_steps', num_warmup_steps)
  _check_positive_int('num_steps', num_steps)
  if implementation not in IMPLEMENTATIONS:
    raise ValueError('implementation must be one of %s; got '
                     'implementation=%r'
                     % (', '.join(IMPLEMENTATIONS), implementation))
  if implementation in ('frozen', 'folded') and mode != 'inference':
    raise ValueError('The %r implementation is an inference graph; got '
                     'mode=%r' % (implementation, mode))
  if implementation == 'tf_slim' and model_name not in TF_SLIM_REFERENCES:
    raise ValueError('pip tf_slim has no reference for model_name=%r; it has '
                     '%s' % (model_name, ', '.join(sorted(TF_SLIM_REFERENCES))))
  if implementation == 'keras' and model_name not in KERAS_REFERENCES:
    raise ValueError('keras.applications has no reference for model_name=%r; '
                     'it has %s'
                     % (model_name, ', '.join(sorted(KERAS_REFERENCES))))


def parse_bool(value):
  """'on'/'off', 'true'/'false', '1'/'0' (any case) or a bool -> bool.

  Raises:
    ValueError: For anything else, naming the value.
  """
  if isinstance(value, bool):
    return value
  text = str(value).strip().lower()
  if text in ('1', 'true', 'on', 'yes'):
    return True
  if text in ('0', 'false', 'off', 'no'):
    return False
  raise ValueError("Expected on/off or true/false; got %r" % (value,))


def images_per_second_stats(step_seconds, batch_size):
  """Median, min and max images/s over per-step times (seconds)."""
  if not step_seconds:
    raise ValueError('No step was timed; got step_seconds=%r'
                     % (step_seconds,))
  rates = [batch_size / s for s in step_seconds]
  return {'images_per_sec': statistics.median(rates),
          'images_per_sec_min': min(rates),
          'images_per_sec_max': max(rates)}


def achieved_gflops(gmacs_per_image, images_per_sec, mode):
  """2 * MACs * (3 for training, 1 for inference) * images/s, in GFLOP/s."""
  factor = TRAIN_WORK_FACTOR if mode == 'train' else 1
  return 2.0 * gmacs_per_image * factor * images_per_sec


def matmul_peak(precision_name='fp32', size=4096, num_runs=5, intra_op=None,
                inter_op=None):
  """GFLOP/s of a size x size matmul in fp32 or bfloat16 (best of runs).

  The operands are variables of the precision's dtype (bfloat16 runs oneDNN's
  native bfloat16 matmul), and only the op is run, so nothing is copied back.

  Raises:
    ValueError: On a bad precision, size or num_runs.
  """
  from utils import precision  # pylint: disable=g-import-not-at-top
  precision.check_precision(precision_name)
  _check_positive_int('size', size)
  _check_positive_int('num_runs', num_runs)
  dtype = tf.bfloat16 if precision_name == 'bfloat16' else tf.float32
  with tf.Graph().as_default():
    a = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    b = tf.Variable(tf.cast(tf.random.uniform([size, size]), dtype))
    product = tf.matmul(a, b)
    config = precision.session_config('fp32', intra_op=intra_op,
                                      inter_op=inter_op)
    with tf.Session(config=config) as sess:
      sess.run(tf.global_variables_initializer())
      sess.run(product.op)
      best = float('inf')
      for _ in range(num_runs):
        start = time.perf_counter()
        sess.run(product.op)
        best = min(best, time.perf_counter() - start)
  return 2.0 * size ** 3 / best / 1e9


def _synthetic_inputs(batch_size, image_size, num_classes):
  """Random images and labels in local variables (made once, read per step)."""
  images = tf.Variable(
      tf.random.uniform([batch_size, image_size, image_size, 3], -1.0, 1.0),
      trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES],
      name='synthetic_images')
  labels = tf.Variable(
      tf.random.uniform([batch_size], 0, num_classes, dtype=tf.int64),
      trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES],
      name='synthetic_labels')
  return images.read_value(), labels.read_value()


def _dataset_inputs(data, model_name, batch_size, image_size, is_training):
  """Batches of the tf.data pipeline; returns (images, labels, num_classes)."""
  # The data code is only needed for real data.
  # pylint: disable=g-import-not-at-top
  from nets import nets_factory
  from utils import input_pipeline
  from utils.datasets import dataset_factory
  # pylint: enable=g-import-not-at-top
  dataset = dataset_factory.get_dataset(data.dataset_name, data.split_name,
                                        data.dataset_dir)
  batches = input_pipeline.make_dataset(
      dataset, nets_factory.default_preprocessing(model_name), batch_size,
      image_size, is_training=is_training,
      num_readers=data.num_readers,
      num_preprocessing_threads=data.num_preprocessing_threads,
      labels_offset=data.labels_offset, drop_remainder=True)
  if not is_training:
    batches = batches.repeat()  # Evaluation order, but as long as needed.
  images, labels = tf.data.make_one_shot_iterator(batches).get_next()
  return images, labels, dataset.num_classes - data.labels_offset


def _network_logits(implementation, model_name, images, num_classes,
                    is_training, model_kwargs):
  """Builds `implementation`'s network; returns [batch, classes] logits."""
  # pylint: disable=g-import-not-at-top
  from nets import nets_factory  # Applies utils/tf_compat.py first.
  import tf_slim as slim
  # pylint: enable=g-import-not-at-top
  if implementation == 'ours':
    network_fn = nets_factory.get_network_fn(
        model_name, num_classes, weight_decay=WEIGHT_DECAY,
        is_training=is_training)
    logits, _ = network_fn(images, **model_kwargs)
  else:
    # The pip reference, for --compare only (see the module docstring).
    module_name, fn_name = TF_SLIM_REFERENCES[model_name]
    module = importlib.import_module('tf_slim.nets.' + module_name)
    with slim.arg_scope(module.resnet_arg_scope(weight_decay=WEIGHT_DECAY)):
      logits, _ = getattr(module, fn_name)(images, num_classes,
                                           is_training=is_training)
  if logits.get_shape().ndims == 4:
    logits = tf.squeeze(logits, [1, 2])
  return logits


def _train_op(logits, labels):
  tf.losses.sparse_softmax_cross_entropy(labels, logits)
  total_loss = tf.losses.get_total_loss()  # With the weight decay.
  optimizer = tf.train.MomentumOptimizer(LEARNING_RATE, MOMENTUM)
  with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    return optimizer.minimize(
        total_loss, global_step=tf.train.get_or_create_global_step())


def _frozen_graph_def(model_name, batch_size, image_size, num_classes,
                      model_kwargs, seed, fold):
  """The frozen inference GraphDef on random weights, BN folded if `fold`."""
  # pylint: disable=g-import-not-at-top
  from utils import export_lib
  # pylint: enable=g-import-not-at-top
  with tf.Graph().as_default():
    tf.set_random_seed(seed)
    export_lib.build_inference_graph(model_name, num_classes, image_size,
                                     batch_size, fold=False,
                                     model_kwargs=model_kwargs)
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      names = [v.op.name for v in tf.global_variables()]
      values = dict(zip(names, sess.run(tf.global_variables())))
  rng = np.random.RandomState(seed)
  for name in names:  # Non-trivial batch-norm statistics.
    if name.endswith(('moving_variance', 'gamma')):
      values[name] = rng.uniform(0.5, 1.5, values[name].shape).astype(
          np.float32)
    elif name.endswith(('moving_mean', 'beta')):
      values[name] = rng.normal(0.0, 0.1, values[name].shape).astype(
          np.float32)
  values, num_classes, _, _ = export_lib.prepare_values(
      model_name, values, num_classes, fold=fold)
  with tf.Graph().as_default():
    tensors = export_lib.build_inference_graph(
        model_name, num_classes, image_size, batch_size, fold=fold,
        model_kwargs=model_kwargs)
    with tf.Session() as sess:
      export_lib.load_values(sess, values)
      return export_lib.freeze(sess, [tensors['logits'].op.name])


def _reference_name(implementation, model_name):
  if implementation == 'tf_slim':
    return 'tf_slim.nets.%s.%s' % TF_SLIM_REFERENCES[model_name]
  if implementation == 'keras':
    return 'keras.applications.' + KERAS_REFERENCES[model_name]
  return model_name


class GraphRunner(object):
  """One implementation's graph and session, run one step at a time.

  Building it makes the graph (see the module docstring) and runs the first
  step with partition graphs (`utils/precision.py: rewrite_stats`).
  """

  def __init__(self, implementation, model_name, mode, precision_name, xla,
               batch_size, image_size, data=None, num_classes=None,
               model_kwargs=None, intra_op=None, inter_op=None, seed=0):
    # pylint: disable=g-import-not-at-top
    from nets import nets_factory
    from utils import graph_stats
    from utils import precision
    # pylint: enable=g-import-not-at-top
    spec = nets_factory.get_spec(model_name)
    model_kwargs = dict(model_kwargs or {})
    is_training = mode == 'train'
    self.graph = tf.Graph()
    with self.graph.as_default():
      tf.set_random_seed(seed)
      if data is None:
        num_classes = num_classes or spec.params_num_classes
        images, labels = _synthetic_inputs(batch_size, image_size,
                                           num_classes)
      else:
        images, labels, data_classes = _dataset_inputs(
            data, model_name, batch_size, image_size, is_training)
        num_classes = num_classes or data_classes
      if implementation in ('frozen', 'folded'):
        graph_def = _frozen_graph_def(model_name, batch_size, image_size,
                                      num_classes, model_kwargs, seed,
                                      fold=implementation == 'folded')
        logits, = tf.import_graph_def(graph_def, {'input:0': images},
                                      ['logits:0'], name=implementation)
      else:
        logits = _network_logits(implementation, model_name, images,
                                 num_classes, is_training, model_kwargs)
      self.macs = graph_stats.count_macs(graph_stats.forward_ops(logits))
      self._fetch = _train_op(logits, labels) if is_training else logits
      init = [tf.global_variables_initializer(),
              tf.local_variables_initializer()]
    self.num_classes = num_classes
    self._session = tf.Session(
        graph=self.graph,
        config=precision.session_config(precision_name, xla, intra_op,
                                        inter_op))
    self._session.run(init)
    self.stats = precision.rewrite_stats(self._session, self._fetch)

  def step(self):
    """Runs one step; returns its wall time in seconds."""
    start = time.perf_counter()
    self._session.run(self._fetch)
    return time.perf_counter() - start

  def profile(self):
    return profile_step(self._session, self._fetch)

  def close(self):
    self._session.close()

  def result_fields(self, batch_size):
    from utils import precision  # pylint: disable=g-import-not-at-top
    return {'gmacs_per_image': self.macs / batch_size / 1e9,
            'bfloat16_conv_fraction': precision.bfloat16_fraction(self.stats),
            'xla_clusters': self.stats.xla_clusters,
            'conv_ops': self.stats.conv_ops}


class WorkerRunner(object):
  """One implementation run in its own process, one step at a time.

  The subprocess (`python -m utils.benchmark_lib REQUEST`) builds the graph
  (a `GraphRunner`) or, for 'keras', the compiled keras.applications model,
  answers with one JSON line (its GMACs, ...), then serves the commands
  'step' (runs one step, answers its wall time), 'profile' (graph runners:
  `profile_step`) and 'quit' from its stdin.

  A process per implementation keeps Keras 3's eager runtime away from this
  process's graph mode, gives every measurement the same fresh start (no
  oneDNN primitive cache, allocator or thread-pool state left by the
  previous one), and confines a crash of TensorFlow to one measurement.
  """

  def __init__(self, request):
    if request['implementation'] == 'keras' and not keras_available():
      raise RuntimeError('The keras comparison needs Keras 3 (pip install '
                         'keras>=3)')
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, KERAS_BACKEND='tensorflow',
               PYTHONPATH=os.pathsep.join(
                   [root] + [p for p in [os.environ.get('PYTHONPATH')] if p]))
    env.pop('TF_USE_LEGACY_KERAS', None)
    if request['xla']:
      env['TF_XLA_FLAGS'] = (env.get('TF_XLA_FLAGS', '') +
                             ' --tf_xla_cpu_global_jit').strip()
    self.what = '%s %s' % (request['implementation'], request['model_name'])
    self._stderr = tempfile.TemporaryFile(mode='w+')
    self._process = subprocess.Popen(
        [sys.executable, '-m', 'utils.benchmark_lib', json.dumps(request)],
        env=env, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=self._stderr, text=True, bufsize=1)
    self.info = self._answer()
    self.num_classes = self.info['num_classes']

  def _answer(self):
    while True:
      line = self._process.stdout.readline()
      if not line:
        self._process.wait(timeout=60)
        self._stderr.seek(0)
        raise RuntimeError(
            'The benchmark process of %s failed (exit %s):\n%s'
            % (self.what, self._process.returncode,
               self._stderr.read()[-4000:]))
      if line.startswith('{'):
        return json.loads(line)

  def _ask(self, command):
    try:
      self._process.stdin.write(command + '\n')
      self._process.stdin.flush()
    except BrokenPipeError:
      pass  # The worker died; _answer() reports its error output.
    return self._answer()

  def step(self):
    return self._ask('step')['seconds']

  def profile(self):
    return collections.OrderedDict(self._ask('profile')['profile'])

  def close(self):
    if self._process.poll() is None:
      try:
        self._process.stdin.write('quit\n')
        self._process.stdin.flush()
      except BrokenPipeError:
        pass
      self._process.wait(timeout=WORKER_TIMEOUT_SECONDS)
    self._stderr.close()

  def result_fields(self, batch_size):
    del batch_size  # The worker reports per-image figures.
    return dict(self.info['fields'])


def _make_runner(implementation, model_name, mode, precision_name, xla,
                 batch_size, image_size, data, num_classes, model_kwargs,
                 intra_op, inter_op, seed, isolate):
  """A WorkerRunner (Keras, or `isolate`) or an in-process GraphRunner."""
  from nets import nets_factory  # pylint: disable=g-import-not-at-top
  model_kwargs = dict(model_kwargs or {})
  if implementation == 'keras' and data is not None:
    raise ValueError('The keras reference runs on synthetic data only; got '
                     'data=%r' % (data,))
  if implementation == 'keras':
    num_classes = num_classes or nets_factory.get_spec(
        model_name).params_num_classes
  if implementation == 'keras' or isolate:
    return WorkerRunner(dict(
        implementation=implementation, model_name=model_name, mode=mode,
        keras_model=KERAS_REFERENCES.get(model_name),
        precision=precision_name, xla=xla, batch_size=batch_size,
        image_size=image_size,
        data=None if data is None else data._asdict(),
        num_classes=num_classes, model_kwargs=model_kwargs,
        intra_op=intra_op, inter_op=inter_op, seed=seed))
  return GraphRunner(implementation, model_name, mode, precision_name, xla,
                     batch_size, image_size, data, num_classes, model_kwargs,
                     intra_op, inter_op, seed)


def _result(runner, implementation, model_name, mode, precision_name, xla,
            batch_size, image_size, num_warmup_steps, step_seconds, data,
            num_classes, model_kwargs, profile=None):
  result = _settings(implementation, model_name, mode, precision_name, xla,
                     batch_size, image_size, num_warmup_steps,
                     len(step_seconds),
                     'synthetic' if data is None else data.dataset_name,
                     getattr(runner, 'num_classes', num_classes),
                     dict(model_kwargs or {}))
  result.update(images_per_second_stats(step_seconds, batch_size))
  result['step_seconds'] = list(step_seconds)
  result.update(runner.result_fields(batch_size))
  result['achieved_gflops'] = achieved_gflops(
      result['gmacs_per_image'], result['images_per_sec'], mode)
  if profile is not None:
    result['op_seconds_by_type'] = profile
  return result


def benchmark_network(model_name, mode='train', precision_name='fp32',
                      xla=False, batch_size=32, image_size=None,
                      num_warmup_steps=5, num_steps=20, data=None,
                      implementation='ours', num_classes=None,
                      model_kwargs=None, intra_op=None, inter_op=None,
                      seed=0, profile=False, isolate=False):
  """Times one network in one setting, in a fresh graph and session.

  Args:
    model_name: A registered network name.
    mode: 'train' (a momentum step with batch-norm updates) or 'inference'.
    precision_name: 'fp32' or 'bfloat16' (see utils/precision.py).
    xla: Whether to turn on XLA auto-clustering.
    batch_size: Images per step.
    image_size: Input size; None for the network's default.
    num_warmup_steps: Untimed steps after the first (graph-optimizing) one.
    num_steps: Timed steps.
    data: None for synthetic images, or a `DataConfig`.
    implementation: One of `IMPLEMENTATIONS` ('keras' runs in a subprocess).
    num_classes: Classes of the head; None for the registry's (1000 for
      ImageNet networks) or the data set's.
    model_kwargs: Further keywords of our model function (e.g.
      `depth_multiplier`); not supported by the references.
    intra_op, inter_op: Thread pool sizes (None: TensorFlow's default).
    seed: Graph-level random seed.
    profile: Also run one traced step and report the time per op type
      ('op_seconds_by_type', see `profile_step`; graph implementations).
    isolate: Build and run the graph in its own process (`WorkerRunner`);
      'keras' always is.

  Returns:
    A dict (one JSON line): the settings, 'images_per_sec' (median),
    'images_per_sec_min', 'images_per_sec_max', 'step_seconds',
    'gmacs_per_image', 'achieved_gflops', and of the partition graphs that
    ran (graph implementations): 'bfloat16_conv_fraction', 'xla_clusters'
    and 'conv_ops' (convolution kernels by type and dtype).

  Raises:
    ValueError: On bad settings (see `check_settings`).
  """
  return benchmark_paired(
      [implementation], model_name, mode, precision_name, xla, batch_size,
      image_size, num_warmup_steps, num_steps, data, num_classes,
      model_kwargs, intra_op, inter_op, seed, profile, isolate)[0]


def benchmark_paired(implementations, model_name, mode='train',
                     precision_name='fp32', xla=False, batch_size=32,
                     image_size=None, num_warmup_steps=5, num_steps=20,
                     data=None, num_classes=None, model_kwargs=None,
                     intra_op=None, inter_op=None, seed=0, profile=False,
                     isolate=True):
  """Times several implementations of one setting, step by step in turn.

  All the implementations are built first (each in its own process with
  `isolate`, or in its own graph and session here; Keras always in its own
  process); then each timed round runs one step of
  every implementation, in an order that rotates from round to round. On a
  machine shared with other jobs every implementation thus sees the same
  load, which makes their ratios far steadier than back-to-back runs. With
  one implementation this is `benchmark_network`.

  Args:
    implementations: A list of `IMPLEMENTATIONS`.
    isolate: One process per implementation (see `WorkerRunner`).
    (the others as in `benchmark_network`.)

  Returns:
    One result dict (see `benchmark_network`) per implementation, in order.

  Raises:
    ValueError: On bad settings, before anything is built.
  """
  if not implementations:
    raise ValueError('implementations must not be empty; got %r'
                     % (implementations,))
  for implementation in implementations:
    check_settings(model_name, mode, precision_name, xla, batch_size,
                   image_size, num_warmup_steps, num_steps, implementation)
    if model_kwargs and implementation in ('tf_slim', 'keras'):
      raise ValueError('The %s reference takes no model_kwargs; got %r'
                       % (implementation, model_kwargs))
  from nets import nets_factory  # pylint: disable=g-import-not-at-top
  image_size = image_size or nets_factory.get_spec(
      model_name).default_image_size
  runners = []
  try:
    for implementation in implementations:
      runners.append(_make_runner(
          implementation, model_name, mode, precision_name, xla, batch_size,
          image_size, data, num_classes,
          model_kwargs if implementation not in ('tf_slim', 'keras') else
          None, intra_op, inter_op, seed, isolate))
    for _ in range(num_warmup_steps):
      for runner in runners:
        runner.step()
    step_seconds = [[] for _ in runners]
    for i in range(num_steps):
      for j in range(len(runners)):
        k = (i + j) % len(runners)  # Rotate the order.
        step_seconds[k].append(runners[k].step())
    profiles = [runner.profile() if profile and implementation != 'keras'
                else None
                for runner, implementation in zip(runners, implementations)]
  finally:
    for runner in runners:
      runner.close()
  results = [_result(runner, implementation, model_name, mode,
                     precision_name, xla, batch_size, image_size,
                     num_warmup_steps, seconds, data, num_classes,
                     model_kwargs if implementation not in ('tf_slim', 'keras')
                     else None, op_profile)
             for runner, implementation, seconds, op_profile in zip(
                 runners, implementations, step_seconds, profiles)]
  # Step i of every result ran in round i: `comparison_ratios` compares them
  # round by round.
  pair_id = '%s-%d-%d' % (platform.node(), os.getpid(), next(_PAIR_IDS))
  for result in results:
    result['pair_ids'] = [pair_id] if len(results) > 1 else []
  return results


def profile_step(sess, fetch, top=12):
  """Runs one traced step; the op types that took the most time.

  The times are those of the step's trace (`RunOptions.FULL_TRACE`): the sum
  of each op's wall time, so concurrent ops both count, and the shares say
  which op dominates rather than adding up to the step time.

  Returns:
    An ordered dict op type -> seconds, the `top` largest, plus '(total)'.
  """
  run_metadata = tf.RunMetadata()
  sess.run(fetch, options=tf.RunOptions(
      trace_level=tf.RunOptions.FULL_TRACE), run_metadata=run_metadata)
  seconds = collections.Counter()
  for device in run_metadata.step_stats.dev_stats:
    for node in device.node_stats:
      # timeline_label is 'name = OpType(inputs)'; node_name is the name.
      label = node.timeline_label.split(' = ', 1)
      op_type = label[1].split('(', 1)[0] if len(label) == 2 else (
          node.node_name)
      seconds[op_type] += node.all_end_rel_micros / 1e6
  profile = collections.OrderedDict(seconds.most_common(top))
  profile['(total)'] = sum(seconds.values())
  return profile


def _settings(implementation, model_name, mode, precision_name, xla,
              batch_size, image_size, num_warmup_steps, num_steps, data,
              num_classes, model_kwargs):
  return collections.OrderedDict([
      ('implementation', implementation), ('model_name', model_name),
      ('reference', _reference_name(implementation, model_name)),
      ('mode', mode), ('precision', precision_name), ('xla', xla),
      ('batch_size', batch_size), ('image_size', image_size),
      ('data', data), ('num_classes', num_classes),
      ('model_kwargs', model_kwargs), ('num_warmup_steps', num_warmup_steps),
      ('num_steps', num_steps), ('tf_version', tf.__version__),
      ('host', platform.node()), ('time', time.time())])


def keras_available():
  """Whether Keras 3 is installed (the 'keras' comparison needs it)."""
  if importlib.util.find_spec('keras') is None:
    return False
  try:
    return int(metadata.version('keras').split('.')[0]) >= 3
  except (metadata.PackageNotFoundError, ValueError):
    return False


def _keras_layer_macs(model):
  """Forward MACs per image of a Keras model's Conv2D and Dense layers."""
  import keras  # pylint: disable=g-import-not-at-top
  macs = 0
  for layer in model.layers:
    if isinstance(layer, keras.layers.Conv2D):
      _, out_h, out_w, _ = layer.output.shape
      macs += out_h * out_w * int(np.prod(layer.kernel.shape))
    elif isinstance(layer, keras.layers.Dense):
      macs += int(np.prod(layer.kernel.shape))
  return macs


def _keras_worker(request, commands, answer):
  """Runs in the subprocess: serves steps of a keras.applications model.

  Args:
    request: The settings (see `WorkerRunner`).
    commands: An iterable of lines ('step' or 'quit'), e.g. sys.stdin.
    answer: A function that sends one JSON-serializable dict back.
  """
  # pylint: disable=g-import-not-at-top
  import tensorflow as tf2
  if request['intra_op'] is not None:
    tf2.config.threading.set_intra_op_parallelism_threads(request['intra_op'])
  if request['inter_op'] is not None:
    tf2.config.threading.set_inter_op_parallelism_threads(request['inter_op'])
  import keras
  # pylint: enable=g-import-not-at-top
  if request['precision'] == 'bfloat16':
    keras.mixed_precision.set_global_policy('mixed_bfloat16')
  size, batch = request['image_size'], request['batch_size']
  model = getattr(keras.applications, request['keras_model'])(
      weights=None, input_shape=(size, size, 3),
      classes=request['num_classes'])
  model.compile(
      optimizer=keras.optimizers.SGD(LEARNING_RATE, momentum=MOMENTUM),
      loss=keras.losses.SparseCategoricalCrossentropy(),
      jit_compile=request['xla'])
  images = tf2.random.uniform([batch, size, size, 3], -1.0, 1.0)
  labels = tf2.random.uniform([batch], 0, request['num_classes'],
                              dtype=tf2.int64)
  if request['mode'] == 'train':
    step = lambda: model.train_on_batch(images, labels)
  else:
    step = lambda: model.predict_on_batch(images)
  step()  # Traces (and with XLA compiles) the step function.
  answer({'fields': {'gmacs_per_image': _keras_layer_macs(model) / 1e9,
                     'bfloat16_conv_fraction': None, 'xla_clusters': None,
                     'keras_version': keras.__version__},
          'num_classes': request['num_classes']})
  for command in commands:
    if command.strip() != 'step':
      break
    start = time.perf_counter()
    step()
    answer({'seconds': time.perf_counter() - start})


def _graph_worker(request, commands, answer):
  """Runs in the subprocess: serves steps of a `GraphRunner`."""
  from utils import tf_compat  # pylint: disable=g-import-not-at-top
  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)
  data = request['data']
  runner = GraphRunner(
      request['implementation'], request['model_name'], request['mode'],
      request['precision'], request['xla'], request['batch_size'],
      request['image_size'], None if data is None else DataConfig(**data),
      request['num_classes'], request['model_kwargs'], request['intra_op'],
      request['inter_op'], request['seed'])
  answer({'fields': runner.result_fields(request['batch_size']),
          'num_classes': runner.num_classes})
  for command in commands:
    command = command.strip()
    if command == 'step':
      answer({'seconds': runner.step()})
    elif command == 'profile':
      answer({'profile': list(runner.profile().items())})
    else:
      break
  runner.close()


def _key(result, *skip):
  fields = ('implementation', 'model_name', 'mode', 'precision', 'xla',
            'batch_size', 'image_size', 'data')
  return tuple(result[f] for f in fields if f not in skip)


def speed_ratio(numerator, denominator):
  """How many times faster `numerator` ran than `denominator`.

  For results timed together (`benchmark_paired`: the same non-empty
  'pair_ids'), the median over rounds of the per-round ratio of step times:
  both steps of a round saw the same load, so this is far steadier on a
  shared machine than the ratio of the medians, which is used otherwise.
  """
  pair_ids = numerator.get('pair_ids')
  if (pair_ids and pair_ids == denominator.get('pair_ids') and
      len(numerator['step_seconds']) == len(denominator['step_seconds'])):
    return statistics.median(
        d / n for n, d in zip(numerator['step_seconds'],
                              denominator['step_seconds']))
  return numerator['images_per_sec'] / denominator['images_per_sec']


def comparison_ratios(results):
  """The speed ratios (`speed_ratio`) that the issue's targets are about.

  Returns:
    A list of (description, ratio) for every pair present in `results`:
    ours / tf_slim and ours / keras (same settings), folded / ours
    (inference), bfloat16 / fp32 and XLA on / off (same implementation).
  """
  by_key = {_key(r): r for r in results}
  ratios = []

  def add(numerator, denominator, what):
    if numerator is None or denominator is None:
      return
    setting = [numerator['model_name'], numerator['mode'],
               numerator['precision']]
    if numerator['xla']:
      setting.append('xla')
    if numerator['data'] != 'synthetic':
      setting.append(numerator['data'])
    setting.append('b%d %dpx' % (numerator['batch_size'],
                                 numerator['image_size']))
    ratios.append(('%s: %s' % (' '.join(setting), what),
                   speed_ratio(numerator, denominator)))

  for key, result in by_key.items():
    rest = key[1:]
    if result['implementation'] == 'ours':
      for other in ('tf_slim', 'keras'):
        add(result, by_key.get((other,) + rest), 'ours / %s' % other)
    if result['implementation'] == 'folded':
      add(result, by_key.get(('ours',) + rest), 'folded BN / eval graph')
      add(result, by_key.get(('frozen',) + rest),
          'folded BN / frozen eval graph')
    if result['implementation'] == 'frozen':
      add(result, by_key.get(('ours',) + rest), 'frozen / eval graph')
    if result['precision'] == 'bfloat16':
      fp32 = key[:3] + ('fp32',) + key[4:]
      add(result, by_key.get(fp32),
          '%s bfloat16 / fp32' % result['implementation'])
    if result['xla']:
      off = key[:4] + (False,) + key[5:]
      add(result, by_key.get(off), '%s XLA on / off' % result['implementation'])
  return ratios


def format_table(results, peaks=None):
  """The results as a text table (and the ratios below it)."""
  peaks = peaks or {}
  header = ('%-8s %-18s %-9s %-8s %-3s %5s %4s %9s %19s %7s %8s %6s %5s'
            % ('impl', 'model', 'mode', 'prec', 'xla', 'batch', 'size',
               'img/s', '[min - max]', 'GMACs', 'GFLOP/s', '%peak',
               'bf16'))
  lines = [header, '-' * len(header)]
  for r in results:
    peak = peaks.get(r['precision'])
    bf16 = r.get('bfloat16_conv_fraction')
    lines.append('%-8s %-18s %-9s %-8s %-3s %5d %4d %9.2f [%7.2f - %7.2f] '
                 '%7.3f %8.1f %6s %5s' % (
                     r['implementation'], r['model_name'], r['mode'],
                     r['precision'], 'on' if r['xla'] else 'off',
                     r['batch_size'], r['image_size'], r['images_per_sec'],
                     r['images_per_sec_min'], r['images_per_sec_max'],
                     r['gmacs_per_image'], r['achieved_gflops'],
                     '%.1f' % (100.0 * r['achieved_gflops'] / peak)
                     if peak else '-',
                     '-' if bf16 is None else '%.2f' % bf16))
  if peaks:
    lines.append('matmul peak (GFLOP/s): ' + ', '.join(
        '%s %.1f' % item for item in sorted(peaks.items())))
  ratios = comparison_ratios(results)
  if ratios:
    lines.append('speed ratios (paired: median of per-round ratios):')
    lines.extend('  %-70s %6.3fx' % item for item in ratios)
  return '\n'.join(lines)


def write_json_lines(results, path):
  """Appends one JSON object per result to `path`."""
  directory = os.path.dirname(path)
  if directory:
    tf.io.gfile.makedirs(directory)
  with open(path, 'a') as f:
    for result in results:
      f.write(json.dumps(result) + '\n')


def run_benchmarks(model_names, modes=('train',), precisions=('fp32',),
                   xla_values=(False,), batch_size=32, image_size=None,
                   num_warmup_steps=5, num_steps=20, data=None,
                   compare=False, folded_bn=False, measure_peak=True,
                   peak_size=4096, num_classes=None, model_kwargs=None,
                   intra_op=None, inter_op=None, output_json=None,
                   repeats=1, profile=False, paired=False, isolate=True,
                   print_fn=print):
  """Runs the grid of settings, prints the table, writes JSON lines.

  Args:
    model_names: Registered network names.
    modes, precisions, xla_values: The settings to combine with each network.
    batch_size, image_size, num_warmup_steps, num_steps, data, num_classes,
      model_kwargs, intra_op, inter_op: As in `benchmark_network`.
    compare: Also time the tf_slim and keras references (where they exist).
    folded_bn: Also time the exported folded-BN graph, and the frozen graph
      without folding ('inference' only).
    measure_peak: Measure the matmul peak of each precision first.
    peak_size: The matmul size of the peak measurement.
    output_json: None, or a file to append the JSON lines to (one per run).
    repeats: Rounds over all the settings; the runs of a setting are merged
      (`merge_repeats`) for the table.
    profile: Print (and record) the time per op type of one traced step of
      each graph-mode run.
    paired: Run the implementations of a setting together, alternating
      their steps (`benchmark_paired`), instead of one after the other.
    isolate: Run every measurement in its own process (see `WorkerRunner`).
    print_fn: Where the progress lines and the table go.

  Returns:
    (results, peaks): the merged result dicts and {precision: best matmul
    GFLOP/s}.

  Raises:
    ValueError: On a bad setting, before anything runs.
  """
  from utils import precision  # pylint: disable=g-import-not-at-top
  model_names, modes, precisions = list(model_names), list(modes), list(
      precisions)
  xla_values = [parse_bool(x) for x in xla_values]
  _check_positive_int('repeats', repeats)
  for name, values in (('model_names', model_names), ('modes', modes),
                       ('precisions', precisions),
                       ('xla_values', xla_values)):
    if not values:
      raise ValueError('%s must not be empty; got %r' % (name, values))
  plan = []
  for model_name, mode, prec, xla in itertools.product(
      model_names, modes, precisions, xla_values):
    check_settings(model_name, mode, prec, xla, batch_size, image_size,
                   num_warmup_steps, num_steps)
    implementations = ['ours']
    if folded_bn and mode == 'inference':
      implementations.extend(['frozen', 'folded'])
    if compare and not model_kwargs:
      if model_name in TF_SLIM_REFERENCES:
        implementations.append('tf_slim')
      if (model_name in KERAS_REFERENCES and data is None and
          keras_available()):
        implementations.append('keras')
    if paired:
      plan.append((tuple(implementations), model_name, mode, prec, xla))
    else:
      plan.extend(((impl,), model_name, mode, prec, xla)
                  for impl in implementations)
  if any(xla_values):
    # Before the first session of the process (see utils/precision.py).
    precision.enable_cpu_global_jit()
  peaks = {}
  runs = []
  for repeat in range(repeats):
    # The peak is measured in every round and the best kept: on a shared
    # machine a single measurement may catch a busy moment.
    for prec in precisions if measure_peak else ():
      peak = matmul_peak(prec, peak_size, intra_op=intra_op,
                         inter_op=inter_op)
      peaks[prec] = max(peaks.get(prec, 0.0), peak)
      print_fn('matmul %dx%d %s: %.1f GFLOP/s'
               % (peak_size, peak_size, prec, peak))
    for impls, model_name, mode, prec, xla in plan:
      print_fn('running %s %s %s %s xla=%s (round %d of %d) ...'
               % ('+'.join(impls), model_name, mode, prec, xla, repeat + 1,
                  repeats))
      results = benchmark_paired(
          list(impls), model_name, mode, prec, xla, batch_size, image_size,
          num_warmup_steps, num_steps, data, num_classes, model_kwargs,
          intra_op, inter_op, profile=profile, isolate=isolate)
      for result in results:
        result['repeat'] = repeat
        if prec in peaks:
          result['peak_gflops'] = peaks[prec]
          result['peak_fraction'] = result['achieved_gflops'] / peaks[prec]
        runs.append(result)
        if output_json:
          write_json_lines([result], output_json)
        print_fn('  %s: %.2f images/s' % (result['implementation'],
                                          result['images_per_sec']))
        if 'op_seconds_by_type' in result:
          print_fn('  op time (one traced step): ' + ', '.join(
              '%s %.2fs' % item
              for item in result['op_seconds_by_type'].items()))
  results = merge_repeats(runs)
  for result in results:
    if result['precision'] in peaks:
      result['peak_gflops'] = peaks[result['precision']]
      result['peak_fraction'] = (result['achieved_gflops'] /
                                 result['peak_gflops'])
  print_fn(format_table(results, peaks))
  return results, peaks


def merge_repeats(runs):
  """Merges the runs of the same setting: their steps pooled, stats redone.

  Rounds that alternate the implementations (ours, reference, ours, ...)
  spread the load of a shared machine over all of them; the median over the
  pooled steps is then a fair comparison.

  Returns:
    One result per setting, in first-run order, with 'repeats' = the number
    of runs merged.
  """
  merged = collections.OrderedDict()
  for run in runs:
    key = _key(run)
    if key not in merged:
      merged[key] = dict(run, step_seconds=[], repeats=0, pair_ids=[])
      merged[key].pop('repeat', None)
    merged[key]['step_seconds'].extend(run['step_seconds'])
    merged[key]['pair_ids'].extend(run.get('pair_ids') or [])
    merged[key]['repeats'] += 1
  for result in merged.values():
    result.update(images_per_second_stats(result['step_seconds'],
                                          result['batch_size']))
    result['achieved_gflops'] = achieved_gflops(
        result['gmacs_per_image'], result['images_per_sec'], result['mode'])
  return list(merged.values())


def _answer_on_stdout(message):
  print(json.dumps(message), flush=True)


if __name__ == '__main__':
  # A worker (see `WorkerRunner`): the JSON request in argv[1], commands on
  # stdin, JSON lines on stdout.
  _REQUEST = json.loads(sys.argv[1])
  if _REQUEST['implementation'] == 'keras':
    _keras_worker(_REQUEST, sys.stdin, _answer_on_stdout)
  else:
    _graph_worker(_REQUEST, sys.stdin, _answer_on_stdout)
