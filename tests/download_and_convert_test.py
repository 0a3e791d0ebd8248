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
"""Tests of the converters on small files in the exact published formats.

Each test builds a tiny archive (or tree) the way the real one is laid out,
places it in dataset_dir so nothing is downloaded, runs the real conversion
and compares the decoded records with the source pixels and labels.
"""

import functools
import gzip
import hashlib
import http.server
import io
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from tests import record_util
from utils.datasets import cifar10
from utils.datasets import dataset_factory
from utils.datasets import dataset_utils
from utils.datasets import digits
from utils.datasets import download_utils
from utils.datasets import flowers
from utils.datasets import mnist

# The record helpers, by their short names.
read_examples = record_util.read_examples
feature = record_util.feature
decode = record_util.decode
smooth_image = record_util.smooth_image
jpeg_bytes = record_util.jpeg_bytes

_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setUpModule():
  tf.disable_eager_execution()


def md5(path):
  with open(path, 'rb') as f:
    return download_utils.Checksum('md5', hashlib.md5(f.read()).hexdigest())


def add_bytes(tar, name, data):
  info = tarfile.TarInfo(name)
  info.size = len(data)
  tar.addfile(info, io.BytesIO(data))


def make_cifar_archive(path, records_per_batch=3, test_records=4, seed=0):
  """Writes a CIFAR-10 binary tar.gz; returns {split: (images, labels)}."""
  rng = np.random.RandomState(seed)
  contents = {'train': ([], []), 'test': ([], [])}
  with tarfile.open(path, 'w:gz') as tar:
    for split, filenames in (
      ('train', cifar10.SPLIT_BATCH_FILES['train']),
      ('test', cifar10.SPLIT_BATCH_FILES['test']),
    ):
      for filename in filenames:
        count = test_records if split == 'test' else records_per_batch
        images = rng.randint(0, 256, (count, 32, 32, 3)).astype(np.uint8)
        labels = rng.randint(0, 10, count)
        # Published layout: label byte, then R, G and B planes, row-major.
        body = b''.join(
          bytes([label]) + image.transpose(2, 0, 1).tobytes()
          for image, label in zip(images, labels)
        )
        add_bytes(tar, 'cifar-10-batches-bin/' + filename, body)
        contents[split][0].extend(images)
        contents[split][1].extend(labels)
    add_bytes(
      tar,
      'cifar-10-batches-bin/batches.meta.txt',
      ('\n'.join(cifar10.CLASS_NAMES) + '\n\n').encode(),
    )
  return {
    split: (np.stack(images), np.array(labels))
    for split, (images, labels) in contents.items()
  }


def write_idx(path, array, magic):
  header = np.array([magic] + list(array.shape), dtype='>u4').tobytes()
  with gzip.open(path, 'wb') as f:
    f.write(header + array.astype(np.uint8).tobytes())


