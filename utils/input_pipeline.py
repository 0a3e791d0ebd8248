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
"""A tf.data input pipeline over slim `Dataset` descriptors, for graph mode.

Typical use (training):

  dataset = dataset_factory.get_dataset('flowers', 'train', dataset_dir)
  batches = input_pipeline.make_dataset(
      dataset, config.InputConfig(preprocessing_name='inception',
                                  batch_size=32, image_size=224),
      is_training=True)
  images, labels = tf.data.make_one_shot_iterator(batches).get_next()

and evaluation (`is_training=False`) reads every record exactly once, in file
and record order, keeping the last partial batch.

Stages, in order:

  1. files: the sorted files of `dataset.data_sources` (shuffled each epoch
     when training), repeated `num_epochs` times;
  2. read: `num_readers` files at a time, interleaved (one file after another
     for evaluation); a truncated or corrupt TFRecord file ends the
     pipeline (with `skip_corrupt`, its unreadable end is skipped);
  3. shuffle (training) of the serialized records;
  4. decode: `num_preprocessing_threads` parallel parses and image decodes
     (PNG or JPEG, always to 3 channels, so greyscale MNIST and digits come
     out as RGB); a record that fails ends the pipeline (with
     `skip_corrupt`, it is dropped);
  5. preprocess (in parallel), batch, prefetch.

Corrupt data. A record whose tf.Example or image cannot be decoded, or a
TFRecord file that cannot be read to its end, ends the pipeline with a
`tf.errors.InvalidArgumentError` or `DataLossError`; `corrupt_data_error`
turns it into a `CorruptDataError` (an `IOError`) whose one-line message
names the file and the record index, and `corrupt_data_raised()` does so
around a block of session runs.

Without `skip_corrupt` the pipeline does no bookkeeping: it reads and
decodes at full speed and registers its files in the graph
(`DATA_FILES_COLLECTION`; built eagerly, in TF2 programs, it registers
nothing and the program passes the files to `corrupt_data_raised`). Only
after an error does `corrupt_data_error` find the culprit: it reads those
files again in order, with per-record checks, and reports the first corrupt
record or file (the same data the failed run read, so the same record when
there is one). There, records are numbered in stream order and each also
carries the file and index of the record before it; failed decodes are
dropped (`ignore_errors`) from a map that keeps order, and the next
surviving record (or an end sentinel) sees the gap in the numbering and
names the dropped record from what it carries (after several consecutive
failures, the last of them, with the number lost).

With `skip_corrupt=True` corrupt data is skipped and counted instead, in the
int64 local variable returned by `corrupt_record_counter()` (collection
`CORRUPT_RECORDS_COLLECTION`); a pipeline that captures it needs an
initializable iterator (`tf.data.make_initializable_iterator`) and
`tf.local_variables_initializer()`. Outside repeated augmentation the
bookkeeping adds no function call per record:
  - before a file is read, the bytes of its readable records (read in
    batches with errors ignored) are compared with its size; a file that
    does not read to its end counts as one skipped record (the number of
    records it cannot give is unknown), logged to stderr with its name and
    its first unreadable record, and only its readable records are read;
  - records are numbered in stream order as they enter the decode map, whose
    failures are dropped (`ignore_errors`); the decode and preprocess maps
    keep that order, and each batch's missing numbers (since the previous
    batch) are the records skipped there, counted and logged to stderr
    once per batch;
  - a finite pipeline ends with a sentinel record (a black image of the
    output size, decoded and preprocessed like the others and removed from
    its batch), so that records lost at the very end are counted too; with
    `drop_remainder` the batches short of `batch_size` are then dropped;
  - with repeated augmentation the numbers are checked before the repeats,
    one decoded record at a time.
utils/benchmark/pipeline_benchmark.py (`--skip_corrupt`) measures what this
bookkeeping costs.
"""

import contextlib
import re
import sys
import time

from absl import logging
import numpy as np
import tensorflow.compat.v1 as tf

from utils import checks
from utils import repeated_augmentation as repeated_augmentation_lib
from utils.datasets import dataset_utils
from utils.preprocessing import preprocessing_factory
from utils.training import config

