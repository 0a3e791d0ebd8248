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
  containers); `.safetensors` through the `safetensors` package's numpy API
  (no PyTorch needed); `.npz` (numpy, no pickles).
* Keras weights: `.h5` (Keras 2's files, as `keras.applications`
  distributes them), `.weights.h5` and `.keras`, loaded into the Keras
  application of that name built with `weights=None`
  (`keras.applications.ResNet50`, ...), whose variables are then read as
  "layer/weight" names. Keras needs eager execution: read before
  `tf_compat.enable_graph_mode()`.

Every error is a ValueError naming the file and what is wrong with it.
"""

import os
import zipfile

import numpy as np
import safetensors
import safetensors.numpy

from utils import files

TORCH_SUFFIXES = ('.pth', '.pt')
SAFETENSORS_SUFFIX = '.safetensors'
NPZ_SUFFIX = '.npz'
KERAS_SUFFIXES = ('.h5', '.keras')  # '.weights.h5' ends with '.h5'.


def _bfloat16_to_float32(data):
  """bfloat16 (little-endian bytes) widened to float32: its upper half."""
  bits = np.frombuffer(data, '<u2').astype(np.uint32)
  return (bits << 16).view(np.float32)


def read_safetensors(path):
  """Reads every tensor of a `.safetensors` file with the safetensors package.

  Args:
    path: The file.

  Returns:
    A dict tensor name -> numpy array (bfloat16, which numpy lacks, widened
    to float32).

  Raises:
    ValueError: If the file is not safetensors or is truncated, naming it and
      the safetensors package's reason.
  """
  try:
    with safetensors.safe_open(path, framework='np') as f:
      names = list(f.keys())
      bfloat16 = [n for n in names if f.get_slice(n).get_dtype() == 'BF16']
      tensors = {n: f.get_tensor(n) for n in names if n not in bfloat16}
    if bfloat16:
      # safetensors' numpy API cannot make bfloat16 arrays; its raw bytes.
      with open(path, 'rb') as f:
        raw = dict(safetensors.deserialize(f.read()))
      for name in bfloat16:
        array = _bfloat16_to_float32(raw[name]['data'])
        tensors[name] = array.reshape(raw[name]['shape'])
  except safetensors.SafetensorError as e:
    raise ValueError(
      '%r is not a safetensors file, or is truncated: %s' % (path, e)
    ) from None
  return tensors


def write_safetensors(path, tensors, metadata=None):
  """Writes a dict of numpy arrays as a `.safetensors` file, atomically.

  (For tests and for users who want a torch-free copy of a state dict.)
  """
  arrays = {name: np.ascontiguousarray(a) for name, a in tensors.items()}
  metadata = {str(k): str(v) for k, v in (metadata or {}).items()} or None
  with files.atomic_file(path, 'path') as temp:
    safetensors.numpy.save_file(arrays, temp, metadata=metadata)


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
