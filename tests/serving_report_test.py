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
"""Tests for the serving report (utils/benchmark/serving_report.py).

The ranking and the choice are pure functions, tested on fixed rows
(including a fastest export that loses too much accuracy). Bad input is one
error before anything is exported. A random resnet_cifar_20 checkpoint on a
few digits records runs the whole report: its TensorFlow and ONNX float32
rows in `make test` (timed from the exported files, never converted again),
every runtime and precision in the slow `FullReportTest` (tests/conftest.py
SLOW_TESTS)."""

import json
import os
from unittest import mock

from absl import flags
from absl.testing import parameterized
import tensorflow.compat.v1 as tf

import benchmark_networks
from nets import tf_compat
from tests import deploy_test
from tests import test_util
from utils.benchmark import config
from utils.benchmark import exported_runners
from utils.benchmark import registry
from utils.benchmark import serving_report
from utils.benchmark import worker
from utils.export import config as export_config
from utils.export import random_graph
from utils.flag_defs import tools

MODEL = 'resnet_cifar_20'
Row = serving_report.Row


def setUpModule():
  tf_compat.enable_graph_mode()


def row(export_format, precision, images_per_sec, accuracy, agreement=1.0):
  path = '/s/%s_%s.%s' % (MODEL, precision, export_format)
  return Row(
    export_format,
    precision,
    path,
    1000,
    images_per_sec,
    1.0,
    accuracy,
    1.0,
    agreement,
  )


DATA = config.DataConfig('digits', '/d', 'test')
REFERENCE = row('frozen', 'fp32', 100.0, 0.95, None)
ROWS = [
  REFERENCE,
  row('openvino', 'int8', 400.0, 0.93),  # 2 points below: the fastest.
  row('onnx', 'int8', 250.0, 0.946),  # 0.4 points below.
  row('tflite', 'fp32', 50.0, 0.95),
]


def report_config(**kwargs):
  values = dict(
    model_name=MODEL,
    checkpoint_path='/nonexistent/model.ckpt',
    timing=config.Timing(
      num_warmup_steps=1, num_steps=2, latency_steps=2, isolate=False
    ),
  )
  values.update(kwargs)
  return serving_report.ServingConfig(**values)


class SelectionTest(tf.test.TestCase, parameterized.TestCase):
  def test_rank_is_by_images_per_second(self):
    self.assertEqual(
      [r.images_per_sec for r in serving_report.rank(ROWS)],
      [400.0, 250.0, 100.0, 50.0],
    )

  @parameterized.named_parameters(
    ('fastest_too_inaccurate', 0.5, ('onnx', 'int8')),
    ('fastest_exactly_at_the_limit', 2.0, ('openvino', 'int8')),
    ('none_lost_allowed', 0.0, ('frozen', 'fp32')),
  )
  def test_choice_respects_the_accuracy_drop(self, drop, expected):
    best = serving_report.choose(ROWS, REFERENCE, drop)
    self.assertEqual((best.format, best.precision), expected)

  def test_without_accuracy_the_fastest_is_chosen(self):
    rows = [r._replace(accuracy=None, agreement=None) for r in ROWS]
    best = serving_report.choose(rows, rows[0], 0.5)
    self.assertEqual((best.format, best.precision), ('openvino', 'int8'))

  def test_table_is_ranked_and_names_the_choice(self):
    lines = serving_report.format_report(ROWS, REFERENCE, 0.5).splitlines()
    self.assertStartsWith(lines[0], 'rank')
    ranked = [line.split()[1:3] for line in lines[1:5]]
    self.assertEqual(
      ranked,
      [['openvino', 'int8'], ['onnxruntime', 'int8'], ['tf', 'fp32']]
      + [['tflite', 'fp32']],
    )
    self.assertIn('93.00%', lines[1])
    self.assertIn('reference', lines[3])
    self.assertEqual(lines[5], 'Reference: tf fp32, top-1 95.00%.')
    self.assertEqual(
      lines[6],
      'Fastest within 0.5 accuracy points of the reference: onnxruntime '
      'int8, 2.50x the reference: /s/%s_int8.onnx' % MODEL,
    )

  def test_table_without_data_says_so(self):
    rows = [r._replace(accuracy=None, agreement=None) for r in ROWS]
    lines = serving_report.format_report(rows, rows[0], 0.5).splitlines()
    self.assertEqual(lines[-2], 'Accuracy was not measured (no --dataset_dir).')
    self.assertStartsWith(lines[-1], 'Fastest: openvino int8, 4.00x')

  def test_plan_has_every_precision_of_the_runtimes(self):
    members = serving_report.plan(report_config(data=DATA))
    self.assertEqual(members[0], serving_report.REFERENCE)
    for export_format, name in serving_report.RUNNERS.items():
      cls = registry.get(name)
      expected = {p for p in cls.precisions if cls.computes_in(p)}
      self.assertEqual({p for f, p in members if f == export_format}, expected)
    without_data = serving_report.plan(report_config())
    self.assertNotIn('int8', [p for _, p in without_data])


class BadInputTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('no_checkpoint', dict(checkpoint_path=None), 'pass --checkpoint_path'),
    (
      'negative_drop',
      dict(max_accuracy_drop=-1.0),
      r'max_accuracy_drop must be >= 0; got max_accuracy_drop=-1.0',
    ),
    (
      'zero_batch',
      dict(batch_size=0),
      'batch_size must be a positive integer; got batch_size=0',
    ),
  )
  def test_config_names_the_value(self, kwargs, message):
    with self.assertRaisesRegex(ValueError, message):
      report_config(**kwargs)

  def _flags(self, *args):
    fv = flags.FlagValues()
    tools.define_benchmark_flags(fv)
    fv(['benchmark_networks.py'] + list(args))
    return fv

  def test_flags_build_the_config(self):
    cfg = benchmark_networks.serving_config(
      self._flags(
        '--serving_report',
        '--model_name=' + MODEL,
        '--checkpoint_path=/r/model.ckpt',
        '--dataset_name=digits',
        '--dataset_dir=/d',
        '--dataset_split_name=test',
        '--batch_size=8',
        '--max_accuracy_drop=1',
      )
    )
    self.assertEqual(cfg.directory, '/r/serving')
    self.assertEqual((cfg.batch_size, cfg.max_accuracy_drop), (8, 1.0))
    self.assertEqual(cfg.data.split_name, 'test')
    self.assertEqual(cfg.export.dataset_name, 'digits')
    self.assertEqual(cfg.calibration_split_name, 'train')

  def test_flags_refuse_two_networks(self):
    fv = self._flags('--model_name=resnet_cifar_20,resnet_cifar_32')
    with self.assertRaisesRegex(ValueError, 'exports one network'):
      benchmark_networks.serving_config(fv)

  def test_flags_refuse_a_model_file(self):
    fv = self._flags('--model_name=' + MODEL, '--model_file=/m.onnx')
    with self.assertRaisesRegex(
      ValueError, 'times the files it exports; got --model_file=/m.onnx'
    ):
      benchmark_networks.serving_config(fv)

  def test_command_line_error_is_one_line(self):
    proc = deploy_test.run_script(
      'benchmark_networks.py', '--serving_report', '--model_name=' + MODEL
    )
    self.assertEqual(proc.returncode, 1)
    self.assertEqual(
      proc.stderr.strip().splitlines()[-1],
      'benchmark_networks.py: error: The serving report exports a '
      'checkpoint: pass --checkpoint_path (a checkpoint prefix or training '
      'directory); got checkpoint_path=None',
    )

  def test_missing_checkpoint_fails_before_any_export(self):
    directory = test_util.temp_dir(self)
    cfg = report_config(checkpoint_path=directory)
    with self.assertRaisesRegex(ValueError, 'No checkpoint in directory'):
      serving_report.run_report(cfg, print_fn=lambda line: None)
    self.assertEqual(os.listdir(directory), [])

  def test_missing_data_fails_before_any_export(self):
    directory = test_util.temp_dir(self)
    data = config.DataConfig('digits', os.path.join(directory, 'no'), 'test')
    cfg = report_config(checkpoint_path=directory, data=data)
    with self.assertRaisesRegex(IOError, os.path.join(directory, 'no')):
      serving_report.run_report(cfg, print_fn=lambda line: None)
    self.assertEqual(os.listdir(directory), [])