DEFAULT_SHUFFLE_BUFFER_SIZE = 2048
CORRUPT_RECORDS_COLLECTION = 'corrupt_records_skipped'
# The files of the pipelines built without skip_corrupt: one path (a
# string, so that a MetaGraph keeps it) per element.
DATA_FILES_COLLECTION = 'input_pipeline_data_files'
_COUNTER_NAME = 'corrupt_records_skipped'
# The counter of pipelines built eagerly (`corrupt_record_counter`).
_eager_counter = None
# Elements numbered per function call when locating a corrupt record.
_NUMBERING_BATCH = 64
# Per-record framing of an uncompressed TFRecord file: uint64 length, uint32
# CRC of the length, the data, uint32 CRC of the data.
_TFRECORD_FRAMING_BYTES = 16
_FEATURES = {
  'image/encoded': tf.io.FixedLenFeature([], tf.string),
  'image/class/label': tf.io.FixedLenFeature([], tf.int64),
}


def resolve_data_files(data_sources):
  """Expands a file pattern, or a list of files and patterns, into files.

  Args:
    data_sources: A string or a list of strings (files or glob patterns), like
      a slim Dataset's `data_sources`.

  Returns:
    The sorted list of distinct matching files.

  Raises:
    IOError: if nothing matches, naming the pattern(s).
  """
  patterns = (
    [data_sources] if isinstance(data_sources, str) else list(data_sources)
  )
  files = set()
  for pattern in patterns:
    files.update(tf.io.gfile.glob(pattern))
  if not files:
    raise IOError(
      'No file matches %s; check dataset_dir, or convert the data '
      'set with download_and_convert_data.py first.' % ', '.join(patterns)
    )
  return sorted(files)


class CorruptDataError(IOError):
  """A corrupt record or TFRecord file stopped a pipeline without skip_corrupt.

  The message is the pipeline's: it names the file and the record, and says
  how to skip such data (skip_corrupt=True, the scripts' --skip_corrupt).
  """


# The messages of the pipeline's checks, inside TensorFlow's "assertion
# failed: [...]" and the graph-node lines around it.
_CORRUPT_MESSAGE = re.compile(
  r'(?:Corrupt TFRecord file|Could not decode record) .*?'
  r'to skip (?:them|such records)\.',
  re.DOTALL,
)


def corrupt_data_error(error, data_files=None):
  """The `CorruptDataError` behind a session-run error, if that is its cause.

  A message of the skipping checks is taken as it is. Otherwise, for an
  error of an iterator (a pipeline without `skip_corrupt`), the files of the
  failed graph's pipelines (or `data_files`) are read again with the
  checks, to name the corrupt record or file.

  Args:
    error: An exception from running a pipeline of `make_dataset`
      (`tf.errors.InvalidArgumentError` or `tf.errors.DataLossError`).
    data_files: None, or the files of the pipelines that ran (TF2 programs,
      whose errors name no graph).

  Returns:
    A `CorruptDataError` with the one-line message naming the file and the
    record, or None when `error` is not about corrupt data.
  """
  if not isinstance(
    error, (tf.errors.InvalidArgumentError, tf.errors.DataLossError)
  ):
    return None
  match = _CORRUPT_MESSAGE.search(error.message or '')
  if match:
    return CorruptDataError(match.group(0))
  op = getattr(error, 'op', None)
  if data_files is not None:
    files = list(data_files)
  else:
    if op is not None and 'Iterator' not in op.type:
      return None
    graph = op.graph if op is not None else tf.get_default_graph()
    files = []
    for path in graph.get_collection(DATA_FILES_COLLECTION):
      path = path.decode() if isinstance(path, bytes) else path
      if path not in files:
        files.append(path)
  if not files:
    return None
  logging.info(
    'The input pipeline failed (%s); reading its %d file(s) again to name '
    'the corrupt record.',
    type(error).__name__,
    len(files),
  )
  message = locate_corrupt_data(files)
  return CorruptDataError(message) if message else None


