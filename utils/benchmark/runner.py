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
"""The interface of every benchmark implementation: `Runner`.

A subclass is one implementation (registered in `registry.py`); its class
attributes declare what it supports, and the code that runs it reads them,
never its name. An instance is one built setting, run one step at a time.
"""

import collections
import time

from utils import precision as precision_lib
from utils.benchmark import config

# The training step's hyperparameters (slim's defaults for momentum).
LEARNING_RATE = 0.01
MOMENTUM = 0.9
WEIGHT_DECAY = 1e-4

# A precision the runtime does not run, which no other runtime runs either,
# or which the runtimes `owners` run.
PRECISION_MESSAGES = (
  'precision must be one of %(precisions)s; got precision=%(precision)r',
  'precision=%(precision)r is a precision of the exported models: add '
  "--runtime=%(owners)s (TensorFlow's graphs run %(precisions)s)",
)
# A speed ratio of the report: this implementation's speed over that of
# `name` in the same setting (in fp32 with `fp32`; also at batch 1 with
# `latency`). `label` is %-formatted with the result's fields.
Baseline = collections.namedtuple(
  'Baseline', ['name', 'label', 'fp32', 'latency'], defaults=(False, False)
)


class Runner(object):
  """One implementation of a benchmark setting, built and stepped.

  Class attributes (what the implementation supports):
    name: Its name in the results and the registry.
    runtime: The --runtime value that selects it.
    option: None (it runs whenever its runtime is selected) or the
      `config.BenchmarkConfig` field that adds it ('compare', ...).
    kind: 'implementation', 'reference' or 'runtime' (for messages).
    references: None (it runs our networks), or our name -> what it runs,
      under the module `reference_module` of the library `reference_owner`.
    modes, precisions: What it runs.
    xla, real_data, model_kwargs: Whether it runs with XLA, on a data set,
      with further model keywords.
    latency, profiles: Whether it times single images (`step_latency`) and
      traces a step (`profile`).
    model_format: None, or the format of `exported_model.FORMATS` whose
      files it times as they are when a setting has a `model_file`.
    converts: Without a `model_file` it converts our network in a child
      process (a memory peak: paired runs build such runners first).
    own_process: It always runs in a worker process (`worker.py`), whose
      environment gets `worker_env`.
    baselines: The `Baseline`s the report compares it with.
    precision_message, mode_message: Why it cannot run a setting's
      precision, or its mode or XLA (%-formatted with `problem_values`).

  `__init__(setting, timing, latency)` builds the setting and sets
  `num_classes` (of the head built), `fields` (for the result: at least
  'gmacs_per_image', 'bfloat16_conv_fraction', 'xla_clusters'), `_run` (one
  step) and, with `latency`, `_run_one` (one image).
  """

  name = None
  runtime = 'tf'
  option = None
  kind = 'implementation'
  references = None
  reference_module = reference_owner = ''
  modes = config.MODES
  precisions = precision_lib.PRECISIONS
  xla = True
  real_data = True
  model_kwargs = True
  latency = True
  profiles = True
  model_format = None
  converts = False
  own_process = False
  worker_env = {}
  baselines = ()
  precision_message = None  # None: `PRECISION_MESSAGES`.
  mode_message = (
    'The %(name)r implementation is an inference graph; got mode=%(mode)r'
  )
  _run_one = None

  @classmethod
  def reference(cls, model_name):
    """What it runs, for the results' 'reference' field."""
    if cls.references is None:
      return model_name
    return '%s.%s' % (cls.reference_module, cls.references[model_name])

  @classmethod
  def available(cls):
    """None if it can run here, else what to install."""
    return None

  @classmethod
  def computes_in(cls, precision):
    """Whether this machine computes `precision` in it: a bfloat16 setting
    runs in float32 where the runtime has no bfloat16 kernels (TensorFlow
    without oneDNN)."""
    from nets import tf_compat

    return precision != 'bfloat16' or tf_compat.onednn_enabled()

  @classmethod
  def start_process(cls):
    """Prepares a worker process for it, before anything is built."""

  @classmethod
  def problem_values(cls, setting, owners=()):
    """The setting's fields, `name`, `kind`, `precisions` and `owners`."""
    return dict(
      vars(setting),
      model_kwargs=dict(setting.model_kwargs),
      name=cls.name,
      kind=cls.kind,
      precisions=', '.join(cls.precisions),
      owners=' and/or '.join(owners),
    )

  @classmethod
  def problem(cls, setting, owners=()):
    """None if it runs `setting` (a `config.Setting`), else why not.

    `owners` are the runtimes whose precisions include `setting.precision`.
    """
    if cls.references is not None and setting.model_name not in cls.references:
      return '%s has no reference for model_name=%r; it has %s' % (
        cls.reference_owner,
        setting.model_name,
        ', '.join(sorted(cls.references)),
      )
    if setting.precision not in cls.precisions:
      message = cls.precision_message or PRECISION_MESSAGES[bool(owners)]
    elif setting.mode not in cls.modes or (setting.xla and not cls.xla):
      message = cls.mode_message
    elif setting.model_kwargs and not cls.model_kwargs:
      message = (
        'The %(name)s %(kind)s takes no model_kwargs; got %(model_kwargs)r'
      )
    elif setting.data is not None and not cls.real_data:
      message = (
        'The %(name)s %(kind)s runs on synthetic data only; got data=%(data)r'
      )
    else:
      return None
    return message % cls.problem_values(setting, owners)

  def step(self):
    """Runs one step; returns its wall time in seconds."""
    return timed(self._run)

  def step_latency(self):
    """Runs one image; returns its wall time in seconds."""
    if self._run_one is None:
      raise ValueError(
        'Batch-1 latency is measured in inference mode, by a '
        'runner built with latency=True'
      )
    return timed(self._run_one)

  def profile(self):
    """Time per op type of a traced step: op type -> seconds, '(total)'."""
    raise NotImplementedError

  def close(self):
    """Frees what it holds."""


