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
"""Tests of the cluster plan: ps placement, a step's traffic, the arithmetic.

The traffic of a small graph is checked against the Send/Recv pairs that
TensorFlow's distributed runtime puts in the partition graphs of a real
(in-process) cluster; the bytes of real resnet_cifar_20 clusters against the
plan are measured by cluster_traffic_test.py (slow).
"""

import json
import os
import re
import sys

from absl import flags
from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils.distributed import launch_cluster
from utils.distributed import plan
from utils.distributed import ps_placement
from utils.distributed import traffic
from utils.flag_defs import tools
from utils.training import replicas


def setUpModule():
  tf_compat.enable_graph_mode()


def _variable_devices(ps_tasks, ps_strategy, shapes):
  """Devices of variables of `shapes` placed by the training's setter."""
  with tf.Graph().as_default():
    setter = replicas.default_variables_device(1, ps_tasks, 0, ps_strategy)
    with tf.device(setter):
      variables = [
        tf.get_variable('v%d' % i, shape) for i, shape in enumerate(shapes)
      ]
    return [tf.DeviceSpec.from_string(v.op.device).task for v in variables]


class PlacementTest(parameterized.TestCase):
  # Bytes of float32 variables of these shapes: 400, 40, 40, 200, 240.
  SHAPES = ([100], [10], [10], [50], [60])

  def test_round_robin_is_the_setters_default(self):
    self.assertEqual(
      [0, 1, 0, 1, 0],
      ps_placement.assign([400, 40, 40, 200, 240], 2, 'round_robin'),
    )
    self.assertEqual(
      [0, 1, 0, 1, 0], _variable_devices(2, 'round_robin', self.SHAPES)
    )

  def test_greedy_puts_each_on_the_least_loaded_task(self):
    # Loads: [400, 0] -> [400, 40] -> [400, 80] -> [400, 280] -> [400, 520].
    self.assertEqual(
      [0, 1, 1, 1, 1],
      ps_placement.assign([400, 40, 40, 200, 240], 2, 'greedy'),
    )
    self.assertEqual(
      [0, 1, 1, 1, 1], _variable_devices(2, 'greedy', self.SHAPES)
    )

  def test_greedy_ties_go_to_the_lowest_task(self):
    self.assertEqual(
      [0, 1, 2, 0], ps_placement.assign([8, 8, 8, 8], 3, 'greedy')
    )

  def test_imbalance(self):
    self.assertAlmostEqual(1.5, ps_placement.imbalance([300, 100]))
    self.assertAlmostEqual(1.0, ps_placement.imbalance([0, 0]))

  @parameterized.parameters('roundrobin', 'Greedy', None)
  def test_unknown_strategy(self, name):
    with self.assertRaisesRegex(
      ValueError, r'ps_strategy must be one of round_robin, greedy; got '
    ):
      ps_placement.assign([1], 1, name)
    with self.assertRaisesRegex(ValueError, 'ps_strategy=%r' % (name,)):
      replicas.check_deployment(replicas.Deployment(ps_strategy=name))


class WireTest(tf.test.TestCase):
  def test_wire_bytes(self):
    wire = plan.WireModel(1500, 160)
    # One 9-byte DATA frame header, one 66-byte packet, the RPC and key.
    self.assertEqual(9 + 66 + 160 + 100, plan.wire_bytes(0, 100, wire))
    # 20,000 bytes: 2 frames (20,018), 14 segments of 1,448 bytes.
    self.assertEqual(
      20018 + 14 * 66 + 160 + 50, plan.wire_bytes(20000, 50, wire)
    )


