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
"""The cluster of a multi-process (parameter-server) training.

A cluster has `ps` tasks, which hold the variables, and `worker` tasks, which
each run the whole training graph on their own data (between-graph
replication, slim's deployment); worker task 0 is the chief (it initializes or
restores the variables and writes checkpoints and summaries). TensorFlow's
distributed runtime does the work: every task starts a `tf.train.Server`, the
workers place variables with `tf.train.replica_device_setter` and run a
`MonitoredTrainingSession` on their own server.

Where the cluster comes from, per value (a flag wins over the environment):

  value         flag              TF_CONFIG
  ps hosts      --ps_hosts        cluster.ps
  worker hosts  --worker_hosts    cluster.chief + cluster.worker
  job name      --job_name        task.type
  task index    --task            task.index

TF_CONFIG is TensorFlow's JSON, e.g.
`{"cluster": {"chief": ["h0:2222"], "worker": ["h1:2222"], "ps": ["h2:2222"]},
"task": {"type": "worker", "index": 0}}`. Its optional `chief` job is folded
into the worker job as task 0 (TF_CONFIG's worker i becomes worker task i + 1),
so that device names stay slim's `/job:worker/task:N` everywhere; the flags
then use the folded numbering. With neither flags nor TF_CONFIG, training runs
in one process (`resolve_cluster` returns None).

Security: TensorFlow's gRPC runtime has no authentication or encryption, and
its server listens on every network interface of the machine at the task's
port (the host part of an address only tells the other tasks where to dial).
Run clusters on a private network, or firewall the ports.
"""

import collections
import json
import re

from absl import logging
import tensorflow.compat.v1 as tf

from utils import checks

JOB_NAMES = ('ps', 'worker')
# TF_CONFIG's jobs; 'chief' is folded into 'worker'.
_TF_CONFIG_JOBS = ('chief', 'ps', 'worker')
# Hosts that are not an address to dial (only a listening wildcard).
_WILDCARD_HOSTS = ('0.0.0.0', '::', '[::]', '*')
_HOST_RE = re.compile(r'^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)$')

# The resolved cluster of one task.
#   cluster_spec: {'ps': [addresses], 'worker': [addresses]}.
#   job_name: 'ps' or 'worker'; task_index: the task in that job.
#   is_chief: worker task 0.
#   num_workers, num_ps: the sizes of the two jobs.
ClusterConfig = collections.namedtuple(
  'ClusterConfig',
  [
    'cluster_spec',
    'job_name',
    'task_index',
    'is_chief',
    'num_workers',
    'num_ps',
  ],
)


def parse_address(address, what='address'):
  """Checks one 'host:port' address.

  Args:
    address: 'host:port', where host is a name, an IPv4 address or a bracketed
      IPv6 address ('[::1]:2222'), and port an integer in 1..65535.
    what: Where the address comes from, for error messages (e.g. 'ps_hosts').

  Returns:
    The address, stripped of surrounding spaces.

  Raises:
    ValueError: naming the address and `what`, if it is not host:port, the
      port is out of range or the host is a wildcard (0.0.0.0 is where a
      server listens, not an address the other tasks can dial).
  """
  if not isinstance(address, str):
    raise ValueError(
      '%s: address %r is not a string "host:port".' % (what, address)
    )
  text = address.strip()
  host, sep, port = text.rpartition(':')
  if not sep or not host or not _HOST_RE.match(host):
    raise ValueError(
      '%s: address %r is not host:port (e.g. 10.0.0.1:2222 or '
      '[::1]:2222).' % (what, address)
    )
  if host in _WILDCARD_HOSTS:
    raise ValueError(
      '%s: address %r has the wildcard host %s; give the '
      'address the other tasks dial (e.g. 127.0.0.1 on one '
      'machine).' % (what, address, host)
    )
  if not port.isdigit() or not 1 <= int(port) <= 65535:
    raise ValueError(
      '%s: address %r has port %r; a port must be an integer '
      'in 1..65535.' % (what, address, port)
    )
  return text


def parse_hosts(hosts, what):
  """Parses a host list: a comma-separated string or a list of addresses.

  Args:
    hosts: 'h1:2222,h2:2222' or ['h1:2222', 'h2:2222'].
    what: The name of the list, for error messages.

  Returns:
    The list of checked addresses (empty for '' or []).

  Raises:
    ValueError: on a malformed address (see `parse_address`), or a list that
      is neither a string nor a list.
  """
  if isinstance(hosts, str):
    items = hosts.split(',') if hosts.strip() else []
  elif isinstance(hosts, (list, tuple)):
    items = list(hosts)
  else:
    raise ValueError(
      '%s must be a comma-separated string or a list of '
      'host:port addresses; got %r.' % (what, hosts)
    )
  return [parse_address(h, what) for h in items]


def _task_index(value, what):
  return checks.check_int(what, value, 0, message=checks.NON_NEGATIVE_INT)


