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
"""ImageNet (ILSVRC-2012) from a tree of JPEGs; it is not downloadable.

Input:

  train_dir/<synset>/*.JPEG          e.g. train/n01440764/n01440764_10026.JPEG
  validation_dir/*.JPEG              all 50,000 images in one directory
  validation_labels_file             one line per validation image, either
                                     "<filename> <synset>" (or comma separated)
                                     or just "<synset>", the i-th line then
                                     labelling the i-th file in sorted order
                                     (slim's imagenet_2012_validation_synset_
                                     labels.txt)
  metadata_file                      "<synset>\t<human-readable name>" lines
                                     (slim's imagenet_metadata.txt)

Labels follow slim: 0 is 'background', and a synset's label is 1 + its index in
the sorted list of synsets (the train sub-directories), so ImageNet has 1001
classes. `labels.txt` maps each label to the human-readable name.

Output (slim's names): train-00000-of-01024 .. train-01023-of-01024 and
validation-00000-of-00128 .. validation-00127-of-00128. Train images are
shuffled with a fixed seed before sharding (so every shard mixes classes);
validation shards keep sorted file order. Shards are written in parallel by a
thread pool. Besides slim's five keys, records carry image/class/synset,
image/class/text, image/filename, image/colorspace and image/channels.
"""

import concurrent.futures
import os
import random
import re

from absl import logging

from utils import checks
from utils.datasets import dataset_utils

FILE_PATTERN = '%s-*'
SPLITS_TO_SIZES = {'train': 1281167, 'validation': 50000}
SPLITS_TO_SHARDS = {'train': 1024, 'validation': 128}
NUM_CLASSES = 1001
IMAGE_SHAPE = None  # Variable size.
BACKGROUND_NAME = 'background'
# Seed of the train shuffle (slim's value); changing it changes the shards.
SHUFFLE_SEED = 12345


def shard_filename(split_name, shard_id, num_shards):
  """Returns slim's name of one shard, e.g. train-00001-of-01024."""
  return '%s-%05d-of-%05d' % (split_name, shard_id, num_shards)


def _list_files(directory):
  return sorted(
    f
    for f in os.listdir(directory)
    if not f.startswith('.') and os.path.isfile(os.path.join(directory, f))
  )


def list_train_images(train_dir):
  """Lists `train_dir/<synset>/*`.

  Returns:
    (synsets, images): the sorted synsets and a list of (path, synset).

  Raises:
    IOError: if `train_dir` is not a directory or has no images.
  """
  if not os.path.isdir(train_dir):
    raise IOError(
      'ImageNet train_dir %s is not a directory; it must hold one '
      'sub-directory of JPEGs per synset.' % train_dir
    )
  synsets = sorted(
    d
    for d in os.listdir(train_dir)
    if os.path.isdir(os.path.join(train_dir, d))
  )
  images = [
    (os.path.join(train_dir, s, f), s)
    for s in synsets
    for f in _list_files(os.path.join(train_dir, s))
  ]
  if not images:
    raise IOError(
      'ImageNet train_dir %s has no images in synset '
      'sub-directories.' % train_dir
    )
  return synsets, images


def read_validation_labels(labels_file, filenames):
  """Maps each validation file name to its synset.

  Args:
    labels_file: The labels file (see the module docstring for its formats).
    filenames: Sorted file names found in the validation directory.

  Returns:
    A dict of file name to synset covering exactly `filenames`.

  Raises:
    IOError: if the file is missing.
    ValueError: if lines mix formats, a file has no label, or a labelled file
      is missing.
  """
  if not os.path.isfile(labels_file):
    raise IOError(
      'ImageNet validation labels file %s does not exist.' % labels_file
    )
  with open(labels_file, encoding='utf-8') as f:
    rows = [re.split(r'[\s,]+', line.strip()) for line in f if line.strip()]
  widths = {len(row) for row in rows}
  if widths == {1}:
    if len(rows) != len(filenames):
      raise ValueError(
        '%s has %d synsets for %d validation images; a '
        'one-column labels file needs one line per image in '
        'sorted file order.' % (labels_file, len(rows), len(filenames))
      )
    return {name: row[0] for name, row in zip(filenames, rows)}
  if widths != {2}:
    raise ValueError(
      '%s must have lines "<filename> <synset>" or "<synset>"; '
      'found lines with %s fields.' % (labels_file, sorted(widths))
    )
  labels = {os.path.basename(name): synset for name, synset in rows}
  missing = sorted(set(filenames) - set(labels))
  if missing:
    raise ValueError(
      'Validation image %s has no label in %s.' % (missing[0], labels_file)
    )
  extra = sorted(set(labels) - set(filenames))
  if extra:
    raise ValueError(
      '%s labels %s, which is not in the validation directory.'
      % (labels_file, extra[0])
    )
  return labels


def read_synset_to_human(metadata_file):
  """Reads "<synset>\\t<name>" lines into a dict.

  Raises:
    IOError: if the file is missing.
    ValueError: on a line without a tab-separated name.
  """
  if not os.path.isfile(metadata_file):
    raise IOError('ImageNet metadata file %s does not exist.' % metadata_file)
  synset_to_human = {}
  with open(metadata_file, encoding='utf-8') as f:
    for line_number, line in enumerate(f, 1):
      line = line.strip()
      if not line:
        continue
      synset, sep, name = line.partition('\t')
      if not sep or not name.strip():
        raise ValueError(
          'Line %d of %s is %r; expected "<synset>\\t<name>".'
          % (line_number, metadata_file, line)
        )
      synset_to_human[synset.strip()] = name.strip()
  return synset_to_human