def locate_corrupt_data(files, num_threads=4):
  """The message naming the first corrupt record or file of `files`, or None.

  Reads the files in order with the per-record checks (see the module
  docstring) in a graph of its own.

  Args:
    files: TFRecord file paths.
    num_threads: Records decoded in parallel.

  Returns:
    The one-line message, as `CorruptDataError` carries it; None if every
    record decodes.
  """
  sizes = [tf.io.gfile.stat(f).length for f in files]
  with tf.Graph().as_default():
    records = tf.data.Dataset.from_tensor_slices(
      (tf.constant(files), tf.constant(sizes, tf.int64))
    ).flat_map(_read_file)
    records = records.concatenate(_end_sentinel())
    decoded = _decode_records(records, num_threads)
    kinds = decoded.map(lambda image, label, kind: kind).batch(1024)
    next_kinds = tf.data.make_one_shot_iterator(kinds).get_next()
    with tf.Session() as session:
      try:
        while True:
          session.run(next_kinds)
      except tf.errors.OutOfRangeError:
        return None
      except tf.errors.InvalidArgumentError as e:
        match = _CORRUPT_MESSAGE.search(e.message or '')
        if match is None:
          raise
        return match.group(0)


@contextlib.contextmanager
def corrupt_data_raised(data_files=None):
  """Raises a corrupt-record error of the block as its `CorruptDataError`.

  Around the session runs of a pipeline of `make_dataset` (or a TF2 loop
  over one, such as tf_keras's `fit`, with `data_files`): an
  `InvalidArgumentError` or `DataLossError` that `corrupt_data_error`
  recognises becomes that `CorruptDataError` (chained to it); every other
  error passes unchanged.

  Args:
    data_files: See `corrupt_data_error`.
  """
  try:
    yield
  except (tf.errors.InvalidArgumentError, tf.errors.DataLossError) as e:
    corrupt = corrupt_data_error(e, data_files)
    if corrupt is None:
      raise
    raise corrupt from e


def corrupt_record_counter(graph=None):
  """Returns the int64 local variable counting skipped corrupt records.

  Created on first use in `graph` (default: the default graph), in the
  LOCAL_VARIABLES collection and in `CORRUPT_RECORDS_COLLECTION`; every
  pipeline with `skip_corrupt=True` in that graph adds to it.

  When executing eagerly (TF2) without a `graph`: one int64 resource
  variable for the process, which every such pipeline built eagerly adds
  to (a count of the whole process: read it before and after a run). Under
  a `tf.distribute` strategy, get it once outside the strategy's scope
  before the pipelines are made, so that it stays a plain variable.
  """
  global _eager_counter
  if graph is None and tf.executing_eagerly():
    if _eager_counter is None:
      with tf.init_scope():
        _eager_counter = tf.Variable(
          0, dtype=tf.int64, trainable=False, name=_COUNTER_NAME
        )
    return _eager_counter
  graph = graph or tf.get_default_graph()
  existing = graph.get_collection(CORRUPT_RECORDS_COLLECTION)
  if existing:
    return existing[0]
  with graph.as_default(), tf.name_scope(None):
    counter = tf.Variable(
      0,
      dtype=tf.int64,
      trainable=False,
      name=_COUNTER_NAME,
      collections=[tf.GraphKeys.LOCAL_VARIABLES, CORRUPT_RECORDS_COLLECTION],
      use_resource=True,
    )
  return counter


def _join(*parts):
  """Joins strings and int tensors into one scalar string tensor."""
  return tf.strings.join(
    [
      tf.strings.as_string(p)
      if isinstance(p, tf.Tensor) and p.dtype != tf.string
      else p
      for p in parts
    ]
  )


def _file_verdict(path, size):
  """Whether a TFRecord file of `size` bytes reads to its end.

  Reads the file in batches of records with errors ignored (which stops at a
  corrupt or truncated record) and compares the bytes of its readable
  records with the file size.

  Returns:
    (complete, count, make_note): a bool scalar, the int64 number of readable
    records, and a function building the message that names the file, its
    first unreadable record and its byte offset.
  """

  def add(total, batch):
    count, offset = total
    lengths = tf.cast(tf.strings.length(batch), tf.int64)
    size_of_batch = tf.size(batch, out_type=tf.int64)
    return (
      count + size_of_batch,
      offset + tf.reduce_sum(lengths) + _TFRECORD_FRAMING_BYTES * size_of_batch,
    )

  count, offset = (
    tf.data.TFRecordDataset(path)
    .ignore_errors()
    .batch(1024)
    .reduce((tf.constant(0, tf.int64), tf.constant(0, tf.int64)), add)
  )

  def make_note():
    return _join(
      'Corrupt TFRecord file ',
      path,
      ': record ',
      count,
      ' (at byte ',
      offset,
      ' of ',
      size,
      ') and all after it cannot be read. '
      'Regenerate the file, or pass skip_corrupt=True (--skip_corrupt) '
      'to skip them.',
    )

  return tf.equal(offset, size), count, make_note


