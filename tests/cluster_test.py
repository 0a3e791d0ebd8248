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
"""Tests of utils/distributed/cluster.py: addresses, TF_CONFIG, flags over
TF_CONFIG, the checks against slim's deployment flags and the session config.
Pure functions, except one test that starts a server on a busy loopback port."""

import json
import socket

from absl.testing import parameterized
import tensorflow.compat.v1 as tf

from utils.distributed import cluster

_PS = ['127.0.0.1:2220']
_WORKERS = ['127.0.0.1:2221', '127.0.0.1:2222']


def _tf_config(cluster_def, task_type=None, index=None):
  config = {'cluster': cluster_def}
  if task_type is not None:
    config['task'] = {'type': task_type, 'index': index}
  return json.dumps(config)


class AddressTest(parameterized.TestCase):
  @parameterized.named_parameters(
    ('ipv4', '10.0.0.1:2222'),
    ('name', 'worker-3.example.com:1'),
    ('ipv6', '[::1]:65535'),
    ('localhost', 'localhost:8470'),
  )
  def test_valid(self, address):
    self.assertEqual(address, cluster.parse_address(address))

  def test_strips_spaces(self):
    self.assertEqual(
      ['h1:1', 'h2:2'], cluster.parse_hosts(' h1:1, h2:2 ', 'ps_hosts')
    )

  @parameterized.named_parameters(
    (
      'no_port',
      'localhost',
      r"ps_hosts: address 'localhost' is not "
      r'host:port',
    ),
    ('no_host', ':2222', r"address ':2222' is not host:port"),
    ('space_in_host', 'a b:22', r"address 'a b:22' is not host:port"),
    (
      'port_zero',
      'h:0',
      r"address 'h:0' has port '0'; a port must be an "
      r'integer in 1\.\.65535',
    ),
    ('port_too_large', 'h:65536', r"address 'h:65536' has port '65536'"),
    ('port_not_a_number', 'h:http', r"address 'h:http' has port 'http'"),
    ('port_negative', 'h:-1', r"address 'h:-1' has port '-1'"),
    ('empty_port', 'h:', r"address 'h:' has port ''"),
    (
      'wildcard',
      '0.0.0.0:2222',
      r"address '0\.0\.0\.0:2222' has the "
      r'wildcard host 0\.0\.0\.0',
    ),
    ('not_a_string', 2222, r'address 2222 is not a string'),
  )
  def test_malformed(self, address, regex):
    with self.assertRaisesRegex(ValueError, regex):
      cluster.parse_address(address, 'ps_hosts')

  def test_list_or_string(self):
    self.assertEqual(_WORKERS, cluster.parse_hosts(','.join(_WORKERS), 'w'))
    self.assertEqual(_WORKERS, cluster.parse_hosts(_WORKERS, 'w'))
    self.assertEqual([], cluster.parse_hosts('', 'w'))

  def test_trailing_comma_is_an_empty_address(self):
    with self.assertRaisesRegex(
      ValueError,
      r"worker_hosts: address '' is "
      r'not host:port',
    ):
      cluster.parse_hosts('h:1,', 'worker_hosts')

  def test_bad_list_type(self):
    with self.assertRaisesRegex(
      ValueError,
      r'ps_hosts must be a comma-'
      r'separated string or a list .*; got 7',
    ):
      cluster.parse_hosts(7, 'ps_hosts')


