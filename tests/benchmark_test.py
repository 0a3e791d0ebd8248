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
"""Tests for benchmark_networks.py and utils/benchmark_{lib,runners,report}.py:
argument checks, the arithmetic of the report, the JSON lines of a two-step
run on a tiny network (with the bfloat16 rewrite and the frozen and folded
graphs, steps interleaved), real data with its synthetic baseline, the fixed
per-step cost, and the tf_slim and Keras references."""

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from unittest import mock

from absl.testing import parameterized
import numpy as np
import tensorflow.compat.v1 as tf

from nets import graph_stats
from nets import tf_compat
from tests import test_util
from utils.benchmark import config
from utils.benchmark import exported_runners
from utils.benchmark import graph_runners
from utils.benchmark import grid
from utils.benchmark import keras_runner
from utils.benchmark import machine
from utils.benchmark import registry
from utils.benchmark import report
from utils.datasets import dataset_utils
from utils.datasets import digits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setUpModule():
  tf_compat.enable_graph_mode()


def run_script(*args):
  env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL='2')
  return subprocess.run(
    [sys.executable, os.path.join(ROOT, 'benchmark_networks.py')] + list(args),
    env=env,
    capture_output=True,
    text=True,
    check=False,
  )


def our_gmacs(model_name, image_size, num_classes=1000):
  with tf.Graph().as_default():
    logits = graph_runners.network_logits(
      model_name,
      tf.zeros([1, image_size, image_size, 3]),
      num_classes,
      False,
      {},
    )
    return graph_stats.count_macs(graph_stats.forward_ops(logits)) / 1e9


def digits_records(test, labels, num_images=6):
  """A digits train split of random 8x8 images in a new directory.

  The directory is removed after `test`.
  """
  directory = test_util.temp_dir(test)
  rng = np.random.RandomState(0)
  labels = list(labels)
  dataset_utils.write_tfrecord(
    os.path.join(directory, digits.FILE_PATTERN % 'train'),
    [
      dataset_utils.image_to_tfexample(
        dataset_utils.encode_png(rng.randint(0, 255, (8, 8), np.uint8)),
        b'png',
        8,
        8,
        labels[i % len(labels)],
      )
      for i in range(num_images)
    ],
  )
  return directory


class ArgumentTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.named_parameters(
    ('model', dict(model_name='resnet_v1_51'), r"'resnet_v1_51'"),
    ('mode', dict(mode='eval'), r"mode='eval'"),
    ('precision', dict(precision='fp16'), r"precision='fp16'"),
    ('xla', dict(xla='on'), r"xla='on'"),
    ('batch', dict(batch_size=0), r'batch_size=0'),
    ('image_size', dict(image_size=-3), r'image_size=-3'),
    ('warmup', dict(num_warmup_steps=0), r'num_warmup_steps=0'),
    ('steps', dict(num_steps=2.5), r'num_steps=2.5'),
    ('implementation', dict(implementation='torch'), r"implementation='torch'"),
    (
      'folded_train',
      dict(implementation='folded'),
      r"'folded' implementation.*mode='train'",
    ),
    (
      'frozen_train',
      dict(implementation='frozen'),
      r"'frozen' implementation.*mode='train'",
    ),
    (
      'no_tf_slim_reference',
      dict(implementation='tf_slim'),
      r"tf_slim has no reference for model_name='resnet_cifar_20'",
    ),
    (
      'no_keras_reference',
      dict(implementation='keras'),
      r"keras.applications has no reference.*'resnet_cifar_20'",
    ),
  )
  def test_bad_settings_are_named(self, override, message):
    override = dict(override)
    implementation = override.pop('implementation', 'ours')
    timing = dict(num_warmup_steps=1, num_steps=2)
    timing.update((k, override.pop(k)) for k in list(override) if k in timing)
    settings = dict(
      model_name='resnet_cifar_20',
      mode='train',
      precision='fp32',
      xla=False,
      batch_size=2,
      image_size=None,
    )
    settings.update(override)
    with self.assertRaisesRegex(ValueError, message):
      config.Timing(**timing)
      grid.check_setting(config.Setting(**settings), implementation)

  def test_references_take_no_model_kwargs(self):
    with self.assertRaisesRegex(
      ValueError,
      r'tf_slim reference takes no '
      r"model_kwargs; got \{'depth_multiplier'",
    ):
      grid.benchmark_network(
        'tf_slim',
        config.Setting('resnet_v1_50', model_kwargs={'depth_multiplier': 0.5}),
      )

  def test_run_benchmarks_checks_everything_first(self):
    with self.assertRaisesRegex(ValueError, r"mode='infer'"):
      grid.run_benchmarks(
        config.BenchmarkConfig(['resnet_cifar_20'], modes=['train', 'infer'])
      )
    with self.assertRaisesRegex(ValueError, r'model_names must not be empty'):
      grid.run_benchmarks(config.BenchmarkConfig([]))
    with self.assertRaisesRegex(ValueError, r'repeats=0'):
      grid.run_benchmarks(
        config.BenchmarkConfig(['resnet_cifar_20'], repeats=0)
      )

  def test_missing_data_is_named_before_anything_runs(self):
    missing = config.DataConfig('digits', '/nonexistent/digits')
    with self.assertRaisesRegex(
      IOError,
      r"'/nonexistent/digits' does not "
      r'exist.*download_and_convert_data',
    ):
      grid.benchmark_paired(
        ['ours'], config.Setting('resnet_cifar_20', data=missing)
      )
    empty = config.DataConfig('digits', test_util.temp_dir(self))
    with self.assertRaisesRegex(IOError, r'No file matches'):
      grid.step_overhead(config.Setting('resnet_cifar_20', data=empty))
    proc = run_script(
      '--model_name=resnet_cifar_20',
      '--measure_peak=false',
      '--dataset_name=digits',
      '--dataset_dir=/nonexistent/digits',
    )
    self.assertNotEqual(proc.returncode, 0)
    self.assertIn(
      "dataset_dir '/nonexistent/digits' does not exist", proc.stderr
    )
    self.assertNotIn('Traceback', proc.stderr)

  @parameterized.parameters(
    ('on', True), ('OFF', False), ('true', True), ('0', False), (True, True)
  )
  def test_parse_bool(self, text, value):
    self.assertIs(config.parse_bool(text), value)

  def test_parse_bool_error(self):
    with self.assertRaisesRegex(ValueError, r"'maybe'"):
      config.parse_bool('maybe')


class ComputesInTest(tf.test.TestCase, parameterized.TestCase):
  @parameterized.parameters('ours', 'frozen', 'folded')
  def test_tensorflow_graphs_compute_bfloat16_with_onednn(self, name):
    cls = registry.get(name)
    self.assertTrue(cls.computes_in('fp32'))
    self.assertEqual(cls.computes_in('bfloat16'), tf_compat.onednn_enabled())

  @parameterized.parameters('onnxruntime', 'tflite')
  def test_runtimes_without_bfloat16_do_not_offer_it(self, name):
    self.assertNotIn('bfloat16', registry.get(name).precisions)


