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
"""Converts torchvision and Keras ResNet weights into slim checkpoints.

`convert(model_name, source_file, output_checkpoint)` reads the file
(`readers`), maps every tensor onto the network's variable names
(`weight_map`), builds the network `model_name` of nets/nets_factory.py in a
graph of its own, checks that every variable gets a value of its shape, and
saves them with a `tf.train.Saver` under the prefix `output_checkpoint`: the
files `<prefix>.index` and `<prefix>.data-00000-of-00001`, which
`--checkpoint_path` of the training, evaluation and export scripts and
name-based loaders accept. The head has the source's 1000 classes.

Atomicity (`utils/files.py`): the checkpoint is written into a temporary
directory beside the output, its data file is renamed into place first and
its index last, and the temporary directory is removed whatever happens. A
checkpoint exists only once its index does, so an interrupted conversion
leaves no checkpoint under the final name (at worst, if killed between the
two renames, a data file without an index, which no loader takes for a
checkpoint).

Typical use (the script convert_weights.py does this):

  convert_lib.convert('resnet_v1_50_tv', 'resnet50-11ad3fa6.pth',
                      '/tmp/resnet_v1_50_tv/model.ckpt')
"""

import os

import tensorflow.compat.v1 as tf

from nets import nets_factory
from utils import files
from utils.convert import readers
from utils.convert import weight_map


def read_values(model_name, source_file):
  """The variable values of `model_name` from a weight file.

  Args:
    model_name: A network of `weight_map.SOURCES`.
    source_file: Its weights (see `readers.read_source` for the formats).

  Returns:
    (values, provenance), as `weight_map.source_to_slim`.

  Raises:
    ValueError: On an unknown model name, or a file that cannot be read or
      does not hold that network's weights.
  """
  source = weight_map.get_source(model_name)
  application = source.source_model if source.kind.startswith('keras') else None
  tensors = readers.read_source(source_file, application)
  return weight_map.source_to_slim(
    model_name, tensors, 'source_file=%r' % (source_file,)
  )


def _network_variables(model_name, num_classes):
  """Builds `model_name` in the default graph; its variables by name."""
  network_fn = nets_factory.get_network_fn(model_name, num_classes)
  size = network_fn.default_image_size
  network_fn(tf.placeholder(tf.float32, [None, size, size, 3]))
  return {v.op.name: v for v in tf.global_variables()}


def check_values(variables, values, provenance):
  """Raises ValueError unless `values` fit `variables` exactly.

  Args:
    variables: A dict name -> variable of the network.
    values: A dict name -> array.
    provenance: A dict name -> the source tensors of the value.
  """
  missing = sorted(set(variables) - set(values))
  unused = sorted(set(values) - set(variables))
  if missing or unused:
    raise ValueError(
      'The converted weights do not match the network: %d variables '
      'without a value (e.g. %s), %d values without a variable (e.g. %s)'
      % (len(missing), missing[:3], len(unused), unused[:3])
    )
  for name, variable in sorted(variables.items()):
    expected = variable.shape.as_list()
    if list(values[name].shape) != expected:
      raise ValueError(
        'Shape mismatch for %r (from source tensor %s): the network has '
        '%s, the converted value %s. Is model_name right for this file?'
        % (
          name,
          ' and '.join(repr(s) for s in provenance.get(name, ())),
          expected,
          list(values[name].shape),
        )
      )


def save_checkpoint(values, variables, output_checkpoint):
  """Saves `values` into `variables`' checkpoint at the prefix, atomically.

  See the module docstring for how the files are put in place.

  Returns:
    The checkpoint prefix `output_checkpoint`.
  """
  output_checkpoint = os.path.abspath(output_checkpoint)
  directory = os.path.dirname(output_checkpoint)
  prefix = '.%s.tmp-' % os.path.basename(output_checkpoint)
  with files.staging_directory(directory, prefix) as temp_dir:
    temp_prefix = os.path.join(temp_dir, 'ckpt')
    feeds = {}
    for name, variable in variables.items():
      feeds[variable.initializer.inputs[1]] = values[name]
    saver = tf.train.Saver(var_list=variables, write_version=2)
    with tf.Session() as session:
      # One run for all variables: the initializers fed the values.
      session.run([v.initializer for v in variables.values()], feed_dict=feeds)
      saver.save(
        session, temp_prefix, write_meta_graph=False, write_state=False
      )
    written = sorted(os.listdir(temp_dir))
    index = 'ckpt.index'
    if index not in written:
      raise ValueError(
        'The Saver wrote no index in %r (got %s)' % (temp_dir, written)
      )
    files.move_files(
      (os.path.join(temp_dir, name), output_checkpoint + name[len('ckpt') :])
      for name in [n for n in written if n != index] + [index]
    )
  return output_checkpoint


def convert(model_name, source_file, output_checkpoint):
  """Converts a weight file into a slim checkpoint of `model_name`.

  Args:
    model_name: A network of `weight_map.SOURCES` (`resnet_v1_50_tv`,
      `resnet_v2_50_keras`, ...).
    source_file: The weights: torchvision (`.pth`/`.pt`, `.safetensors`,
      `.npz`) or Keras (`.h5`, `.weights.h5`, `.keras`), see `readers`.
    output_checkpoint: The checkpoint prefix to write.

  Returns:
    A dict: 'checkpoint' (the prefix), 'num_variables', 'num_classes',
    'num_params' (trainable parameters written).

  Raises:
    ValueError: If the name is not convertible, the file cannot be read or
      does not hold the network's weights (the message names the tensor).
  """
  values, provenance = read_values(model_name, source_file)
  num_classes = values[model_name + '/logits/biases'].shape[0]
  with tf.Graph().as_default():
    variables = _network_variables(model_name, num_classes)
    check_values(variables, values, provenance)
    trainable = {v.op.name for v in tf.trainable_variables()}
    prefix = save_checkpoint(values, variables, output_checkpoint)
  return {
    'checkpoint': prefix,
    'num_variables': len(variables),
    'num_classes': int(num_classes),
    'num_params': int(sum(values[n].size for n in trainable)),
  }
