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
"""The public functions outside nets/ take at most 10 parameters.

Settings travel as the frozen dataclasses of utils/training/config.py and
utils/export/config.py, not as dozens of keywords; the networks keep slim's
signatures, so nets/ is not walked. Read from the source with `ast`: a
public function is a module-level function or a method of a module-level
class whose names do not start with '_' (`__init__` counts as public);
`self` and `cls` are not counted, `*args` and `**kwargs` count one each.
"""

import ast
import os

from absl.testing import absltest
from absl.testing import parameterized

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_PARAMETERS = 10


def count_parameters(args):
  """The parameters of an `ast.arguments`, as the module docstring counts."""
  names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
  if names and names[0] in ('self', 'cls'):
    names = names[1:]
  return len(names) + (args.vararg is not None) + (args.kwarg is not None)


def public_functions(tree):
  """Yields (qualified name, node) of the public functions of a module."""
  for node in tree.body:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
      if not node.name.startswith('_'):
        yield node.name, node
    elif isinstance(node, ast.ClassDef) and not node.name.startswith('_'):
      for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
          not item.name.startswith('_') or item.name == '__init__'
        ):
          yield '%s.%s' % (node.name, item.name), item


def source_files():
  """The top-level scripts and every module of utils/."""
  paths = sorted(n for n in os.listdir(_ROOT) if n.endswith('.py'))
  for directory, _, names in os.walk(os.path.join(_ROOT, 'utils')):
    relative = os.path.relpath(directory, _ROOT)
    paths += sorted(
      os.path.join(relative, n) for n in names if n.endswith('.py')
    )
  return paths


def too_long(path):
  """['path:name (n parameters)'] for the functions over the limit."""
  with open(os.path.join(_ROOT, path)) as f:
    tree = ast.parse(f.read(), path)
  return [
    '%s:%s (%d parameters)' % (path, name, count_parameters(node.args))
    for name, node in public_functions(tree)
    if count_parameters(node.args) > MAX_PARAMETERS
  ]


class ApiTest(parameterized.TestCase):
  def test_no_public_function_takes_more_than_ten_parameters(self):
    found = [entry for path in source_files() for entry in too_long(path)]
    self.assertEqual([], found, 'Group these settings in a config object.')

  def test_the_walk_covers_the_scripts_and_the_library(self):
    paths = source_files()
    self.assertIn('train_image_classifier.py', paths)
    self.assertIn(os.path.join('utils', 'training', 'train_lib.py'), paths)
    self.assertIn(os.path.join('utils', 'export', 'deploy.py'), paths)
    self.assertIn(
      os.path.join('utils', 'benchmark', 'pipeline_benchmark.py'), paths
    )
    self.assertFalse(any(p.startswith('nets') for p in paths))

  @parameterized.named_parameters(
    ('plain', 'def f(a, b=1): pass', 2),
    ('method', 'class C:\n  def f(self, a, *, b): pass', 2),
    ('classmethod', 'class C:\n  def f(cls, a): pass', 1),
    ('star_args', 'def f(a, *args, **kwargs): pass', 3),
    ('positional_only', 'def f(a, /, b): pass', 2),
  )
  def test_counting(self, source, expected):
    ((_, node),) = public_functions(ast.parse(source))
    self.assertEqual(expected, count_parameters(node.args))

  def test_private_functions_are_not_counted(self):
    source = (
      'def _f(a, b, c, d, e, f, g, h, i, j, k): pass\n'
      'class _C:\n  def f(self, a, b, c, d, e, f, g, h, i, j, k): pass\n'
      'class C:\n  def _f(self, a, b, c, d, e, f, g, h, i, j, k): pass\n'
      '  def __init__(self, a): pass\n'
    )
    self.assertEqual(
      ['C.__init__'], [name for name, _ in public_functions(ast.parse(source))]
    )


if __name__ == '__main__':
  absltest.main()