class ReportTest(tf.test.TestCase):
  def test_images_per_second_and_gflops(self):
    stats = report.images_per_second_stats([0.5, 0.25, 1.0], 8)
    self.assertEqual(
      stats,
      {
        'images_per_sec': 16.0,
        'images_per_sec_min': 8.0,
        'images_per_sec_max': 32.0,
      },
    )
    self.assertEqual(report.achieved_gflops(2.0, 10.0, 'train'), 120.0)
    self.assertEqual(report.achieved_gflops(2.0, 10.0, 'inference'), 40.0)
    with self.assertRaisesRegex(ValueError, r'step_seconds=\[\]'):
      report.images_per_second_stats([], 8)

  def test_comparison_ratios(self):
    def result(
      implementation,
      precision='fp32',
      rate=10.0,
      mode='train',
      data='synthetic',
    ):
      return dict(
        implementation=implementation,
        model_name='m',
        mode=mode,
        precision=precision,
        xla=False,
        batch_size=4,
        image_size=32,
        data=data,
        images_per_sec=rate,
      )

    ratios = dict(
      report.comparison_ratios(
        [
          result('ours', rate=12.0),
          result('tf_slim', rate=10.0),
          result('keras', rate=8.0),
          result('ours', 'bfloat16', 18.0),
          result('ours', mode='inference', rate=20.0),
          result('folded', mode='inference', rate=25.0),
          result('frozen', mode='inference', rate=24.0),
          result('ours', rate=9.0, data='digits'),
        ]
      )
    )
    self.assertEqual(
      ratios,
      {
        'm train fp32 b4 32px: ours / tf_slim': 1.2,
        'm train fp32 b4 32px: ours / keras': 1.5,
        'm train bfloat16 b4 32px: ours bfloat16 / fp32': 1.5,
        'm inference fp32 b4 32px: folded BN / eval graph': 1.25,
        'm inference fp32 b4 32px: folded BN / frozen eval graph': 25 / 24,
        'm inference fp32 b4 32px: frozen / eval graph': 1.2,
        'm train fp32 digits b4 32px: real data / synthetic images': 0.75,
      },
    )

  def test_speed_ratio_of_paired_results_is_per_round(self):
    ours = dict(
      step_seconds=[1.0, 4.0, 2.0], images_per_sec=2.0, pair_ids=['a']
    )
    reference = dict(
      step_seconds=[1.5, 4.4, 3.0], images_per_sec=1.0, pair_ids=['a']
    )
    # Per-round speed ratios 1.5, 1.1, 1.5: median 1.5.
    self.assertAlmostEqual(report.speed_ratio(ours, reference), 1.5)
    # Not timed together: the ratio of the medians.
    reference['pair_ids'] = ['b']
    self.assertEqual(report.speed_ratio(ours, reference), 2.0)

  def test_merge_repeats_pools_the_steps(self):
    def run(implementation, step_seconds, repeat):
      return dict(
        implementation=implementation,
        model_name='m',
        mode='inference',
        precision='fp32',
        xla=False,
        batch_size=2,
        image_size=32,
        data='synthetic',
        gmacs_per_image=1.0,
        step_seconds=step_seconds,
        repeat=repeat,
      )

    merged = report.merge_repeats(
      [
        run('ours', [1.0, 0.5], 0),
        run('tf_slim', [1.0], 0),
        run('ours', [0.25], 1),
        run('tf_slim', [2.0], 1),
      ]
    )
    self.assertEqual([m['implementation'] for m in merged], ['ours', 'tf_slim'])
    ours = merged[0]
    self.assertEqual(ours['step_seconds'], [1.0, 0.5, 0.25])
    self.assertEqual(
      (
        ours['repeats'],
        ours['images_per_sec'],
        ours['images_per_sec_min'],
        ours['images_per_sec_max'],
        ours['achieved_gflops'],
      ),
      (2, 4.0, 2.0, 8.0, 8.0),
    )
    self.assertNotIn('repeat', ours)
    self.assertEqual(merged[1]['images_per_sec'], 1.5)

  def test_format_overheads(self):
    text = report.format_overheads(
      [
        dict(
          model_name='m',
          mode='train',
          precision='fp32',
          xla=False,
          batch_size=4,
          overhead_batch_sizes=[2, 4, 8],
          overhead_step_seconds=[0.03, 0.05, 0.09],
          fixed_seconds_per_step=0.01,
          overhead_fraction=0.2,
        )
      ]
    )
    self.assertIn(
      'm train fp32: 2/4/8 -> 0.0300/0.0500/0.0900 s; fixed '
      '10.0 ms = 20.0% of the 50.0 ms step at batch 4',
      text,
    )


