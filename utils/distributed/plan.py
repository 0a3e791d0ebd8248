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
r"""Plans a cluster: bytes per step, step time and scaling, from the graph.

  python -m utils.distributed.plan --model_name=resnet_v1_50 \
      --batch_size=32 --ps_tasks=4 --workers=1,2,4,8,16 \
      --bandwidth_gbps=10 --compute_seconds=0.9 [--json]

The training graph is the one train_image_classifier.py builds for a worker
(`train_lib.train(..., build_only=True)`: the same network, optimizer,
batch-norm updates, global step and, for synchronous replicas, the
accumulators and token queue); `traffic.step_traffic` reads from it every
tensor a step sends between the worker and the ps tasks. On the wire each
tensor is one RecvTensor RPC of gRPC over HTTP/2 over TCP (`WireModel`).

Modes, with n workers, each step of a worker on `batch_size` images taking
`compute_seconds` without the network (links full duplex, at
`bandwidth_gbps` each way; a worker fetches the variables, computes, then
sends its updates, without overlap):

  async      ps/worker, asynchronous: one global step is one worker step.
             A worker step takes compute + its bytes / bandwidth, unless
             the busiest ps link, carrying n workers' share of that ps, is
             slower.
  sync       ps/worker with SyncReplicasOptimizer aggregating all n
             workers: a global step is n worker steps plus the chief's
             update of the aggregated gradients.
  allreduce  MultiWorkerMirroredStrategy's ring all-reduce: every worker
             sends and receives 2(n-1)/n of the gradient bytes per step;
             no ps.

`predicted_step_s` is the time of one step of each worker, `efficiency`
the compute time over it (1.0: no cost of the network), `bytes_per_step`
all bytes on the network per global step and `busiest_ps_bytes_per_step`
those in and out of the busiest ps. `min_ps_tasks` is the smallest number
of ps tasks for which every ps link carries its load in less than the
compute time (None: no number does, a single variable is too large).
"""

import collections
import dataclasses
import json
import math
import os
import tempfile
import time

from absl import app
from absl import flags
import numpy as np
import tensorflow.compat.v1 as tf

from utils import flag_defs
from utils.datasets import dataset_factory
from utils.distributed import ps_placement
from utils.distributed import traffic as traffic_lib
from utils.flag_defs import tools
from utils.training import config as train_config
from utils.training import replicas
from utils.training import train_lib

MODES = ('async', 'sync', 'allreduce')
# How many ps tasks `min_ps_tasks` tries at most.
MAX_PS_TASKS = 64
# The ps counts whose imbalance the plan reports.
IMBALANCE_PS_TASKS = (2, 4, 8)

# What a tensor costs on the wire besides its bytes.
#   mtu: the link's MTU; each TCP segment carries mtu - 52 bytes (IPv4 20,
#     TCP 20 + 12 of timestamps) and costs 66 bytes of headers with the
#     Ethernet header (14), as the interface counters count them.
#   rpc_bytes: the fixed bytes of one RecvTensor RPC besides the rendezvous
#     key: the HTTP/2 HEADERS frames of the request, the response and its
#     trailers (gRPC's path, status; HPACK-compressed), the 5-byte gRPC
#     message prefixes, the request's step id and flags, the response's
#     TensorProto header (dtype, shape) and send time, and the TCP packets
#     that carry them and their acknowledgements. Measured on loopback (see
#     docs/distributed.md); also the cost of one RunGraph RPC per ps task.
WireModel = collections.namedtuple('WireModel', ['mtu', 'rpc_bytes'])
LOOPBACK_MTU = 65536
ETHERNET_MTU = 1500
RPC_BYTES = 160
_HTTP2_FRAME = 16384  # HTTP/2's default largest DATA frame payload.
_HTTP2_FRAME_HEADER = 9
_PACKET_HEADERS = 66
_TCP_IP_HEADERS = 52

# One row of the plan (see the module docstring).
Row = collections.namedtuple(
  'Row',
  [
    'workers',
    'ps_tasks',
    'mode',
    'bytes_per_step',
    'busiest_ps_bytes_per_step',
    'predicted_step_s',
    'efficiency',
    'images_per_s',
    'min_ps_tasks',
  ],
)

# The bytes of one worker step, on the wire, for one placement.
#   worker_in, worker_out: received and sent by the worker;
#   ps_in, ps_out: per ps task;
#   total: every byte on the network (ps-to-ps included).
StepBytes = collections.namedtuple(
  'StepBytes', ['worker_in', 'worker_out', 'ps_in', 'ps_out', 'total']
)