def parse_tf_config(text):
  """Parses TF_CONFIG into this module's terms (chief folded into worker).

  Args:
    text: The TF_CONFIG JSON string; None or blank means no TF_CONFIG.

  Returns:
    (cluster, job_name, task_index): `cluster` maps 'ps' and 'worker' to
    address lists (only the jobs TF_CONFIG has); job_name and task_index are
    None when TF_CONFIG has no task.

  Raises:
    ValueError: naming the value, if TF_CONFIG is not valid JSON, not an
      object, has an unknown job or task type, more than one chief, a
      malformed address or a bad task index.
  """
  if text is None or not text.strip():
    return {}, None, None
  try:
    config = json.loads(text)
  except ValueError as e:
    raise ValueError(
      'TF_CONFIG is not valid JSON (%s): %r' % (e, text)
    ) from None
  if not isinstance(config, dict):
    raise ValueError(
      'TF_CONFIG must be a JSON object with "cluster" and '
      '"task"; got %r.' % (text,)
    )
  jobs = config.get('cluster') or {}
  if not isinstance(jobs, dict):
    raise ValueError(
      'TF_CONFIG "cluster" must be an object of job -> address '
      'list; got %r.' % (jobs,)
    )
  for job in jobs:
    if job not in _TF_CONFIG_JOBS:
      raise ValueError(
        'TF_CONFIG cluster has job %r; supported jobs are %s.'
        % (job, ', '.join(_TF_CONFIG_JOBS))
      )
  chief = parse_hosts(jobs.get('chief', []), 'TF_CONFIG cluster.chief')
  if len(chief) > 1:
    raise ValueError(
      'TF_CONFIG cluster.chief must have one address; got %r.' % (chief,)
    )
  cluster = {}
  if 'ps' in jobs:
    cluster['ps'] = parse_hosts(jobs['ps'], 'TF_CONFIG cluster.ps')
  if 'worker' in jobs or chief:
    cluster['worker'] = chief + parse_hosts(
      jobs.get('worker', []), 'TF_CONFIG cluster.worker'
    )

  task = config.get('task') or {}
  if not isinstance(task, dict):
    raise ValueError(
      'TF_CONFIG "task" must be an object {"type": ..., '
      '"index": ...}; got %r.' % (task,)
    )
  job_name, index = task.get('type'), task.get('index')
  if job_name is None:
    return cluster, None, None
  if job_name not in _TF_CONFIG_JOBS:
    raise ValueError(
      'TF_CONFIG task type %r is not a training task; supported types are '
      '%s (evaluate with eval_image_classifier.py --eval_interval_secs '
      'beside the training instead).' % (job_name, ', '.join(_TF_CONFIG_JOBS))
    )
  index = _task_index(0 if index is None else index, 'TF_CONFIG task.index')
  if job_name == 'chief':
    if index != 0:
      raise ValueError(
        'TF_CONFIG task.index must be 0 for the chief; got %r.' % (index,)
      )
    return cluster, 'worker', 0
  if job_name == 'worker':
    index += len(chief)
  return cluster, job_name, index


def resolve_cluster(
  ps_hosts=None, worker_hosts=None, job_name=None, task=None, tf_config=None
):
  """The cluster of this task, from flags and TF_CONFIG (flags win).

  Args:
    ps_hosts, worker_hosts: Host lists (`parse_hosts`); None: not given.
    job_name: 'ps' or 'worker'; None: not given.
    task: The task index in its job; None: not given.
    tf_config: The TF_CONFIG string (see `parse_tf_config`); None: unset.

  Returns:
    A `ClusterConfig`, or None when nothing describes a cluster (training in
    one process).

  Raises:
    ValueError: naming the value, on a malformed address, an address used
      twice, an unknown job name, a task index out of range, a bad TF_CONFIG,
      or a cluster that is only partly described (listing what is missing).
  """
  env_cluster, env_job, env_task = parse_tf_config(tf_config)
  ps = (
    parse_hosts(ps_hosts, 'ps_hosts')
    if ps_hosts is not None
    else env_cluster.get('ps')
  )
  workers = (
    parse_hosts(worker_hosts, 'worker_hosts')
    if worker_hosts is not None
    else env_cluster.get('worker')
  )
  job_name = job_name if job_name is not None else env_job
  task = task if task is not None else env_task
  if ps is None and workers is None and job_name is None and task is None:
    return None

  missing = []
  for value, name in [
    (ps, 'ps hosts (--ps_hosts or TF_CONFIG cluster.ps)'),
    (workers, 'worker hosts (--worker_hosts or TF_CONFIG cluster.worker)'),
    (job_name, 'job name (--job_name or TF_CONFIG task.type)'),
    (task, 'task index (--task or TF_CONFIG task.index)'),
  ]:
    if value is None:
      missing.append(name)
  if missing:
    raise ValueError(
      'Incomplete cluster definition: missing %s. Give all of '
      '--ps_hosts, --worker_hosts, --job_name and --task, or '
      'TF_CONFIG; or none of them to train in one process.' % '; '.join(missing)
    )
  if not ps:
    raise ValueError(
      'The cluster has no ps host (ps_hosts=%r): parameter-'
      'server training needs at least one.' % (ps_hosts,)
    )
  if not workers:
    raise ValueError(
      'The cluster has no worker host (worker_hosts=%r): it '
      'needs at least one.' % (worker_hosts,)
    )
  seen = set()
  for address in ps + workers:
    if address in seen:
      raise ValueError(
        'Address %r appears twice in the cluster (ps: %s; '
        'worker: %s); every task needs its own host:port.'
        % (address, ','.join(ps), ','.join(workers))
      )
    seen.add(address)
  checks.check_choice(
    'job_name', job_name, JOB_NAMES, message=checks.ONE_OF_SENTENCE
  )
  task = _task_index(task, 'task')
  size = len(ps) if job_name == 'ps' else len(workers)
  if task >= size:
    raise ValueError(
      'task=%d is out of range for job %r, which has %d '
      'host(s) (valid: 0..%d).' % (task, job_name, size, size - 1)
    )
  return ClusterConfig(
    cluster_spec={'ps': list(ps), 'worker': list(workers)},
    job_name=job_name,
    task_index=task,
    is_chief=job_name == 'worker' and task == 0,
    num_workers=len(workers),
    num_ps=len(ps),
  )