class RowsTest(tf.test.TestCase):
  STEP = plan.StepBytes(
    worker_in=200, worker_out=100, ps_in=[60, 40], ps_out=[120, 80], total=300
  )

  def test_async_one_worker_is_bound_by_its_own_link(self):
    row = plan.ps_row(1, 'async', self.STEP, 1.0, 100.0, 8)
    # Compute 1 s + 300 bytes at 100 B/s; the ps link: 120 / 100 s.
    self.assertEqual((1, 2, 'async', 300, 180), row[:5])
    self.assertAllClose(
      [4.0, 0.25, 2.0], [row.predicted_step_s, row.efficiency, row.images_per_s]
    )

  def test_async_many_workers_are_bound_by_the_busiest_ps(self):
    row = plan.ps_row(10, 'async', self.STEP, 1.0, 100.0, 8)
    self.assertAllClose(
      [12.0, 1 / 12.0, 80 / 12.0],
      [row.predicted_step_s, row.efficiency, row.images_per_s],
    )
    self.assertEqual(300, row.bytes_per_step)  # A global step: one worker's.

  def test_sync_global_step_is_every_workers_step_and_the_chiefs(self):
    chief = plan.StepBytes(0, 0, [10, 0], [0, 0], 10)
    row = plan.ps_row(10, 'sync', self.STEP, 1.0, 100.0, 8, chief=chief)
    self.assertEqual(10 * 300 + 10, row.bytes_per_step)
    self.assertEqual(610 + 1200, row.busiest_ps_bytes_per_step)
    self.assertAllClose(12.0, row.predicted_step_s)

  def test_allreduce_ring(self):
    # 2 (n - 1) / n = 1.5 of 1000 bytes, times 1.001 for the packet headers.
    wire = plan.WireModel(52 + 66 * 1000, 160)
    row = plan.allreduce_row(4, 1000, 1.0, 100.0, 8, wire)
    self.assertEqual((4, 0, 'allreduce', 6006, 0), row[:5])
    self.assertAllClose(16.015, row.predicted_step_s)
    single = plan.allreduce_row(1, 1000, 1.0, 100.0, 8, wire)
    self.assertEqual((0, 1.0), (single.bytes_per_step, single.efficiency))

  def test_smallest_ps_tasks(self):
    links = {1: 300, 2: 150, 3: 100}
    # 2 workers at 250 B/s: 2.4 s, 1.2 s, then 0.8 s within 1 s of compute.
    self.assertEqual(3, plan.smallest_ps_tasks(links, 2, 1.0, 250.0))
    self.assertIsNone(plan.smallest_ps_tasks(links, 10, 1.0, 250.0))

  def test_allreduce_wins(self):
    rows = [
      plan.Row(1, 1, 'async', 0, 0, 1.0, 1, 1, 1),
      plan.Row(1, 0, 'allreduce', 0, 0, 1.5, 1, 1, None),
      plan.Row(8, 1, 'async', 0, 0, 3.0, 1, 1, 1),
      plan.Row(8, 1, 'sync', 0, 0, 2.0, 1, 1, 1),
      plan.Row(8, 0, 'allreduce', 0, 0, 1.9, 1, 1, None),
    ]
    self.assertEqual([8], plan.allreduce_wins(rows))


class MainTest(parameterized.TestCase):
  @parameterized.named_parameters(
    ('no_compute_time', [], r'Give --compute_seconds, or --dataset_dir'),
    (
      'zero_workers',
      ['--workers=1,0', '--compute_seconds=1'],
      r'--workers must be a comma-separated list of positive integers; '
      r'got workers=1,0\.',
    ),
    (
      'bad_bandwidth',
      ['--bandwidth_gbps=fast', '--compute_seconds=1'],
      r'--bandwidth_gbps must be a comma-separated list of positive '
      r'numbers; got bandwidth_gbps=fast\.',
    ),
  )
  def test_bad_flags_fail_before_building(self, args, regex):
    fv = flags.FlagValues()
    tools.define_plan_flags(fv)
    fv(['plan', '--model_name=resnet_cifar_20'] + args)
    with self.assertRaisesRegex(ValueError, regex):
      plan._main(fv)  # noqa: SLF001


def _tables_script():
  sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'scripts'))
  try:
    import plan_tables
  finally:
    sys.path.pop(0)
  return plan_tables


class TablesTest(tf.test.TestCase):
  def test_markdown_of_json_lines(self):
    rows = [
      plan.Row(2, 4, 'async', 3e6, 1e6, 0.2, 0.5, 80.0, 3),
      plan.Row(2, 4, 'sync', 6e6, 2e6, 0.25, 0.4, 64.0, 3),
      plan.Row(2, 0, 'allreduce', 2e6, 0, 0.125, 0.8, 128.0, None),
    ]
    lines = [
      json.dumps(dict(r._asdict(), bandwidth_gbps=10.0, compute_seconds=0.1))
      for r in rows
    ]
    lines.append(
      json.dumps({'ps_strategy': 'greedy', 'ps_tasks': 2, 'imbalance': 1.06})
    )
    text = _tables_script().render(lines)
    self.assertIn('10 Gb/s links, 4 ps tasks, compute 0.100 s per step:', text)
    self.assertIn(
      '| 2 | 0.200 (0.50) | 0.250 (0.40) | 0.125 (0.80) | 3.0 | 1.0 | 3 |', text
    )
    self.assertIn('| greedy | 2 | 1.06 |', text)