def wire_bytes(nbytes, key_bytes, wire):
  """The bytes on the wire of a tensor of `nbytes` sent by RecvTensor.

  Its payload in HTTP/2 DATA frames (9-byte headers, 16 KiB each) in TCP
  segments of `wire.mtu` (66 bytes of headers each), plus the RPC's fixed
  cost and its rendezvous key (`key_bytes`).
  """
  data = nbytes + _HTTP2_FRAME_HEADER * max(1, math.ceil(nbytes / _HTTP2_FRAME))
  segments = math.ceil(data / (wire.mtu - _TCP_IP_HEADERS))
  return data + _PACKET_HEADERS * segments + wire.rpc_bytes + key_bytes


def step_bytes(task_traffic, wire):
  """The `StepBytes` of a `traffic.TaskTraffic` (one RunGraph per ps)."""
  num_ps = len(task_traffic.ps_in)
  ps_in, ps_out = [0] * num_ps, [0] * num_ps
  worker_in = worker_out = total = 0
  tasks = task_traffic.tasks
  for t in task_traffic.transfers:
    size = wire_bytes(t.nbytes, t.key_bytes, wire)
    total += size
    src = tasks.get(t.src, -1)
    dst = tasks.get(t.dst, -1)
    if src < 0:
      worker_out += size
    else:
      ps_out[src] += size
    if dst < 0:
      worker_in += size
    else:
      ps_in[dst] += size
  # The worker's RunGraph call to each ps that takes part (request and
  # response).
  for k in range(num_ps):
    if task_traffic.ps_transfers[k]:
      ps_in[k] += wire.rpc_bytes
      ps_out[k] += wire.rpc_bytes
      worker_in += wire.rpc_bytes
      worker_out += wire.rpc_bytes
      total += 2 * wire.rpc_bytes
  return StepBytes(worker_in, worker_out, ps_in, ps_out, total)


def link_seconds(step, workers, bandwidth):
  """Seconds the busiest ps link needs per worker step with `workers`."""
  return (
    workers
    * max(max(i, o) for i, o in zip(step.ps_in, step.ps_out))
    / (bandwidth)
  )


def ps_row(
  workers,
  mode,
  step,
  compute_seconds,
  bandwidth,
  batch_size,
  chief=None,
  min_ps_tasks=None,
):
  """The `Row` of ps/worker training ('async' or 'sync').

  Args:
    workers: The number of workers n.
    mode: 'async' or 'sync'.
    step: The `StepBytes` of one worker step.
    compute_seconds: A worker step without the network.
    bandwidth: Bytes per second of every link, each way.
    batch_size: Images of a worker step.
    chief: 'sync': the `StepBytes` of the chief's update of each global
      step (None: nothing).
    min_ps_tasks: The value of the row's `min_ps_tasks`.
  """
  num_ps = len(step.ps_in)
  worker_seconds = compute_seconds + (step.worker_in + step.worker_out) / (
    bandwidth
  )
  if mode == 'async':
    ps_in = [workers * b for b in step.ps_in]
    ps_out = [workers * b for b in step.ps_out]
    bytes_per_step = step.total
    busiest = max(i + o for i, o in zip(step.ps_in, step.ps_out))
  else:
    extra_in = chief.ps_in if chief else [0] * num_ps
    extra_out = chief.ps_out if chief else [0] * num_ps
    ps_in = [workers * b + e for b, e in zip(step.ps_in, extra_in)]
    ps_out = [workers * b + e for b, e in zip(step.ps_out, extra_out)]
    bytes_per_step = workers * step.total + (chief.total if chief else 0)
    busiest = max(i + o for i, o in zip(ps_in, ps_out))
  ps_seconds = max(max(i, o) for i, o in zip(ps_in, ps_out)) / bandwidth
  seconds = max(worker_seconds, ps_seconds)
  return Row(
    workers,
    num_ps,
    mode,
    int(bytes_per_step),
    int(busiest),
    seconds,
    compute_seconds / seconds,
    workers * batch_size / seconds,
    min_ps_tasks,
  )