class TfConfigTest(parameterized.TestCase):
  def test_ps_and_worker(self):
    text = _tf_config({'ps': _PS, 'worker': _WORKERS}, 'worker', 1)
    self.assertEqual(
      ({'ps': _PS, 'worker': _WORKERS}, 'worker', 1),
      cluster.parse_tf_config(text),
    )

  def test_ps_task(self):
    text = _tf_config({'ps': _PS, 'worker': _WORKERS}, 'ps', 0)
    self.assertEqual(('ps', 0), cluster.parse_tf_config(text)[1:])

  def test_chief_is_folded_into_worker_task_0(self):
    cluster_def = {'chief': ['c:1'], 'worker': ['w:1', 'w:2'], 'ps': _PS}
    jobs, job, index = cluster.parse_tf_config(
      _tf_config(cluster_def, 'chief', 0)
    )
    self.assertEqual({'ps': _PS, 'worker': ['c:1', 'w:1', 'w:2']}, jobs)
    self.assertEqual(('worker', 0), (job, index))
    # TF_CONFIG's worker 1 is worker task 2 once the chief is task 0.
    self.assertEqual(
      ('worker', 2),
      cluster.parse_tf_config(_tf_config(cluster_def, 'worker', 1))[1:],
    )

  def test_chief_only(self):
    jobs, job, index = cluster.parse_tf_config(
      _tf_config({'chief': ['c:1'], 'ps': _PS}, 'chief', 0)
    )
    self.assertEqual(['c:1'], jobs['worker'])
    self.assertEqual(('worker', 0), (job, index))

  def test_missing_index_is_0(self):
    text = json.dumps(
      {'cluster': {'ps': _PS, 'worker': _WORKERS}, 'task': {'type': 'ps'}}
    )
    self.assertEqual(('ps', 0), cluster.parse_tf_config(text)[1:])

  def test_cluster_without_task(self):
    self.assertEqual(
      ({'ps': _PS}, None, None),
      cluster.parse_tf_config(_tf_config({'ps': _PS})),
    )

  @parameterized.named_parameters(
    ('none', None), ('empty', ''), ('blank', '  \n')
  )
  def test_unset(self, text):
    self.assertEqual(({}, None, None), cluster.parse_tf_config(text))

  @parameterized.named_parameters(
    (
      'not_json',
      '{"cluster": {"ps": ["h:1"]',
      r'TF_CONFIG is not valid '
      r'JSON \(.*\): \'\{"cluster": \{"ps": \["h:1"\]\'',
    ),
    (
      'not_an_object',
      '["h:1"]',
      r'TF_CONFIG must be a JSON object .*; '
      r"got '\[\"h:1\"\]'",
    ),
    (
      'cluster_not_an_object',
      '{"cluster": ["h:1"]}',
      r'TF_CONFIG "cluster" '
      r"must be an object .*; got \['h:1'\]",
    ),
    (
      'task_not_an_object',
      '{"cluster": {}, "task": "ps"}',
      r'TF_CONFIG "task" must be an object .*; got \'ps\'',
    ),
    (
      'unknown_job',
      _tf_config({'master': ['h:1']}),
      r'TF_CONFIG cluster '
      r"has job 'master'; supported jobs are chief, ps, worker",
    ),
    (
      'evaluator',
      _tf_config({'ps': _PS}, 'evaluator', 0),
      r'TF_CONFIG task '
      r"type 'evaluator' is not a training task.*eval_image_classifier",
    ),
    (
      'two_chiefs',
      _tf_config({'chief': ['c:1', 'c:2']}),
      r'TF_CONFIG '
      r"cluster\.chief must have one address; got \['c:1', 'c:2'\]",
    ),
    (
      'chief_index',
      _tf_config({'chief': ['c:1']}, 'chief', 1),
      r'task\.index must be 0 for the chief; got 1',
    ),
    (
      'negative_index',
      _tf_config({'ps': _PS}, 'ps', -1),
      r'TF_CONFIG '
      r'task\.index must be a non-negative integer; got -1',
    ),
    (
      'string_index',
      _tf_config({'ps': _PS}, 'ps', '0'),
      r'TF_CONFIG '
      r"task\.index must be a non-negative integer; got '0'",
    ),
    (
      'bad_address',
      _tf_config({'ps': ['h:99999']}),
      r'TF_CONFIG '
      r"cluster\.ps: address 'h:99999' has port '99999'",
    ),
  )
  def test_errors(self, text, regex):
    with self.assertRaisesRegex(ValueError, regex):
      cluster.parse_tf_config(text)


