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
"""Evaluation of exported models: the metrics of a checkpoint evaluation.

`evaluate_exported` runs a model written by export_inference_graph.py (any
format, `exported_model.load_model`) over a split exactly as
`utils/training/eval_lib.evaluate` runs a checkpoint: the same tf.data
pipeline and eval preprocessing, every record once (the last batch
partial) unless `max_num_batches`, labels minus `labels_offset`, and the
same metrics, 'Accuracy' (top-1) and 'Recall_5' (top-5 with
`tf.nn.in_top_k`'s rule: the label counts as in the top k when fewer than
k logits are strictly greater than its own, and never for non-finite
logits). The difference between a checkpoint's figures and its exported,
quantized model's is what the export costs. With a `reference_file` (e.g. the
float32 export of the same checkpoint) the two models run on the same
batches, and 'Agreement' is the fraction of images on which their top-1
classes are equal.

Typical use:

  dataset = dataset_factory.get_dataset('digits', 'test', '/data/digits')
  result = evaluation.evaluate_exported(dataset, '/runs/r20/int8.onnx',
                                        model_name='resnet_cifar_20')
  print(result.metrics['Accuracy'])
"""

import collections
import dataclasses
import time

from absl import logging
import numpy as np

from nets import nets_factory
from utils import checks
from utils.export import data
from utils.export import exported_model
from utils.preprocessing import preprocessing_factory
from utils.training import config

METRIC_NAMES = ('Accuracy', 'Recall_5')  # eval_lib's names.
AGREEMENT = 'Agreement'

# One evaluated model: its path, format, runtime, the number of images and
# the metrics {'Accuracy': top-1, 'Recall_5': top-5}.
ExportedEvalResult = collections.namedtuple(
  'ExportedEvalResult',
  ['model_file', 'format', 'runtime', 'num_examples', 'metrics'],
)


def in_top_k(logits, labels, k):
  """`tf.nn.in_top_k` in numpy: bool [n] (see the module docstring)."""
  logits = np.asarray(logits)
  target = logits[np.arange(len(labels)), labels]
  greater = (logits > target[:, np.newaxis]).sum(axis=1)
  return (greater < k) & np.isfinite(logits).all(axis=1)