def allreduce_row(
  workers, gradient_bytes, compute_seconds, bandwidth, batch_size, wire
):
  """The `Row` of ring all-reduce over `workers` (no ps).

  Each worker sends and receives 2(n-1)/n of the gradient bytes (a
  reduce-scatter, then an all-gather), both ways at once, after its
  compute; on the wire with the TCP headers of `wire.mtu` segments.
  """
  per_worker = 2.0 * (workers - 1) / workers * gradient_bytes
  per_worker *= 1.0 + _PACKET_HEADERS / (wire.mtu - _TCP_IP_HEADERS)
  seconds = compute_seconds + per_worker / bandwidth
  return Row(
    workers,
    0,
    'allreduce',
    int(round(workers * per_worker)),
    0,
    seconds,
    compute_seconds / seconds,
    workers * batch_size / seconds,
    None,
  )


def placed_traffic(step_traffic, num_ps, ps_strategy):
  """The `traffic.TaskTraffic` of a step with the variables on `num_ps` tasks.

  The variables are placed as the device setter would with `ps_strategy`
  (`ps_placement.assign` over the setter's calls), from the traffic of a
  graph built once.
  """
  tasks = traffic_lib.task_of_roots(
    step_traffic,
    ps_placement.assign(
      [nbytes for _, nbytes in step_traffic.variables], num_ps, ps_strategy
    ),
  )
  return traffic_lib.task_traffic(step_traffic, tasks, num_ps)


def placed_step_bytes(step_traffic, num_ps, ps_strategy, wire):
  """The `StepBytes` of a worker step with the variables on `num_ps` tasks."""
  return step_bytes(placed_traffic(step_traffic, num_ps, ps_strategy), wire)


def smallest_ps_tasks(links, workers, compute_seconds, bandwidth):
  """The smallest ps count whose busiest link keeps up, or None.

  Args:
    links: ps count -> the busiest ps link's bytes (the larger direction) of
      one worker step.
    workers, compute_seconds, bandwidth: See `ps_row`.
  """
  for num_ps in sorted(links):
    if workers * links[num_ps] / bandwidth <= compute_seconds:
      return num_ps
  return None


def busiest_links(step_traffic, ps_strategy, wire, max_ps=MAX_PS_TASKS):
  """ps count -> busiest link bytes per worker step, for 1..max_ps tasks."""
  links = {}
  for num_ps in range(1, max_ps + 1):
    step = placed_step_bytes(step_traffic, num_ps, ps_strategy, wire)
    links[num_ps] = max(max(i, o) for i, o in zip(step.ps_in, step.ps_out))
  return links


def imbalances(step_traffic, wire, ps_tasks=IMBALANCE_PS_TASKS):
  """{(strategy, ps count): largest ps load / mean}; load: bytes in + out."""
  result = {}
  for strategy in ps_placement.PS_STRATEGIES:
    for num_ps in ps_tasks:
      step = placed_step_bytes(step_traffic, num_ps, strategy, wire)
      result[(strategy, num_ps)] = ps_placement.imbalance(
        [i + o for i, o in zip(step.ps_in, step.ps_out)]
      )
  return result


def allreduce_wins(rows):
  """The worker counts at which all-reduce is faster than both ps modes."""
  best = collections.defaultdict(dict)
  for row in rows:
    best[row.workers][row.mode] = row.predicted_step_s
  return [
    n
    for n, modes in sorted(best.items())
    if 'allreduce' in modes
    and all(
      modes['allreduce'] < modes[m] for m in ('async', 'sync') if m in modes
    )
  ]


# What the plan reads from the training graph(s).
#   async_traffic: `traffic.StepTraffic` of a worker step, asynchronous;
#   sync_traffic: of a worker step with synchronous replicas;
#   chief_traffic: of the chief's update of each synchronous global step;
#   gradient_bytes: the bytes of the trainable variables (all-reduced);
#   variable_bytes: the bytes of every variable on the ps tasks.
GraphTraffic = collections.namedtuple(
  'GraphTraffic',
  [
    'async_traffic',
    'sync_traffic',
    'chief_traffic',
    'gradient_bytes',
    'variable_bytes',
  ],
)


def _planning_dataset(dataset_name, dataset_dir, directory):
  """The data set of the graph: `dataset_dir`'s, or one empty record file.

  The input pipeline runs on each worker and sends nothing between tasks;
  only the data set's classes and size enter the graph.
  """
  if dataset_dir:
    return dataset_factory.get_dataset(dataset_name, 'train', dataset_dir)
  open(os.path.join(directory, 'plan.tfrecord'), 'wb').close()
  return dataset_factory.get_dataset(
    dataset_name, 'train', directory, file_pattern='plan.tfrecord'
  )