def graphless_fields(gmacs_per_image):
  """The result fields of an implementation without a rewritten TF graph."""
  return {
    'gmacs_per_image': gmacs_per_image,
    'bfloat16_conv_fraction': None,
    'xla_clusters': None,
    'conv_ops': None,
  }


def timed(run):
  """The wall time of `run()`, in seconds."""
  start = time.perf_counter()
  run()
  return time.perf_counter() - start


def top_profile(seconds, runs=1, top=12):
  """An op type -> seconds Counter as a profile: the `top` largest and
  '(total)', each divided by `runs`."""
  profile = collections.OrderedDict(
    (op_type, total / runs) for op_type, total in seconds.most_common(top)
  )
  profile['(total)'] = sum(seconds.values()) / runs
  return profile


def enable_graph_mode():
  """TF1 graph semantics for a worker process (as the scripts have)."""
  import tensorflow.compat.v1 as tf

  from nets import tf_compat

  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)


def set_threads(timing):
  """TF2 thread pools of this process from `timing` (before any op runs)."""
  import tensorflow as tf

  if timing.intra_op is not None:
    tf.config.threading.set_intra_op_parallelism_threads(timing.intra_op)
  if timing.inter_op is not None:
    tf.config.threading.set_inter_op_parallelism_threads(timing.inter_op)


def head_classes(setting):
  """The head's classes: the setting's, or the registry's network's."""
  from nets import nets_factory

  return (
    setting.num_classes
    or nets_factory.get_spec(setting.model_name).params_num_classes
  )


def dataset_batches(setting, is_training):
  """The setting's tf.data pipeline; returns (batches, head's classes).

  Evaluation batches repeat, so inference runs as long as it is timed.
  """
  from nets import nets_factory
  from utils import input_pipeline
  from utils.datasets import dataset_factory
  from utils.training import config as train_config

  data = setting.data
  dataset = dataset_factory.get_dataset(
    data.dataset_name, data.split_name, data.dataset_dir
  )
  inputs = train_config.InputConfig(
    preprocessing_name=nets_factory.default_preprocessing(setting.model_name),
    batch_size=setting.batch_size,
    image_size=setting.image_size,
    labels_offset=data.labels_offset,
    num_readers=data.num_readers,
    num_preprocessing_threads=data.num_preprocessing_threads,
  )
  batches = input_pipeline.make_dataset(
    dataset, inputs, is_training, drop_remainder=True
  )
  if not is_training:
    batches = batches.repeat()
  num_classes = dataset.num_classes - data.labels_offset
  return batches, setting.num_classes or num_classes
