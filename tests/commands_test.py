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
"""Every command that scripts/demo.sh and the documentation show exists.

The commands are read from the files when the test runs: the demo's
`"$PY" ...` runs and the programs it names in `$(dirname "$PY")/NAME` (the
TensorBoard line it prints at the end), and in README.md and docs/*.md the
lines of ```sh blocks and the inline code spans that are commands. Each must
exist in the environment `make` builds, the one running this test:

  * `python SCRIPT.py` (also `.venv/bin/python`, `"$PY"`): the script is in
    the repository, unless its name starts with `my_` (the reader's own
    program, e.g. `python my_tf2_program.py`);
  * `python -m MODULE`: `importlib.util.find_spec` finds the module;
  * `.venv/bin/NAME`, `$(dirname "$PY")/NAME` or `NAME`: an executable in the
    environment's bin directory (for NAME, also one on PATH);
  * `make TARGET`: the Makefile has the target.
"""

import glob
import importlib.util
import os
import re
import shlex
import shutil
import sys

from absl.testing import absltest
from absl.testing import parameterized

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_DIR = os.path.dirname(sys.executable)
_PYTHONS = ('python', 'python3', '.venv/bin/python', '$PY')
_VENV_PREFIXES = ('.venv/bin/', '$(dirname "$PY")/')
# Shell words that start a line of a shell block but name no program.
_SHELL_WORDS = {'cd', 'export', 'set', 'for', 'do', 'done', 'if', 'then', 'fi'}
_ASSIGNMENT = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*=')
# An inline code span that starts like a command (after VAR=value words).
_INLINE_COMMAND = re.compile(
  r'^(?:[A-Z_][A-Z0-9_]*=\S+\s+)*'
  r'(?:python3?\s|\.venv/bin/|make\s|make$|tensorboard\s)'
)


def _words(command):
  """The command's words without leading VAR=value assignments."""
  words = shlex.split(command, comments=True)
  while words and _ASSIGNMENT.match(words[0]):
    words.pop(0)
  return words


def _sh_block_commands(text):
  """The commands of the ```sh blocks of a markdown text (joined lines)."""
  commands, block, pending = [], False, ''
  for line in text.splitlines():
    if line.startswith('```'):
      block = line.strip() in ('```sh', '```bash', '```shell') and not block
      pending = ''
      continue
    if not block:
      continue
    pending += line.rstrip()
    if pending.endswith('\\'):
      pending = pending[:-1] + ' '
      continue
    try:
      shlex.split(pending, comments=True)
    except ValueError:  # A quoted string goes on on the next line.
      pending += '\n'
      continue
    if pending.strip() and not pending.lstrip().startswith('#'):
      commands.append(pending.strip())
    pending = ''
  return commands


def _inline_commands(text):
  """The inline code spans of a markdown text that are commands."""
  outside_blocks = re.sub(r'(?ms)^```.*?^```', '', text)
  return [
    span
    for span in re.findall(r'`([^`\n]+)`', outside_blocks)
    if _INLINE_COMMAND.match(span)
  ]


def documented_commands():
  """(file, command) for every command README.md and docs/*.md show."""
  paths = [os.path.join(ROOT, 'README.md')] + sorted(
    glob.glob(os.path.join(ROOT, 'docs', '*.md'))
  )
  found = []
  for path in paths:
    with open(path) as f:
      text = f.read()
    name = os.path.relpath(path, ROOT)
    found += [
      (name, c) for c in _sh_block_commands(text) + _inline_commands(text)
    ]
  return found


def demo_commands():
  """('scripts/demo.sh', command) for what the demo runs and prints."""
  with open(os.path.join(ROOT, 'scripts', 'demo.sh')) as f:
    text = f.read()
  runs = re.findall(r'"\$PY" +(-m +[\w.]+|-c|[\w./-]+\.py)', text)
  programs = re.findall(r'\$\(dirname "\$PY"\)/([\w.-]+)', text)
  return [('scripts/demo.sh', 'python ' + run) for run in runs] + [
    ('scripts/demo.sh', '.venv/bin/' + name) for name in programs
  ]