def run_report(test, **kwargs):
  """The report of a random checkpoint on digits records in a temporary
  directory: (rows, printed lines, JSON lines, directory)."""
  directory = test_util.temp_dir(test)
  deploy_test.write_network(directory)
  data = deploy_test.write_digits(test_util.temp_dir(test))
  output_json = os.path.join(directory, 'report.jsonl')
  lines = []
  rows = serving_report.run_report(
    report_config(
      checkpoint_path=directory,
      batch_size=2,
      data=config.DataConfig('digits', data, 'test'),
      calibration_images=4,
      export=export_config.ExportConfig(dataset_name='digits'),
      output_json=output_json,
      **kwargs,
    ),
    lines.append,
  )
  with open(output_json) as f:
    results = [json.loads(line) for line in f]
  return rows, '\n'.join(lines).splitlines(), results, directory


class ReportTest(tf.test.TestCase):
  def test_timed_rows_are_the_exported_files(self):
    members = [serving_report.REFERENCE, ('onnx', 'fp32')]
    fail = AssertionError('the benchmark converted the network again')
    made = mock.Mock(wraps=worker.make_runner)
    with (
      mock.patch.object(serving_report, 'plan', return_value=members),
      mock.patch.object(worker, 'make_runner', made),
      mock.patch.object(random_graph, 'frozen_graph_def', side_effect=fail),
      mock.patch.object(
        exported_runners.ExportedRunner, '_convert', side_effect=fail
      ),
    ):
      rows, lines, results, directory = run_report(self)
    serving = os.path.join(directory, 'serving')
    files = {
      'frozen': os.path.join(serving, MODEL + '_fp32.pb'),
      'onnx': os.path.join(serving, MODEL + '_fp32.onnx'),
    }
    # Each runner was given the file that was evaluated.
    self.assertEqual(
      [(c.args[0].name, c.args[1].model_file) for c in made.call_args_list],
      [('folded', files['frozen']), ('onnxruntime', files['onnx'])],
    )
    self.assertCountEqual(
      [(r.format, r.model_file) for r in rows], files.items()
    )
    for r in rows:
      self.assertEqual(r.file_bytes, os.path.getsize(r.model_file))
      self.assertBetween(r.accuracy, 0.0, 1.0)
      self.assertGreater(r.latency_ms, 0.0)
    onnx = next(r for r in results if r['implementation'] == 'onnxruntime')
    self.assertEqual(onnx['model_bytes'], os.path.getsize(files['onnx']))
    self.assertEqual(onnx['agreement'], 1.0)
    reference = next(
      r for r in rows if (r.format, r.precision) == serving_report.REFERENCE
    )
    self.assertIsNone(reference.agreement)
    self.assertIn('digits test split, 13 images', lines[0])
    self.assertStartsWith(lines[-1], 'Fastest within 0.5 accuracy points')
    self.assertEqual({r['measurement'] for r in results}, {'serving_report'})
    self.assertEqual(sum(r['chosen'] for r in results), 1)


class FullReportTest(tf.test.TestCase):
  """Every runtime and precision of this install (slow)."""

  def test_every_runtime_and_precision(self):
    rows, lines, results, _ = run_report(self)
    members = serving_report.plan(report_config(data=DATA))
    self.assertCountEqual([(r.format, r.precision) for r in rows], members)
    speeds = [r.images_per_sec for r in rows]
    self.assertEqual(speeds, sorted(speeds, reverse=True))
    # The table: a header, one line per row, the reference and the choice.
    self.assertLen(lines, 2 + 1 + len(rows) + 2)
    reference = next(
      r for r in rows if (r.format, r.precision) == serving_report.REFERENCE
    )
    chosen = serving_report.choose(rows, reference, 0.5)
    self.assertLessEqual(reference.accuracy - chosen.accuracy, 0.005 + 1e-9)
    self.assertIn(chosen.model_file, lines[-1])
    for r in rows:
      self.assertTrue(os.path.isfile(r.model_file))
      if r.precision == 'fp32' and r is not reference:
        self.assertEqual(r.agreement, 1.0, r)
    self.assertLen(results, len(rows))
    self.assertEqual(sum(r['chosen'] for r in results), 1)


if __name__ == '__main__':
  tf.test.main()