def build_traffic(
  model_name,
  config,
  ps_tasks,
  dataset_name='imagenet',
  dataset_dir=None,
  sync=True,
):
  """Builds the training graphs of a worker and reads their `GraphTraffic`.

  Args:
    model_name: The network (`train_lib.train`'s).
    config: The training's `config.TrainConfig` (batch size, optimizer, loss,
      ...); its deployment gives the ps strategy, the rest of the deployment
      is the plan's.
    ps_tasks: The ps tasks of the built graphs (the placement of other
      counts is derived, see `placed_step_bytes`).
    dataset_name, dataset_dir: The data set (its classes); without
      `dataset_dir` no data is read.
    sync: Also build the graph with synchronous replicas (2 workers).

  Returns:
    A `GraphTraffic` (sync_traffic and chief_traffic None without `sync`).
  """
  ps_strategy = config.deployment.ps_strategy
  results = {}
  with tempfile.TemporaryDirectory() as directory:
    dataset = _planning_dataset(dataset_name, dataset_dir, directory)
    for name in ('async', 'sync') if sync else ('async',):
      # The setter of `replicas.default_variables_device`, recording the
      # variables it places (in order) to place them on other ps counts.
      recorder = traffic_lib.SetterRecorder(
        ps_placement.device_strategy(ps_strategy, ps_tasks)
        or ps_placement.RoundRobin(ps_tasks)
      )
      deployment = dataclasses.replace(
        config.deployment,
        num_ps_tasks=ps_tasks,
        worker_replicas=2,
        sync_replicas=name == 'sync',
        replicas_to_aggregate=2 if name == 'sync' else 1,
        variables_device=tf.train.replica_device_setter(
          ps_tasks=ps_tasks,
          worker_device='/job:worker/task:0',
          ps_strategy=recorder,
        ),
      )
      built = train_lib.train(
        dataset,
        os.path.join(directory, 'train'),
        model_name,
        dataclasses.replace(config, deployment=deployment),
        build_only=True,
      )
      fetches = train_lib.step_fetches(built.train_ops)
      results[name] = traffic_lib.step_traffic(
        built.graph, fetches, recorder.calls
      )
      _check_placement(results[name], ps_tasks, ps_strategy)
      if name == 'sync':
        opt = built.train_ops.optimizer
        # Built for the session set-up (hooks.SyncReplicasHook), not run here.
        getattr(opt.ready_for_local_init_op, 'mark_used', lambda: None)()
        runner = opt.get_chief_queue_runner()
        results['chief'] = traffic_lib.step_traffic(
          built.graph, runner.enqueue_ops, recorder.calls
        )
      else:
        with built.graph.as_default():
          gradient_bytes = sum(
            v.shape.num_elements() * v.dtype.base_dtype.size
            for v in tf.trainable_variables()
          )
  return GraphTraffic(
    results['async'],
    results.get('sync'),
    results.get('chief'),
    gradient_bytes,
    sum(dict(results['async'].variables).values()),
  )


def _check_placement(step_traffic, ps_tasks, ps_strategy):
  """Raises if replaying the setter's calls misses the graph's placement."""
  tasks = placed_traffic(step_traffic, ps_tasks, ps_strategy).tasks
  for root, task in step_traffic.tasks.items():
    if tasks[root] != task:
      raise RuntimeError(
        'The replayed placement puts %s on ps task %d, the graph on %d.'
        % (root, tasks[root], task)
      )


def measure_compute_seconds(
  model_name, config, dataset_name, dataset_dir, steps=3
):
  """The median time of `steps` training steps in one process (no ps).

  The graph is `train_lib.train`'s for one process (`config` without its
  deployment) on the data set's records; one step runs first, untimed
  (graph optimization, warm-up).
  """
  with tempfile.TemporaryDirectory() as directory:
    dataset = _planning_dataset(dataset_name, dataset_dir, directory)
    built = train_lib.train(
      dataset,
      os.path.join(directory, 'train'),
      model_name,
      dataclasses.replace(config, deployment=replicas.Deployment()),
      build_only=True,
    )
    with built.graph.as_default(), tf.Session() as session:
      session.run(
        [
          tf.global_variables_initializer(),
          tf.local_variables_initializer(),
          built.train_ops.iterator.initializer,
        ]
      )
      session.run(built.train_ops.train_tensor)
      times = []
      for _ in range(steps):
        start = time.perf_counter()
        session.run(built.train_ops.train_tensor)
        times.append(time.perf_counter() - start)
  return float(np.median(times))


