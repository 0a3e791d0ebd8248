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
r"""Graph-building time of a network in the ways TF1-style programs use.

  python -m utils.benchmark.graph_build --model_name=resnet_v1_152 \
      --copies=1 --repeats=3

Each measurement builds `--copies` networks (training mode, batch 1, the
registry's image size) in one graph, in a fresh interpreter set up as
`SETUPS`; the table gives the median seconds and the ratio to graph_mode.
"""

import json
import statistics
import subprocess
import sys

from absl import app
from absl import flags
from absl import logging

from utils import flag_defs
from utils.benchmark import machine
from utils.flag_defs import tools

# graph_mode: `nets.tf_compat.enable_graph_mode()`, as our scripts;
# no_eager: `tf.compat.v1.disable_eager_execution()`, as slim-era programs;
# graph_in_eager: `with tf.Graph().as_default():` in an eager program, as
# slim's `tf.test.TestCase` tests.
SETUPS = ('graph_mode', 'no_eager', 'graph_in_eager')

# Runs in the child interpreter: argv = setup, model_name, copies.
_CHILD = r"""
import json, sys, time
setup, model_name, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
import tensorflow.compat.v1 as tf
from nets import nets_factory, tf_compat
if setup == 'graph_mode':
  tf_compat.enable_graph_mode()
elif setup == 'no_eager':
  tf.disable_eager_execution()
spec = nets_factory.get_spec(model_name)
size = spec.default_image_size
start = time.perf_counter()
with tf.Graph().as_default():
  for i in range(copies):
    network_fn = nets_factory.get_network_fn(model_name, 10, is_training=True)
    network_fn(tf.placeholder(tf.float32, [1, size, size, 3]),
               scope='copy_%d' % i)
print(json.dumps({'seconds': time.perf_counter() - start}))
"""


def build_seconds(setup, model_name, copies=1):
  """Seconds to build `copies` networks in one graph, in a fresh process.

  Raises:
    ValueError: On an unknown `setup` or a failed child (its error).
  """
  if setup not in SETUPS:
    raise ValueError('setup must be one of %s; got %r' % (SETUPS, setup))
  result = subprocess.run(
    [sys.executable, '-c', _CHILD, setup, model_name, str(copies)],
    cwd=machine.ROOT,
    env=machine.child_env({'TF_CPP_MIN_LOG_LEVEL': '2'}),
    capture_output=True,
    text=True,
    check=False,
  )
  if result.returncode:
    # The child's last line is its error; the rest goes to the debug log.
    logging.debug('Child stderr:\n%s', result.stderr)
    lines = result.stderr.strip().splitlines() or [
      'exit code %d' % result.returncode
    ]
    raise ValueError(
      'Building %s (%s) failed: %s' % (model_name, setup, lines[-1])
    )
  return json.loads(result.stdout.strip().splitlines()[-1])['seconds']


def measure(model_name, copies=1, repeats=3, setups=SETUPS):
  """Median build seconds per set-up; runs interleave the set-ups."""
  seconds = {setup: [] for setup in setups}
  for _ in range(repeats):
    for setup in setups:
      seconds[setup].append(build_seconds(setup, model_name, copies))
  return {setup: statistics.median(values) for setup, values in seconds.items()}


def format_table(model_name, copies, medians):
  lines = [
    '%s x%d: median build seconds (ratio to graph_mode)' % (model_name, copies)
  ]
  base = medians.get('graph_mode')
  for setup, value in medians.items():
    ratio = '' if not base else '  (%.2fx)' % (value / base)
    lines.append('  %-15s %7.2f%s' % (setup, value, ratio))
  return '\n'.join(lines)


def main(argv):
  # The networks are built in child interpreters, each in its own set-up:
  # this one stays out of graph mode (and TensorFlow).
  flag_defs.start_script(argv, flags.FLAGS, graph_mode=False)
  model_name = flags.FLAGS.model_name
  copies = flags.FLAGS.copies
  with flag_defs.exit_on_error('graph_build'):
    medians = measure(model_name, copies, flags.FLAGS.repeats)
  print(format_table(model_name, copies, medians))


if __name__ == '__main__':
  tools.define_graph_build_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this program's.
  flags.adopt_module_key_flags(tools)
  app.run(main)