def check_replicas_to_aggregate(replicas_to_aggregate, num_workers):
  """Raises a ValueError if synchronous updates would wait for absent workers.

  SyncReplicasOptimizer could take several gradients of the same worker for
  one update, but here each update averages `replicas_to_aggregate` distinct
  workers' gradients at most, so a larger value is a mistake.
  """
  if replicas_to_aggregate > num_workers:
    raise ValueError(
      'replicas_to_aggregate=%d is larger than the number of workers (%d); '
      'each synchronous update aggregates at most one gradient per worker.'
      % (replicas_to_aggregate, num_workers)
    )


def check_flags(
  config,
  master=None,
  worker_replicas=None,
  num_ps_tasks=None,
  sync_replicas=False,
  replicas_to_aggregate=1,
):
  """Checks slim's deployment flags against a resolved cluster.

  Args:
    config: A `ClusterConfig`.
    master, worker_replicas, num_ps_tasks: The flags, or None when not given;
      the cluster implies them (its own server, its sizes), so a given value
      must agree.
    sync_replicas, replicas_to_aggregate: See `check_replicas_to_aggregate`.

  Raises:
    ValueError: naming the flag and value that conflict with the cluster.
  """
  if master:
    raise ValueError(
      '--master=%r conflicts with the cluster flags: each task '
      'runs its own server and is its own master.' % (master,)
    )
  if worker_replicas is not None and worker_replicas != config.num_workers:
    raise ValueError(
      'worker_replicas=%d conflicts with the %d worker host(s) '
      'of the cluster; leave it unset.' % (worker_replicas, config.num_workers)
    )
  if num_ps_tasks is not None and num_ps_tasks != config.num_ps:
    raise ValueError(
      'num_ps_tasks=%d conflicts with the %d ps host(s) of the '
      'cluster; leave it unset.' % (num_ps_tasks, config.num_ps)
    )
  if sync_replicas:
    check_replicas_to_aggregate(replicas_to_aggregate, config.num_workers)


def session_config(config, base_config=None):
  """The session config of a task: `base_config` plus device filters.

  A worker sees only the ps tasks and itself, so it neither waits for the
  other workers to start nor fails when one of them dies.

  Args:
    config: A `ClusterConfig`.
    base_config: A `tf.ConfigProto` to extend (copied); None: a default one.

  Returns:
    A new `tf.ConfigProto`.
  """
  result = tf.ConfigProto()
  if base_config is not None:
    result.CopyFrom(base_config)
  if config.job_name == 'worker':
    del result.device_filters[:]
    result.device_filters.extend(
      ['/job:ps', '/job:worker/task:%d' % config.task_index]
    )
  return result


def start_server(config, server_config=None):
  """Starts the gRPC server of this task.

  Args:
    config: A `ClusterConfig`.
    server_config: The server's default `tf.ConfigProto` (see
      `session_config`).

  Returns:
    The started `tf.train.Server`; its `target` is the master of a worker's
    session, and a ps calls `join()` on it.

  Raises:
    ValueError: if the server cannot start (e.g. its port is in use), naming
      the task and address.
  """
  address = config.cluster_spec[config.job_name][config.task_index]
  try:
    server = tf.train.Server(
      tf.train.ClusterSpec(config.cluster_spec),
      job_name=config.job_name,
      task_index=config.task_index,
      config=server_config,
      start=True,
    )
  except (tf.errors.OpError, RuntimeError) as e:
    raise ValueError(
      'Cannot start the server of %s task %d at %s (is the '
      'port in use?): %s' % (config.job_name, config.task_index, address, e)
    ) from None
  # TensorFlow's gRPC server listens on every interface at the port; the
  # host only tells the other tasks where to dial. Say so once per task.
  logging.info(
    'Started %s task %d at %s (%s); TensorFlow listens on all '
    'interfaces at port %s without authentication: keep the '
    'cluster on a private network.',
    config.job_name,
    config.task_index,
    address,
    server.target,
    address.rpartition(':')[2],
  )
  return server