def plan(
  graph_traffic,
  workers,
  ps_tasks,
  compute_seconds,
  bandwidth_gbps,
  batch_size,
  ps_strategy='round_robin',
  wire=None,
):
  """The rows of every mode and worker count (see the module docstring).

  Args:
    graph_traffic: A `GraphTraffic` (`build_traffic`).
    workers: The worker counts.
    ps_tasks: The ps tasks of the ps/worker rows.
    compute_seconds: A worker step without the network.
    bandwidth_gbps: Every link's bandwidth each way, in Gb/s (10^9 bits).
    batch_size: Images of a worker step.
    ps_strategy: How the variables are placed (`ps_placement`).
    wire: A `WireModel`; default Ethernet's MTU and `RPC_BYTES`.

  Returns:
    A list of `Row`s: per worker count, async, sync (when the traffic has
    it) and allreduce.
  """
  wire = wire or WireModel(ETHERNET_MTU, RPC_BYTES)
  bandwidth = bandwidth_gbps * 1e9 / 8
  async_step = placed_step_bytes(
    graph_traffic.async_traffic, ps_tasks, ps_strategy, wire
  )
  links = busiest_links(graph_traffic.async_traffic, ps_strategy, wire)
  sync_step = chief_step = None
  if graph_traffic.sync_traffic is not None:
    sync_step = placed_step_bytes(
      graph_traffic.sync_traffic, ps_tasks, ps_strategy, wire
    )
    chief_step = placed_step_bytes(
      graph_traffic.chief_traffic, ps_tasks, ps_strategy, wire
    )
  rows = []
  for n in workers:
    min_ps = smallest_ps_tasks(links, n, compute_seconds, bandwidth)
    rows.append(
      ps_row(
        n,
        'async',
        async_step,
        compute_seconds,
        bandwidth,
        batch_size,
        min_ps_tasks=min_ps,
      )
    )
    if sync_step is not None:
      rows.append(
        ps_row(
          n,
          'sync',
          sync_step,
          compute_seconds,
          bandwidth,
          batch_size,
          chief=chief_step,
          min_ps_tasks=min_ps,
        )
      )
    rows.append(
      allreduce_row(
        n,
        graph_traffic.gradient_bytes,
        compute_seconds,
        bandwidth,
        batch_size,
        wire,
      )
    )
  return rows


def format_table(rows, bandwidth_gbps):
  """A text table of `rows` (one link speed)."""
  lines = [
    '%d Gb/s links:' % bandwidth_gbps
    if bandwidth_gbps == int(bandwidth_gbps)
    else '%g Gb/s links:' % bandwidth_gbps,
    '%7s  %-9s  %3s  %12s  %12s  %8s  %6s  %9s  %6s'
    % (
      'workers',
      'mode',
      'ps',
      'MB/step',
      'busiest ps MB',
      'step s',
      'eff.',
      'images/s',
      'min ps',
    ),
  ]
  for r in rows:
    lines.append(
      '%7d  %-9s  %3d  %12.2f  %12.2f  %8.3f  %6.2f  %9.1f  %6s'
      % (
        r.workers,
        r.mode,
        r.ps_tasks,
        r.bytes_per_step / 1e6,
        r.busiest_ps_bytes_per_step / 1e6,
        r.predicted_step_s,
        r.efficiency,
        r.images_per_s,
        '-'
        if r.min_ps_tasks is None and r.mode == 'allreduce'
        else ('none' if r.min_ps_tasks is None else r.min_ps_tasks),
      )
    )
  return '\n'.join(lines)


def summary(rows, compute_seconds):
  """The plan's conclusions: the ps count to use, when all-reduce wins."""
  lines = []
  for r in rows:
    if r.mode != 'async':
      continue
    if r.min_ps_tasks is None:
      lines.append(
        '%d worker(s): no ps count up to %d keeps every ps link under the '
        'compute time (%.3f s).' % (r.workers, MAX_PS_TASKS, compute_seconds)
      )
    else:
      lines.append(
        '%d worker(s): %d ps task(s) keep every ps link under the compute '
        'time (%.3f s).' % (r.workers, r.min_ps_tasks, compute_seconds)
      )
  wins = allreduce_wins(rows)
  lines.append(
    'All-reduce is faster than ps/worker at %s worker(s).'
    % ', '.join(str(n) for n in wins)
    if wins
    else 'ps/worker is at least as fast as all-reduce at every worker count.'
  )
  return lines


