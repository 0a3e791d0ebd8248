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
"""Tests for README.md, docs/ and scripts/make_benchmark_docs.py.

The README stays short, every relative link of the documentation resolves,
speed figures appear only on the generated benchmarks page, and that page is
exactly what the generator makes of docs/benchmarks/."""

import importlib.util
import json
import os
import re
import statistics

from absl.testing import parameterized
import tensorflow.compat.v1 as tf

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_DOCS = os.path.join(_ROOT, 'docs')
_README = os.path.join(_ROOT, 'README.md')
_BENCHMARKS_PAGE = os.path.join(_DOCS, 'benchmarks.md')
_README_MAX_LINES = 250

# A Markdown link or image: [text](target) or ![alt](target).
_LINK = re.compile(r'\[[^\]]*\]\(([^)\s]+)\)')
# What a speed figure looks like (a throughput unit).
_SPEED = re.compile(r'img/s|images/s|images per second', re.IGNORECASE)


def _pages():
  """README.md and every docs/*.md, as paths relative to the root."""
  pages = ['README.md']
  pages.extend(
    os.path.join('docs', name)
    for name in sorted(os.listdir(_DOCS))
    if name.endswith('.md')
  )
  return pages


def _read(relative_path):
  with open(os.path.join(_ROOT, relative_path)) as f:
    return f.read()