class DownloadUtilsTest(tf.test.TestCase, parameterized.TestCase):
  def _tar(self, add_members):
    path = os.path.join(tempfile.mkdtemp(dir=self.get_temp_dir()), 'a.tar.gz')
    with tarfile.open(path, 'w:gz') as tar:
      add_bytes(tar, 'good/file.txt', b'fine')
      add_members(tar)
    return path

  def test_safe_extract_keeps_safe_members(self):
    def add(tar):
      link = tarfile.TarInfo('good/link.txt')
      link.type = tarfile.SYMTYPE
      link.linkname = 'file.txt'
      tar.addfile(link)

    target = os.path.join(self.get_temp_dir(), 'out_ok')
    download_utils.safe_extract_tar(self._tar(add), target)
    with open(os.path.join(target, 'good', 'link.txt')) as f:
      self.assertEqual('fine', f.read())

  def test_safe_extract_puts_absolute_names_inside_the_target(self):
    def add(tar):
      add_bytes(tar, '/tmp/inside.txt', b'here')

    target = os.path.join(self.get_temp_dir(), 'out_absolute')
    download_utils.safe_extract_tar(self._tar(add), target)
    with open(os.path.join(target, 'tmp', 'inside.txt')) as f:
      self.assertEqual('here', f.read())

  @parameterized.named_parameters(
    ('parent', '../evil.txt', tarfile.REGTYPE, '', 'leaves the target'),
    (
      'nested_parent',
      'good/../../evil.txt',
      tarfile.REGTYPE,
      '',
      'leaves the target',
    ),
    (
      'symlink_out',
      'good/out',
      tarfile.SYMTYPE,
      '../../outside',
      'symbolic link',
    ),
    (
      'symlink_absolute',
      'good/abs',
      tarfile.SYMTYPE,
      '/etc/passwd',
      'symbolic link',
    ),
    (
      'hardlink_out',
      'good/hard',
      tarfile.LNKTYPE,
      '../outside.txt',
      'hard link',
    ),
    ('device', 'good/dev', tarfile.CHRTYPE, '', 'not a regular file'),
  )
  def test_safe_extract_refuses(self, name, member_type, linkname, regex):
    def add(tar):
      info = tarfile.TarInfo(name)
      info.type = member_type
      info.linkname = linkname
      if member_type == tarfile.REGTYPE:
        info.size = 4
        tar.addfile(info, io.BytesIO(b'evil'))
      else:
        tar.addfile(info)

    root = tempfile.mkdtemp(dir=self.get_temp_dir())
    target = os.path.join(root, 'out')
    with self.assertRaisesRegex(
      ValueError, 'Refusing to extract %r.*%s' % (name, regex)
    ):
      download_utils.safe_extract_tar(self._tar(add), target)
    # Nothing at all was extracted, not even the safe member.
    self.assertEqual([], os.listdir(target))
    self.assertEqual(['out'], os.listdir(root))

  def test_unreadable_archive(self):
    path = os.path.join(self.get_temp_dir(), 'broken.tar.gz')
    with open(path, 'wb') as f:
      f.write(b'not a tar file')
    with self.assertRaisesRegex(
      IOError, 'Cannot read the tar archive .*broken.tar.gz'
    ):
      download_utils.safe_extract_tar(path, self.get_temp_dir())

  def test_checksum_mismatch_names_file_and_both_sums(self):
    path = os.path.join(self.get_temp_dir(), 'archive.bin')
    with open(path, 'wb') as f:
      f.write(b'abc')
    actual = hashlib.sha256(b'abc').hexdigest()
    expected = download_utils.Checksum('sha256', 'f' * 64)
    with self.assertRaisesRegex(
      ValueError,
      'Checksum mismatch for %s: expected sha256 %s, got %s.*'
      '--accept_unverified_archive' % (path, 'f' * 64, actual),
    ):
      download_utils.verify_checksum(path, expected)
    self.assertFalse(
      download_utils.verify_checksum(path, expected, accept_unverified=True)
    )
    self.assertTrue(
      download_utils.verify_checksum(
        path, download_utils.Checksum('sha256', actual)
      )
    )

  def test_unreachable_network_tells_where_to_place_the_file(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    # Port 9 (discard) on the loopback address: the connection is refused.
    with self.assertRaisesRegex(
      IOError,
      'Could not download x.tgz.*127.0.0.1:9.*place it at %s'
      % os.path.join(directory, 'x.tgz'),
    ):
      download_utils.ensure_archive(
        ['http://127.0.0.1:9/x.tgz'],
        directory,
        'x.tgz',
        download_utils.Checksum('md5', ''),
        timeout=5,
      )
    self.assertEqual([], os.listdir(directory))

  def test_downloads_only_when_missing_and_verifies(self):
    served = tempfile.mkdtemp(dir=self.get_temp_dir())
    with open(os.path.join(served, 'x.tgz'), 'wb') as f:
      f.write(b'payload')
    handler = functools.partial(_QuietHandler, directory=served)
    server = http.server.HTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
      url = 'http://127.0.0.1:%d/x.tgz' % server.server_port
      directory = tempfile.mkdtemp(dir=self.get_temp_dir())
      checksum = download_utils.Checksum(
        'md5', hashlib.md5(b'payload').hexdigest()
      )
      path = download_utils.ensure_archive(
        ['http://127.0.0.1:9/x.tgz', url], directory, 'x.tgz', checksum
      )
      with open(path, 'rb') as f:
        self.assertEqual(b'payload', f.read())
      self.assertEqual(['x.tgz'], os.listdir(directory))
      with open(path, 'wb') as f:
        f.write(b'tampered')
      # Present: not downloaded again, so the tampered copy is refused.
      with self.assertRaisesRegex(
        ValueError, 'Checksum mismatch for %s' % path
      ):
        download_utils.ensure_archive([url], directory, 'x.tgz', checksum)
    finally:
      server.shutdown()
      server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
  def log_message(self, *args):
    pass


class Cifar10Test(tf.test.TestCase):
  def _dataset_dir(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    archive = os.path.join(directory, cifar10.ARCHIVE_FILENAME)
    return directory, archive, make_cifar_archive(archive)

  def test_converted_records_equal_source(self):
    directory, archive, contents = self._dataset_dir()
    cifar10.convert(directory, checksum=md5(archive), urls=())
    self.assertCountEqual(
      [
        'cifar10_train.tfrecord',
        'cifar10_test.tfrecord',
        'labels.txt',
        cifar10.ARCHIVE_FILENAME,
      ],
      os.listdir(directory),
    )
    for split, (images, labels) in contents.items():
      examples = read_examples(
        os.path.join(directory, 'cifar10_%s.tfrecord' % split)
      )
      self.assertAllEqual(images, np.stack([decode(e) for e in examples]))
      self.assertAllEqual(
        labels, [feature(e, 'image/class/label')[0] for e in examples]
      )
      self.assertEqual([b'png'], feature(examples[0], 'image/format'))
    self.assertEqual(
      dict(enumerate(cifar10.CLASS_NAMES)),
      dataset_utils.read_label_file(directory),
    )
    dataset = dataset_factory.get_dataset('cifar10', 'test', directory)
    self.assertEqual('airplane', dataset.labels_to_names[0])

  def test_published_checksum_refuses_other_archive(self):
    directory, archive, _ = self._dataset_dir()
    actual = md5(archive).hexdigest
    with self.assertRaisesRegex(
      ValueError,
      'Checksum mismatch for %s: expected md5 '
      'c32a1d4ab5d03f1284b67883e8d87530, got %s' % (archive, actual),
    ):
      cifar10.convert(directory, urls=())
    self.assertEqual([cifar10.ARCHIVE_FILENAME], os.listdir(directory))
    cifar10.convert(directory, accept_unverified_archive=True, urls=())
    self.assertTrue(
      os.path.exists(os.path.join(directory, 'cifar10_train.tfrecord'))
    )

  def test_refuses_archive_with_path_traversal(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    archive = os.path.join(directory, cifar10.ARCHIVE_FILENAME)
    with tarfile.open(archive, 'w:gz') as tar:
      add_bytes(tar, 'cifar-10-batches-bin/../../escaped.bin', b'x' * 3073)
    with self.assertRaisesRegex(ValueError, 'escaped.bin.*leaves the target'):
      cifar10.convert(directory, checksum=md5(archive), urls=())
    self.assertFalse(
      os.path.exists(os.path.join(os.path.dirname(directory), 'escaped.bin'))
    )
    self.assertEqual([cifar10.ARCHIVE_FILENAME], os.listdir(directory))

  def test_malformed_batch_file(self):
    path = os.path.join(self.get_temp_dir(), 'data_batch_1.bin')
    with open(path, 'wb') as f:
      f.write(b'\x00' * 3074)
    with self.assertRaisesRegex(ValueError, 'data_batch_1.bin has 3074 bytes'):
      cifar10.read_batch_file(path)

  def test_killed_conversion_leaves_no_final_file(self):
    directory, archive, _ = self._dataset_dir()
    real_write = dataset_utils.write_tfrecord
    calls = []

    def write_then_die(path, examples):
      calls.append(path)
      if len(calls) == 2:  # The first split is complete, the second is not.
        real_write(path, list(examples)[:2])
        raise KeyboardInterrupt('killed midway')
      return real_write(path, examples)

    with mock.patch.object(dataset_utils, 'write_tfrecord', write_then_die):
      with self.assertRaises(KeyboardInterrupt):
        cifar10.convert(directory, checksum=md5(archive), urls=())
    self.assertLen(calls, 2)
    self.assertEqual([cifar10.ARCHIVE_FILENAME], os.listdir(directory))
    with self.assertRaisesRegex(IOError, 'No file matches'):
      dataset_factory.get_dataset('cifar10', 'test', directory)
    cifar10.convert(directory, checksum=md5(archive), urls=())
    self.assertLen(
      read_examples(os.path.join(directory, 'cifar10_train.tfrecord')), 15
    )

  def test_skips_work_already_done(self):
    directory, archive, _ = self._dataset_dir()
    cifar10.convert(directory, checksum=md5(archive), urls=())
    os.remove(archive)  # A finished conversion needs neither archive nor net.
    with mock.patch.object(
      dataset_utils, 'write_tfrecord', side_effect=AssertionError('rewritten')
    ):
      cifar10.convert(directory, urls=())
    os.remove(os.path.join(directory, 'labels.txt'))
    with self.assertRaisesRegex(IOError, 'Could not download'):
      cifar10.convert(directory, urls=('http://127.0.0.1:9/x',))


class MnistTest(tf.test.TestCase):
  def _write_files(self, directory, seed=0):
    rng = np.random.RandomState(seed)
    contents = {}
    for split, count in (('train', 5), ('test', 3)):
      images = rng.randint(0, 256, (count, 28, 28)).astype(np.uint8)
      labels = rng.randint(0, 10, count)
      images_file, labels_file = mnist.SPLIT_FILES[split]
      write_idx(os.path.join(directory, images_file), images, 2051)
      write_idx(os.path.join(directory, labels_file), labels, 2049)
      contents[split] = images, labels
    checksums = {
      name: md5(os.path.join(directory, name)) for name in mnist.CHECKSUMS
    }
    return contents, checksums

  def test_converted_records_equal_source(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    contents, checksums = self._write_files(directory)
    mnist.convert(directory, checksums=checksums, mirrors=())
    for split, (images, labels) in contents.items():
      examples = read_examples(
        os.path.join(directory, 'mnist_%s.tfrecord' % split)
      )
      self.assertAllEqual(images, np.stack([decode(e) for e in examples]))
      self.assertAllEqual(
        labels, [feature(e, 'image/class/label')[0] for e in examples]
      )
      self.assertEqual([28], feature(examples[0], 'image/height'))
    self.assertEqual(
      {i: str(i) for i in range(10)}, dataset_utils.read_label_file(directory)
    )

  def test_published_checksums_refuse_other_files(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    self._write_files(directory)
    with self.assertRaisesRegex(
      ValueError,
      'Checksum mismatch for .*t10k-images-idx3-ubyte.gz: '
      'expected md5 9fb629c4189551a2d022fa330f9573f3',
    ):
      mnist.convert(directory, mirrors=())

  def test_bad_magic_number(self):
    path = os.path.join(self.get_temp_dir(), 'labels.gz')
    write_idx(path, np.zeros(3), 2051)
    with self.assertRaisesRegex(
      ValueError, 'labels.gz starts with magic number 2051; expected 2049'
    ):
      mnist.read_labels(path)

  def test_truncated_images(self):
    path = os.path.join(self.get_temp_dir(), 'images.gz')
    with gzip.open(path, 'wb') as f:
      f.write(np.array([2051, 2, 28, 28], '>u4').tobytes() + b'\x00' * 100)
    with self.assertRaisesRegex(ValueError, 'images.gz holds 100 bytes'):
      mnist.read_images(path)


class FlowersTest(tf.test.TestCase):
  def test_converted_records_equal_source(self):
    rng = np.random.RandomState(0)
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    archive = os.path.join(directory, flowers.ARCHIVE_FILENAME)
    sources = {}
    with tarfile.open(archive, 'w:gz') as tar:
      add_bytes(tar, 'flower_photos/LICENSE.txt', b'CC-BY')
      for class_name in flowers.CLASS_NAMES:
        for i in range(3):
          data = jpeg_bytes(smooth_image(rng, 12 + i, 10))
          add_bytes(tar, 'flower_photos/%s/%d.jpg' % (class_name, i), data)
          sources[data] = class_name
    flowers.convert(
      directory, checksum=md5(archive), urls=(), num_validation=4, num_shards=2
    )
    expected_files = flowers.output_filenames(num_shards=2)
    self.assertCountEqual(
      expected_files + [flowers.ARCHIVE_FILENAME], os.listdir(directory)
    )
    labels = dataset_utils.read_label_file(directory)
    self.assertEqual(dict(enumerate(flowers.CLASS_NAMES)), labels)
    seen = []
    for split, size in (('train', 11), ('validation', 4)):
      dataset = dataset_factory.get_dataset('flowers', split, directory)
      self.assertLen(dataset.data_sources, 2)
      examples = [
        e for path in dataset.data_sources for e in read_examples(path)
      ]
      self.assertLen(examples, size)
      for example in examples:
        data = feature(example, 'image/encoded')[0]
        self.assertIn(data, sources)  # The original JPEG bytes, unchanged.
        self.assertEqual(
          sources[data], labels[feature(example, 'image/class/label')[0]]
        )
        self.assertEqual(
          list(decode(example).shape[:2]),
          feature(example, 'image/height') + feature(example, 'image/width'),
        )
        seen.append(data)
    self.assertCountEqual(list(sources), seen)

  def test_split_is_seeded(self):
    paths = ['p%02d' % i for i in range(20)]
    self.assertEqual(
      flowers.split_photos(paths, 5),
      flowers.split_photos(list(reversed(paths)), 5),
    )
    train, validation = flowers.split_photos(paths, 5)
    self.assertLen(validation, 5)
    self.assertCountEqual(paths, train + validation)

  def test_too_few_photos(self):
    with self.assertRaisesRegex(
      ValueError, 'Only 3 photos for a validation split of 350'
    ):
      flowers.split_photos(['a', 'b', 'c'])


class ScriptTest(tf.test.TestCase):
  def _run_script(self, *args, env=None):
    env = dict(env or os.environ, TF_CPP_MIN_LOG_LEVEL='2')
    return subprocess.run(
      [sys.executable, os.path.join(_REPO_ROOT, 'download_and_convert_data.py')]
      + list(args),
      cwd=_REPO_ROOT,
      env=env,
      capture_output=True,
      text=True,
      timeout=300,
      check=False,
    )

  def test_digits_end_to_end(self):
    directory = os.path.join(self.get_temp_dir(), 'digits_script')
    result = self._run_script(
      '--dataset_name=digits', '--dataset_dir=' + directory
    )
    self.assertEqual(0, result.returncode, result.stderr)
    self.assertCountEqual(digits.output_filenames(), os.listdir(directory))
    self.assertEqual(
      1437,
      dataset_factory.get_dataset('digits', 'train', directory).num_samples,
    )
    images, labels, _ = digits.load_split('test')
    examples = read_examples(os.path.join(directory, 'digits_test.tfrecord'))
    self.assertAllEqual(images, np.stack([decode(e) for e in examples]))
    self.assertAllEqual(
      labels, [feature(e, 'image/class/label')[0] for e in examples]
    )

  def test_failed_download_is_one_error_line(self):
    # Every URL goes through a proxy at a closed port: no network, on any
    # machine.
    env = {
      k: v
      for k, v in os.environ.items()
      if k.lower() not in ('no_proxy', 'http_proxy', 'https_proxy')
    }
    env.update(
      http_proxy='http://127.0.0.1:9', https_proxy='http://127.0.0.1:9'
    )
    directory = os.path.join(self.get_temp_dir(), 'cifar10_offline')
    result = self._run_script(
      '--dataset_name=cifar10', '--dataset_dir=' + directory, env=env
    )
    self.assertEqual(1, result.returncode)
    self.assertRegex(
      result.stderr.splitlines()[-1],
      r'^download_and_convert_data\.py: error: Could not '
      r'download cifar-10-binary\.tar\.gz \(https://.*\)\. If '
      r'this machine has no network access, download the file '
      r'by hand .* place it at %s/cifar-10-binary\.tar\.gz, '
      r'then run the conversion again\.$' % directory,
    )
    self.assertNotIn('Traceback', result.stderr)

  def test_missing_imagenet_directories_are_one_error_line(self):
    result = self._run_script(
      '--dataset_name=imagenet',
      '--dataset_dir=' + os.path.join(self.get_temp_dir(), 'imagenet'),
    )
    self.assertEqual(1, result.returncode)
    self.assertEqual(
      'download_and_convert_data.py: error: ImageNet conversion '
      'needs train_dir, validation_dir or both; got neither.',
      result.stderr.splitlines()[-1],
    )
    self.assertNotIn('Traceback', result.stderr)

  def test_killed_process_leaves_no_final_file(self):
    directory = tempfile.mkdtemp(dir=self.get_temp_dir())
    ready = os.path.join(self.get_temp_dir(), 'first_file_written')
    # The child writes the first split, signals, and hangs until killed.
    child = (
      'import os, time\n'
      'from utils.datasets import dataset_utils, digits\n'
      'real = dataset_utils.write_tfrecord\n'
      'def slow(path, examples):\n'
      '  n = real(path, examples)\n'
      '  open(%r, "w").close()\n'
      '  time.sleep(300)\n'
      '  return n\n'
      'dataset_utils.write_tfrecord = slow\n'
      'digits.convert(%r)\n' % (ready, directory)
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2')
    process = subprocess.Popen(
      [sys.executable, '-c', child],
      cwd=_REPO_ROOT,
      env=env,
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
    )
    try:
      deadline = time.time() + 120
      while not os.path.exists(ready) and process.poll() is None:
        self.assertLess(time.time(), deadline, 'child never wrote a file')
        time.sleep(0.1)
      self.assertIsNone(process.poll(), 'child exited before being killed')
    finally:
      process.send_signal(signal.SIGKILL)
      process.wait()
    leftovers = os.listdir(directory)
    self.assertLen(leftovers, 1)
    self.assertStartsWith(leftovers[0], '.incomplete-digits-')
    self.assertNotEmpty(os.listdir(os.path.join(directory, leftovers[0])))
    with self.assertRaisesRegex(IOError, 'No file matches'):
      dataset_factory.get_dataset('digits', 'test', directory)
    digits.convert(directory)  # Starts afresh and removes the leftovers.
    self.assertCountEqual(digits.output_filenames(), os.listdir(directory))


if __name__ == '__main__':
  tf.test.main()
