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
r"""Per-block output shape, parameters and GMACs of a registered network.

  python -m nets.summary resnet_v1_50 [--image_size=224] [--png=macs.png]

builds the network (graph only, batch 1, the registry's number of classes) at
its default image size and prints one row per part: `root` (the stem up to
`pool1`), `block1` ... `blockN`, and `head` (v2's `postnorm`, `pool5`,
`logits`); then the totals. Parameters are the trainable variables (the
registry's `num_params`; moving statistics are not parameters). MACs are the
convolution and matmul multiply-accumulates of `nets/graph_stats.py` (the
code the benchmark uses), per image.

What the numbers are, at 224x224:

  network           ours (slim layout)   torchvision layout
  resnet_v1_50      3.48 GMACs           4.09 (resnet50)
  resnet_v2_50      3.48                 -
  resnext_50_32x4d  3.50                 4.23 (resnext50_32x4d)

Ours equals slim's published figure for resnet_v1_50. The difference to
torchvision is where a block subsamples, not the parameters (they are equal):
slim puts the stride in the 3x3 convolution of the *last* unit of blocks 1-3,
torchvision (ResNet "v1.5") in the 3x3 of the *first* unit of blocks 2-4. So
in slim's layout the last unit's 3x3 and its 1x1 expansion, and the next
block's first 1x1 reduction, already run at the reduced resolution: at each of
the three block boundaries about 0.20 GMACs less for ResNet-50 (0.24 for the
wider ResNeXt-50 bottlenecks), 0.61 (0.73) in total. Built with torchvision's
stride placement, our units give its figures exactly (4,089,184,256 and
4,230,479,872 MACs).

The PNG bar chart of GMACs per part needs matplotlib, the optional extra
`plot` of setup.py (`pip install -e '.[plot]'`).
"""

import collections
import sys
import warnings

import numpy as np
import tensorflow.compat.v1 as tf

from nets import graph_stats
from nets import nets_factory
from nets import tf_compat

# One row of the table. output_shape: the part's output without the batch
# dimension; params: trainable parameters; macs: per image.
PartSummary = collections.namedtuple(
  'PartSummary', ['part', 'output_shape', 'params', 'macs']
)


def _part_outputs(ops, scope):
  """The output of each part: that of its last float op in graph order."""
  outputs = {}
  for op in ops:
    part = graph_stats.network_part(op.name, scope)
    if (
      part is not None
      and op.outputs
      and op.outputs[0].dtype.is_floating
      and (op.outputs[0].get_shape().ndims or 0) >= 2
    ):
      outputs[part] = op.outputs[0]
  return outputs


def summarize(model_name, image_size=None, num_classes=None, model_kwargs=None):
  """The per-part summary of a registered network (graph built, not run).

  Args:
    model_name: A registered network name.
    image_size: Input height and width; None for the default image size.
    num_classes: Classes of the head; None for the registry's
      (`params_num_classes`, whose parameter count is `num_params`).
    model_kwargs: Further keywords of the model function.

  Returns:
    A list of `PartSummary`, in the order root, block1, ..., head.

  Raises:
    ValueError: For an unknown network or a bad image size.
  """
  spec = nets_factory.get_spec(model_name)
  image_size = spec.default_image_size if image_size is None else image_size
  if (
    isinstance(image_size, bool)
    or not isinstance(image_size, int)
    or (image_size < 1)
  ):
    raise ValueError(
      'image_size must be a positive integer; got image_size=%r' % (image_size,)
    )
  if num_classes is None:
    num_classes = spec.params_num_classes
  with tf.Graph().as_default() as graph:
    network_fn = nets_factory.get_network_fn(model_name, num_classes)
    images = tf.placeholder(tf.float32, [1, image_size, image_size, 3])
    network_fn(images, **(model_kwargs or {}))
    ops = graph.get_operations()
    scope = nets_factory.default_scope(model_name)
    macs = graph_stats.macs_by_part(ops, scope)
    params = graph_stats.params_by_part(tf.trainable_variables(), scope)
    outputs = _part_outputs(ops, scope)
  parts = graph_stats.part_order(set(macs) | set(params) | set(outputs))
  return [
    PartSummary(
      part,
      tuple(outputs[part].get_shape().as_list()[1:])
      if part in outputs
      else None,
      params.get(part, 0),
      macs.get(part, 0),
    )
    for part in parts
  ]


