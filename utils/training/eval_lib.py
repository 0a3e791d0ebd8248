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
"""Evaluation of the image classifiers: slim's Accuracy and Recall_5.

Typical use:

  dataset = dataset_factory.get_dataset('digits', 'test', '/data/digits')
  for result in eval_lib.evaluate(dataset, '/runs/digits', 'resnet_cifar_20',
                                  eval_dir='/runs/digits/eval'):
    print(result.metrics['Accuracy'])

Each checkpoint is evaluated over the whole split (every record exactly once,
the last batch may be partial) unless `max_num_batches` limits it; batch norm
runs in inference mode; with `moving_average_decay` the exponential moving
averages of the model variables are restored in their place. Metrics are
logged and written as summaries 'eval/Accuracy' and 'eval/Recall_5' (the
top-1 and top-5 accuracies) to `eval_dir`, at the checkpoint's global step.

With `eval_interval_secs`, a directory is watched and every new complete
checkpoint is evaluated (`checkpoints.list_checkpoints` never returns one
that is still being written), until `timeout` seconds pass without a new one.
"""

import collections
import dataclasses
import time

from absl import logging
import tensorflow.compat.v1 as tf
import tf_slim as slim

from nets import nets_factory
from nets import tf_compat  # noqa: F401  (before tf_slim)
from utils import input_pipeline
from utils.preprocessing import preprocessing_factory
from utils.training import checkpoints
from utils.training import config as eval_config
from utils.training import fine_tuning

# One evaluated checkpoint: its path, global step, number of images seen and
# metrics {'Accuracy': top-1, 'Recall_5': top-5}.
EvalResult = collections.namedtuple(
  'EvalResult', ['checkpoint', 'global_step', 'num_examples', 'metrics']
)

METRIC_NAMES = ('Accuracy', 'Recall_5')

# The evaluation graph and what the loop over checkpoints runs in it.
_EvalGraph = collections.namedtuple(
  '_EvalGraph',
  [
    'graph',
    'to_restore',
    'saver',
    'local_init',
    'update_op',
    'values',
    'count_var',
    'corrupt_counter',
  ],
)
_EVAL_HINTS = (
  'Evaluate with the --model_name the checkpoint was trained with.',
  'Evaluate with the --model_name, --dataset_name and --labels_offset the '
  'checkpoint was trained with.',
)


def checkpoints_to_evaluate(
  checkpoint_path,
  eval_interval_secs=None,
  timeout=None,
  sleep=time.sleep,
  clock=time.time,
):
  """Yields the checkpoints to evaluate, oldest first.

  Args:
    checkpoint_path: A checkpoint file, or a directory of checkpoints.
    eval_interval_secs: None: yield one checkpoint (the file, or the newest in
      the directory). A number: watch the directory, yielding each new
      complete checkpoint (only the newest if several appeared since the last
      look), polling every `eval_interval_secs` seconds.
    timeout: When watching, stop after this many seconds without a new
      checkpoint; None waits forever.
    sleep, clock: Injected for tests.

  Yields:
    Checkpoint prefixes.

  Raises:
    ValueError: with no checkpoint at a file path, or (not watching) in the
      directory.
  """
  if eval_interval_secs is None or not tf.io.gfile.isdir(checkpoint_path):
    yield checkpoints.resolve_checkpoint(checkpoint_path)
    return
  last = None
  last_new = clock()
  while True:
    newest = checkpoints.latest_checkpoint(checkpoint_path)
    if newest is not None and newest != last:
      last = newest
      yield newest
      last_new = clock()
      continue
    if timeout is not None and clock() - last_new >= timeout:
      logging.info(
        'No new checkpoint in %s for %s s; stopping.', checkpoint_path, timeout
      )
      return
    wait = eval_interval_secs
    if timeout is not None:
      wait = min(wait, max(0.0, last_new + timeout - clock()))
    sleep(wait)


def _write_summaries(eval_dir, global_step, metrics):
  writer = tf.summary.FileWriterCache.get(eval_dir)
  summary = tf.Summary(
    value=[
      tf.Summary.Value(tag='eval/%s' % name, simple_value=value)
      for name, value in sorted(metrics.items())
    ]
  )
  writer.add_summary(summary, global_step)
  writer.flush()


