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
r"""Times each gradient kind of utils/conv_gradients.py both ways, paired.

  python scripts/measure_conv_gradients.py --batch_size=32 --repeats=7
  python scripts/measure_conv_gradients.py --precision=bfloat16   # oneDNN

Collects the distinct convolutions with rewritten gradients
(`conv_gradients.conv_kind`) of the networks given (default resnet_v1_50,
and resnet_v1_50_tv whose projection shortcuts are strided), with how often
each occurs, and times, for every shape and gradient kind, TensorFlow's
kernel (Conv2DBackpropFilter or Conv2DBackpropInput; form 'conv') and the
form that utils/conv_gradients.py builds (a matmul, or for the 'kxk' kinds
a forward convolution; form 'new'), on random operands held in variables
of the precision's dtype. Each shape runs its rounds in turn; a round runs
the two forms of each kind back to back, in alternating order, so that both
see the same load on a shared machine.

Prints one line per shape (median milliseconds of each form, their GFLOP/s,
and the median over rounds of the per-round ratio conv / rewritten), then
per kind the ratio of the totals over the network (each shape's medians
times its count), and the kinds that `conv_gradients.AUTO_KINDS` should list
for this machine class by its rule (ratio at least `--threshold`).
"""

import argparse
import collections
import os
import statistics
import subprocess
import sys
import time

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
  sys.path.insert(0, _ROOT)

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

from nets import nets_factory  # noqa: E402
from nets import tf_compat  # noqa: E402
from utils import conv_gradients  # noqa: E402

# A convolution: input [n, h, w, c_in], c_out, stride, kernel (k_h, k_w).
Shape = collections.namedtuple(
  'Shape', ['x', 'c_out', 'stride', 'kernel'], defaults=[(1, 1)]
)


def network_shapes(model_names, batch_size):
  """Counter of the `Shape`s of the networks' convolutions with rewritten
  gradients (`conv_gradients.conv_kind`)."""
  shapes = collections.Counter()
  for name in model_names:
    spec = nets_factory.get_spec(name)
    size = spec.default_image_size
    with tf.Graph().as_default() as graph:
      network_fn = nets_factory.get_network_fn(name, 1000, is_training=True)
      network_fn(tf.placeholder(tf.float32, [batch_size, size, size, 3]))
      for op in graph.get_operations():
        if op.type != 'Conv2D' or not conv_gradients.conv_kind(op):
          continue
        x = tuple(op.inputs[0].shape.as_list())
        k_h, k_w, _, c_out = op.inputs[1].shape.as_list()
        shape = Shape(x, c_out, op.get_attr('strides')[1], (k_h, k_w))
        if shape.stride > 1 or name == model_names[0]:
          # Stride-1 shapes from the first network only: the others repeat
          # them.
          shapes[shape] += 1
  return shapes


