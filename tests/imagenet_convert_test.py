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
"""Tests of the ImageNet converter on a small JPEG tree in its layout.

The tree is laid out as ImageNet's (one directory of JPEGs per synset for
training, a flat validation directory with a labels file, the synset
metadata); the converted records are compared with the source pixels, labels
and names.
"""

import io
import os
import tempfile

from absl.testing import parameterized
import numpy as np
from PIL import Image
import tensorflow.compat.v1 as tf

from tests import record_util
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import imagenet

# The record helpers, by their short names.
read_examples = record_util.read_examples
feature = record_util.feature
decode = record_util.decode
smooth_image = record_util.smooth_image
jpeg_bytes = record_util.jpeg_bytes


def setUpModule():
  tf.disable_eager_execution()


class ImagenetTest(tf.test.TestCase, parameterized.TestCase):
  _SYNSETS = ('n01440764', 'n01443537', 'n01484850')
  _HUMAN = {
    'n01440764': 'tench, Tinca tinca',
    'n01443537': 'goldfish, Carassius auratus',
    'n01484850': 'great white shark',
    'n99999999': 'unused',
  }

  def _make_tree(self):
    rng = np.random.RandomState(0)
    root = tempfile.mkdtemp(dir=self.get_temp_dir())
    sources = {}  # file name -> (pixels, synset, exact bytes or None)
    for synset in reversed(self._SYNSETS):
      os.makedirs(os.path.join(root, 'train', synset))
      for i in range(3):
        name = '%s_%d.JPEG' % (synset, i)
        image = smooth_image(rng, 16, 20 + i)
        if i == 1 and synset == self._SYNSETS[0]:
          data, exact = jpeg_bytes(image, mode='CMYK'), False
        elif i == 2 and synset == self._SYNSETS[1]:
          buf = io.BytesIO()
          Image.fromarray(image).save(buf, format='PNG')  # PNG named .JPEG.
          data, exact = buf.getvalue(), False
        else:
          data, exact = jpeg_bytes(image), True
        with open(os.path.join(root, 'train', synset, name), 'wb') as f:
          f.write(data)
        sources[name] = (image, synset, data if exact else None)
    os.makedirs(os.path.join(root, 'val'))
    lines = []
    for i, synset in enumerate(
      ('n01484850', 'n01440764', 'n01440764', 'n01443537')
    ):
      name = 'ILSVRC2012_val_%08d.JPEG' % (i + 1)
      image = smooth_image(rng, 18, 14)
      data = jpeg_bytes(image)
      with open(os.path.join(root, 'val', name), 'wb') as f:
        f.write(data)
      sources[name] = (image, synset, data)
      lines.append('%s %s\n' % (name, synset))
    with open(os.path.join(root, 'val_labels.txt'), 'w') as f:
      f.writelines(lines)
    with open(os.path.join(root, 'metadata.txt'), 'w') as f:
      f.writelines('%s\t%s\n' % item for item in self._HUMAN.items())
    return root, sources

  def _convert(self, root, out, **kwargs):
    options = dict(
      train_dir=os.path.join(root, 'train'),
      validation_dir=os.path.join(root, 'val'),
      validation_labels_file=os.path.join(root, 'val_labels.txt'),
      metadata_file=os.path.join(root, 'metadata.txt'),
      num_threads=2,
      train_shards=2,
      validation_shards=3,
    )
    options.update(kwargs)
    imagenet.convert(out, **options)

  def test_converted_records_equal_source(self):
    root, sources = self._make_tree()
    out = os.path.join(root, 'records')
    self._convert(root, out)
    self.assertCountEqual(
      [
        'train-00000-of-00002',
        'train-00001-of-00002',
        'validation-00000-of-00003',
        'validation-00001-of-00003',
        'validation-00002-of-00003',
        'labels.txt',
      ],
      os.listdir(out),
    )
    labels = dataset_utils.read_label_file(out)
    self.assertEqual(
      {
        0: 'background',
        1: 'tench, Tinca tinca',
        2: 'goldfish, Carassius auratus',
        3: 'great white shark',
      },
      labels,
    )
    seen = {}
    for split in ('train', 'validation'):
      dataset = dataset_factory.get_dataset('imagenet', split, out)
      self.assertEqual(1001, dataset.num_classes)
      seen[split] = [
        e for path in dataset.data_sources for e in read_examples(path)
      ]
    self.assertLen(seen['train'], 9)
    self.assertEqual(
      ['ILSVRC2012_val_%08d.JPEG' % i for i in range(1, 5)],
      [feature(e, 'image/filename')[0].decode() for e in seen['validation']],
    )
    for example in seen['train'] + seen['validation']:
      name = feature(example, 'image/filename')[0].decode()
      image, synset, exact = sources.pop(name)
      label = feature(example, 'image/class/label')[0]
      self.assertEqual(1 + self._SYNSETS.index(synset), label)
      self.assertEqual(
        [synset.encode()], feature(example, 'image/class/synset')
      )
      self.assertEqual(
        [labels[label].encode()], feature(example, 'image/class/text')
      )
      data = feature(example, 'image/encoded')[0]
      self.assertEqual(b'\xff\xd8', data[:2])  # Every record is a JPEG.
      if exact is not None:
        self.assertEqual(exact, data)
      decoded = decode(example)
      self.assertEqual((image.shape[0], image.shape[1], 3), decoded.shape)
      self.assertAllClose(image, decoded, atol=12)
    self.assertEmpty(sources)

  def test_one_column_validation_labels(self):
    root, _ = self._make_tree()
    with open(os.path.join(root, 'one_column.txt'), 'w') as f:
      f.write('n01484850\nn01440764\nn01440764\nn01443537\n')
    out = os.path.join(root, 'records')
    self._convert(
      root,
      out,
      train_dir=None,
      metadata_file=None,
      validation_labels_file=os.path.join(root, 'one_column.txt'),
      validation_shards=1,
    )
    self.assertEqual(
      {0: 'background', 1: 'n01440764', 2: 'n01443537', 3: 'n01484850'},
      dataset_utils.read_label_file(out),
    )
    examples = read_examples(os.path.join(out, 'validation-00000-of-00001'))
    self.assertEqual(
      [3, 1, 1, 2], [feature(e, 'image/class/label')[0] for e in examples]
    )

  @parameterized.named_parameters(
    (
      'unlabelled',
      'ILSVRC2012_val_00000001.JPEG n01484850\n',
      'ILSVRC2012_val_00000002.JPEG has no label',
    ),
    (
      'unknown_synset',
      'n01484850\nn01440764\nn01440764\nn07000000\n',
      'Validation synset n07000000 is not among the 3 train synsets',
    ),
    ('count', 'n01484850\n', 'has 1 synsets for 4 validation images'),
    (
      'mixed',
      'n01484850\na b\nn01440764\nn01443537\n',
      r'found lines with \[1, 2\] fields',
    ),
  )
  def test_bad_validation_labels(self, text, regex):
    root, _ = self._make_tree()
    with open(os.path.join(root, 'val_labels.txt'), 'w') as f:
      f.write(text)
    with self.assertRaisesRegex(ValueError, regex):
      self._convert(root, os.path.join(root, 'records'))

  def test_missing_human_name(self):
    root, _ = self._make_tree()
    with open(os.path.join(root, 'metadata.txt'), 'w') as f:
      f.write('n01440764\ttench\n')
    with self.assertRaisesRegex(
      ValueError, 'Synset n01443537 has no human-readable name'
    ):
      self._convert(root, os.path.join(root, 'records'))

  def test_argument_errors(self):
    root = self.get_temp_dir()
    with self.assertRaisesRegex(ValueError, 'got neither'):
      imagenet.convert(root)
    with self.assertRaisesRegex(ValueError, 'needs validation_labels_file'):
      imagenet.convert(root, validation_dir=root)
    with self.assertRaisesRegex(
      ValueError, 'num_threads must be a positive integer; got 0'
    ):
      imagenet.convert(root, train_dir=root, num_threads=0)
    with self.assertRaisesRegex(
      IOError, 'train_dir .*nowhere is not a directory'
    ):
      imagenet.convert(root, train_dir=os.path.join(root, 'nowhere'))

  def test_corrupt_image_is_named(self):
    root, _ = self._make_tree()
    bad = os.path.join(root, 'train', self._SYNSETS[0], 'broken.JPEG')
    with open(bad, 'wb') as f:
      f.write(b'\xff\xd8 not really')
    out = os.path.join(root, 'records')
    with self.assertRaisesRegex(ValueError, 'Cannot read the image %s' % bad):
      self._convert(root, out)
    self.assertEqual([], [n for n in os.listdir(out) if not n.startswith('.')])


if __name__ == '__main__':
  tf.test.main()
