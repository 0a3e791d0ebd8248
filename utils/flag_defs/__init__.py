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
"""The flags of every script, and how the scripts start and fail.

All command-line flags live in this package, as `define_<script>_flags(fv)`
functions (slim's names, meanings and defaults where slim has the flag),
called only by the scripts, never at a library import, so tests define them
on their own `flags.FlagValues()`:

  train_eval.define_train_flags   train_image_classifier.py
  train_eval.define_eval_flags    eval_image_classifier.py
  tools.define_download_and_convert_flags
                                  download_and_convert_data.py
  tools.define_export_flags       export_inference_graph.py
  tools.define_benchmark_flags    benchmark_networks.py
  tools.define_pipeline_benchmark_flags
                                  python -m utils.benchmark.pipeline_benchmark
  tools.define_graph_build_flags  python -m utils.benchmark.graph_build
  tools.define_launch_cluster_flags
                                  python -m utils.distributed.launch_cluster
  train_eval.define_tf2_train_flags
                                  python -m utils.training.tf2_train

(`python -m nets.summary` defines its two flags itself: nets/ does not import
utils/.) A script adopts its module's flags as its own key flags, so --help
lists them. configs.py turns the parsed flags into the settings objects the
library takes (utils/training/config.py, utils/export/config.py). Importing
the package loads no TensorFlow: the cluster launcher starts here too and
stays light.

Every script's main() begins with `start_script` and runs inside
`exit_on_error`: an expected failure (bad input, missing data, a corrupt
record, no network) ends as one line `<script>: error: <message>`, exit code
1 (--verbosity=1 also logs the traceback).
"""

import contextlib
import logging as std_logging
import sys
import warnings

from absl import app
from absl import flags
from absl import logging


def start_script(
  argv,
  fv=flags.FLAGS,
  graph_mode=True,
  positional=False,
  quiet_tensorflow=False,
):
  """What every script's main() does first.

  Refuses positional arguments (unless the script takes them), logs at INFO
  unless --verbosity was given, keeps TensorFlow's messages from being
  printed twice (its logger has its own stderr handler and also propagates
  to absl's), and turns on TF1 graph semantics
  (`nets.tf_compat.enable_graph_mode`) for the scripts that build graphs.

  Args:
    argv: main()'s argv.
    fv: The parsed flags.
    graph_mode: Turn on graph mode (imports TensorFlow).
    positional: The script takes positional arguments (argv[1:]).
    quiet_tensorflow: Hide TensorFlow's own INFO and WARNING messages (TF1
      deprecation notices) and tf_slim's `layer.apply` deprecation warning.

  Raises:
    app.UsageError: On positional arguments the script does not take.
  """
  if len(argv) > 1 and not positional:
    raise app.UsageError('Unexpected arguments: %s' % ' '.join(argv[1:]))
  if not fv['verbosity'].present:
    logging.set_verbosity(logging.INFO)
  # TensorFlow's logger is the standard 'tensorflow' logger; it has handlers
  # only if TensorFlow was imported before absl configured logging.
  tf_logger = std_logging.getLogger('tensorflow')
  for handler in list(tf_logger.handlers):
    tf_logger.removeHandler(handler)
  if quiet_tensorflow:
    tf_logger.setLevel(std_logging.ERROR)
    # tf_slim's layers call Keras's deprecated `layer.apply`.
    warnings.filterwarnings('ignore', message='`layer.apply` is deprecated')
  if graph_mode:
    from nets import tf_compat

    tf_compat.enable_graph_mode()


@contextlib.contextmanager
def exit_on_error(script, errors=(ValueError, IOError)):
  """Ends the script with one line `<script>: error: <message>` on `errors`.

  For the failures a user can fix (bad input, missing files, corrupt data, no
  network), whose messages say what and how: a traceback would bury them. It
  is logged at DEBUG level (--verbosity=1).

  Args:
    script: The script's name, e.g. 'train_image_classifier.py'.
    errors: The exception types to catch.

  Raises:
    SystemExit: with the message (exit code 1) on one of `errors`.
  """
  try:
    yield
  except errors as e:
    logging.debug('Traceback of the error:', exc_info=True)
    message = ' '.join(str(e).split('\n'))
    sys.exit('%s: error: %s' % (script, message))