def build_labels(synsets, synset_to_human=None):
  """Returns {label: name}: 0 is background, synset i gets label i + 1.

  Args:
    synsets: The sorted synsets.
    synset_to_human: Optional dict of synset to human-readable name; without
      it, names are the synsets themselves.

  Raises:
    ValueError: if `synset_to_human` lacks one of `synsets`.
  """
  labels = {0: BACKGROUND_NAME}
  for index, synset in enumerate(synsets):
    if synset_to_human is None:
      labels[index + 1] = synset
    elif synset not in synset_to_human:
      raise ValueError(
        'Synset %s has no human-readable name in the metadata file.' % synset
      )
    else:
      labels[index + 1] = synset_to_human[synset]
  return labels


def _example(path, synset, label, name):
  data, height, width = dataset_utils.read_image_as_jpeg(path)
  example = dataset_utils.image_to_tfexample(
    data, b'JPEG', height, width, label
  )
  feature = example.features.feature
  feature['image/class/synset'].CopyFrom(dataset_utils.bytes_feature(synset))
  feature['image/class/text'].CopyFrom(dataset_utils.bytes_feature(name))
  feature['image/filename'].CopyFrom(
    dataset_utils.bytes_feature(os.path.basename(path))
  )
  feature['image/colorspace'].CopyFrom(dataset_utils.bytes_feature(b'RGB'))
  feature['image/channels'].CopyFrom(dataset_utils.int64_feature(3))
  return example


def _write_split(
  staged, split, images, num_shards, synset_to_label, labels, num_threads
):
  def write_shard(shard, start, end):
    dataset_utils.write_tfrecord(
      staged.path(shard_filename(split, shard, num_shards)),
      (
        _example(
          path, synset, synset_to_label[synset], labels[synset_to_label[synset]]
        )
        for path, synset in images[start:end]
      ),
    )

  with concurrent.futures.ThreadPoolExecutor(num_threads) as pool:
    futures = [
      pool.submit(write_shard, shard, start, end)
      for shard, (start, end) in enumerate(
        dataset_utils.shard_ranges(len(images), num_shards)
      )
    ]
    for future in futures:
      future.result()  # Re-raises the first failure.


def convert(
  dataset_dir,
  train_dir=None,
  validation_dir=None,
  validation_labels_file=None,
  metadata_file=None,
  num_threads=4,
  train_shards=SPLITS_TO_SHARDS['train'],
  validation_shards=SPLITS_TO_SHARDS['validation'],
):
  """Converts an ImageNet directory tree into sharded TFRecords.

  Args:
    dataset_dir: Output directory.
    train_dir: Directory of `<synset>/` sub-directories, or None to skip the
      train split (the synsets then come from the validation labels).
    validation_dir: Directory of validation images, or None to skip them.
    validation_labels_file: Needed with `validation_dir`.
    metadata_file: synset-to-human file for labels.txt; None uses synsets as
      names.
    num_threads: Shards written in parallel.
    train_shards: Number of train shards (slim: 1024).
    validation_shards: Number of validation shards (slim: 128).

  Raises:
    ValueError: on inconsistent arguments or labels, or an unreadable image.
    IOError: if an input directory or file is missing.
  """
  if train_dir is None and validation_dir is None:
    raise ValueError(
      'ImageNet conversion needs train_dir, validation_dir or '
      'both; got neither.'
    )
  if validation_dir is not None and validation_labels_file is None:
    raise ValueError(
      'validation_dir=%r needs validation_labels_file.' % validation_dir
    )
  for name, value in (
    ('num_threads', num_threads),
    ('train_shards', train_shards),
    ('validation_shards', validation_shards),
  ):
    checks.check_positive_int(name, value)
  dataset_utils.make_output_dir(dataset_dir)
  splits = {}
  if train_dir is not None:
    synsets, splits['train'] = list_train_images(train_dir)
    random.Random(SHUFFLE_SEED).shuffle(splits['train'])
  if validation_dir is not None:
    if not os.path.isdir(validation_dir):
      raise IOError(
        'ImageNet validation_dir %s is not a directory.' % validation_dir
      )
    filenames = _list_files(validation_dir)
    file_to_synset = read_validation_labels(validation_labels_file, filenames)
    splits['validation'] = [
      (os.path.join(validation_dir, f), file_to_synset[f]) for f in filenames
    ]
    if train_dir is None:
      synsets = sorted(set(file_to_synset.values()))
    unknown = sorted(set(file_to_synset.values()) - set(synsets))
    if unknown:
      raise ValueError(
        'Validation synset %s is not among the %d train '
        'synsets of %s.' % (unknown[0], len(synsets), train_dir)
      )
  shards = {'train': train_shards, 'validation': validation_shards}
  outputs = [
    shard_filename(split, shard, shards[split])
    for split in sorted(splits)
    for shard in range(shards[split])
  ]
  outputs.append(dataset_utils.LABELS_FILENAME)
  if dataset_utils.outputs_complete(dataset_dir, outputs):
    logging.info(
      'ImageNet already converted in %s; nothing to do.', dataset_dir
    )
    return
  synset_to_human = (
    read_synset_to_human(metadata_file) if metadata_file is not None else None
  )
  labels = build_labels(synsets, synset_to_human)
  synset_to_label = {s: i + 1 for i, s in enumerate(synsets)}
  with dataset_utils.StagedOutputs(dataset_dir, 'imagenet') as staged:
    for split in sorted(splits):
      logging.info(
        'Writing %d ImageNet %s images in %d shards.',
        len(splits[split]),
        split,
        shards[split],
      )
      _write_split(
        staged,
        split,
        splits[split],
        shards[split],
        synset_to_label,
        labels,
        num_threads,
      )
    dataset_utils.write_label_file(labels, staged.directory)
  logging.info('Wrote ImageNet to %s.', dataset_dir)
