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
unless the caller accepts unverified archives), and tar archives are
extracted with Python's 'data' filter, which refuses `..` escapes, links
that point outside the target directory and special files.
"""

import collections
import hashlib
import os
import socket
import tarfile
import urllib.error
import urllib.request

from absl import logging

from utils import files

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

  The data go to a temporary file beside `path`, renamed to `path` once
  complete (`utils/files.py`), so an interrupted download never looks like
  an archive.

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
  errors = []
  for url in urls:
    logging.info('Downloading %s to %s', url, path)
    try:
      with (
        files.atomic_file(path, 'path') as partial,
        urllib.request.urlopen(url, timeout=timeout) as response,
        open(partial, 'wb') as out,
      ):
        for chunk in iter(lambda: response.read(_CHUNK_BYTES), b''):
          out.write(chunk)
      return path
    except (urllib.error.URLError, socket.timeout, OSError) as e:
      errors.append('%s: %s' % (url, e))
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


def _refusal(error, tar_path):
  """The one-line message for the 'data' filter's refusal of a member."""
  member = error.tarinfo
  if isinstance(error, tarfile.OutsideDestinationError):
    reason = 'the path leaves the target directory'
  elif isinstance(error, tarfile.AbsolutePathError):
    reason = 'absolute path'
  elif isinstance(
    error, (tarfile.AbsoluteLinkError, tarfile.LinkOutsideDestinationError)
  ):
    reason = '%s link to %r points outside the target directory' % (
      'symbolic' if member.issym() else 'hard',
      member.linkname,
    )
  elif isinstance(error, tarfile.SpecialFileError):
    reason = 'not a regular file, directory or link'
  else:
    reason = str(error)
  return 'Refusing to extract %r from %s: %s.' % (member.name, tar_path, reason)


def safe_extract_tar(tar_path, target_dir):
  """Extracts a (possibly compressed) tar archive with the 'data' filter.

  Python's `tarfile.data_filter` (PEP 706) decides what is safe: it refuses
  paths and links that leave `target_dir`, absolute links and special files
  (devices, FIFOs), strips a leading '/' from names and drops ownership and
  unsafe permission bits. It judges every member before anything is written,
  so a refused archive extracts nothing.

  Args:
    tar_path: The archive.
    target_dir: The directory to extract into (created if missing).

  Returns:
    `target_dir`.

  Raises:
    ValueError: if the filter refuses a member, naming it and why (nothing is
      extracted then).
    IOError: if the archive cannot be read.
  """
  os.makedirs(target_dir, exist_ok=True)
  try:
    with tarfile.open(tar_path, 'r:*') as tar:
      members = tar.getmembers()
      for member in members:
        tarfile.data_filter(member, target_dir)
      tar.extractall(target_dir, members=members, filter='data')
  except tarfile.FilterError as e:
    raise ValueError(_refusal(e, tar_path)) from None
  except tarfile.TarError as e:
    raise IOError(
      'Cannot read the tar archive %s: %s. Delete it and run '
      'again to download it afresh.' % (tar_path, e)
    ) from e
  return target_dir