def breakdown(graph_traffic, ps_tasks, ps_strategy):
  """Lines: the payload of one worker step by kind, and its tensor count."""
  placed = placed_traffic(graph_traffic.async_traffic, ps_tasks, ps_strategy)
  parts = ', '.join(
    '%s %d' % (kind, placed.by_kind[kind])
    for kind in traffic_lib.KINDS
    if placed.by_kind.get(kind)
  )
  return [
    'Variables on the ps tasks: %d bytes; gradients: %d bytes.'
    % (graph_traffic.variable_bytes, graph_traffic.gradient_bytes),
    'One asynchronous worker step sends %d tensors (%d bytes of payload: %s).'
    % (len(placed.transfers), sum(placed.by_kind.values()), parts),
  ]


def main(argv):
  flag_defs.start_script(argv, flags.FLAGS)
  with flag_defs.exit_on_error('plan'):
    _main(flags.FLAGS)


def _positive_numbers(name, values, kind):
  """The flag list `values` as positive `kind`s, or a ValueError naming it."""
  try:
    numbers = [kind(v) for v in values]
  except ValueError:
    numbers = []
  if not numbers or any(n <= 0 for n in numbers):
    raise ValueError(
      '--%s must be a comma-separated list of positive %s; got %s=%s.'
      % (
        name,
        'integers' if kind is int else 'numbers',
        name,
        ','.join(values),
      )
    )
  return numbers


def _main(fv):
  workers = _positive_numbers('workers', fv.workers, int)
  bandwidths = _positive_numbers('bandwidth_gbps', fv.bandwidth_gbps, float)
  if fv.compute_seconds is None and not fv.dataset_dir:
    raise ValueError(
      'Give --compute_seconds, or --dataset_dir to measure a training step '
      'on this machine.'
    )
  config = train_config.TrainConfig(
    input=train_config.InputConfig(
      batch_size=fv.batch_size, image_size=fv.train_image_size
    ),
    loss=train_config.LossConfig(weight_decay=fv.weight_decay),
    optimizer=train_config.OptimizerConfig(
      optimizer=fv.optimizer, moving_average_decay=fv.moving_average_decay
    ),
    deployment=replicas.Deployment(ps_strategy=fv.ps_strategy),
  )
  graph_traffic = build_traffic(
    fv.model_name, config, fv.ps_tasks, fv.dataset_name, fv.dataset_dir
  )
  compute_seconds = fv.compute_seconds
  if compute_seconds is None:
    compute_seconds = measure_compute_seconds(
      fv.model_name, config, fv.dataset_name, fv.dataset_dir
    )
  wire = WireModel(fv.mtu, RPC_BYTES)
  imbalance = imbalances(graph_traffic.async_traffic, wire)
  for bandwidth in bandwidths:
    rows = plan(
      graph_traffic,
      workers,
      fv.ps_tasks,
      compute_seconds,
      bandwidth,
      fv.batch_size,
      fv.ps_strategy,
      wire,
    )
    if fv.json:
      for r in rows:
        print(
          json.dumps(
            dict(
              r._asdict(),
              bandwidth_gbps=bandwidth,
              compute_seconds=compute_seconds,
            )
          )
        )
      continue
    print(format_table(rows, bandwidth))
    print('\n'.join(summary(rows, compute_seconds)))
    print()
  if fv.json:
    for (strategy, num_ps), value in sorted(imbalance.items()):
      print(
        json.dumps(
          {'ps_strategy': strategy, 'ps_tasks': num_ps, 'imbalance': value}
        )
      )
    return
  print('\n'.join(breakdown(graph_traffic, fv.ps_tasks, fv.ps_strategy)))
  print(
    'Compute time of a worker step: %.3f s%s.'
    % (compute_seconds, '' if fv.compute_seconds is not None else ' (measured)')
  )
  for strategy in ps_placement.PS_STRATEGIES:
    print(
      'Imbalance (busiest ps / mean), %s: %s.'
      % (
        strategy,
        ', '.join(
          '%.2f over %d ps' % (imbalance[(strategy, k)], k)
          for k in IMBALANCE_PS_TASKS
        ),
      )
    )


if __name__ == '__main__':
  tools.define_plan_flags()
  flags.adopt_module_key_flags(tools)
  app.run(main)