class ResolveClusterTest(parameterized.TestCase):
  def test_nothing_means_one_process(self):
    self.assertIsNone(cluster.resolve_cluster())
    self.assertIsNone(cluster.resolve_cluster(tf_config=''))

  def test_flags(self):
    config = cluster.resolve_cluster(
      ps_hosts=','.join(_PS),
      worker_hosts=','.join(_WORKERS),
      job_name='worker',
      task=1,
    )
    self.assertEqual(
      cluster.ClusterConfig(
        cluster_spec={'ps': _PS, 'worker': _WORKERS},
        job_name='worker',
        task_index=1,
        is_chief=False,
        num_workers=2,
        num_ps=1,
      ),
      config,
    )

  @parameterized.named_parameters(
    ('chief', 'worker', 0, True),
    ('other_worker', 'worker', 1, False),
    ('ps', 'ps', 0, False),
  )
  def test_chief_is_worker_0(self, job_name, task, is_chief):
    config = cluster.resolve_cluster(
      ps_hosts=_PS, worker_hosts=_WORKERS, job_name=job_name, task=task
    )
    self.assertEqual(is_chief, config.is_chief)

  def test_tf_config(self):
    config = cluster.resolve_cluster(
      tf_config=_tf_config(
        {'chief': ['c:1'], 'worker': ['w:1'], 'ps': _PS}, 'worker', 0
      )
    )
    self.assertEqual({'ps': _PS, 'worker': ['c:1', 'w:1']}, config.cluster_spec)
    self.assertEqual(
      ('worker', 1, False, 2, 1),
      (
        config.job_name,
        config.task_index,
        config.is_chief,
        config.num_workers,
        config.num_ps,
      ),
    )

  def test_flags_win_over_tf_config_value_by_value(self):
    env = _tf_config(
      {'ps': ['env-ps:1'], 'worker': ['env-w:1', 'env-w:2']}, 'worker', 1
    )
    # Only the task from a flag: the cluster still comes from TF_CONFIG.
    config = cluster.resolve_cluster(task=0, tf_config=env)
    self.assertEqual(
      ('worker', 0, True), (config.job_name, config.task_index, config.is_chief)
    )
    self.assertEqual(['env-ps:1'], config.cluster_spec['ps'])
    # Host lists and job name from flags, the index from TF_CONFIG.
    config = cluster.resolve_cluster(
      ps_hosts='flag-ps:1,flag-ps:2',
      worker_hosts='flag-w:1,flag-w:2',
      job_name='ps',
      tf_config=env,
    )
    self.assertEqual(
      {'ps': ['flag-ps:1', 'flag-ps:2'], 'worker': ['flag-w:1', 'flag-w:2']},
      config.cluster_spec,
    )
    self.assertEqual(('ps', 1), (config.job_name, config.task_index))

  @parameterized.named_parameters(
    (
      'job_only',
      dict(job_name='worker'),
      r'missing ps hosts \(--ps_hosts '
      r'or TF_CONFIG cluster\.ps\); worker hosts .*; task index \(--task or '
      r'TF_CONFIG task\.index\)',
    ),
    (
      'no_task',
      dict(ps_hosts=_PS, worker_hosts=_WORKERS, job_name='worker'),
      r'missing task index \(--task',
    ),
    (
      'no_job',
      dict(ps_hosts=_PS, worker_hosts=_WORKERS, task=0),
      r'missing job name \(--job_name or TF_CONFIG task\.type\)\.',
    ),
    (
      'task_only',
      dict(task=3),
      r'Incomplete cluster definition: missing '
      r'ps hosts',
    ),
    (
      'env_without_task',
      dict(tf_config=_tf_config({'ps': _PS, 'worker': _WORKERS})),
      r'missing job name .*; task index',
    ),
  )
  def test_incomplete(self, kwargs, regex):
    with self.assertRaisesRegex(ValueError, regex):
      cluster.resolve_cluster(**kwargs)

  @parameterized.named_parameters(
    (
      'worker_task_out_of_range',
      dict(job_name='worker', task=2),
      r"task=2 is out of range for job 'worker', which has 2 host\(s\) "
      r'\(valid: 0\.\.1\)',
    ),
    (
      'ps_task_out_of_range',
      dict(job_name='ps', task=1),
      r"task=1 is out of range for job 'ps', which has 1 host\(s\) "
      r'\(valid: 0\.\.0\)',
    ),
    (
      'negative_task',
      dict(job_name='ps', task=-1),
      r'task must be a non-negative integer; got -1',
    ),
    (
      'unknown_job',
      dict(job_name='chief', task=0),
      r'job_name must be one '
      r"of ps, worker; got job_name='chief'",
    ),
    (
      'no_ps',
      dict(ps_hosts='', job_name='worker', task=0),
      r'no ps host '
      r"\(ps_hosts=''\)",
    ),
    (
      'no_worker',
      dict(worker_hosts=[], job_name='ps', task=0),
      r'no worker host \(worker_hosts=\[\]\)',
    ),
    (
      'duplicate',
      dict(worker_hosts=_WORKERS + _PS, job_name='ps', task=0),
      r"Address '127\.0\.0\.1:2220' appears twice",
    ),
    (
      'malformed_flag',
      dict(worker_hosts='127.0.0.1:2221,127.0.0.1', job_name='ps', task=0),
      r"worker_hosts: address '127\.0\.0\.1' is not host:port",
    ),
  )
  def test_errors(self, overrides, regex):
    kwargs = dict(ps_hosts=_PS, worker_hosts=_WORKERS)
    kwargs.update(overrides)
    with self.assertRaisesRegex(ValueError, regex):
      cluster.resolve_cluster(**kwargs)

  def test_bad_tf_config_fails_even_with_flags(self):
    with self.assertRaisesRegex(ValueError, r'TF_CONFIG is not valid JSON'):
      cluster.resolve_cluster(
        ps_hosts=_PS,
        worker_hosts=_WORKERS,
        job_name='ps',
        task=0,
        tf_config='{oops',
      )