def _placeholder_record(height=1, width=1):
  """A serialized tf.Example of a black `height` x `width` PNG, label -1.

  The elements that are not records (file ends, end sentinels) carry it, so
  that the decode stage decodes every element without a branch.
  """
  return dataset_utils.image_to_tfexample(
    dataset_utils.encode_png(np.zeros((height, width), np.uint8)),
    b'png',
    height,
    width,
    -1,
  ).SerializeToString()


def _decode(record):
  """Parses a serialized tf.Example and decodes its image to 3 channels."""
  parsed = tf.io.parse_single_example(record, _FEATURES)
  image = tf.io.decode_image(
    parsed['image/encoded'], channels=3, expand_animations=False
  )
  image.set_shape([None, None, 3])
  return image, parsed['image/class/label']


# The skipping pipeline (see the module docstring).


def _read_file_skipping(counter):
  """The interleave function of the skipping pipeline: one file's records.

  Before the file is read, `_file_verdict` judges it; an incomplete file is
  logged and counted as one skipped record (the number of records it cannot
  give is unknown), and only its readable records are read. The records of
  a complete file pass through no other dataset op than the reader.
  """

  def read(path, size):
    complete, count, make_note = _file_verdict(path, size)

    def skip():
      log = tf.print(
        'Skipping corrupt data:', make_note(), output_stream=sys.stderr
      )
      with tf.control_dependencies([log]):
        add = counter.assign_add(1, read_value=False)
      with tf.control_dependencies([add]):
        return tf.constant(False)

    complete = tf.cond(complete, lambda: tf.constant(True), skip)
    return tf.cond(
      complete,
      lambda: tf.data.TFRecordDataset(path),
      lambda: tf.data.TFRecordDataset(path).take(count),
    )

  return read


def _decode_numbered(end_record):
  """The decode function of numbered records, flagging the `end_record`."""

  def decode(record, seq):
    image, label = _decode(record)
    return image, label, seq, tf.equal(record, end_record)

  return decode


def _count_lost(counter, drop_ends):
  """The scan function counting the records missing from each batch.

  Args:
    counter: The skip counter.
    drop_ends: Remove the end sentinel's row from the batches.

  Returns:
    A function (next expected number, (images, labels, numbers, ends)) ->
    (next expected number, (images, labels)) for `Dataset.scan` over the
    batches of `_decode_numbered` elements (in stream order; never empty).
  """

  def count(expected, batch):
    images, labels, seqs, ends = batch
    last = seqs[-1]
    lost = last + 1 - expected - tf.size(seqs, out_type=tf.int64)

    def skip():
      log = tf.print(
        'Skipping corrupt data:',
        lost,
        'record(s) whose tf.Example or image cannot be decoded.',
        output_stream=sys.stderr,
      )
      with tf.control_dependencies([log]):
        add = counter.assign_add(lost, read_value=False)
      with tf.control_dependencies([add]):
        return tf.constant(0, tf.int64)

    done = tf.cond(lost > 0, skip, lambda: tf.constant(0, tf.int64))
    with tf.control_dependencies([done]):
      images, labels = tf.identity(images), tf.identity(labels)
    if drop_ends:
      keep = tf.logical_not(ends)
      images, labels = tf.cond(
        tf.reduce_all(keep),
        lambda: (images, labels),
        lambda: (
          tf.boolean_mask(images, keep),
          tf.boolean_mask(labels, keep),
        ),
      )
    return last + 1, (images, labels)

  return count


# Locating a corrupt record after a failed run (see the module docstring).

# Kinds of element between reading and decoding.
_RECORD = 0
_FILE_END = 1  # A TFRecord file was read to its end.
_BAD_FILE = 2  # It was not: the element's note holds the message.
_END_OF_DATA = 3  # Sentinel after the last record.