def _generator():
  path = os.path.join(_ROOT, 'scripts', 'make_benchmark_docs.py')
  spec = importlib.util.spec_from_file_location('make_benchmark_docs', path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def _result(implementation, precision, step_seconds, **fields):
  """A benchmark JSON line's fields, with the run fields of one run."""
  result = {
    'implementation': implementation,
    'model_name': 'resnet_cifar_20',
    'mode': 'inference',
    'precision': precision,
    'xla': False,
    'data': 'synthetic',
    'batch_size': 4,
    'image_size': 32,
    'images_per_sec': 4 / statistics.median(step_seconds),
    'images_per_sec_min': 4 / max(step_seconds),
    'images_per_sec_max': 4 / min(step_seconds),
    'step_seconds': step_seconds,
    'num_warmup_steps': 1,
    'num_steps': len(step_seconds),
    'pair_ids': [1],
    'run_date': '2026-01-02T03:04:05Z',
    'run_commit': '0123456789ab',
    'run_command': 'python benchmark_networks.py --paired',
    'cpu_model': 'Example CPU',
    'cpu_matrix_units': ['amx_bf16'],
  }
  result.update(fields)
  return result


class DocsTest(parameterized.TestCase, tf.test.TestCase):
  def test_readme_has_at_most_250_lines(self):
    lines = _read('README.md').splitlines()
    self.assertLessEqual(
      len(lines),
      _README_MAX_LINES,
      'README.md has %d lines; move details to docs/' % len(lines),
    )

  @parameterized.named_parameters(
    (re.sub(r'\W', '_', page), page) for page in _pages()
  )
  def test_relative_links_resolve_to_files(self, page):
    directory = os.path.dirname(os.path.join(_ROOT, page))
    broken = []
    for target in _LINK.findall(_read(page)):
      if re.match(r'[a-z]+:', target) or target.startswith('#'):
        continue  # A URL or an anchor of the same page.
      path = os.path.normpath(os.path.join(directory, target.split('#')[0]))
      if not os.path.isfile(path):
        broken.append(target)
    self.assertEqual(broken, [], 'Links of %s that are not files' % page)

  @parameterized.named_parameters(
    (re.sub(r'\W', '_', page), page)
    for page in _pages()
    if page != os.path.join('docs', 'benchmarks.md')
  )
  def test_no_speed_figures_outside_benchmarks_page(self, page):
    lines = [
      '%d: %s' % (i, line)
      for i, line in enumerate(_read(page).splitlines(), 1)
      if _SPEED.search(line)
    ]
    self.assertEqual(
      lines, [], '%s has speed figures; they belong in docs/benchmarks/' % page
    )

  def test_benchmarks_page_is_the_generators_output(self):
    with open(_BENCHMARKS_PAGE) as f:
      page = f.read()
    self.assertEqual(
      page,
      _generator().render(),
      'docs/benchmarks.md is stale: run python scripts/make_benchmark_docs.py',
    )

  def test_every_recorded_run_is_on_the_page(self):
    generator = _generator()
    page = _read(os.path.join('docs', 'benchmarks.md'))
    for name, run, _ in generator.read_runs():
      self.assertIn(run['run_command'], page)
      self.assertIn('benchmarks/%s' % name, page)

  def test_generator_table_has_run_fields_and_paired_ratio(self):
    data_dir = self.get_temp_dir()
    # Speeds at batch 4: ours 40, 20, 10 images/s (median 20); tf_slim 20,
    # 20, 15. Per-round tf_slim / ours: 0.5, 1.0, 1.5; median 1.0.
    ours = _result('ours', 'fp32', [0.1, 0.2, 0.4])
    slim = _result('tf_slim', 'fp32', [0.2, 0.2, 0.4 / 1.5])
    with open(os.path.join(data_dir, 'run.jsonl'), 'w') as f:
      for result in (ours, slim):
        f.write(json.dumps(result) + '\n')
    page = _generator().render(data_dir)
    self.assertIn('- date: 2026-01-02T03:04:05Z', page)
    self.assertIn('- commit: `0123456789ab`', page)
    self.assertIn('- CPU: Example CPU; matrix units: amx_bf16', page)
    self.assertIn('python benchmark_networks.py --paired', page)
    self.assertIn(
      '| resnet_cifar_20 | inference | 4 | 32 | ours | fp32 '
      '| 20.0 [10.0 - 40.0] | 1.00 | - | - | ours fp32 | - |',
      page,
    )
    self.assertIn(
      '| resnet_cifar_20 | inference | 4 | 32 | tf_slim | fp32 '
      '| 20.0 [15.0 - 20.0] | 1.00 | - | - | ours fp32 | - |',
      page,
    )
    self.assertEqual(page, _generator().render(data_dir))

  def test_generator_ratio_is_median_of_per_round_ratios(self):
    data_dir = self.get_temp_dir()
    # Per-round tf_slim / ours speed: 0.2/0.1 = 2, 0.2/0.4 = 0.5,
    # 0.3/0.4 = 0.75; median 0.75, whereas the ratio of the median speeds
    # is (4/0.4) / (4/0.2) = 0.5.
    ours = _result('ours', 'fp32', [0.2, 0.2, 0.3])
    slim = _result('tf_slim', 'fp32', [0.1, 0.4, 0.4])
    with open(os.path.join(data_dir, 'run.jsonl'), 'w') as f:
      f.write(json.dumps(ours) + '\n' + json.dumps(slim) + '\n')
    page = _generator().render(data_dir)
    row = [line for line in page.splitlines() if '| tf_slim |' in line]
    self.assertLen(row, 1)
    self.assertIn('| 0.75 |', row[0])

  def test_generator_marks_ratios_of_runs_timed_apart(self):
    data_dir = self.get_temp_dir()
    # bfloat16 timed apart from fp32 (another pair): ratio of the median
    # speeds, 4/0.1 over 4/0.2 = 2, marked; tf_slim bfloat16 is compared
    # with ours bfloat16, timed with it: 0.1 / 0.4 = 0.25.
    results = [
      _result('ours', 'fp32', [0.2, 0.2, 0.2]),
      _result('ours', 'bfloat16', [0.1, 0.1, 0.1], pair_ids=[2]),
      _result('tf_slim', 'bfloat16', [0.4, 0.4, 0.4], pair_ids=[2]),
    ]
    with open(os.path.join(data_dir, 'run.jsonl'), 'w') as f:
      f.write(''.join(json.dumps(r) + '\n' for r in results))
    rows = [
      line
      for line in _generator().render(data_dir).splitlines()
      if 'bfloat16 |' in line
    ]
    self.assertLen(rows, 2)
    self.assertIn('| 2.00 | - | - | ours fp32, not paired |', rows[0])
    self.assertIn('| 0.25 | - | - | ours bfloat16 |', rows[1])

  def test_generator_names_file_and_line_of_a_line_without_run_fields(self):
    data_dir = self.get_temp_dir()
    result = _result('ours', 'fp32', [0.1])
    del result['cpu_model']
    path = os.path.join(data_dir, 'old.jsonl')
    with open(path, 'w') as f:
      f.write(json.dumps(_result('ours', 'fp32', [0.1])) + '\n')
      f.write(json.dumps(result) + '\n')
    with self.assertRaisesRegex(
      ValueError, r'old\.jsonl, line 2: no cpu_model'
    ):
      _generator().render(data_dir)


if __name__ == '__main__':
  tf.test.main()
