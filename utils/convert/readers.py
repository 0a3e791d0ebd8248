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
"""Reads the weight files `convert_weights.py` converts, into numpy dicts.

* torchvision state dicts: `.pth`/`.pt` through `torch.load(...,
  weights_only=True)` when PyTorch is installed (a pickle is never read any
  other way: `weights_only` refuses anything but tensors and plain
  containers); `.safetensors` with the small reader here (numpy only: the
  format is an 8-byte header length, a JSON header and the raw buffers; the
  `safetensors` package is not a dependency); `.npz` (numpy, no pickles).
* Keras weights: `.h5` (Keras 2's files, as `keras.applications`
  distributes them), `.weights.h5` and `.keras`, loaded into the Keras
  application of that name built with `weights=None`
  (`keras.applications.ResNet50`, ...), whose variables are then read as
  "layer/weight" names. Keras needs eager execution: read before
  `tf_compat.enable_graph_mode()`.

Every error is a ValueError naming the file and what is wrong with it.
"""

import json
import os
import struct
import tempfile
import zipfile

import numpy as np

TORCH_SUFFIXES = ('.pth', '.pt')
SAFETENSORS_SUFFIX = '.safetensors'
NPZ_SUFFIX = '.npz'
KERAS_SUFFIXES = ('.h5', '.keras')  # '.weights.h5' ends with '.h5'.

# safetensors dtype names -> numpy (little-endian); BF16 is widened below.
_SAFETENSORS_DTYPES = {
  'F64': '<f8',
  'F32': '<f4',
  'F16': '<f2',
  'BF16': '<u2',
  'I64': '<i8',
  'I32': '<i4',
  'I16': '<i2',
  'I8': 'i1',
  'U8': 'u1',
  'BOOL': '?',
}
_HEADER_LIMIT = 100 * 1024 * 1024  # The format's own limit (100 MB).


def _bfloat16_to_float32(bits):
  """bfloat16 is the upper half of a float32."""
  return (bits.astype(np.uint32) << 16).view(np.float32)