def _read_file(path, size):
  """Returns one TFRecord file as (record, path, index, kind, note) elements.

  The file is read with errors ignored, which stops at a corrupt or truncated
  record; a final element of kind `_FILE_END`, or `_BAD_FILE` with a note
  saying where, follows the records. (Raising here would be swallowed by the
  decode stage's `ignore_errors`, so the verdict travels to the check after
  it.)
  """
  records = tf.data.Dataset.zip(
    (
      tf.data.TFRecordDataset(path).ignore_errors(),
      tf.data.Dataset.from_tensors(path).repeat(),
      tf.data.Dataset.range(tf.int64.max),
      tf.data.Dataset.from_tensors(tf.constant(_RECORD)).repeat(),
      tf.data.Dataset.from_tensors(tf.constant('')).repeat(),
    )
  )

  def verdict(path, size):
    complete, count, make_note = _file_verdict(path, size)
    return (
      tf.constant(_placeholder_record()),
      path,
      count,
      tf.where(complete, _FILE_END, _BAD_FILE),
      tf.cond(complete, lambda: tf.constant(''), make_note),
    )

  return records.concatenate(
    tf.data.Dataset.from_tensors((path, size)).map(verdict)
  )


def _end_sentinel():
  """The element after the last record, so that a failed last decode shows."""
  return tf.data.Dataset.from_tensors(
    (
      tf.constant(_placeholder_record()),
      tf.constant(''),
      tf.constant(-1, tf.int64),
      tf.constant(_END_OF_DATA),
      tf.constant(''),
    )
  )


def _decode_records(records, num_threads):
  """Decodes (record, path, index, kind, note) into (image, label, kind).

  Fails naming the first corrupt record or file (see the module docstring);
  the output still holds the elements that are not records.
  """

  def number(state, batch):
    # Per batch of elements (one function call per batch, not per record).
    seq, prev_path, prev_index = state
    record, path, index, kind, note = batch
    size = tf.shape(record, out_type=tf.int64)[0]
    prev_paths = tf.concat([[prev_path], path[:-1]], 0)
    prev_indices = tf.concat([[prev_index], index[:-1]], 0)
    return (
      (seq + size, path[-1], index[-1]),
      (record, kind, note, seq + tf.range(size), prev_paths, prev_indices),
    )

  numbered = (
    records.batch(_NUMBERING_BATCH)
    .scan(
      (tf.constant(0, tf.int64), tf.constant(''), tf.constant(-1, tf.int64)),
      number,
    )
    .unbatch()
  )

  def decode(record, kind, note, seq, prev_path, prev_index):
    image, label = _decode(record)
    return image, label, kind, note, seq, prev_path, prev_index

  decoded = numbered.map(
    decode, num_parallel_calls=num_threads, deterministic=True
  ).ignore_errors()

  def check(expected, element):
    image, label, kind, note, seq, prev_path, prev_index = element
    lost = seq - expected
    bad_file = tf.equal(kind, _BAD_FILE)

    def message():
      return tf.cond(
        bad_file,
        lambda: note,
        lambda: _join(
          'Could not decode record ',
          prev_index,
          ' of ',
          prev_path,
          ': the tf.Example or its image is corrupt (',
          lost,
          ' record(s) lost '
          'since the last good one). Regenerate the file, or pass '
          'skip_corrupt=True (--skip_corrupt) to skip such records.',
        ),
      )

    # A bad file's element decodes (it carries a placeholder record), so at
    # most one of the two problems shows on one element.
    ok = tf.logical_and(tf.equal(lost, 0), tf.logical_not(bad_file))
    done = tf.cond(
      ok,
      lambda: tf.constant(0, tf.int64),
      lambda: _failed(message()),
    )
    with tf.control_dependencies([done]):
      kind = tf.identity(kind)
    return seq + 1, (image, label, kind)

  return decoded.scan(tf.constant(0, tf.int64), check)


def _failed(message):
  """An int64 scalar whose evaluation fails with `message`."""
  with tf.control_dependencies(
    [tf.debugging.Assert(False, [message], name='corrupt_record')]
  ):
    return tf.constant(0, tf.int64)