def _gradient_ops(shape, dtype, seed):
  """{(kind, form): op} for one shape; forms 'conv' and 'new'."""
  n, h, w, c_in = shape.x
  s = shape.stride
  out = [n, -(-h // s), -(-w // s), shape.c_out]
  rng = np.random.RandomState(seed)

  def variable(dims):
    return tf.Variable(
      tf.cast(rng.uniform(-1, 1, dims).astype(np.float32), dtype)
    )

  x, dy, kernel = (
    variable(shape.x),
    variable(out),
    variable(list(shape.kernel) + [c_in, out[3]]),
  )
  # The form each kind rewrites; TensorFlow's kernel for the same gradient.
  if shape.kernel != (1, 1):
    rewritten = {
      'kxk_input': conv_gradients.input_gradient_as_conv(kernel, dy),
      'kxk_filter': conv_gradients.filter_gradient_as_conv(x, dy, shape.kernel),
    }
  elif s == 1:
    rewritten = {
      '1x1_filter': conv_gradients.filter_gradient_as_matmul(x, dy, (1, 1)),
      '1x1_input': conv_gradients.input_gradient_as_matmul(
        list(shape.x), kernel, dy
      ),
    }
  else:
    rewritten = {
      '1x1_strided_filter': conv_gradients.filter_gradient_as_matmul(
        x, dy, (s, s)
      )
    }
  attrs = dict(strides=[1, s, s, 1], padding='SAME')
  ops = {}
  for kind, new in rewritten.items():
    if kind.endswith('_input'):
      ops[(kind, 'conv')] = tf.raw_ops.Conv2DBackpropInput(
        input_sizes=list(shape.x), filter=kernel, out_backprop=dy, **attrs
      )
    else:
      ops[(kind, 'conv')] = tf.raw_ops.Conv2DBackpropFilter(
        input=x,
        filter_sizes=kernel.shape.as_list(),
        out_backprop=dy,
        **attrs,
      )
    ops[(kind, 'new')] = new
  return {key: op.op for key, op in ops.items()}


def measure(shapes, dtype, repeats, warmup=1):
  """{(shape, kind): {'conv': [s], 'new': [s]}} of paired rounds.

  Each shape has its own graph and session (only its operands in memory);
  its rounds run the two forms of each kind back to back, alternating
  which goes first.
  """
  times = collections.defaultdict(lambda: collections.defaultdict(list))
  for seed, shape in enumerate(sorted(shapes)):
    with tf.Graph().as_default():
      by_key = _gradient_ops(shape, dtype, seed)
      with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for round_index in range(warmup + repeats):
          for kind in dict.fromkeys(k for k, _ in by_key):
            forms = ['conv', 'new']
            if round_index % 2:
              forms.reverse()
            for form in forms:
              start = time.perf_counter()
              sess.run(by_key[(kind, form)])
              seconds = time.perf_counter() - start
              if round_index >= warmup:
                times[(shape, kind)][form].append(seconds)
  return times


def report(shapes, times, threshold):
  """The lines of the table, and the kinds at or above `threshold`."""
  lines = [
    '%-20s %-22s %6s %4s %10s %10s %8s %8s %7s'
    % (
      'kind',
      'input',
      'c_out',
      'x',
      'conv ms',
      'new ms',
      'conv GF',
      'new GF',
      'ratio',
    )
  ]
  totals = collections.defaultdict(lambda: [0.0, 0.0])
  for (shape, kind), forms in sorted(times.items(), key=lambda i: i[0][1]):
    conv = statistics.median(forms['conv'])
    new = statistics.median(forms['new'])
    paired = statistics.median(
      c / m for c, m in zip(forms['conv'], forms['new'])
    )
    n, h, w, c_in = shape.x
    s = shape.stride
    k_h, k_w = shape.kernel
    flops = 2.0 * n * -(-h // s) * -(-w // s) * c_in * shape.c_out * k_h * k_w
    lines.append(
      '%-20s %-22s %6d %4d %10.2f %10.2f %8.1f %8.1f %6.2fx'
      % (
        kind,
        'x'.join(map(str, shape.x))
        + (' k%d' % k_h if shape.kernel != (1, 1) else '')
        + (' /%d' % s if s > 1 else ''),
        shape.c_out,
        shapes[shape],
        1e3 * conv,
        1e3 * new,
        flops / conv / 1e9,
        flops / new / 1e9,
        paired,
      )
    )
    totals[kind][0] += shapes[shape] * conv
    totals[kind][1] += shapes[shape] * new
  lines.append('per kind, over the network (sum of count x median):')
  faster = []
  for kind in conv_gradients.KINDS:
    if kind not in totals:
      continue
    conv, new = totals[kind]
    lines.append(
      '  %-20s conv %8.1f ms  new %8.1f ms  conv / new %.2fx'
      % (kind, 1e3 * conv, 1e3 * new, conv / new)
    )
    if conv / new >= threshold:
      faster.append(kind)
  return lines, tuple(faster)


def _cpu_model():
  try:
    output = subprocess.run(
      ['lscpu'], capture_output=True, text=True, check=False
    ).stdout
  except OSError:
    return '?'
  for line in output.splitlines():
    if line.startswith('Model name:'):
      return line.split(':', 1)[1].strip()
  return '?'


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument(
    '--model_name',
    default='resnet_v1_50,resnet_v1_50_tv',
    help='Comma-separated networks whose convolutions are timed; '
    'stride-1 shapes from the first only.',
  )
  parser.add_argument('--batch_size', type=int, default=32)
  parser.add_argument('--repeats', type=int, default=7, help='Timed rounds.')
  parser.add_argument(
    '--precision', choices=('fp32', 'bfloat16'), default='fp32'
  )
  parser.add_argument(
    '--threshold',
    type=float,
    default=1.05,
    help='The conv / new ratio from which a kind counts as faster.',
  )
  args = parser.parse_args(argv)
  if args.batch_size < 1 or args.repeats < 1:
    parser.error(
      '--batch_size and --repeats must be positive; got %d and %d'
      % (args.batch_size, args.repeats)
    )
  tf_compat.enable_graph_mode()
  model_names = args.model_name.split(',')
  shapes = network_shapes(model_names, args.batch_size)
  dtype = tf.bfloat16 if args.precision == 'bfloat16' else tf.float32
  times = measure(shapes, dtype, args.repeats)
  lines, faster = report(shapes, times, args.threshold)
  print(
    '%s, machine class %s, %s, batch %d, %d paired rounds; load average '
    '%s'
    % (
      _cpu_model(),
      conv_gradients.machine_class(),
      args.precision,
      args.batch_size,
      args.repeats,
      ' '.join('%.2f' % v for v in os.getloadavg()),
    )
  )
  print('\n'.join(lines))
  print(
    'AUTO_KINDS[%r] by the rule (ratio >= %.2f): %r'
    % (conv_gradients.machine_class(), args.threshold, faster)
  )


if __name__ == '__main__':
  main()