def totals(rows):
  """(parameters, MACs) summed over the rows of `summarize`."""
  return (int(sum(r.params for r in rows)), int(sum(r.macs for r in rows)))


def format_summary(model_name, rows, image_size=None):
  """The rows of `summarize` as a text table with totals."""
  header = '%-8s %-18s %14s %9s %7s' % (
    'part',
    'output shape',
    'parameters',
    'GMACs',
    'MACs %',
  )
  total_params, total_macs = totals(rows)
  title = model_name + (
    '' if image_size is None else ' at %dx%d' % (image_size, image_size)
  )
  lines = [title, header, '-' * len(header)]
  for r in rows:
    shape = 'x'.join(str(d) for d in r.output_shape) if r.output_shape else '-'
    lines.append(
      '%-8s %-18s %14s %9.3f %6.1f%%'
      % (
        r.part,
        shape,
        '{:,}'.format(r.params),
        r.macs / 1e9,
        100.0 * r.macs / total_macs if total_macs else 0.0,
      )
    )
  lines.append('-' * len(header))
  lines.append(
    '%-8s %-18s %14s %9.3f %6.1f%%'
    % ('total', '', '{:,}'.format(total_params), total_macs / 1e9, 100.0)
  )
  return '\n'.join(lines)


def _pyplot():
  try:
    import matplotlib
  except ImportError:
    raise ImportError(
      'The --png chart needs matplotlib, the optional extra "plot": '
      "pip install -e '.[plot]' (or pip install matplotlib)"
    ) from None
  matplotlib.use('Agg')
  import matplotlib.pyplot as plt

  return plt


def plot_macs(model_name, rows, path):
  """Writes a bar chart of GMACs per part to `path` (a PNG file).

  Raises:
    ImportError: If matplotlib is not installed, saying how to install it.
  """
  plt = _pyplot()
  figure, axes = plt.subplots(figsize=(1.0 + 0.8 * len(rows), 3.5))
  gmacs = np.array([r.macs for r in rows]) / 1e9
  axes.bar([r.part for r in rows], gmacs, color='tab:blue')
  for i, value in enumerate(gmacs):
    axes.annotate(
      '%.2f' % value, (i, value), ha='center', va='bottom', fontsize=8
    )
  axes.set_ylabel('GMACs per image')
  axes.set_title('%s: %.2f GMACs' % (model_name, totals(rows)[1] / 1e9))
  figure.tight_layout()
  figure.savefig(path, dpi=100)
  plt.close(figure)


def main(argv):
  """`python -m nets.summary NAME [--image_size=N] [--png=FILE]`."""
  # Imported here: only the command line needs absl's app and flags.

  from absl import app
  from absl import flags

  if len(argv) != 2:
    raise app.UsageError(
      'Usage: python -m nets.summary NETWORK_NAME '
      '[--image_size=N] [--png=FILE]; known networks: %s'
      % ', '.join(nets_factory.network_names())
    )
  model_name = argv[1]
  image_size = flags.FLAGS.image_size
  try:
    rows = summarize(model_name, image_size)
  except ValueError as e:
    raise app.UsageError(str(e)) from e
  print(
    format_summary(
      model_name,
      rows,
      image_size or nets_factory.get_spec(model_name).default_image_size,
    )
  )
  if flags.FLAGS.png:
    try:
      plot_macs(model_name, rows, flags.FLAGS.png)
    except ImportError as e:
      sys.exit('error: %s' % e)
    print('wrote %s' % flags.FLAGS.png)


def define_flags():
  """The command line's flags (only defined when run as a program)."""
  from absl import flags

  flags.DEFINE_integer(
    'image_size', None, "Input size; default: the network's."
  )
  flags.DEFINE_string(
    'png',
    None,
    'Also write a bar chart of GMACs per block here (needs matplotlib).',
  )


if __name__ == '__main__':
  from absl import app as _app

  define_flags()
  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)
  # tf_slim's layers call Keras's deprecated `layer.apply`.
  warnings.filterwarnings('ignore', message='`layer.apply` is deprecated')
  _app.run(main, argv=sys.argv)