def make_dataset(
  dataset,
  input_config,
  is_training,
  image_size=None,
  preprocessing_fn=None,
  num_epochs=None,
  seed=None,
  drop_remainder=None,
  repeated_augmentation=None,
  shuffle_buffer_size=DEFAULT_SHUFFLE_BUFFER_SIZE,
):
  """Builds the batched tf.data pipeline of a slim Dataset's TFRecords.

  Args:
    dataset: A slim `Dataset` (e.g. from `dataset_factory.get_dataset`) whose
      `data_sources` are TFRecord files of tf.Examples with slim's keys
      `image/encoded` (PNG or JPEG) and `image/class/label`.
    input_config: A `config.InputConfig` (utils/training/config.py): the
      batch size, readers and preprocessing threads, labels offset,
      greyscale, `skip_corrupt` (skip and count corrupt records instead of
      failing; see the module docstring and `corrupt_record_counter`), and,
      for a preprocessing given by name, its name, training augmentation,
      evaluation resize and, without `repeated_augmentation`, `aug_repeats`.
    is_training: True: shuffled files and records, repeated forever by default,
      augmenting preprocessing. False: every record once, in order.
    image_size: Output size: an int, or a (height, width) pair; None:
      `input_config.image_size`, which must then be set.
    preprocessing_fn: A function `fn(image, height, width)` returning a float
      image (e.g. from `preprocessing_factory.get_preprocessing`), or a
      preprocessing or network name; None: `input_config.preprocessing_name`,
      which must then be set. A name is built with `is_training`,
      `use_grayscale`, and the `augmentation` (training) or
      `eval_resize_size` (evaluation) of `input_config`. With a callable and
      `use_grayscale`, a 3-channel output is converted.
    num_epochs: Passes over the data; None means forever when training and
      once for evaluation.
    seed: Seed of the file and record shuffles; with a seed the interleaving
      and preprocessing order are deterministic too (augmentations still
      follow the graph-level seed).
    drop_remainder: Drop the last partial batch; None means True when training
      (static batch size) and False for evaluation (every record counts).
    repeated_augmentation: Training only: a
      `repeated_augmentation.RepeatedAugmentation`, or None for
      `input_config.aug_repeats` repeats on one replica; with more than one
      repeat each decoded image is preprocessed that many times and the
      pipeline yields the batches of this worker's replicas in turn (see
      that module; partial batches are dropped). With replicas on other
      workers too, every worker needs the same `seed`.
    shuffle_buffer_size: Serialized records in the shuffle buffer (training).

  Returns:
    A `tf.data.Dataset` of (images, labels): float32 [batch, height, width, 3
    (1 with use_grayscale)] and int64 [batch].

  Raises:
    ValueError: on an invalid argument, or a reader other than TFRecordReader.
    TypeError: if `input_config` is not a `config.InputConfig`.
    IOError: if `dataset.data_sources` match no file, naming the pattern.
  """
  if not isinstance(input_config, config.InputConfig):
    raise TypeError(
      'input_config must be a config.InputConfig; got %r.' % (input_config,)
    )
  checks.check_positive_int('shuffle_buffer_size', shuffle_buffer_size)
  if num_epochs is not None:
    checks.check_positive_int('num_epochs', num_epochs)
  if image_size is None:
    image_size = input_config.image_size
  if image_size is None:
    raise ValueError(
      'make_dataset needs an image size; got image_size=None and '
      'input_config.image_size=None.'
    )
  height, width = checks.image_size_pair(image_size)
  reader = getattr(dataset, 'reader', None)
  if reader not in (None, tf.TFRecordReader):
    raise ValueError(
      'make_dataset reads TFRecord files only; dataset.reader '
      'is %r. Use tf.TFRecordReader (the default of '
      'get_dataset).' % (reader,)
    )
  batch_size = input_config.batch_size
  use_grayscale = input_config.use_grayscale
  labels_offset = input_config.labels_offset
  num_preprocessing_threads = input_config.num_preprocessing_threads
  if preprocessing_fn is None:
    preprocessing_fn = input_config.preprocessing_name
    if preprocessing_fn is None:
      raise ValueError(
        'make_dataset needs a preprocessing; got preprocessing_fn=None and '
        'input_config.preprocessing_name=None.'
      )
  if isinstance(preprocessing_fn, str):
    preprocessing_fn = preprocessing_factory.get_preprocessing(
      preprocessing_fn,
      is_training=is_training,
      use_grayscale=use_grayscale,
      augmentation=input_config.augmentation if is_training else None,
      eval_resize_size=None if is_training else input_config.eval_resize_size,
    )
  elif not callable(preprocessing_fn):
    raise ValueError(
      'preprocessing_fn must be a function or a preprocessing '
      'name; got %r.' % (preprocessing_fn,)
    )
  if repeated_augmentation is None and input_config.aug_repeats > 1:
    repeated_augmentation = repeated_augmentation_lib.RepeatedAugmentation(
      num_repeats=input_config.aug_repeats
    )
  repeats = repeated_augmentation is not None and repeated_augmentation.enabled
  if repeats:
    if not isinstance(
      repeated_augmentation, repeated_augmentation_lib.RepeatedAugmentation
    ):
      raise ValueError(
        'repeated_augmentation must be None or a '
        'repeated_augmentation.RepeatedAugmentation; got %r.'
        % (repeated_augmentation,)
      )
    if not is_training:
      raise ValueError(
        'Repeated augmentation (aug_repeats=%d) is for training only.'
        % repeated_augmentation.num_repeats
      )
    if (
      repeated_augmentation.local_replicas < repeated_augmentation.num_replicas
      and seed is None
    ):
      raise ValueError(
        'Repeated augmentation over %d replicas of several workers needs '
        'the same input seed on every worker; got seed=None.'
        % repeated_augmentation.num_replicas
      )
  if drop_remainder is None:
    drop_remainder = bool(is_training)
  if num_epochs is None and not is_training:
    num_epochs = 1
  deterministic = (not is_training) or seed is not None
  files = resolve_data_files(dataset.data_sources)

  with tf.name_scope('input_pipeline'):
    file_ds = tf.data.Dataset.from_tensor_slices(
      (
        tf.constant(files),
        tf.constant([tf.io.gfile.stat(f).length for f in files], tf.int64),
      )
    )
    if is_training:
      file_ds = file_ds.shuffle(
        len(files), seed=seed, reshuffle_each_iteration=True
      )
    file_ds = file_ds.repeat(num_epochs)
    cycle_length = (
      min(input_config.num_readers, len(files)) if is_training else 1
    )
    skip_corrupt = input_config.skip_corrupt
    if skip_corrupt:
      counter = corrupt_record_counter()
      read = _read_file_skipping(counter)
    else:
      if not tf.executing_eagerly():
        for path in files:
          tf.add_to_collection(DATA_FILES_COLLECTION, path)

      def read(path, size):
        del size
        return tf.data.TFRecordDataset(path)

    records = file_ds.interleave(
      read,
      cycle_length=cycle_length,
      block_length=1,
      num_parallel_calls=cycle_length,
      deterministic=deterministic,
    )
    if is_training:
      records = records.shuffle(
        shuffle_buffer_size,
        seed=None if seed is None else seed + 1,
        reshuffle_each_iteration=True,
      )
    # With skip_corrupt, records are numbered and a failed decode dropped;
    # the numbers missing from a batch are counted (before the repeats of
    # repeated augmentation, after batching otherwise).
    has_end = skip_corrupt and num_epochs is not None
    if skip_corrupt:
      # The end sentinel: a record that decodes and preprocesses like one of
      # the output size, dropped from its batch.
      end_record = _placeholder_record(height, width)
      if has_end:
        records = records.concatenate(
          tf.data.Dataset.from_tensors(tf.constant(end_record))
        )
      records = tf.data.Dataset.zip(
        (records, tf.data.Dataset.range(tf.int64.max))
      )
      decoded = records.map(
        _decode_numbered(end_record),
        num_parallel_calls=num_preprocessing_threads,
        deterministic=True,
      ).ignore_errors()
      count_lost = _count_lost(counter, drop_ends=has_end)
      first = tf.constant(0, tf.int64)
      if repeats:
        decoded = decoded.batch(1).scan(first, count_lost).unbatch()
    else:
      decoded = records.map(
        _decode,
        num_parallel_calls=num_preprocessing_threads,
        deterministic=deterministic,
      )
    numbered = skip_corrupt and not repeats

    def preprocess(image, label, *numbering):
      image = preprocessing_fn(image, height, width)
      channels = tf.compat.dimension_value(image.shape[-1])
      if use_grayscale and channels == 3:
        image = tf.image.rgb_to_grayscale(image)
      image = tf.cast(image, tf.float32)
      image.set_shape([height, width, 1 if use_grayscale else 3])
      return (image, label - labels_offset) + numbering

    records = decoded
    if repeats:
      records = repeated_augmentation_lib.select_local(
        records, repeated_augmentation
      )
    batches = records.map(
      preprocess,
      num_parallel_calls=num_preprocessing_threads,
      deterministic=deterministic or numbered,
    )
    if repeats:
      batches = repeated_augmentation_lib.local_batches(
        batches, batch_size, repeated_augmentation
      )
    elif numbered:
      batches = batches.batch(
        batch_size, drop_remainder=drop_remainder and not has_end
      ).scan(first, count_lost)
      if drop_remainder and has_end:
        # The sentinel's row is dropped only now: so are partial batches.
        batches = batches.filter(
          lambda images, labels: tf.equal(tf.shape(labels)[0], batch_size)
        ).map(
          lambda images, labels: (
            tf.ensure_shape(images, [batch_size] + images.shape[1:].as_list()),
            tf.ensure_shape(labels, [batch_size]),
          )
        )
    else:
      batches = batches.batch(batch_size, drop_remainder=drop_remainder)
    return batches.prefetch(tf.data.AUTOTUNE)


