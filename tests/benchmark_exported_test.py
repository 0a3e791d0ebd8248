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
"""Tests for the exported models in the benchmark: the onnxruntime and tflite
runtimes (utils/benchmark/exported_runners.py), precisions across runtimes in
one paired run, the batch-1 latency and its report."""

import json
import os

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import graph_stats
from nets import tf_compat
from tests import test_util
from utils.benchmark import config
from utils.benchmark import graph_runners
from utils.benchmark import grid
from utils.benchmark import registry
from utils.benchmark import report

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


if __name__ == '__main__':
  tf.test.main()