def _small_training_graph(ps_tasks):
  """Two variables on ps tasks, momentum, a global step; its train op."""
  graph = tf.Graph()
  with graph.as_default():
    with tf.device(
      replicas.default_variables_device(1, ps_tasks, 0, 'round_robin')
    ):
      global_step = tf.train.get_or_create_global_step()
      w1 = tf.get_variable('w1', [10, 4])  # 160 bytes, task 1 of 2.
      w2 = tf.get_variable('w2', [4, 3])  # 48 bytes, task 0.
    with tf.device('/job:worker/task:0'):
      x = tf.ones([5, 10])
      loss = tf.reduce_sum(tf.matmul(tf.matmul(x, w1), w2))
      train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(
        loss, global_step=global_step
      )
  return graph, [train_op, loss]


class TrafficTest(tf.test.TestCase):
  def test_small_graph(self):
    graph, fetches = _small_training_graph(2)
    step = traffic.step_traffic(graph, fetches)
    self.assertEqual(
      ['global_step', 'w1', 'w2'], [n for n, _ in step.variables]
    )
    self.assertDictContainsSubset(
      {'global_step': 0, 'w1': 1, 'w2': 0}, step.tasks
    )
    placed = traffic.task_traffic(step, step.tasks, 2)
    self.assertEqual(208, placed.by_kind['variables'])
    self.assertEqual(208, placed.by_kind['gradients'])
    # Task 0: w2 (and the global step); task 1: w1; constants are copied.
    self.assertEqual([48, 160], placed.ps_in)
    self.assertEqual([48, 160], placed.ps_out)
    self.assertEqual(208, placed.worker_in)

  def test_equals_the_runtimes_send_recv_pairs(self):
    """The transfers are the partition graphs' cross-task Recv nodes."""
    graph, fetches = _small_training_graph(2)
    step = traffic.step_traffic(graph, fetches)
    placed = traffic.task_traffic(step, step.tasks, 2)
    ports = launch_cluster.pick_ports(3)
    spec = tf.train.ClusterSpec(
      {
        'ps': ['127.0.0.1:%d' % p for p in ports[:2]],
        'worker': ['127.0.0.1:%d' % ports[2]],
      }
    )
    servers = [tf.train.Server(spec, 'ps', i) for i in range(2)]
    worker = tf.train.Server(spec, 'worker', 0)
    del servers
    with graph.as_default(), tf.Session(worker.target) as session:
      session.run(tf.global_variables_initializer())
      metadata = tf.RunMetadata()
      session.run(
        fetches,
        options=tf.RunOptions(output_partition_graphs=True),
        run_metadata=metadata,
      )
    received = []
    for partition in metadata.partition_graphs:
      for node in partition.node:
        if node.op != '_Recv':
          continue
        src = node.attr['send_device'].s.decode()
        dst = node.attr['recv_device'].s.decode()
        if src.split('/device:')[0] != dst.split('/device:')[0]:
          received.append(
            re.sub(r'^edge_\d+_', '', node.attr['tensor_name'].s.decode())
          )
    self.assertLen(placed.transfers, len(received), sorted(received))

  def test_no_ps_variable(self):
    with tf.Graph().as_default() as graph:
      loss = tf.reduce_sum(tf.get_variable('w', [3]))
    with self.assertRaisesRegex(
      ValueError, 'No variable of the graph is on a ps'
    ):
      traffic.step_traffic(graph, [loss])

  def test_replacing_on_one_task_keeps_the_worker_traffic(self):
    graph, fetches = _small_training_graph(2)
    step = traffic.step_traffic(graph, fetches)
    two = traffic.task_traffic(step, step.tasks, 2)
    one = traffic.task_traffic(step, traffic.task_of_roots(step, [0, 0, 0]), 1)
    self.assertEqual(
      two.by_kind['variables'] + two.by_kind['gradients'],
      one.by_kind['variables'] + one.by_kind['gradients'],
    )
    self.assertEqual(
      one.worker_in + one.worker_out, sum(one.ps_in) + sum(one.ps_out)
    )


if __name__ == '__main__':
  tf.test.main()