class RunTest(tf.test.TestCase):
  def test_two_step_run_writes_json_lines(self):
    output = os.path.join(test_util.temp_dir(self), 'out', 'bench.jsonl')
    proc = run_script(
      '--model_name=resnet_cifar_20',
      '--mode=train,inference',
      '--precision=bfloat16',
      '--batch_size=2',
      '--num_steps=2',
      '--num_warmup_steps=1',
      '--peak_size=64',
      '--folded_bn',
      '--paired',
      '--noisolate',
      '--step_overhead',
      '--output_json=' + output,
    )
    self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
    with open(output) as f:
      lines = [json.loads(line) for line in f]
    overheads = lines[4:]
    self.assertEqual(
      [
        (
          r['measurement'],
          r['mode'],
          r['batch_size'],
          r['overhead_batch_sizes'],
        )
        for r in overheads
      ],
      [
        ('step_overhead', 'train', 2, [1, 2, 4]),
        ('step_overhead', 'inference', 2, [1, 2, 4]),
      ],
    )
    self.assertIn('fixed per-step cost', proc.stdout)
    lines = lines[:4]
    self.assertEqual(
      [(r['implementation'], r['mode'], r['precision']) for r in lines],
      [
        ('ours', 'train', 'bfloat16'),
        ('ours', 'inference', 'bfloat16'),
        ('frozen', 'inference', 'bfloat16'),
        ('folded', 'inference', 'bfloat16'),
      ],
    )
    gmacs = our_gmacs('resnet_cifar_20', 32, num_classes=10)
    for r in lines:
      self.assertEqual(
        (
          r['model_name'],
          r['batch_size'],
          r['image_size'],
          r['data'],
          r['xla'],
        ),
        ('resnet_cifar_20', 2, 32, 'synthetic', False),
      )
      self.assertLen(r['step_seconds'], 2)
      self.assertAllClose(r['gmacs_per_image'], gmacs, rtol=1e-12)
      self.assertGreater(r['images_per_sec'], 0)
      self.assertLessEqual(r['images_per_sec_min'], r['images_per_sec'])
      self.assertLessEqual(r['images_per_sec'], r['images_per_sec_max'])
      factor = 3 if r['mode'] == 'train' else 1
      self.assertAllClose(
        r['achieved_gflops'], 2 * factor * gmacs * r['images_per_sec']
      )
      self.assertAllClose(
        r['peak_fraction'], r['achieved_gflops'] / r['peak_gflops']
      )
      # The graph that ran had every convolution in bfloat16 (fp32: see
      # precision_test.py), where TensorFlow runs oneDNN, whose rewrite it is.
      self.assertEqual(
        r['bfloat16_conv_fraction'], 1.0 if tf_compat.onednn_enabled() else 0.0
      )
    # The inference graphs ran together, step by step.
    self.assertLen({tuple(r['pair_ids']) for r in lines[1:]}, 1)
    self.assertEqual(lines[0]['pair_ids'], [])
    self.assertIn('matmul 64x64 bfloat16', proc.stdout)
    # Every line names the run and the machine it ran on.
    for r in lines + overheads:
      self.assertEqual(
        r['run_command'].split()[:2], ['python', 'benchmark_networks.py']
      )
      self.assertIn('--step_overhead', r['run_command'])
      self.assertEqual(
        (r['cpu_model'], r['cpu_matrix_units']),
        (
          machine.describe()['cpu_model'],
          machine.describe()['cpu_matrix_units'],
        ),
      )
      self.assertRegex(r['run_date'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
      self.assertIn('run_commit', r)
    self.assertIn(machine.format_machine(machine.describe()), proc.stdout)
    self.assertIn('folded BN / eval graph', proc.stdout)
    self.assertIn('folded BN / frozen eval graph', proc.stdout)

  def test_bad_flag_is_named(self):
    proc = run_script('--model_name=resnet_cifar_20', '--precision=fp16')
    self.assertNotEqual(proc.returncode, 0)
    self.assertIn("precision='fp16'", proc.stderr)

  def test_real_data(self):
    data = config.DataConfig(
      'digits',
      digits_records(self, range(10)),
      'train',
      num_readers=1,
      num_preprocessing_threads=1,
    )
    results = {}
    for mode in config.MODES:
      # Training in a worker process (the data settings go there as JSON).
      results[mode] = grid.benchmark_network(
        'ours',
        config.Setting('resnet_cifar_20', mode, batch_size=4, data=data),
        config.Timing(
          num_warmup_steps=1,
          num_steps=2,
          profile=mode == 'train',
          isolate=mode == 'train',
        ),
      )
      self.assertEqual(
        (results[mode]['data'], results[mode]['num_classes']), ('digits', 10)
      )
      self.assertLen(results[mode]['step_seconds'], 2)
    # The traced training step ran the convolutions' filter gradients.
    profile = results['train']['op_seconds_by_type']
    self.assertGreater(profile['(total)'], 0)
    self.assertTrue(any('Conv2DBackpropFilter' in op for op in profile))
    self.assertNotIn('op_seconds_by_type', results['inference'])

  def test_real_data_paired_with_synthetic_images(self):
    # Labels 1..9 shifted to 0..8: a 9-class head (the registry's is 10).
    data = config.DataConfig(
      'digits',
      digits_records(self, range(1, 10)),
      'train',
      labels_offset=1,
      num_readers=1,
      num_preprocessing_threads=1,
    )
    real, synthetic = grid.benchmark_paired(
      ['ours'],
      config.Setting('resnet_cifar_20', 'train', batch_size=4, data=data),
      config.Timing(num_warmup_steps=1, num_steps=2, isolate=False),
      synthetic_baseline=True,
    )
    self.assertEqual((real['data'], synthetic['data']), ('digits', 'synthetic'))
    # The synthetic baseline has the same head as the real-data run.
    self.assertEqual((real['num_classes'], synthetic['num_classes']), (9, 9))
    self.assertEqual(real['pair_ids'], synthetic['pair_ids'])
    self.assertLen(real['pair_ids'], 1)
    rows = report.format_table([real, synthetic]).splitlines()[2:4]
    self.assertEqual([row.split()[5] for row in rows], ['digits', 'synthetic'])
    ratios = dict(report.comparison_ratios([real, synthetic]))
    self.assertEqual(
      list(ratios),
      [
        'resnet_cifar_20 train fp32 digits b4 '
        '32px: real data / synthetic images'
      ],
    )
    with self.assertRaisesRegex(
      ValueError,
      r'synthetic_baseline compares '
      r'real data.*data=config.DataConfig',
    ):
      grid.benchmark_paired(
        ['ours'], config.Setting('resnet_cifar_20'), synthetic_baseline=True
      )

  def test_step_overhead_fits_three_batch_sizes(self):
    result = grid.step_overhead(
      config.Setting('resnet_cifar_20', 'inference', batch_size=4),
      config.Timing(num_warmup_steps=1, num_steps=3, isolate=False),
    )
    self.assertEqual(
      (
        result['measurement'],
        result['batch_size'],
        result['overhead_batch_sizes'],
      ),
      ('step_overhead', 4, [2, 4, 8]),
    )
    medians = result['overhead_step_seconds']
    self.assertLen(medians, 3)
    self.assertEqual(medians[1], np.median(result['step_seconds']))
    # A least-squares line: its residuals sum to zero and are orthogonal to
    # the batch sizes.
    residuals = [
      t - result['fixed_seconds_per_step'] - result['seconds_per_image'] * b
      for b, t in zip([2, 4, 8], medians)
    ]
    self.assertAllClose(
      [sum(residuals), sum(r * b for r, b in zip(residuals, [2, 4, 8]))],
      [0.0, 0.0],
      atol=1e-9,
    )
    self.assertAllClose(
      result['overhead_fraction'], result['fixed_seconds_per_step'] / medians[1]
    )
    with self.assertRaisesRegex(
      ValueError,
      r'needs batch_size >= 2; got '
      r'batch_size=1',
    ):
      grid.step_overhead(config.Setting('resnet_cifar_20', batch_size=1))

  def test_paired_with_the_tf_slim_reference(self):
    ours, reference = grid.benchmark_paired(
      ['ours', 'tf_slim'],
      config.Setting('resnet_v1_50', 'inference', batch_size=1, image_size=64),
      config.Timing(num_warmup_steps=1, num_steps=3, isolate=False),
    )
    self.assertEqual(
      reference['reference'], 'tf_slim.nets.resnet_v1.resnet_v1_50'
    )
    self.assertEqual(ours['reference'], 'resnet_v1_50')
    self.assertLen(ours['step_seconds'], 3)
    self.assertLen(reference['step_seconds'], 3)
    # The same architecture: the same MACs, counted on each graph, and the
    # same convolution kernels after TensorFlow's rewrites.
    self.assertEqual(reference['gmacs_per_image'], ours['gmacs_per_image'])
    self.assertEqual(ours['gmacs_per_image'], our_gmacs('resnet_v1_50', 64))
    self.assertEqual(ours['conv_ops'], reference['conv_ops'])
    self.assertEqual(  # The 53 convolutions and the logits.
      sum(sum(dtypes.values()) for dtypes in ours['conv_ops'].values()), 54
    )
    self.assertEqual(ours['pair_ids'], reference['pair_ids'])
    self.assertLen(ours['pair_ids'], 1)

  def test_worker_failure_shows_its_error(self):
    with self.assertRaisesRegex(
      RuntimeError,
      r'(?s)benchmark process of '
      r'ours resnet_cifar_20 failed.*TypeError.*'
      r'no_such_option',
    ):
      grid.benchmark_network(
        'ours',
        config.Setting(
          'resnet_cifar_20',
          'inference',
          batch_size=1,
          model_kwargs={'no_such_option': 1},
        ),
        config.Timing(num_warmup_steps=1, num_steps=1, isolate=True),
      )

  def test_real_data_then_conversions_are_built_first(self):
    data = config.DataConfig('digits', '/data')
    setting = config.Setting('resnet_cifar_20', 'inference', batch_size=2)
    members = [
      (registry.get('ours'), setting),
      (registry.get('onnxruntime'), setting),
      (registry.get('folded'), setting),
      (registry.get('openvino'), setting),
      (
        registry.get('tflite'),
        dataclasses.replace(setting, model_file='/m.tflite'),
      ),
      (registry.get('ours'), dataclasses.replace(setting, data=data)),
    ]
    self.assertEqual(grid._build_order(members), [5, 1, 3, 0, 2, 4])

  def test_worker_exit_is_described(self):
    self.assertEqual(machine.exit_description(1), 'exit 1')
    self.assertEqual(machine.exit_description(-15), 'killed by signal 15')
    self.assertRegex(
      machine.exit_description(-9),
      r'SIGKILL, on Linux usually the out-of-memory killer: '
      r'try a smaller --batch_size, fewer settings at once \(--precision, '
      r'--runtime\), or --nopaired',
    )

  def test_killed_conversion_is_described(self):
    setting = config.Setting(
      'resnet_cifar_20', 'inference', 'int8', batch_size=1, image_size=32
    )
    killed = subprocess.CompletedProcess([], -9, '', '')
    temp = test_util.temp_dir(self)
    with (
      mock.patch.object(subprocess, 'run', return_value=killed),
      mock.patch.object(tempfile, 'tempdir', temp),
    ):
      with self.assertRaisesRegex(
        RuntimeError,
        r'^Converting the model for onnxruntime int8 failed \(killed by '
        r'SIGKILL, on Linux usually the out-of-memory killer',
      ):
        exported_runners.OnnxRuntime(setting, config.Timing())
    self.assertEqual(os.listdir(temp), [])  # The model's directory is gone.

  def test_keras_needs_synthetic_data(self):
    data = config.DataConfig('digits', '/nonexistent')
    with self.assertRaisesRegex(
      ValueError,
      r'keras reference runs on '
      r'synthetic data only; got data=DataConfig',
    ):
      grid.benchmark_network('keras', config.Setting('resnet_v1_50', data=data))

  def test_matmul_peak_arguments(self):
    with self.assertRaisesRegex(ValueError, r'size=0'):
      grid.matmul_peak('fp32', size=0)
    with self.assertRaisesRegex(ValueError, r"precision='int8'"):
      grid.matmul_peak('int8')
    self.assertGreater(grid.matmul_peak('bfloat16', size=32, num_runs=1), 0)

  def test_paired_needs_implementations(self):
    with self.assertRaisesRegex(
      ValueError,
      r'implementations must not be '
      r'empty; got \[\]',
    ):
      grid.benchmark_paired([], config.Setting('resnet_cifar_20'))

  def test_keras_reference_in_a_subprocess(self):
    if not keras_runner.keras_available():
      self.skipTest('Keras 3 is not installed')
    result = grid.benchmark_network(
      'keras',
      config.Setting('resnet_v2_50', 'inference', batch_size=1, image_size=32),
      config.Timing(num_warmup_steps=1, num_steps=2),
    )
    self.assertEqual(result['reference'], 'keras.applications.ResNet50V2')
    self.assertLen(result['step_seconds'], 2)
    # Keras's ResNet50V2 has slim's layout: the MACs counted on its layers
    # equal those counted on our graph.
    self.assertAllClose(
      result['gmacs_per_image'], our_gmacs('resnet_v2_50', 32), rtol=1e-12
    )


if __name__ == '__main__':
  tf.test.main()
