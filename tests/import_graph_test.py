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
"""The modules of utils/ import each other without a cycle.

Every import counts, also one inside a function: a cycle hidden that way
still ties the two modules together. Run as a script to print the cycles:

  python -m tests.import_graph_test --print
"""

import ast
import os
import sys

import tensorflow.compat.v1 as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def module_name(path, root=ROOT):
  """'utils/benchmark/grid.py' -> 'utils.benchmark.grid' (packages too)."""
  parts = os.path.relpath(path, root)[: -len('.py')].split(os.sep)
  if parts[-1] == '__init__':
    parts.pop()
  return '.'.join(parts)


def package_modules(package, root=ROOT):
  """{module name: file path} of the .py files under `package`."""
  modules = {}
  for directory, _, names in os.walk(os.path.join(root, package)):
    for name in names:
      if name.endswith('.py'):
        path = os.path.join(directory, name)
        modules[module_name(path, root)] = path
  return modules


def imported_names(source, module, is_package=False):
  """The absolute names every import statement of `source` refers to.

  `from a.b import c` gives 'a.b' and 'a.b.c' (c may be a module);
  relative imports are resolved against `module`.
  """
  names = set()
  for node in ast.walk(ast.parse(source)):
    if isinstance(node, ast.Import):
      names.update(alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
      base = node.module or ''
      if node.level:
        anchor = module.split('.')
        anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
        base = '.'.join(anchor + ([base] if base else []))
      names.add(base)
      names.update('%s.%s' % (base, alias.name) for alias in node.names)
  return names


def import_graph(package='utils', root=ROOT):
  """{module: sorted modules of `package` it imports}."""
  modules = package_modules(package, root)
  graph = {}
  for name, path in modules.items():
    with open(path) as f:
      source = f.read()
    targets = imported_names(source, name, path.endswith('__init__.py'))
    graph[name] = sorted(t for t in targets if t in modules and t != name)
  return graph


def find_cycles(graph):
  """The strongly connected components with more than one module (Tarjan)."""
  index, low, stack, on_stack, cycles = {}, {}, [], set(), []

  def visit(node):
    index[node] = low[node] = len(index)
    stack.append(node)
    on_stack.add(node)
    for target in graph.get(node, ()):
      if target not in index:
        visit(target)
        low[node] = min(low[node], low[target])
      elif target in on_stack:
        low[node] = min(low[node], index[target])
    if low[node] == index[node]:
      component = []
      while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == node:
          break
      if len(component) > 1:
        cycles.append(sorted(component))

  for node in sorted(graph):
    if node not in index:
      visit(node)
  return sorted(cycles)


class ImportGraphTest(tf.test.TestCase):
  def test_utils_has_no_import_cycle(self):
    self.assertEqual(find_cycles(import_graph('utils')), [])

  def test_cycles_are_found(self):
    graph = {'a': ['b'], 'b': ['c'], 'c': ['a'], 'd': ['a']}
    self.assertEqual(find_cycles(graph), [['a', 'b', 'c']])
    self.assertEqual(find_cycles({'a': ['b'], 'b': []}), [])

  def test_imports_inside_functions_count(self):
    source = (
      'import os\n'
      'def f():\n'
      '  from utils.benchmark import runners\n'
      '  from . import report\n'
    )
    self.assertEqual(
      imported_names(source, 'utils.benchmark.grid'),
      {
        'os',
        'utils.benchmark',
        'utils.benchmark.runners',
        'utils.benchmark.report',
      },
    )


if __name__ == '__main__':
  if '--print' in sys.argv:
    for cycle in find_cycles(import_graph('utils')):
      print(' <-> '.join(cycle))
  else:
    tf.test.main()
