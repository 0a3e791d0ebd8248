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
"""Tests for the exported models in the benchmark: the onnxruntime, tflite and
openvino runtimes (utils/benchmark/exported_runners.py), precisions across
runtimes in one paired run, the batch-1 latency and its report, and the
timing of given export files (`Setting.model_file`, --model_file)."""

import json
import os
from unittest import mock

from absl import flags
from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

import benchmark_networks
from nets import graph_stats
from nets import tf_compat
from tests import deploy_test
from tests import test_util
from utils.benchmark import config
from utils.benchmark import exported_runners
from utils.benchmark import graph_runners
from utils.benchmark import grid
from utils.benchmark import registry
from utils.benchmark import report
from utils.export import config as export_config
from utils.export import deploy
from utils.export import random_graph
from utils.flag_defs import tools

MODEL = 'resnet_cifar_20'


def setUpModule():
  tf_compat.enable_graph_mode()


def run(print_fn=lambda line: None, data=None, latency_steps=3, **kwargs):
  settings = dict(
    model_names=[MODEL],
    modes=['inference'],
    precisions=['fp32', 'int8'],
    setting=config.Setting(batch_size=2, data=data),
    timing=config.Timing(
      num_warmup_steps=1,
      num_steps=2,
      isolate=False,
      latency_steps=latency_steps,
    ),
    measure_peak=False,
    paired=True,
    runtimes=['tf', 'onnxruntime', 'tflite', 'openvino'],
  )
  settings.update(kwargs)
  return grid.run_benchmarks(config.BenchmarkConfig(**settings), print_fn)


class ArgumentTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    (
      'int8_without_runtime',
      dict(runtimes=['tf']),
      r"precision='int8' is a precision of the exported models: add "
      r'--runtime=onnxruntime',
    ),
    (
      'unknown_runtime',
      dict(runtimes=['tf', 'tensorrt']),
      r'runtimes must be some of tf, onnxruntime, tflite, openvino; got '
      r"\['tf', 'tensorrt'\]",
    ),
    (
      'train',
      dict(modes=['train'], runtimes=['onnxruntime']),
      r"onnxruntime runtime runs inference without XLA; got mode='train'",
    ),
    (
      'bfloat16',
      dict(precisions=['bfloat16'], runtimes=['tflite']),
      r'tflite runtime runs precision fp32, float16, int8; got '
      r"precision='bfloat16'",
    ),
    (
      'data',
      dict(data=config.DataConfig('digits', '/tmp')),
      r"run on synthetic images only; got data in '/tmp'",
    ),
    (
      'latency',
      dict(latency_steps=-1),
      r'latency_steps must be a non-negative integer; got latency_steps=-1',
    ),
  )
  def test_bad_settings_are_named(self, override, message):
    with self.assertRaisesRegex(ValueError, message):
      run(**override)

  def test_latency_is_for_inference(self):
    with self.assertRaisesRegex(
      ValueError,
      r'latency_steps=2 with '
      r"mode='train'",
    ):
      grid.benchmark_paired(
        ['ours'], config.Setting(MODEL, 'train'), config.Timing(latency_steps=2)
      )
    with self.assertRaisesRegex(
      ValueError,
      r'onnxruntime runtime runs on '
      r'synthetic data only',
    ):
      grid.benchmark_paired(
        ['onnxruntime'],
        config.Setting(
          MODEL, 'inference', data=config.DataConfig('digits', '/tmp')
        ),
      )