def evaluate_exported(
  dataset,
  model_file,
  model_name=None,
  input_config=None,
  max_num_batches=None,
  num_threads=None,
  reference_file=None,
  precision='fp32',
):
  """Evaluates an exported model on `dataset` (see the module docstring).

  Args:
    dataset: A slim `Dataset` (`dataset_factory.get_dataset`).
    model_file: A .pb, .onnx, .tflite or OpenVINO .xml file or a SavedModel
      directory.
    model_name: The network it was exported from; picks the preprocessing
      (and the image size when the model's is dynamic).
    input_config: The `training.config.InputConfig` of the images, as for a
      checkpoint's evaluation (None: `EvalConfig`'s, batches of 100): its
      `preprocessing_name` overrides the network's; its `image_size` must
      equal the model's input size when given (None: the model's, or the
      network's default for a dynamic size); with `use_grayscale` the model
      must take one channel; its `eval_resize_size` resizes the smaller
      side before the central crop (FixRes), as checkpoint evaluation;
      `num_readers` and the training augmentations are not used.
    max_num_batches: At most this many batches; None: the whole split.
    num_threads: Threads of the model's runtime; None: its default.
    reference_file: Optionally a second exported model (same input and
      classes) to compare top-1 predictions with: metric 'Agreement'. It
      runs in fp32.
    precision: 'fp32', or 'bfloat16' for TensorFlow and OpenVINO models
      (`exported_model.load_model`).

  Returns:
    An `ExportedEvalResult`; its metrics have 'Agreement' too with a
    `reference_file`.

  Raises:
    ValueError: On a bad argument, a file that is not a model, a model whose
      size or classes do not fit the data set, or a label outside the
      classes, naming the values.
  """
  inputs = config.EvalConfig.input if input_config is None else input_config
  if not isinstance(inputs, config.InputConfig):
    raise TypeError(
      'input_config must be a config.InputConfig; got %r.' % (inputs,)
    )
  preprocessing_name = inputs.preprocessing_name
  eval_image_size = inputs.image_size
  labels_offset = inputs.labels_offset
  if not (model_name or preprocessing_name):
    raise ValueError(
      'Evaluating an exported model needs --model_name (or '
      '--preprocessing_name) for its preprocessing; got '
      'neither'
    )
  if model_name:
    nets_factory.get_spec(model_name)
  preprocessing = preprocessing_factory.resolve_preprocessing_name(
    preprocessing_name or model_name
  )
  checks.check_int('max_num_batches', max_num_batches, 1, allow_none=True)
  num_classes = dataset.num_classes - labels_offset
  if num_classes < 1:
    raise ValueError(
      'labels_offset=%d leaves no class of the %d of the data '
      'set' % (labels_offset, dataset.num_classes)
    )
  model = exported_model.load_model(model_file, num_threads, precision)
  reference = None
  try:
    if reference_file:
      reference = exported_model.load_model(reference_file, num_threads)
      if (
        reference.input_shape[1:] != model.input_shape[1:]
        or reference.num_classes != model.num_classes
      ):
        raise ValueError(
          'reference_file=%r takes %s images into %s classes, model_file=%r'
          ' %s into %s: they are not exports of the same network'
          % (
            reference_file,
            reference.input_shape[1:],
            reference.num_classes,
            model_file,
            model.input_shape[1:],
            model.num_classes,
          )
        )
    image_size = model.image_size
    if eval_image_size and image_size and eval_image_size != image_size:
      raise ValueError(
        'model_file=%r takes %dx%d images; got '
        'eval_image_size=%d (leave it unset)'
        % (model_file, image_size, image_size, eval_image_size)
      )
    image_size = (
      image_size
      or eval_image_size
      or (
        nets_factory.get_spec(model_name).default_image_size
        if model_name
        else None
      )
    )
    if not image_size:
      raise ValueError(
        'model_file=%r has a dynamic image size; pass '
        '--eval_image_size' % (model_file,)
      )
    if model.num_classes is not None and model.num_classes != num_classes:
      raise ValueError(
        'model_file=%r has %d classes, but data set %r has %d - '
        'labels_offset %d = %d; evaluate with the --dataset_name and '
        '--labels_offset the model was exported for'
        % (
          model_file,
          model.num_classes,
          dataset.name,
          dataset.num_classes,
          labels_offset,
          num_classes,
        )
      )
    k = min(5, num_classes)
    counts = np.zeros(3, np.int64)
    num_examples = num_batches = 0
    start = time.time()
    for images, labels in data.eval_batches(
      dataset,
      dataclasses.replace(inputs, preprocessing_name=preprocessing),
      image_size,
      max_num_batches,
    ):
      if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
          'A label of the split lies outside 0..%d (got %d..%d);'
          ' check --labels_offset=%d'
          % (num_classes - 1, labels.min(), labels.max(), labels_offset)
        )
      logits = model.run(images)
      top1 = np.argmax(logits, axis=1)
      agree = 0
      if reference is not None:
        agree = int((np.argmax(reference.run(images), axis=1) == top1).sum())
      counts += [
        int((top1 == labels).sum()),
        int(in_top_k(logits, labels, k).sum()),
        agree,
      ]
      num_examples += len(labels)
      num_batches += 1
  finally:
    model.close()
    if reference is not None:
      reference.close()
  if not num_examples:
    raise ValueError(
      'The split %r of data set %r has no image'
      % (dataset.split_name, dataset.name)
    )
  names = METRIC_NAMES + ((AGREEMENT,) if reference_file else ())
  metrics = dict(zip(names, (counts / num_examples).tolist()))
  logging.info(
    'Evaluated %s (%s, %s): %d images in %d batches, %.1f s.',
    model_file,
    model.format,
    model.runtime,
    num_examples,
    num_batches,
    time.time() - start,
  )
  for name in names:
    logging.info('eval/%s[%.4f]', name, metrics[name])
  return ExportedEvalResult(
    model_file, model.format, model.runtime, num_examples, metrics
  )
