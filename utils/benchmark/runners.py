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
"""How one implementation of a benchmark setting is built and stepped.

`GraphRunner` builds one graph in a fresh `tf.Graph()`: synthetic images held
in a local variable (or the tf.data pipeline of `utils/input_pipeline.py` over
a converted data set), the network, and for 'train' a real training step
(softmax cross entropy plus weight decay, `MomentumOptimizer`, batch-norm
moving-average updates); for 'inference' the eval-mode network's logits. Its
session gets `utils/precision.session_config`, so 'bfloat16' is grappler's
oneDNN auto mixed precision and `xla` TensorFlow's auto-clustering. Building
it runs the step once with partition graphs, to record how many convolutions
really ran in bfloat16 and how many XLA clusters formed.

`WorkerRunner` does the same in a subprocess (`python -m
utils.benchmark.runners REQUEST`), which is also how the Keras 3 reference
and the TF2 implementations of `tf2_runner.py` run (see
`utils/benchmark/benchmark_lib.py` for the implementations).
"""

import collections
import importlib
from importlib import metadata
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import tensorflow.compat.v1 as tf

from utils.benchmark import exported_runners

# Our name -> (module of tf_slim.nets, function). tf_slim 1.1.0 has these only.
TF_SLIM_REFERENCES = {
  '%s_%d' % (version, depth): (version, '%s_%d' % (version, depth))
  for version in ('resnet_v1', 'resnet_v2')
  for depth in (50, 101, 152, 200)
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


# Our network as a TF2 layer (nets/tf2.py), in a tf.function or eagerly:
# always in a worker process with TF_USE_LEGACY_KERAS=1 (tf2_runner.py).
TF2_IMPLEMENTATIONS = ('tf_function', 'eager')


# The training step's hyperparameters (slim's defaults for momentum).
LEARNING_RATE = 0.01


MOMENTUM = 0.9


WEIGHT_DECAY = 1e-4


WORKER_TIMEOUT_SECONDS = 600


# Where the images come from: None (synthetic) or a converted data set.
DataConfig = collections.namedtuple(
  'DataConfig',
  [
    'dataset_name',
    'dataset_dir',
    'split_name',
    'labels_offset',
    'num_readers',
    'num_preprocessing_threads',
  ],
)


def _synthetic_inputs(batch_size, image_size, num_classes):
  """Random images and labels in local variables (made once, read per step)."""
  images = tf.Variable(
    tf.random.uniform([batch_size, image_size, image_size, 3], -1.0, 1.0),
    trainable=False,
    collections=[tf.GraphKeys.LOCAL_VARIABLES],
    name='synthetic_images',
  )
  labels = tf.Variable(
    tf.random.uniform([batch_size], 0, num_classes, dtype=tf.int64),
    trainable=False,
    collections=[tf.GraphKeys.LOCAL_VARIABLES],
    name='synthetic_labels',
  )
  return images.read_value(), labels.read_value()


def dataset_batches(data, model_name, batch_size, image_size, is_training):
  """The benchmark's tf.data pipeline; returns (batches, num_classes).

  Evaluation batches repeat, so inference runs as long as it is timed; the
  graph runners (here) and the TF2 ones (tf2_runner.py) iterate it.
  """
  # The data code is only needed for real data.

  from nets import nets_factory
  from utils import input_pipeline
  from utils.datasets import dataset_factory

  dataset = dataset_factory.get_dataset(
    data.dataset_name, data.split_name, data.dataset_dir
  )
  batches = input_pipeline.make_dataset(
    dataset,
    nets_factory.default_preprocessing(model_name),
    batch_size,
    image_size,
    is_training=is_training,
    num_readers=data.num_readers,
    num_preprocessing_threads=data.num_preprocessing_threads,
    labels_offset=data.labels_offset,
    drop_remainder=True,
  )
  if not is_training:
    batches = batches.repeat()  # Evaluation order, but as long as needed.
  return batches, dataset.num_classes - data.labels_offset


def _dataset_inputs(data, model_name, batch_size, image_size, is_training):
  """Batches of the tf.data pipeline; returns (images, labels, num_classes)."""
  batches, num_classes = dataset_batches(
    data, model_name, batch_size, image_size, is_training
  )
  images, labels = tf.data.make_one_shot_iterator(batches).get_next()
  return images, labels, num_classes


def _network_logits(
  implementation, model_name, images, num_classes, is_training, model_kwargs
):
  """Builds `implementation`'s network; returns [batch, classes] logits."""

  import tf_slim as slim

  from nets import nets_factory  # Applies nets/tf_compat.py first.

  if implementation == 'ours':
    network_fn = nets_factory.get_network_fn(
      model_name,
      num_classes,
      weight_decay=WEIGHT_DECAY,
      is_training=is_training,
    )
    logits, _ = network_fn(images, **model_kwargs)
  else:
    # The pip reference, for --compare only (see the module docstring).
    module_name, fn_name = TF_SLIM_REFERENCES[model_name]
    module = importlib.import_module('tf_slim.nets.' + module_name)
    with slim.arg_scope(module.resnet_arg_scope(weight_decay=WEIGHT_DECAY)):
      logits, _ = getattr(module, fn_name)(
        images, num_classes, is_training=is_training
      )
  if logits.get_shape().ndims == 4:
    logits = tf.squeeze(logits, [1, 2])
  return logits


def _train_op(logits, labels):
  tf.losses.sparse_softmax_cross_entropy(labels, logits)
  total_loss = tf.losses.get_total_loss()  # With the weight decay.
  optimizer = tf.train.MomentumOptimizer(LEARNING_RATE, MOMENTUM)
  with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    return optimizer.minimize(
      total_loss, global_step=tf.train.get_or_create_global_step()
    )


def _frozen_graph_def(
  model_name, batch_size, image_size, num_classes, model_kwargs, seed, fold
):
  """The frozen inference GraphDef on random weights, BN folded if `fold`."""

  from utils.export import export_lib

  with tf.Graph().as_default():
    tf.set_random_seed(seed)
    export_lib.build_inference_graph(
      model_name,
      num_classes,
      image_size,
      batch_size,
      fold=False,
      model_kwargs=model_kwargs,
    )
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      names = [v.op.name for v in tf.global_variables()]
      values = dict(zip(names, sess.run(tf.global_variables())))
  rng = np.random.RandomState(seed)
  for name in names:  # Non-trivial batch-norm statistics.
    if name.endswith(('moving_variance', 'gamma')):
      values[name] = rng.uniform(0.5, 1.5, values[name].shape).astype(
        np.float32
      )
    elif name.endswith(('moving_mean', 'beta')):
      values[name] = rng.normal(0.0, 0.1, values[name].shape).astype(np.float32)
  values, num_classes, _, _ = export_lib.prepare_values(
    model_name, values, num_classes, fold=fold
  )
  with tf.Graph().as_default():
    tensors = export_lib.build_inference_graph(
      model_name,
      num_classes,
      image_size,
      batch_size,
      fold=fold,
      model_kwargs=model_kwargs,
    )
    with tf.Session() as sess:
      export_lib.load_values(sess, values)
      return export_lib.freeze(sess, [tensors['logits'].op.name])


def reference_name(implementation, model_name):
  if implementation == 'tf_slim':
    return 'tf_slim.nets.%s.%s' % TF_SLIM_REFERENCES[model_name]
  if implementation == 'keras':
    return 'keras.applications.' + KERAS_REFERENCES[model_name]
  if implementation in TF2_IMPLEMENTATIONS:
    return 'nets.tf2.SlimNetwork(%r) %s' % (model_name, implementation)
  return model_name


class GraphRunner(object):
  """One implementation's graph and session, run one step at a time.

  Building it makes the graph (see the module docstring) and runs the first
  step with partition graphs (`utils/precision.py: rewrite_stats`).
  """

  def __init__(
    self,
    implementation,
    model_name,
    mode,
    precision_name,
    xla,
    batch_size,
    image_size,
    data=None,
    num_classes=None,
    model_kwargs=None,
    intra_op=None,
    inter_op=None,
    seed=0,
    latency=False,
  ):

    from nets import graph_stats
    from nets import nets_factory
    from utils import precision

    spec = nets_factory.get_spec(model_name)
    model_kwargs = dict(model_kwargs or {})
    is_training = mode == 'train'
    self.graph = tf.Graph()
    with self.graph.as_default():
      tf.set_random_seed(seed)
      if data is None:
        num_classes = num_classes or spec.params_num_classes
        images, labels = _synthetic_inputs(batch_size, image_size, num_classes)
      else:
        images, labels, data_classes = _dataset_inputs(
          data, model_name, batch_size, image_size, is_training
        )
        num_classes = num_classes or data_classes
      if implementation in ('frozen', 'folded'):
        graph_def = _frozen_graph_def(
          model_name,
          batch_size,
          image_size,
          num_classes,
          model_kwargs,
          seed,
          fold=implementation == 'folded',
        )
        (logits,) = tf.import_graph_def(
          graph_def, {'input:0': images}, ['logits:0'], name=implementation
        )
      else:
        logits = _network_logits(
          implementation,
          model_name,
          images,
          num_classes,
          is_training,
          model_kwargs,
        )
      self.macs = graph_stats.count_macs(graph_stats.forward_ops(logits))
      self._fetch = _train_op(logits, labels) if is_training else logits
      # With `latency`, in inference: the same network on one synthetic
      # image, for the batch-1 latency (`step_latency`); shares the weights.
      self._latency_fetch = None
      if latency and not is_training:
        image = _synthetic_inputs(1, image_size, num_classes)[0]
        if implementation in ('frozen', 'folded'):
          (self._latency_fetch,) = tf.import_graph_def(
            graph_def,
            {'input:0': image},
            ['logits:0'],
            name=implementation + '_latency',
          )
        else:
          with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            self._latency_fetch = _network_logits(
              implementation,
              model_name,
              image,
              num_classes,
              False,
              model_kwargs,
            )
      init = [
        tf.global_variables_initializer(),
        tf.local_variables_initializer(),
      ]
    self.num_classes = num_classes
    self._session = tf.Session(
      graph=self.graph,
      config=precision.session_config(precision_name, xla, intra_op, inter_op),
    )
    self._session.run(init)
    self.stats = precision.rewrite_stats(self._session, self._fetch)
    if self._latency_fetch is not None:
      self._session.run(self._latency_fetch)  # Optimizes its graph.

  def step(self):
    """Runs one step; returns its wall time in seconds."""
    start = time.perf_counter()
    self._session.run(self._fetch)
    return time.perf_counter() - start

  def step_latency(self):
    """Runs inference on one image; returns its wall time in seconds."""
    if self._latency_fetch is None:
      raise ValueError(
        'Batch-1 latency is measured in inference mode, by a '
        'runner built with latency=True'
      )
    start = time.perf_counter()
    self._session.run(self._latency_fetch)
    return time.perf_counter() - start

  def profile(self):
    return profile_step(self._session, self._fetch)

  def close(self):
    self._session.close()

  def result_fields(self, batch_size):
    from utils import precision

    return {
      'gmacs_per_image': self.macs / batch_size / 1e9,
      'bfloat16_conv_fraction': precision.bfloat16_fraction(self.stats),
      'xla_clusters': self.stats.xla_clusters,
      'conv_ops': self.stats.conv_ops,
    }


def exit_description(returncode):
  """How a worker process ended, for its error message.

  A worker killed by SIGKILL is, on Linux, usually the victim of the
  out-of-memory killer (eager training of a 50-layer network at batch 32
  holds several GB, and paired runs keep one worker per implementation).
  """
  if returncode == -signal.SIGKILL:
    return (
      'killed by SIGKILL, on Linux usually the out-of-memory killer: '
      'try a smaller --batch_size, or --nopaired to run one '
      'implementation at a time'
    )
  if returncode is not None and returncode < 0:
    return 'killed by signal %d' % -returncode
  return 'exit %s' % returncode


class WorkerRunner(object):
  """One implementation run in its own process, one step at a time.

  The subprocess (`python -m utils.benchmark.runners REQUEST`) builds the graph
  (a `GraphRunner`), for 'keras' the compiled keras.applications model, or for
  'tf_function' and 'eager' the TF2 step of `tf2_runner.py`, answers with one
  JSON line (its GMACs, ...), then serves the commands 'step' (runs one step,
  answers its wall time), 'profile' (graph runners: `profile_step`) and
  'quit' from its stdin.

  A process per implementation keeps Keras 3's eager runtime away from this
  process's graph mode, gives every measurement the same fresh start (no
  oneDNN primitive cache, allocator or thread-pool state left by the
  previous one), and confines a crash of TensorFlow to one measurement.
  """

  def __init__(self, request):
    if request['implementation'] == 'keras' and not keras_available():
      raise RuntimeError(
        'The keras comparison needs Keras 3 (pip install keras>=3)'
      )
    root = os.path.dirname(
      os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    )
    env = dict(
      os.environ,
      KERAS_BACKEND='tensorflow',
      PYTHONPATH=os.pathsep.join(
        [root] + [p for p in [os.environ.get('PYTHONPATH')] if p]
      ),
    )
    if request['implementation'] in TF2_IMPLEMENTATIONS:
      env['TF_USE_LEGACY_KERAS'] = '1'  # Before TensorFlow (nets/tf2.py).
    else:
      env.pop('TF_USE_LEGACY_KERAS', None)
    if request['xla']:
      env['TF_XLA_FLAGS'] = (
        env.get('TF_XLA_FLAGS', '') + ' --tf_xla_cpu_global_jit'
      ).strip()
    self.what = '%s %s' % (request['implementation'], request['model_name'])
    self._stderr = tempfile.TemporaryFile(mode='w+')
    self._process = subprocess.Popen(
      [sys.executable, '-m', 'utils.benchmark.runners', json.dumps(request)],
      env=env,
      cwd=root,
      stdin=subprocess.PIPE,
      stdout=subprocess.PIPE,
      stderr=self._stderr,
      text=True,
      bufsize=1,
    )
    self.info = self._answer()
    self.num_classes = self.info['num_classes']

  def _answer(self):
    while True:
      line = self._process.stdout.readline()
      if not line:
        self._process.wait(timeout=60)
        self._stderr.seek(0)
        raise RuntimeError(
          'The benchmark process of %s failed (%s):\n%s'
          % (
            self.what,
            exit_description(self._process.returncode),
            self._stderr.read()[-4000:],
          )
        )
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

  def step_latency(self):
    return self._ask('latency')['seconds']

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


def make_runner(
  implementation,
  model_name,
  mode,
  precision_name,
  xla,
  batch_size,
  image_size,
  data,
  num_classes,
  model_kwargs,
  intra_op,
  inter_op,
  seed,
  isolate,
  latency=False,
):
  """A WorkerRunner (Keras, TF2, or `isolate`) or an in-process GraphRunner.

  The 'onnxruntime' and 'tflite' implementations are `ExportedRunner`s
  (utils/benchmark/exported_runners.py), in a worker process too with
  `isolate`. With `latency` (inference), the runner can also time single
  images (`step_latency`); without, it builds nothing for them.
  """
  from nets import nets_factory

  model_kwargs = dict(model_kwargs or {})
  if implementation == 'keras':
    num_classes = (
      num_classes or nets_factory.get_spec(model_name).params_num_classes
    )
  if implementation in exported_runners.RUNTIMES and not isolate:
    return exported_runners.ExportedRunner(
      implementation,
      model_name,
      precision_name,
      batch_size,
      image_size,
      num_classes,
      model_kwargs,
      intra_op,
      seed,
      latency=latency,
    )
  if (
    implementation == 'keras'
    or implementation in TF2_IMPLEMENTATIONS
    or (isolate)
  ):
    return WorkerRunner(
      dict(
        implementation=implementation,
        model_name=model_name,
        mode=mode,
        keras_model=KERAS_REFERENCES.get(model_name),
        precision=precision_name,
        xla=xla,
        batch_size=batch_size,
        image_size=image_size,
        data=None if data is None else data._asdict(),
        num_classes=num_classes,
        model_kwargs=model_kwargs,
        intra_op=intra_op,
        inter_op=inter_op,
        seed=seed,
        latency=latency,
      )
    )
  return GraphRunner(
    implementation,
    model_name,
    mode,
    precision_name,
    xla,
    batch_size,
    image_size,
    data,
    num_classes,
    model_kwargs,
    intra_op,
    inter_op,
    seed,
    latency=latency,
  )


def profile_step(sess, fetch, top=12):
  """Runs one traced step; the op types that took the most time.

  The times are those of the step's trace (`RunOptions.FULL_TRACE`): the sum
  of each op's wall time, so concurrent ops both count, and the shares say
  which op dominates rather than adding up to the step time.

  Returns:
    An ordered dict op type -> seconds, the `top` largest, plus '(total)'.
  """
  run_metadata = tf.RunMetadata()
  sess.run(
    fetch,
    options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
    run_metadata=run_metadata,
  )
  seconds = collections.Counter()
  for device in run_metadata.step_stats.dev_stats:
    for node in device.node_stats:
      # timeline_label is 'name = OpType(inputs)'; node_name is the name.
      label = node.timeline_label.split(' = ', 1)
      op_type = (
        label[1].split('(', 1)[0] if len(label) == 2 else (node.node_name)
      )
      seconds[op_type] += node.all_end_rel_micros / 1e6
  profile = collections.OrderedDict(seconds.most_common(top))
  profile['(total)'] = sum(seconds.values())
  return profile


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
  import keras

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

  import tensorflow as tf2

  if request['intra_op'] is not None:
    tf2.config.threading.set_intra_op_parallelism_threads(request['intra_op'])
  if request['inter_op'] is not None:
    tf2.config.threading.set_inter_op_parallelism_threads(request['inter_op'])
  import keras

  if request['precision'] == 'bfloat16':
    keras.mixed_precision.set_global_policy('mixed_bfloat16')
  size, batch = request['image_size'], request['batch_size']
  model = getattr(keras.applications, request['keras_model'])(
    weights=None, input_shape=(size, size, 3), classes=request['num_classes']
  )
  model.compile(
    optimizer=keras.optimizers.SGD(LEARNING_RATE, momentum=MOMENTUM),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    jit_compile=request['xla'],
  )
  images = tf2.random.uniform([batch, size, size, 3], -1.0, 1.0)
  image = images[:1]
  labels = tf2.random.uniform(
    [batch], 0, request['num_classes'], dtype=tf2.int64
  )

  def step():
    if request['mode'] == 'train':
      return model.train_on_batch(images, labels)
    return model.predict_on_batch(images)

  step()  # Traces (and with XLA compiles) the step function.
  if request['mode'] != 'train' and request['latency']:
    model.predict_on_batch(image)
  answer(
    {
      'fields': {
        'gmacs_per_image': _keras_layer_macs(model) / 1e9,
        'bfloat16_conv_fraction': None,
        'xla_clusters': None,
        'keras_version': keras.__version__,
      },
      'num_classes': request['num_classes'],
    }
  )
  for command in commands:
    command = command.strip()
    if command not in ('step', 'latency'):
      break
    start = time.perf_counter()
    if command == 'step':
      step()
    else:
      model.predict_on_batch(image)
    answer({'seconds': time.perf_counter() - start})


def _graph_worker(request, commands, answer):
  """Runs in the subprocess: serves steps of a `GraphRunner`."""
  from nets import tf_compat

  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)
  data = request['data']
  if request['implementation'] in exported_runners.RUNTIMES:
    runner = exported_runners.ExportedRunner(
      request['implementation'],
      request['model_name'],
      request['precision'],
      request['batch_size'],
      request['image_size'],
      request['num_classes'],
      request['model_kwargs'],
      request['intra_op'],
      request['seed'],
      latency=request['latency'],
    )
  else:
    runner = GraphRunner(
      request['implementation'],
      request['model_name'],
      request['mode'],
      request['precision'],
      request['xla'],
      request['batch_size'],
      request['image_size'],
      None if data is None else DataConfig(**data),
      request['num_classes'],
      request['model_kwargs'],
      request['intra_op'],
      request['inter_op'],
      request['seed'],
      latency=request['latency'],
    )
  answer(
    {
      'fields': runner.result_fields(request['batch_size']),
      'num_classes': runner.num_classes,
    }
  )
  for command in commands:
    command = command.strip()
    if command == 'step':
      answer({'seconds': runner.step()})
    elif command == 'latency':
      answer({'seconds': runner.step_latency()})
    elif command == 'profile':
      answer({'profile': list(runner.profile().items())})
    else:
      break
  runner.close()


def _answer_on_stdout(message):
  print(json.dumps(message), flush=True)


if __name__ == '__main__':
  # A worker (see `WorkerRunner`): the JSON request in argv[1], commands on
  # stdin, JSON lines on stdout.
  _REQUEST = json.loads(sys.argv[1])
  if _REQUEST['implementation'] == 'keras':
    _keras_worker(_REQUEST, sys.stdin, _answer_on_stdout)
  elif _REQUEST['implementation'] in TF2_IMPLEMENTATIONS:
    from utils.benchmark import tf2_runner

    tf2_runner.serve(_REQUEST, sys.stdin, _answer_on_stdout)
  else:
    _graph_worker(_REQUEST, sys.stdin, _answer_on_stdout)