class ReportTest(tf.test.TestCase):
  def test_latency_stats(self):
    stats = report.latency_stats([0.001 * i for i in range(1, 102)])
    self.assertAllClose(stats['latency_ms_p50'], 51.0)
    self.assertAllClose(stats['latency_ms_p99'], 100.0)
    with self.assertRaisesRegex(ValueError, r'No latency'):
      report.latency_stats([])

  def test_ratios_of_exported_models(self):
    def result(implementation, precision, seconds, latency):
      return {
        'implementation': implementation,
        'model_name': MODEL,
        'mode': 'inference',
        'precision': precision,
        'xla': False,
        'batch_size': 4,
        'image_size': 32,
        'data': 'synthetic',
        'images_per_sec': 4 / np.median(seconds),
        'step_seconds': seconds,
        'latency_seconds': latency,
        'pair_ids': ['p'],
      }

    results = [
      result('ours', 'fp32', [1.0, 2.0, 4.0], [0.1, 0.2, 0.4]),
      result('onnxruntime', 'fp32', [0.5, 1.0, 2.0], [0.05, 0.1, 0.2]),
      result('onnxruntime', 'int8', [0.25, 0.5, 4.0], [0.025, 0.05, 0.1]),
    ]
    ratios = dict(
      (what.split(': ')[1], ratio)
      for what, ratio in report.comparison_ratios(results)
    )
    self.assertEqual(
      ratios,
      {
        'onnxruntime fp32 / ours fp32': 2.0,
        'onnxruntime fp32 / ours fp32, batch 1': 2.0,
        'onnxruntime int8 / fp32': 2.0,  # Per round: 2, 2, 0.5.
        'onnxruntime int8 / ours fp32': 4.0,  # 4, 4, 1.
        'onnxruntime int8 / ours fp32, batch 1': 4.0,
      },
    )

  def test_merge_repeats_pools_latency(self):
    runs = [
      {
        'implementation': 'tflite',
        'model_name': MODEL,
        'mode': 'inference',
        'precision': 'int8',
        'xla': False,
        'batch_size': 2,
        'image_size': 32,
        'data': 'synthetic',
        'step_seconds': [1.0],
        'latency_seconds': [latency],
        'gmacs_per_image': 1.0,
        'repeat': i,
      }
      for i, latency in enumerate([0.001, 0.003])
    ]
    (merged,) = report.merge_repeats(runs)
    self.assertEqual(merged['latency_seconds'], [0.001, 0.003])
    self.assertAllClose(merged['latency_ms_p50'], 2.0)
    table = report.format_table([merged])
    self.assertIn('b1 ms', table)
    self.assertIn('2.00', table.splitlines()[2])


class RunTest(tf.test.TestCase):
  def test_paired_run_across_runtimes_and_precisions(self):
    output = os.path.join(test_util.temp_dir(self), 'bench.jsonl')
    lines = []
    results, _ = run(output_json=output, print_fn=lines.append)
    self.assertEqual(
      [(r['implementation'], r['precision']) for r in results],
      [
        ('ours', 'fp32'),
        ('onnxruntime', 'fp32'),
        ('tflite', 'fp32'),
        ('openvino', 'fp32'),
        ('onnxruntime', 'int8'),
        ('tflite', 'int8'),
        ('openvino', 'int8'),
      ],
    )
    with tf.Graph().as_default():
      logits = graph_runners.network_logits(
        MODEL, tf.zeros([1, 32, 32, 3]), 10, False, {}
      )
      gmacs = graph_stats.count_macs(graph_stats.forward_ops(logits)) / 1e9
    for r in results:
      self.assertLen(r['step_seconds'], 2)
      self.assertLen(r['latency_seconds'], 3)
      self.assertLessEqual(r['latency_ms_p50'], r['latency_ms_p99'])
      self.assertAllClose(r['gmacs_per_image'], gmacs, rtol=1e-12)
    # One paired run: every step of each round saw the same load.
    self.assertLen({tuple(r['pair_ids']) for r in results}, 1)
    runtimes = {r['implementation']: r.get('runtime') for r in results}
    self.assertEqual(runtimes['onnxruntime'], 'onnxruntime')
    self.assertEqual(runtimes['tflite'], 'ai_edge_litert')
    self.assertEqual(runtimes['openvino'], 'openvino')
    sizes = {
      (r['implementation'], r['precision']): r.get('model_bytes')
      for r in results
    }
    self.assertLess(
      sizes['onnxruntime', 'int8'], 0.4 * sizes['onnxruntime', 'fp32']
    )
    self.assertLess(sizes['tflite', 'int8'], 0.4 * sizes['tflite', 'fp32'])
    self.assertLess(sizes['openvino', 'int8'], 0.4 * sizes['openvino', 'fp32'])
    text = '\n'.join(lines)
    for what in (
      'onnxruntime int8 / ours fp32, batch 1',
      'tflite fp32 / ours fp32',
      'tflite int8 / fp32',
      'openvino int8 / ours fp32, batch 1',
    ):
      self.assertIn(what, text)
    with open(output) as f:
      written = [json.loads(line) for line in f]
    self.assertLen(written, 7)
    self.assertIn('latency_ms_p99', written[3])

  def test_onnxruntime_profile_shows_integer_kernels(self):
    runner = registry.get('onnxruntime')(
      config.Setting(MODEL, 'inference', 'int8', batch_size=2, image_size=32),
      config.Timing(),
      latency=True,
    )
    try:
      self.assertGreater(runner.step(), 0)
      self.assertGreater(runner.step_latency(), 0)
      profile = runner.profile(num_runs=1)
    finally:
      runner.close()
    self.assertIn('QLinearConv', profile)
    self.assertNotIn('Conv', profile)  # Every convolution is int8.
    self.assertGreater(profile['(total)'], 0)
    self.assertFalse(os.path.exists(runner.path))


