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
"""Atomic writes: all of a file, a directory or a set of files, or nothing.

Everything is written under a temporary name in the destination's own
directory and renamed (`os.replace`, `os.rename`) when complete:

  * `atomic_file` / `write_bytes`: one file (an export, a weight file, a
    download), replacing an existing one only when the new one is complete;
  * `atomic_directory`: one directory (a SavedModel), never over an existing
    one;
  * `staging_directory` and `move_files`: several files (a data set's
    shards, a checkpoint's data and index) written in a hidden directory
    beside them and moved into place in an order whose last file marks
    completion.

A killed or failed write thus leaves nothing under the final names, and
never half of a file. The temporary names start with '.' (and those of
`atomic_file` and `atomic_directory` end with '.tmp'), so that they are easy
to recognize and delete. Local paths only: renaming is atomic on one file
system, not on object stores.
"""

import contextlib
import os
import shutil
import tempfile


def _umask():
  mask = os.umask(0)
  os.umask(mask)
  return mask


def _check_parent(path, what):
  parent = os.path.dirname(os.path.abspath(path))
  if os.path.exists(parent) and not os.path.isdir(parent):
    raise ValueError(
      'Cannot write %s=%r: %r is not a directory' % (what, path, parent)
    )
  os.makedirs(parent, exist_ok=True)
  return parent


@contextlib.contextmanager
def atomic_file(path, what='output_file'):
  """Yields a temporary path; on success it becomes `path` (replacing it).

  Args:
    path: The final file name.
    what: How to name `path` in errors (e.g. the flag).

  Raises:
    ValueError: If `path` is a directory or its parent is a file.
  """
  if os.path.isdir(path):
    raise ValueError('%s=%r is a directory; give a file name' % (what, path))
  parent = _check_parent(path, what)
  fd, temp = tempfile.mkstemp(
    prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=parent
  )
  os.close(fd)
  try:
    yield temp
    # mkstemp made it private (0600); give it a new file's usual mode.
    os.chmod(temp, 0o666 & ~_umask())
    os.replace(temp, path)
  finally:
    if os.path.exists(temp):
      os.remove(temp)


def write_bytes(path, data, what='output_file'):
  """Writes `data` to `path` atomically (see `atomic_file`)."""
  with atomic_file(path, what) as temp:
    with open(temp, 'wb') as f:
      f.write(data)


@contextlib.contextmanager
def atomic_directory(path, what='saved_model_dir'):
  """Yields a temporary directory name; on success it is renamed `path`.

  The yielded name does not exist yet (`tf.saved_model.Builder` insists on
  creating its directory itself); whatever is written there is removed if
  the body fails.

  Raises:
    ValueError: If `path` exists already (a directory is never replaced:
      it may be another model) or its parent is a file.
  """
  if os.path.lexists(path):
    raise ValueError(
      '%s=%r exists already; remove it or choose another name' % (what, path)
    )
  parent = _check_parent(path, what)
  prefix = '.%s.' % os.path.basename(path)
  with staging_directory(parent, prefix, '.tmp') as holder:
    temp = os.path.join(holder, 'model')
    yield temp
    if os.path.lexists(path):
      raise ValueError(
        '%s=%r appeared while it was being written; the new '
        'model is not moved over it' % (what, path)
      )
    os.rename(temp, path)


@contextlib.contextmanager
def staging_directory(parent, prefix, suffix=''):
  """Yields a new directory in `parent`, removed on exit whatever happens.

  Args:
    parent: The directory of the final files (created if missing); being on
      the same file system makes moving them out of it atomic.
    prefix: The start of the new directory's name; start it with '.' to
      keep it out of glob patterns.
    suffix: The end of its name.
  """
  os.makedirs(parent, exist_ok=True)
  directory = tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent)
  try:
    yield directory
  finally:
    shutil.rmtree(directory, ignore_errors=True)


def move_files(moves):
  """Renames each (source, destination) pair in order, replacing files.

  Each rename is atomic; put the file whose presence marks a complete set
  (a data set's labels, a checkpoint's index) last.
  """
  for source, destination in moves:
    os.replace(source, destination)
