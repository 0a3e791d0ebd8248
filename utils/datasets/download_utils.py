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
"""Downloading, checksum verification and safe extraction of data set archives.

Archives are fetched only when missing from `dataset_dir`, always verified
against their published checksum before being read (a mismatch is an error
unless the caller accepts unverified archives), and tar members are checked
before anything is extracted: absolute paths, `..` escapes, links that point
outside the target directory and special files are refused.
"""

import collections
import hashlib
import os
import socket
import tarfile
import urllib.error
import urllib.request

from absl import logging

# A published checksum: `algorithm` is a hashlib name ('md5', 'sha256').
Checksum = collections.namedtuple('Checksum', ['algorithm', 'hexdigest'])

DEFAULT_TIMEOUT_SECONDS = 60
_CHUNK_BYTES = 1 << 20


def file_digest(path, algorithm):
  """Returns the hex digest of the file at `path` with hashlib `algorithm`."""
  digest = hashlib.new(algorithm)
  with open(path, 'rb') as f:
    for chunk in iter(lambda: f.read(_CHUNK_BYTES), b''):
      digest.update(chunk)
  return digest.hexdigest()


def verify_checksum(path, expected, accept_unverified=False):
  """Checks the archive at `path` against its published checksum.

  Args:
    path: The archive.
    expected: A `Checksum`.
    accept_unverified: If True, a mismatch is logged instead of raised.

  Returns:
    True if the checksum matched, False if it did not but was accepted.

  Raises:
    ValueError: on a mismatch, naming the file and both sums, unless
      `accept_unverified`.
  """
  actual = file_digest(path, expected.algorithm)
  if actual == expected.hexdigest.lower():
    return True
  message = (
    'Checksum mismatch for %s: expected %s %s, got %s. The file is '
    'damaged or is not the published archive; delete it and run '
    'again to download it afresh, or pass '
    '--accept_unverified_archive (accept_unverified_archive=True) to '
    'use it anyway.' % (path, expected.algorithm, expected.hexdigest, actual)
  )
  if not accept_unverified:
    raise ValueError(message)
  logging.warning(
    '%s Using it because unverified archives are accepted.', message
  )
  return False


def download(urls, path, timeout=DEFAULT_TIMEOUT_SECONDS):
  """Downloads the first of `urls` that answers to `path`.

  The data go to `<path>.part` first and are renamed to `path` once complete,
  so an interrupted download never looks like an archive.

  Args:
    urls: A list of mirror URLs of the same file, tried in order.
    path: The destination file.
    timeout: Seconds to wait for a connection or for each read.

  Returns:
    `path`.

  Raises:
    IOError: if no URL could be fetched; the message tells the user where to
      place the file by hand.
  """
  partial = path + '.part'
  errors = []
  for url in urls:
    logging.info('Downloading %s to %s', url, path)
    try:
      with (
        urllib.request.urlopen(url, timeout=timeout) as response,
        open(partial, 'wb') as out,
      ):
        for chunk in iter(lambda: response.read(_CHUNK_BYTES), b''):
          out.write(chunk)
      os.replace(partial, path)
      return path
    except (urllib.error.URLError, socket.timeout, OSError) as e:
      errors.append('%s: %s' % (url, e))
      if os.path.exists(partial):
        os.remove(partial)
  raise IOError(
    'Could not download %s (%s). If this machine has no network access, '
    'download the file by hand from one of these URLs and place it at %s, '
    'then run the conversion again.'
    % (os.path.basename(path), '; '.join(errors), path)
  )


def ensure_archive(
  urls,
  dataset_dir,
  filename,
  checksum,
  accept_unverified=False,
  timeout=DEFAULT_TIMEOUT_SECONDS,
):
  """Returns the path of a verified archive, downloading it only if missing.

  Args:
    urls: Mirror URLs of the archive.
    dataset_dir: Directory where the archive is (or will be) stored.
    filename: The archive's file name in `dataset_dir`.
    checksum: The published `Checksum` of the archive.
    accept_unverified: Accept an archive whose checksum does not match.
    timeout: Download timeout in seconds.

  Returns:
    The archive's path.

  Raises:
    IOError: if the archive is missing and cannot be downloaded.
    ValueError: on a checksum mismatch (see `verify_checksum`).
  """
  path = os.path.join(dataset_dir, filename)
  if os.path.isfile(path):
    logging.info('Using %s already in %s.', filename, dataset_dir)
  else:
    download(urls, path, timeout=timeout)
  verify_checksum(path, checksum, accept_unverified)
  return path


def _is_within(directory, path):
  directory = os.path.realpath(directory)
  path = os.path.realpath(path)
  return os.path.commonpath([directory, path]) == directory


def check_tar_members(tar, target_dir):
  """Refuses tar members that could write outside `target_dir`.

  Args:
    tar: An open `tarfile.TarFile`.
    target_dir: The directory the archive will be extracted into.

  Returns:
    The list of `TarInfo` members, all checked.

  Raises:
    ValueError: naming the first unsafe member: an absolute path, a path that
      leaves `target_dir`, a symbolic or hard link whose target leaves it, or a
      device, FIFO or other special file.
  """
  members = tar.getmembers()
  for member in members:
    name = member.name
    if os.path.isabs(name) or name.startswith(('/', '\\')):
      raise ValueError(
        'Refusing to extract %r from %s: absolute path.' % (name, tar.name)
      )
    destination = os.path.join(target_dir, name)
    if not _is_within(target_dir, destination):
      raise ValueError(
        'Refusing to extract %r from %s: the path leaves the '
        'target directory %s.' % (name, tar.name, target_dir)
      )
    if member.issym():
      link_target = os.path.join(os.path.dirname(destination), member.linkname)
      if os.path.isabs(member.linkname) or not _is_within(
        target_dir, link_target
      ):
        raise ValueError(
          'Refusing to extract %r from %s: symbolic link to %r '
          'points outside the target directory.'
          % (name, tar.name, member.linkname)
        )
    elif member.islnk():
      link_target = os.path.join(target_dir, member.linkname)
      if os.path.isabs(member.linkname) or not _is_within(
        target_dir, link_target
      ):
        raise ValueError(
          'Refusing to extract %r from %s: hard link to %r '
          'points outside the target directory.'
          % (name, tar.name, member.linkname)
        )
    elif not (member.isfile() or member.isdir()):
      raise ValueError(
        'Refusing to extract %r from %s: not a regular file, '
        'directory or link.' % (name, tar.name)
      )
  return members


def safe_extract_tar(tar_path, target_dir):
  """Extracts a (possibly compressed) tar archive after checking every member.

  All members are checked by `check_tar_members` before anything is written,
  and Python's own 'data' extraction filter is applied on top where available.

  Args:
    tar_path: The archive.
    target_dir: The directory to extract into (created if missing).

  Returns:
    `target_dir`.

  Raises:
    ValueError: if a member is unsafe (nothing is extracted then).
    IOError: if the archive cannot be read.
  """
  os.makedirs(target_dir, exist_ok=True)
  try:
    with tarfile.open(tar_path, 'r:*') as tar:
      members = check_tar_members(tar, target_dir)
      if hasattr(tarfile, 'data_filter'):
        tar.extractall(target_dir, members=members, filter='data')
      else:
        tar.extractall(target_dir, members=members)
  except tarfile.TarError as e:
    raise IOError(
      'Cannot read the tar archive %s: %s. Delete it and run '
      'again to download it afresh.' % (tar_path, e)
    ) from e
  return target_dir