class CheckFlagsTest(parameterized.TestCase):
  def setUp(self):
    super().setUp()
    self.config = cluster.resolve_cluster(
      ps_hosts=_PS, worker_hosts=_WORKERS, job_name='worker', task=0
    )

  def test_agreeing_or_unset_flags_pass(self):
    cluster.check_flags(self.config)
    cluster.check_flags(
      self.config,
      master='',
      worker_replicas=2,
      num_ps_tasks=1,
      sync_replicas=True,
      replicas_to_aggregate=2,
    )
    # Without sync_replicas, replicas_to_aggregate is unused.
    cluster.check_flags(self.config, replicas_to_aggregate=5)

  @parameterized.named_parameters(
    (
      'master',
      dict(master='grpc://h:1'),
      r"--master='grpc://h:1' "
      r'conflicts with the cluster flags',
    ),
    (
      'worker_replicas',
      dict(worker_replicas=3),
      r'worker_replicas=3 '
      r'conflicts with the 2 worker host\(s\)',
    ),
    (
      'num_ps_tasks',
      dict(num_ps_tasks=2),
      r'num_ps_tasks=2 conflicts with '
      r'the 1 ps host\(s\)',
    ),
    (
      'replicas_to_aggregate',
      dict(sync_replicas=True, replicas_to_aggregate=3),
      r'replicas_to_aggregate=3 is larger than the number of workers '
      r'\(2\)',
    ),
  )
  def test_conflicts(self, kwargs, regex):
    with self.assertRaisesRegex(ValueError, regex):
      cluster.check_flags(self.config, **kwargs)


class ServerTest(tf.test.TestCase):
  def test_worker_sees_only_the_ps_and_itself(self):
    base = tf.ConfigProto(allow_soft_placement=True)
    config = cluster.resolve_cluster(
      ps_hosts=_PS, worker_hosts=_WORKERS, job_name='worker', task=1
    )
    session_config = cluster.session_config(config, base)
    self.assertEqual(
      ['/job:ps', '/job:worker/task:1'], list(session_config.device_filters)
    )
    self.assertTrue(session_config.allow_soft_placement)
    self.assertEmpty(base.device_filters)  # The base is not changed.
    ps = config._replace(job_name='ps', task_index=0, is_chief=False)
    self.assertEmpty(cluster.session_config(ps).device_filters)

  def test_busy_port_is_a_clear_error(self):
    with socket.socket() as busy:
      busy.bind(('127.0.0.1', 0))
      busy.listen(1)
      address = '127.0.0.1:%d' % busy.getsockname()[1]
      config = cluster.resolve_cluster(
        ps_hosts=[address], worker_hosts=_WORKERS, job_name='ps', task=0
      )
      with self.assertRaisesRegex(
        ValueError,
        r'Cannot start the server of ps task 0 at %s \(is the '
        r'port in use\?\)' % address,
      ):
        cluster.start_server(config)


if __name__ == '__main__':
  tf.test.main()