def read_safetensors(path):
  """Reads every tensor of a `.safetensors` file.

  Args:
    path: The file.

  Returns:
    A dict tensor name -> numpy array (bfloat16 widened to float32).

  Raises:
    ValueError: If the file is not safetensors, or is truncated (the message
      names the first tensor whose bytes are missing).
  """
  size = os.path.getsize(path)
  with open(path, 'rb') as f:
    head = f.read(8)
    if len(head) < 8:
      raise ValueError(
        '%r is not a safetensors file: %d bytes, less than '
        'the 8-byte header length' % (path, size)
      )
    (header_size,) = struct.unpack('<Q', head)
    if header_size > min(size - 8, _HEADER_LIMIT):
      raise ValueError(
        '%r is not a safetensors file, or is truncated: its header would '
        'have %d bytes, the file has %d' % (path, header_size, size)
      )
    try:
      header = json.loads(f.read(header_size).decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
      raise ValueError(
        '%r is not a safetensors file: its header is not JSON (%s)' % (path, e)
      ) from None
    if not isinstance(header, dict):
      raise ValueError(
        '%r is not a safetensors file: its header is not a '
        'JSON object' % (path,)
      )
    start = 8 + header_size
    tensors = {}
    for name, info in header.items():
      if name == '__metadata__':
        continue
      try:
        dtype = np.dtype(_SAFETENSORS_DTYPES[info['dtype']])
        shape = [int(d) for d in info['shape']]
        begin, end = (int(o) for o in info['data_offsets'])
      except (KeyError, TypeError, ValueError):
        raise ValueError(
          '%r: tensor %r has a bad header entry %r' % (path, name, info)
        ) from None
      count = int(np.prod(shape, dtype=np.int64))
      if end - begin != count * dtype.itemsize or begin < 0:
        raise ValueError(
          '%r: tensor %r of shape %s and dtype %s needs %d bytes; its '
          'offsets [%d, %d) hold %d'
          % (
            path,
            name,
            shape,
            info['dtype'],
            count * dtype.itemsize,
            begin,
            end,
            end - begin,
          )
        )
      if start + end > size:
        raise ValueError(
          '%r is truncated: tensor %r ends at byte %d, the file has %d '
          'bytes' % (path, name, start + end, size)
        )
      f.seek(start + begin)
      array = np.frombuffer(f.read(end - begin), dtype).reshape(shape)
      if info['dtype'] == 'BF16':
        array = _bfloat16_to_float32(array)
      tensors[name] = array
  return tensors


def _safetensors_dtype(array):
  for name, dtype in _SAFETENSORS_DTYPES.items():
    if name != 'BF16' and np.dtype(dtype) == array.dtype.newbyteorder('<'):
      return name
  raise ValueError('safetensors cannot store dtype %s' % array.dtype)


def write_safetensors(path, tensors, metadata=None):
  """Writes a dict of numpy arrays as a `.safetensors` file, atomically.

  (For tests and for users who want a torch-free copy of a state dict; the
  `safetensors` package writes the same format.)
  """
  header = {}
  offset = 0
  arrays = []
  for name in sorted(tensors):
    array = np.ascontiguousarray(tensors[name])
    array = array.astype(array.dtype.newbyteorder('<'))
    header[name] = {
      'dtype': _safetensors_dtype(array),
      'shape': list(array.shape),
      'data_offsets': [offset, offset + array.nbytes],
    }
    offset += array.nbytes
    arrays.append(array)
  if metadata:
    header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
  text = json.dumps(header, separators=(',', ':')).encode('utf-8')
  text += b' ' * (-len(text) % 8)  # Align the buffers, as the format does.
  directory = os.path.dirname(os.path.abspath(path))
  fd, temp = tempfile.mkstemp(
    dir=directory, prefix='.tmp-', suffix=SAFETENSORS_SUFFIX
  )
  try:
    with os.fdopen(fd, 'wb') as f:
      f.write(struct.pack('<Q', len(text)))
      f.write(text)
      for array in arrays:
        f.write(array.tobytes())
    os.replace(temp, path)
  except BaseException:
    if os.path.exists(temp):
      os.remove(temp)
    raise


def read_npz(path):
  """Reads a `.npz` of arrays (pickled objects are refused)."""
  try:
    with np.load(path, allow_pickle=False) as data:
      return {name: data[name] for name in data.files}
  except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
    raise ValueError(
      'Cannot read %r as a .npz of arrays (truncated or not '
      "numpy's format?): %s" % (path, e)
    ) from None


def read_torch(path):
  """Reads a torch state dict with `torch.load(..., weights_only=True)`.

  A dict holding the state dict under 'state_dict' or 'model' (training
  checkpoints) is unwrapped.

  Raises:
    ValueError: If PyTorch is not installed (the message says how to make a
      `.safetensors` copy instead), or the file is no state dict.
  """
  try:
    import torch
  except ImportError:
    raise ValueError(
      'Reading %r needs PyTorch (pip install torch). Without it, convert '
      'a .safetensors copy: on a machine with torch, '
      'safetensors.torch.save_file(torch.load(%r, weights_only=True), '
      "'weights.safetensors')" % (path, path)
    ) from None
  try:
    # weights_only: tensors and plain containers only, never arbitrary
    # pickled objects.
    state = torch.load(path, map_location='cpu', weights_only=True)
  except Exception as e:
    raise ValueError(
      'Cannot read %r as a torch state dict (truncated, or '
      'not saved by torch.save?): %s: %s' % (path, type(e).__name__, e)
    ) from None
  for key in ('state_dict', 'model'):
    if isinstance(state, dict) and isinstance(state.get(key), dict):
      state = state[key]
  if not isinstance(state, dict):
    raise ValueError(
      '%r holds a %s, not a state dict' % (path, type(state).__name__)
    )
  tensors = {}
  for name, value in state.items():
    if not isinstance(value, torch.Tensor):
      raise ValueError(
        '%r: %r is a %s, not a tensor' % (path, name, type(value).__name__)
      )
    value = value.detach().cpu()
    if value.dtype == torch.bfloat16:
      value = value.float()
    tensors[name] = value.numpy()
  return tensors


def read_keras(path, application):
  """Reads Keras weights through the Keras application they belong to.

  Args:
    path: A `.h5`, `.weights.h5` or `.keras` file.
    application: The name of the model in `keras.applications` (`ResNet50`,
      `ResNet50V2`, ...).

  Returns:
    A dict "layer_name/weight_name" (e.g. 'conv1_conv/kernel') -> array.

  Raises:
    ValueError: If eager execution is off, or the file does not load into
      that model (truncated, or another model's weights).
  """
  import tensorflow as tf

  if not tf.executing_eagerly():
    raise ValueError(
      'Reading Keras weights needs eager execution; read %r '
      'before tf_compat.enable_graph_mode() (or in a process '
      'without it)' % (path,)
    )
  import keras

  model = getattr(keras.applications, application)(
    weights=None, classifier_activation=None
  )
  try:
    model.load_weights(path)
  except Exception as e:
    raise ValueError(
      'Cannot load %r into keras.applications.%s (weights=None, '
      '1000 classes): %s: %s. Is it a %s weights file, and '
      'whole?' % (path, application, type(e).__name__, e, application)
    ) from None
  return {
    '%s/%s' % (layer.name, weight.name): np.asarray(weight.numpy())
    for layer in model.layers
    for weight in layer.weights
  }


def read_source(path, keras_application=None):
  """Reads a weight file by its suffix.

  Args:
    path: A `.pth`/`.pt`, `.safetensors`, `.npz`, `.h5`/`.weights.h5` or
      `.keras` file.
    keras_application: For Keras files, the `keras.applications` model.

  Returns:
    A dict tensor name -> numpy array.

  Raises:
    ValueError: On a missing file, an unknown suffix or an unreadable file.
  """
  if not os.path.isfile(path):
    raise ValueError('No weight file at %r' % (path,))
  lower = path.lower()
  if lower.endswith(TORCH_SUFFIXES):
    return read_torch(path)
  if lower.endswith(SAFETENSORS_SUFFIX):
    return read_safetensors(path)
  if lower.endswith(NPZ_SUFFIX):
    return read_npz(path)
  if lower.endswith(KERAS_SUFFIXES):
    if keras_application is None:
      raise ValueError(
        '%r is a Keras file, but the network takes torchvision '
        'weights (.pth, .safetensors or .npz)' % (path,)
      )
    return read_keras(path, keras_application)
  raise ValueError(
    'Unknown weight file suffix of %r; expected one of %s'
    % (
      path,
      ', '.join(
        TORCH_SUFFIXES + (SAFETENSORS_SUFFIX, NPZ_SUFFIX) + KERAS_SUFFIXES
      ),
    )
  )