def _check_eval_args(dataset, checkpoint_path, model_name, cfg, session_config):
  """The checks of `evaluate` that `cfg` cannot make alone; builds nothing.

  Returns:
    (preprocessing_name, num_classes): the resolved preprocessing and the
    classes of the network.

  Raises:
    ValueError: naming the bad argument and its value.
    TypeError: if `cfg` is not a `config.EvalConfig`.
  """
  if not isinstance(cfg, eval_config.EvalConfig):
    raise TypeError('config must be a config.EvalConfig; got %r.' % (cfg,))
  nets_factory.get_spec(model_name)
  preprocessing_name = preprocessing_factory.resolve_preprocessing_name(
    cfg.input.preprocessing_name or model_name
  )
  if session_config is not None and not isinstance(
    session_config, tf.ConfigProto
  ):
    raise ValueError(
      'session_config must be None or a tf.ConfigProto; got '
      'session_config=%r.' % (session_config,)
    )
  labels_offset = cfg.input.labels_offset
  num_classes = dataset.num_classes - labels_offset
  if num_classes < 1:
    raise ValueError(
      'labels_offset=%d leaves no class of the %d of the data '
      'set.' % (labels_offset, dataset.num_classes)
    )
  if cfg.eval_interval_secs is None:
    checkpoints.resolve_checkpoint(checkpoint_path)
  elif not tf.io.gfile.isdir(checkpoint_path):
    raise ValueError(
      'eval_interval_secs needs a directory of checkpoints; '
      'checkpoint_path=%r is not one.' % (checkpoint_path,)
    )
  return preprocessing_name, num_classes


def evaluate(
  dataset,
  checkpoint_path,
  model_name,
  config=None,
  eval_dir=None,
  session_config=None,
):
  """Evaluates checkpoints of `model_name` on `dataset`.

  Every argument is checked and the graph is built when this is called (in
  that order; `config` checked itself when it was constructed); the
  checkpoints are evaluated as the returned iterator is consumed.

  Args:
    dataset: A slim `Dataset` (`dataset_factory.get_dataset`).
    checkpoint_path: A checkpoint file or directory (see
      `checkpoints_to_evaluate`).
    model_name: A network of `nets_factory.NETWORKS`.
    config: A `config.EvalConfig`; None: its defaults (slim's).
    eval_dir: Where summaries are written; None writes none.
    session_config: A `tf.ConfigProto`.

  Returns:
    An iterator of `EvalResult`, one per evaluated checkpoint.

  Raises:
    ValueError: on a bad argument or no checkpoint at `checkpoint_path`; while
      iterating, for a checkpoint that lacks model variables (naming them).
    TypeError: if `config` is not a `config.EvalConfig`.
    input_pipeline.CorruptDataError: while iterating, on a corrupt record or
      file (an IOError naming it), unless `skip_corrupt`.
  """
  cfg = eval_config.EvalConfig() if config is None else config
  preprocessing_name, num_classes = _check_eval_args(
    dataset, checkpoint_path, model_name, cfg, session_config
  )
  if eval_dir:
    checkpoints.make_train_dir(eval_dir, what='eval_dir')
  inputs = dataclasses.replace(cfg.input, preprocessing_name=preprocessing_name)
  eval_graph = _build_graph(
    dataset,
    model_name,
    num_classes,
    cfg.input.image_size,
    inputs,
    cfg.moving_average_decay,
    cfg.network_kwargs,
  )
  if session_config is None:
    session_config = tf.ConfigProto(allow_soft_placement=True)
  return _evaluate_checkpoints(
    eval_graph,
    checkpoints_to_evaluate(
      checkpoint_path, cfg.eval_interval_secs, cfg.timeout
    ),
    bool(cfg.moving_average_decay),
    cfg.max_num_batches,
    eval_dir,
    cfg.master,
    session_config,
  )