def without_autotuning(batches):
  """Turns off tf.data's model-based autotuning of a pipeline.

  TF 2.21's autotuning thread notices a cancelled iterator only at its next
  optimization, whose period grows to a minute: closing a session after a
  long run then stalls idle until then. The pipeline's parallelism is
  explicit (num_readers, num_preprocessing_threads), so nothing is lost.

  Args:
    batches: A `tf.data.Dataset`.

  Returns:
    The same dataset with `options.autotune.enabled = False`.
  """
  options = tf.data.Options()
  options.autotune.enabled = False
  return batches.with_options(options)


def measure_throughput(
  batches, num_batches, num_warmup_batches=5, session_config=None
):
  """Times a pipeline of (images, labels) batches in the current graph.

  Args:
    batches: A `tf.data.Dataset` from `make_dataset`, in the default graph.
    num_batches: Batches timed.
    num_warmup_batches: Batches run first, untimed (fills buffers).
    session_config: Optional `tf.ConfigProto`.

  Returns:
    A dict with 'images_per_second', 'images', 'seconds', 'batches',
    'cpu_seconds' (the CPU time of this process, all its threads, over the
    timed batches) and 'images_per_cpu_second' (images / cpu_seconds: the
    throughput per core, which other processes' load on shared cores
    disturbs less than the wall-clock rate; the pipeline's own idle
    waiting counts in neither).

  Raises:
    ValueError: if num_batches is not positive or num_warmup_batches is
      negative.
    tf.errors.OutOfRangeError: if the pipeline ends before num_batches +
      num_warmup_batches batches.
  """
  checks.check_positive_int('num_batches', num_batches)
  checks.check_int(
    'num_warmup_batches', num_warmup_batches, 0, message=checks.NON_NEGATIVE_INT
  )
  iterator = tf.data.make_initializable_iterator(batches)
  # Fetch the (small) labels: that runs the whole element, whereas a shape of
  # the images could be constant-folded without running the pipeline.
  _, labels = iterator.get_next()
  with tf.Session(config=session_config) as sess:
    sess.run([tf.local_variables_initializer(), iterator.initializer])
    for _ in range(num_warmup_batches):
      sess.run(labels)
    total = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(num_batches):
      total += len(sess.run(labels))
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
  return {
    'images_per_second': total / seconds,
    'images': int(total),
    'seconds': seconds,
    'batches': num_batches,
    'cpu_seconds': cpu_seconds,
    'images_per_cpu_second': total / max(cpu_seconds, 1e-9),
  }