def _make_targets():
  with open(os.path.join(ROOT, 'Makefile')) as f:
    return set(re.findall(r'^([\w.-]+):', f.read(), re.M))


def missing(command):
  """Why `command` does not exist in this environment, or None."""
  words = _words(command)
  if not words or words[0] in _SHELL_WORDS:
    return None
  program = words[0]
  if program in _PYTHONS:
    if len(words) < 2 or words[1] == '-c':
      return None
    if words[1] == '-m':
      module = words[2] if len(words) > 2 else ''
      try:
        found = importlib.util.find_spec(module) is not None
      except (ImportError, ValueError):  # No parent package; no name.
        found = False
      return None if found else 'no module %r' % module
    if os.path.basename(words[1]).startswith('my_'):  # The reader's own.
      return None
    if not os.path.isfile(os.path.join(ROOT, words[1])):
      return 'no script %s in the repository' % words[1]
    return None
  if program == 'make':
    targets = [w for w in words[1:] if not w.startswith('-') and '=' not in w]
    unknown = sorted(set(targets) - _make_targets())
    return 'no make target %s' % ', '.join(unknown) if unknown else None
  for prefix in _VENV_PREFIXES:
    if program.startswith(prefix):
      name = program[len(prefix) :]
      if not os.access(os.path.join(BIN_DIR, name), os.X_OK):
        return 'no executable %s in %s' % (name, BIN_DIR)
      return None
  if os.access(os.path.join(BIN_DIR, program), os.X_OK) or shutil.which(
    program
  ):
    return None
  return 'no program %s' % program


class CommandsTest(parameterized.TestCase):
  def test_documentation_and_demo_show_commands(self):
    # The parsing finds the commands at all (the demo's TensorBoard line).
    self.assertIn(('scripts/demo.sh', '.venv/bin/tensorboard'), demo_commands())
    self.assertNotEmpty(documented_commands())

  def test_every_shown_command_exists(self):
    problems = [
      '%s: %s (%s)' % (name, command, why)
      for name, command in demo_commands() + documented_commands()
      for why in [missing(command)]
      if why
    ]
    self.assertEqual([], problems)

  @parameterized.named_parameters(
    ('script', 'python train_image_classifier.py --help', None),
    ('module', 'python -m utils.training.tf2_train', None),
    ('readers_program', 'python my_program.py', None),
    ('venv_program', '.venv/bin/tensorboard --logdir=runs/x', None),
    ('assignments', 'PRECISION=bfloat16 make demo', None),
    ('no_script', 'python train_image.py', 'no script train_image.py'),
    ('no_module', 'python -m utils.nothing_here', "no module 'utils.nothing"),
    ('no_package', 'python -m nothing.here', "no module 'nothing.here'"),
    ('no_venv_program', '.venv/bin/tensorbored', 'no executable tensorbored'),
    ('no_target', 'make tests', 'no make target tests'),
    ('no_program', 'slim-train --help', 'no program slim-train'),
  )
  def test_missing(self, command, reason):
    if reason is None:
      self.assertIsNone(missing(command))
    else:
      self.assertStartsWith(missing(command), reason)

  def test_parsing(self):
    text = '\n'.join(
      [
        'Run `make demo`, then `python -m nets.summary NAME`; `x = 1`.',
        '```sh',
        '# a comment',
        'python train_image_classifier.py --a=1 \\',
        '    --b=2',
        'X=\'{"a": 1,',
        '   "b": 2}\' python -m nets.summary',
        '```',
        '```python',
        'python = 3',
        '```',
      ]
    )
    self.assertEqual(
      [
        'python train_image_classifier.py --a=1      --b=2',
        'X=\'{"a": 1,\n   "b": 2}\' python -m nets.summary',
      ],
      _sh_block_commands(text),
    )
    self.assertEqual(
      ['make demo', 'python -m nets.summary NAME'], _inline_commands(text)
    )


if __name__ == '__main__':
  absltest.main()