def _build_graph(
  dataset,
  model_name,
  num_classes,
  eval_image_size,
  input_config,
  moving_average_decay,
  network_kwargs,
):
  """Builds the evaluation graph; returns its `_EvalGraph`."""
  graph = tf.Graph()
  with graph.as_default():
    network_fn = nets_factory.get_network_fn(
      model_name, num_classes, is_training=False
    )
    image_size = eval_image_size or network_fn.default_image_size
    with tf.device('/device:CPU:0'), tf.name_scope('inputs'):
      batches = input_pipeline.make_dataset(
        dataset, input_config, is_training=False, image_size=image_size
      )
      iterator = tf.data.make_initializable_iterator(
        input_pipeline.without_autotuning(batches)
      )
      images, labels = iterator.get_next()
    logits, _ = network_fn(images, **(network_kwargs or {}))
    global_step = tf.train.get_or_create_global_step()

    label_checks = [
      tf.debugging.assert_non_negative(labels),
      tf.debugging.assert_less(labels, tf.cast(num_classes, tf.int64)),
    ]
    with tf.control_dependencies(label_checks):
      labels = tf.identity(labels)
    top1 = tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32)
    top5 = tf.cast(
      tf.nn.in_top_k(logits, labels, min(5, num_classes)), tf.float32
    )
    accuracy, accuracy_update = tf.metrics.mean(top1, name='Accuracy')
    recall_5, recall_5_update = tf.metrics.mean(top5, name='Recall_5')
    count_var = tf.Variable(
      0,
      dtype=tf.int64,
      trainable=False,
      collections=[tf.GraphKeys.LOCAL_VARIABLES],
      name='num_examples',
    )
    count_update = count_var.assign_add(tf.size(labels, out_type=tf.int64))
    update_op = tf.group(accuracy_update, recall_5_update, count_update)
    values = {'Accuracy': accuracy, 'Recall_5': recall_5}

    model_variables = slim.get_model_variables()
    if moving_average_decay:
      averages = tf.train.ExponentialMovingAverage(
        moving_average_decay, global_step
      )
      to_restore = {averages.average_name(v): v for v in model_variables}
    else:
      to_restore = {v.op.name: v for v in model_variables}
    saver = tf.train.Saver(to_restore)
    local_init = tf.group(
      tf.local_variables_initializer(), iterator.initializer
    )
    corrupt_counter = (
      input_pipeline.corrupt_record_counter()
      if input_config.skip_corrupt
      else None
    )
  return _EvalGraph(
    graph,
    to_restore,
    saver,
    local_init,
    update_op,
    values,
    count_var,
    corrupt_counter,
  )


def _check_restorable(checkpoint, to_restore, moving_averages):
  """Raises a ValueError naming what `checkpoint` lacks, if anything."""
  if moving_averages:
    names = tf.train.load_checkpoint(checkpoint).get_variable_to_shape_map()
    missing = sorted(n for n in to_restore if n not in names)
    if missing:
      raise ValueError(
        'Checkpoint %s has no moving average of %d model variable(s), e.g. '
        '%r: it was trained without --moving_average_decay; evaluate '
        'without --moving_average_decay.'
        % (checkpoint, len(missing), missing[0])
      )
  fine_tuning.check_checkpoint_variables(
    checkpoint, to_restore, ignore_missing_vars=False, hints=_EVAL_HINTS
  )


def _run_batches(sess, eval_graph, max_num_batches):
  """Runs the metric updates over the split; returns the number of batches.

  Raises:
    input_pipeline.CorruptDataError: on corrupt data (without skip_corrupt).
  """
  num_batches = 0
  with input_pipeline.corrupt_data_raised():
    while max_num_batches is None or num_batches < max_num_batches:
      try:
        sess.run(eval_graph.update_op)
      except tf.errors.OutOfRangeError:
        break
      num_batches += 1
  return num_batches


def _evaluate_checkpoints(
  eval_graph,
  checkpoints_iter,
  moving_averages,
  max_num_batches,
  eval_dir,
  master,
  session_config,
):
  """Yields an `EvalResult` for each checkpoint of `checkpoints_iter`."""
  for checkpoint in checkpoints_iter:
    with tf.Session(
      master, graph=eval_graph.graph, config=session_config
    ) as sess:
      try:
        _check_restorable(checkpoint, eval_graph.to_restore, moving_averages)
        step = checkpoints.checkpoint_global_step(checkpoint)
        eval_graph.saver.restore(sess, checkpoint)
      except (tf.errors.NotFoundError, ValueError):
        if checkpoints.checkpoint_is_complete(checkpoint):
          raise
        # Watching a running training: its Saver keeps only the newest
        # checkpoints (max_to_keep), so one complete when listed can be
        # deleted before it is read. The next look finds a newer one.
        logging.warning(
          'Checkpoint %s was deleted before it could be read '
          '(the training keeps only its newest checkpoints); '
          'skipping it.',
          checkpoint,
        )
        continue
      sess.run(eval_graph.local_init)
      start = time.time()
      num_batches = _run_batches(sess, eval_graph, max_num_batches)
      metrics = {k: float(v) for k, v in sess.run(eval_graph.values).items()}
      num_examples = int(sess.run(eval_graph.count_var))
      if eval_graph.corrupt_counter is not None:
        logging.info(
          'Skipped %d corrupt record(s).', sess.run(eval_graph.corrupt_counter)
        )
    logging.info(
      'Evaluated %s (global step %d): %d images in %d batches, %.1f s.',
      checkpoint,
      step,
      num_examples,
      num_batches,
      time.time() - start,
    )
    for name in METRIC_NAMES:
      logging.info('eval/%s[%.4f]', name, metrics[name])
    if eval_dir:
      _write_summaries(eval_dir, step, metrics)
    yield EvalResult(checkpoint, step, num_examples, metrics)