def network_gmacs(size=32, num_classes=10):
  with tf.Graph().as_default():
    logits = graph_runners.network_logits(
      MODEL, tf.zeros([1, size, size, 3]), num_classes, False, {}
    )
    return graph_stats.count_macs(graph_stats.forward_ops(logits)) / 1e9


def no_conversion():
  """Patches that fail a runner that converts the network itself."""
  fail = AssertionError('converted the network instead of the given file')
  return (
    mock.patch.object(
      exported_runners.ExportedRunner, '_convert', side_effect=fail
    ),
    mock.patch.object(random_graph, 'frozen_graph_def', side_effect=fail),
  )


class ModelFileTest(tf.test.TestCase, parameterized.TestCase):
  """The runners time a given export (`Setting.model_file`) as it is."""

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    tf_compat.enable_graph_mode()
    cls.directory = test_util.class_temp_dir(cls)
    deploy_test.write_network(cls.directory)  # 10 classes, 32x32.
    cls.files = {}

  def export(self, export_format):
    """The class network's float32 export in `export_format` (once)."""
    if export_format not in self.files:
      path = os.path.join(
        self.directory, 'model' + deploy.EXTENSIONS[export_format]
      )
      deploy.export_model(
        MODEL,
        self.directory,
        path,
        export_format,
        'none',
        None,
        export_config.ExportConfig(),
      )
      self.files[export_format] = path
    return self.files[export_format]

  def setting(self, model_file, **kwargs):
    values = dict(batch_size=2, image_size=32, model_file=model_file)
    values.update(kwargs)
    return config.Setting(MODEL, 'inference', **values)

  @parameterized.parameters('folded', 'onnxruntime', 'tflite', 'openvino')
  def test_runner_times_the_file_without_converting(self, name):
    cls = registry.get(name)
    path = self.export(cls.model_format)
    patches = no_conversion()
    with patches[0], patches[1]:
      built = cls(self.setting(path), config.Timing(), latency=True)
      try:
        self.assertGreater(built.step(), 0)
        self.assertGreater(built.step_latency(), 0)
      finally:
        built.close()
    self.assertEqual(built.num_classes, 10)  # The export's, not 1000.
    self.assertAllClose(
      built.fields['gmacs_per_image'], network_gmacs(), rtol=1e-12
    )
    self.assertTrue(os.path.isfile(path))  # Closing keeps the user's file.
    if name != 'folded':
      size = os.path.getsize(path)
      if name == 'openvino':
        size += os.path.getsize(path[: -len('.xml')] + '.bin')
      self.assertEqual(built.path, path)
      self.assertEqual(built.fields['model_bytes'], size)

  @parameterized.parameters('fp32', 'bfloat16')
  def test_openvino_computes_in_the_precision(self, precision):
    cls = registry.get('openvino')
    patches = no_conversion()
    with patches[0], patches[1]:
      built = cls(
        self.setting(self.export('openvino'), precision=precision),
        config.Timing(),
      )
      built.close()
    # bfloat16 where the CPU plugin lists BF16 (AVX-512 BF16, AMX).
    in_bf16 = precision == 'bfloat16' and cls.computes_in(precision)
    self.assertEqual(
      built.fields['inference_precision'], 'bf16' if in_bf16 else 'f32'
    )

  def test_paired_run_reports_the_timed_files(self):
    members = [
      ('folded', 'fp32', self.export('frozen')),
      ('onnxruntime', 'fp32', self.export('onnx')),
    ]
    patches = no_conversion()
    with patches[0], patches[1]:
      results = grid.benchmark_paired(
        members,
        self.setting(None),
        config.Timing(1, 2, latency_steps=2, isolate=False),
      )
    self.assertEqual(
      [(r['implementation'], r['model_file']) for r in results],
      [(name, path) for name, _, path in members],
    )
    self.assertEqual([r['num_classes'] for r in results], [10, 10])

  @parameterized.named_parameters(
    ('missing', 'openvino', 'missing.xml', r'No exported model at model_file='),
    (
      'onnx_for_openvino',
      'openvino',
      'onnx',
      r"model_file='.*model\.onnx' \(format onnx\) is not timed by the "
      r'openvino runtime; time it with --runtime=onnxruntime$',
    ),
    (
      'frozen_for_our_graph',
      'ours',
      'frozen',
      r'\(format frozen\) is not timed by the ours implementation; time it '
      r'with --runtime=tf --folded_bn$',
    ),
    (
      'frozen_for_the_unfolded_graph',
      'frozen',
      'frozen',
      r'is not timed by the frozen implementation; time it with '
      r'--runtime=tf --folded_bn$',
    ),
    ('not_a_model', 'tflite', 'notes.txt', r'Unknown kind of model file'),
  )
  def test_bad_file_is_named_before_anything_runs(self, name, what, message):
    if what in deploy.EXTENSIONS:
      path = self.export(what)
    else:
      path = os.path.join(self.directory, what)
      if what.endswith('.txt'):
        with open(path, 'w') as f:
          f.write('not a model')
    with self.assertRaisesRegex(ValueError, message):
      grid.check_setting(self.setting(path), name)

  def test_image_size_of_the_export_is_checked(self):
    path = self.export('onnx')
    with self.assertRaisesRegex(
      ValueError,
      r'model_file=.* takes 32x32 images; got image_size=64: pass '
      r'--image_size=32',
    ):
      registry.get('onnxruntime')(
        self.setting(path, image_size=64), config.Timing()
      )

  def _flags(self, *args):
    fv = flags.FlagValues()
    tools.define_benchmark_flags(fv)
    fv(['benchmark_networks.py', '--model_name=' + MODEL] + list(args))
    return fv

  def test_flag_sets_the_file_and_inference(self):
    cfg = benchmark_networks.benchmark_config(
      self._flags('--runtime=openvino', '--model_file=/m.xml')
    )
    self.assertEqual(cfg.setting.model_file, '/m.xml')
    self.assertEqual(cfg.modes, ('inference',))
    cfg = benchmark_networks.benchmark_config(self._flags('--mode=train'))
    self.assertEqual((cfg.setting.model_file, cfg.modes), (None, ('train',)))
    with self.assertRaisesRegex(ValueError, 'an export of one network'):
      benchmark_networks.benchmark_config(
        self._flags('--model_file=/m.xml', '--model_name=a,b')
      )

  def test_command_line_error_is_one_line(self):
    path = self.export('onnx')
    proc = deploy_test.run_script(
      'benchmark_networks.py',
      '--model_name=' + MODEL,
      '--runtime=openvino',
      '--model_file=' + path,
      '--nomeasure_peak',
    )
    self.assertEqual(proc.returncode, 1)
    self.assertEqual(
      proc.stderr.strip().splitlines()[-1],
      "benchmark_networks.py: error: model_file='%s' (format onnx) is not "
      'timed by the openvino runtime; time it with --runtime=onnxruntime'
      % path,
    )


if __name__ == '__main__':
  tf.test.main()
