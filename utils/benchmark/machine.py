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
"""Where and how a benchmark ran: the CPU, its matrix units, the run.

`run_fields()` gives the flat fields every benchmark JSON line carries:
'run_date' (UTC, ISO-8601), 'run_commit' (the source tree's short git
commit, None outside a git checkout), 'run_command' (`python <script>
<args>`), 'cpu_model' and 'cpu_matrix_units' (the sorted
`MATRIX_UNIT_FLAGS` the CPU reports). Figures from CPUs with other matrix
units are not comparable.
"""

import datetime
import functools
import os
import platform
import shlex
import signal
import subprocess
import sys

# CPU flags (Linux /proc/cpuinfo names) of the units that multiply matrices
# in low precision; oneDNN picks its bfloat16 and int8 kernels by them.
MATRIX_UNIT_FLAGS = (
  'amx_bf16',  # Intel AMX tiles and their bfloat16 and int8 instructions.
  'amx_int8',
  'amx_tile',
  'avx512f',  # The AVX-512 foundation and its bfloat16, VNNI, float16.
  'avx512_bf16',
  'avx512_vnni',
  'avx512_fp16',
  'avx_vnni',
)

ROOT = os.path.dirname(
  os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)


def _cpuinfo_field(cpuinfo, name):
  """The value of the first `name : value` line of a cpuinfo text, or None."""
  for line in cpuinfo.splitlines():
    key, sep, value = line.partition(':')
    if sep and key.strip() == name:
      return value.strip()
  return None


def cpu_model(cpuinfo):
  """The CPU's model name in a /proc/cpuinfo text; None if it has none."""
  return _cpuinfo_field(cpuinfo, 'model name') or None


def matrix_units(cpuinfo):
  """The sorted `MATRIX_UNIT_FLAGS` present in a /proc/cpuinfo text."""
  flags = set((_cpuinfo_field(cpuinfo, 'flags') or '').split())
  return sorted(flags.intersection(MATRIX_UNIT_FLAGS))


def source_commit(root=ROOT):
  """`git rev-parse --short HEAD` in `root`; None if it is no git checkout."""
  command = ['git', 'rev-parse', '--short', 'HEAD']
  try:
    proc = subprocess.run(command, cwd=root, capture_output=True, text=True)
  except OSError:
    return None  # No git.
  return None if proc.returncode else proc.stdout.strip() or None


def command_line(argv=None, root=ROOT):
  """`python <script> <args>` as typed; the script relative to the source."""
  argv = list(sys.argv if argv is None else argv)
  if not argv:
    return None
  script = argv[0]
  if os.path.isabs(script) and script.startswith(root + os.sep):
    script = os.path.relpath(script, root)
  return shlex.join(['python', script] + argv[1:])


def describe(cpuinfo=None):
  """{'cpu_model': ..., 'cpu_matrix_units': [...]} of this machine (of
  the /proc/cpuinfo text `cpuinfo` if not None)."""
  if cpuinfo is None:
    try:
      with open('/proc/cpuinfo') as f:
        cpuinfo = f.read()
    except OSError:
      cpuinfo = ''  # Not Linux: the model from `platform`, no flags.
  return {
    'cpu_model': cpu_model(cpuinfo) or platform.processor() or None,
    'cpu_matrix_units': matrix_units(cpuinfo),
  }


def format_machine(machine):
  """One line: the CPU model and its matrix units (or 'none')."""
  return 'cpu: %s; matrix units: %s' % (
    machine.get('cpu_model') or 'unknown',
    ' '.join(machine.get('cpu_matrix_units') or ()) or 'none',
  )


def run_fields(argv=None, cpuinfo=None, now=None):
  """The flat fields of a benchmark JSON line (see the module docstring).

  Args:
    argv: The command line; None for `sys.argv`.
    cpuinfo: A /proc/cpuinfo text; None for this machine's.
    now: A timezone-aware datetime; None for now.
  """
  now = now or datetime.datetime.now(datetime.timezone.utc)
  fields = {
    'run_date': now.astimezone(datetime.timezone.utc).strftime(
      '%Y-%m-%dT%H:%M:%SZ'
    ),
    'run_commit': source_commit(),
    'run_command': command_line(argv),
  }
  fields.update(describe(cpuinfo))
  return fields


@functools.lru_cache(maxsize=1)
def _first_run_fields():
  return run_fields()


def this_run():
  """`run_fields()` of this process, computed once (at its first call)."""
  fields = _first_run_fields()
  return dict(fields, cpu_matrix_units=list(fields['cpu_matrix_units']))


def child_env(extra=None, drop=()):
  """This process's environment for a child running the project's code."""
  path = [ROOT] + [p for p in [os.environ.get('PYTHONPATH')] if p]
  env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
  for name in drop:
    env.pop(name, None)
  env.update(extra or {})
  return env


def exit_description(returncode):
  """How a child process (a worker, a conversion) ended, for its error
  message."""
  if returncode == -signal.SIGKILL:
    return (
      'killed by SIGKILL, on Linux usually the out-of-memory killer: '
      'try a smaller --batch_size, fewer settings at once (--precision, '
      '--runtime), or --nopaired to run one implementation at a time'
    )
  if returncode is not None and returncode < 0:
    return 'killed by signal %d' % -returncode
  return 'exit %s' % returncode
