"""pytest set-up: the repository root on sys.path, quiet TensorFlow logs,
no tf.test.TestCase.test_session, which tests are `slow` (`SLOW_TESTS`), and
a run that leaves files in the temporary directory fails.

The temporary directory check: the main pytest process makes a fresh
directory and points `TMPDIR` (and `tempfile.tempdir`) at it before any test
runs, so the pytest-xdist workers and every subprocess the tests start
inherit it. When the session ends (after the workers have exited), anything
left in it fails the run, naming what was left; the directory itself is
removed when the process exits (or, if a signal killed it, by the next
run). What the frameworks remove themselves when their process exits is no
leak: TensorFlow's `get_temp_dir()` root and
AutoGraph's generated modules, pytest's `pytest-of-<user>` (its own
retention), absl's `absl_testing` tree while it holds no file, and ONNX
Runtime's telemetry session file `.ses` (kept by design, a few bytes).
"""

import atexit
import os
import shutil
import sys
import tempfile

import pytest

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The tests `make test` (`pytest -m 'not slow'`) leaves to `make test-all`.
# Keys: a test file, then a class and/or a test (the name in the code, before
# parameterization), as in the node ids of `pytest --collect-only -q` without
# the directory. Values: None for every test (and every case) under the key,
# or the parameter names of the slow cases (the suffix that absl's
# `named_parameters` appends as `_<name>`, or pytest's `[<name>]`).
SLOW_TESTS = {
  # Multi-process: clusters on loopback ports, kills and restarts (minutes).
  'distributed_test.py::ClusterTest': None,
  'distributed_test.py::KillRepeatedlyTest': None,
  # A kill -9 and restart (30 s); RestoreFallbackTest checks the repair
  # in-process in `make test`.
  'distributed_test.py::KillOnceTest': None,
  # Deeper copies of unit kinds that shallower networks already run: their
  # tiny graphs take 10-40 s to build.
  'family_test.py::test_tiny_forward_and_gradients': (
    'resnet_v1_101',
    'resnet_v1_152',
    'resnet_v1_200',
    'resnet_v2_101',
    'resnet_v2_152',
    'resnet_v2_200',
    'resnext_101_32x4d',
    'resnext_101_32x8d',
    'resnext_101_64x4d',
    'se_resnet_101',
    'se_resnet_152',
    'se_resnext_101_32x4d',
    'resnet_v1_101_beta',
    'resnet_cifar_56',
    'resnet_cifar_110',
    'resnet_cifar_1202',
    'resnet_v2_cifar_1001',
    'resnet_v1_101_tv',
    'resnet_v1_152_tv',
    'resnext_101_32x8d_tv',
    'resnet_v1_101_keras',
    'resnet_v1_152_keras',
    'resnet_v2_101_keras',
    'resnet_v2_152_keras',
    'resnet_v1_101d',
    'resnet_v1_152d',
    'se_resnext_101_32x4d_timm',
    'wide_resnet_101_2_tv',
    # Same unit kinds as rows kept in `make test` (resnet_v2_cifar_110,
    # se_resnext_50_32x4d, resnext_50_32x4d).
    'resnet_v2_cifar_164',
    'se_resnext_50_32x4d_timm',
    'resnext_50_32x4d_tv',
  ),
  # Full-size graphs of 600+ units: about a minute each to build.
  'nets_factory_test.py::NetworksTableTest::'
  'test_builds_with_expected_parameter_count': (
    'resnet_cifar_1202',
    'resnet_v2_cifar_1001',
    # The 152- and 200-layer rows repeat the 50- and 101-layer rows' units
    # (10-15 s each).
    'resnet_v1_152',
    'resnet_v1_152_tv',
    'resnet_v1_152_keras',
    'resnet_v1_152d',
    'resnet_v1_200',
    'resnet_v2_152',
    'resnet_v2_152_keras',
    'resnet_v2_200',
    'se_resnet_152',
  ),
  # The deeper variable lists, built twice (ours and the oracle's); the
  # 50-layer ones run in `make test`.
  'oracle_test.py::OracleParityTest::'
  'test_variable_names_and_shapes_equal_oracle': (
    'v1_101',
    'v1_152',
    'v1_200',
    'v2_101',
    'v2_152',
    'v2_200',
  ),
  # The matmul gradients on the registered networks at depth_multiplier
  # 1/8 (a build twice each); two-block networks of every unit kind run in
  # `make test`.
  'conv_gradients_test.py::MatmulGradientsTest::'
  'test_fp32_gradients_of_registered_networks': (
    'v1_bottleneck',
    'v2_bottleneck',
    'resnext',
    'se',
    'torchvision_stride',
  ),
  # Converted weights: the layouts of no registered network, the models
  # deeper than 50 layers, the other Keras file formats (each Keras case
  # runs Keras in subprocesses).
  'convert_weights_test.py::LayoutTest::'
  'test_atrous_equals_nominal_for_every_stride_option': (
    'v1_basic_conv1_last',
    'v1_basic_conv2_first',
    'v1_basic_conv2_last',
    'v1_bottleneck_conv1_last',
    'v1_bottleneck_conv2_last',
    'v2_basic_conv1_first',
    'v2_basic_conv1_last',
    'v2_basic_conv2_first',
    'v2_basic_conv2_last',
    'v2_bottleneck_conv1_first',
    'v2_bottleneck_conv1_last',
    'v2_bottleneck_conv2_first',
  ),
  'convert_weights_test.py::WeightMapTest::'
  'test_targets_are_the_network_variables': (
    'resnet_v1_101_keras',
    'resnet_v1_101_tv',
    'resnet_v1_152_keras',
    'resnet_v1_152_tv',
    'resnet_v2_101_keras',
    'resnet_v2_152_keras',
    'resnext_101_32x8d_tv',
    'resnet_v1_101d',
    'resnet_v1_152d',
    'se_resnext_101_32x4d_timm',
    'wide_resnet_101_2_tv',
  ),
  'weights_equality_test.py::TorchvisionEqualityTest::'
  'test_logits_equal_torchvision': (
    'resnet34',
    'resnet101',
    'resnet152',
    'resnext101_32x8d',
  ),
  # timm's and torchvision's stronger ResNets: resnet18d and one-unit-per-
  # block copies of each layout (ResNet-D bottlenecks, SE-ResNeXt, wide) in
  # `make test`.
  'weights_equality_test.py::TimmEqualityTest::test_logits_equal_source': (
    'resnet34d',
    'resnet50d',
    'resnet101d',
    'resnet152d',
    'wide_resnet50_2',
    'wide_resnet101_2',
    'seresnext50_32x4d',
    'seresnext101_32x4d',
  ),
  # Keras: resnet_v1_50_keras (the Caffe stride placement and the symmetric
  # root) in `make test`; v2's layout is slim's own with that root.
  'weights_equality_test.py::KerasEqualityTest::test_logits_equal_keras': (
    'resnet_v2_50_keras',
    'resnet_v1_101_keras',
    'resnet_v1_152_keras',
    'resnet_v2_101_keras',
    'resnet_v2_152_keras',
  ),
  'weights_equality_test.py::KerasEqualityTest::test_other_keras_formats': None,
  'weights_equality_test.py::KerasEqualityTest::'
  'test_truncated_keras_file': None,
  # Clusters in network namespaces, each run twice (minutes).
  'cluster_traffic_test.py::NamespaceTrafficTest': None,
  # A ps and a worker in-process, traced (its plan checks run in `make test`).
  'plan_test.py::TrafficTest::test_equals_the_runtimes_send_recv_pairs': None,
  # ResNet-D's average-pool projections under output_stride: the basic
  # units of resnet_v1_{18,34}d in `make test`.
  'network_options_test.py::ResNetDTest::test_atrous_equals_nominal': (
    'bottleneck_first',
    'bottleneck_last',
    'v2_bottleneck_first',
  ),
  'network_options_test.py::ZeroInitResidualTest::'
  'test_units_start_as_their_shortcut': ('se_resnext',),
  # Two MultiWorkerMirroredStrategy worker processes.
  'tf2_test.py::MultiWorkerTest': None,
  # The 50- and 29-layer bottleneck networks' TF2 step gradients, both ways
  # (20-40 s); the basic-block ones run in `make test`.
  'tf2_test.py::ConvGradientsTest::test_matmul_gradients_equal_plain': (
    'v1_bottleneck',
    'resnext_bottleneck',
  ),
  # The step traced under MirroredStrategy (two replica threads); the
  # shared override's interleaving is checked in conv_gradients_test.py.
  'tf2_test.py::ConvGradientsTest::test_fit_step_takes_the_chosen_gradients': (
    'matmul_mirrored',
  ),
  # Two workers, one killed, both restarted from the backup.
  'tf2_test.py::ResumeTest': None,
  # fit with every recipe option (an auto-augmentation graph); the options'
  # inputs and loss are checked in `make test`.
  'tf2_test.py::TrainingTest::test_recipe_training': None,
  # Two fits under MirroredStrategy on a corrupt file; the program's one
  # error line (default strategy) is checked in `make test`.
  'tf2_test.py::TrainingTest::test_corrupt_record_is_named_or_skipped': None,
  # 50-layer networks at full width exported to ONNX and TFLite (a minute
  # or two each).
  'deploy_test.py::FullNetworkTest': None,
  # The exports' paired benchmark in every runtime and precision, through
  # the script and through the library (int8 conversions of three runtimes,
  # minutes); `make test` times ONNX Runtime int8 alone
  # (test_onnxruntime_profile_shows_integer_kernels) and the serving report's
  # TensorFlow row.
  'deploy_test.py::ScriptTest::test_benchmark_exported_runtimes': None,
  'benchmark_exported_test.py::RunTest::'
  'test_paired_run_across_runtimes_and_precisions': None,
  # The int8 export and its evaluation through the scripts (a calibration and
  # two evaluations); ExportFormatsTest checks each int8 export's outputs and
  # the agreement with a reference model in `make test`.
  'deploy_test.py::ScriptTest::'
  'test_export_int8_and_evaluate_it_against_float32': None,
  # Training steps through each auto-augmentation policy's graph (its 14-15
  # branches are slow to build); auto_augment_test.py checks the policies
  # and augmentation_test.py their place in every preprocessing in
  # `make test`.
  'train_eval_test.py::TrainEvalTest::test_auto_augment_training': None,
  # A short training and evaluation per recipe file (each builds an
  # auto-augmentation graph); recipes_test.py parses every recipe into a
  # training configuration in `make test`.
  'recipes_test.py::RecipeTrainingTest': None,
  # The serving report in every runtime and precision (ten exports, each
  # evaluated and timed, minutes); ReportTest runs the report on its
  # TensorFlow and ONNX float32 rows in `make test`.
  'serving_report_test.py::FullReportTest': None,
  # The training graph's gradients through train_lib and the benchmark's
  # runners (full builds); MatmulGradientsTest checks the gradient functions
  # per unit kind in `make test`.
  'conv_gradients_test.py::TrainingGraphTest': None,
  # Keras 3's reference runner in a subprocess (imports Keras 3);
  # the other runners' tests stay in `make test`.
  'benchmark_test.py::RunTest::test_keras_reference_in_a_subprocess': None,
}


def _test_id(item):
  """(node id without the path, parameterized test's id, case or None).

  E.g. ('family_test.py::test_x[resnet_v1_50]', 'family_test.py::test_x',
  'resnet_v1_50'), or for absl's parameterized test_y_v1 of class T:
  ('f.py::T::test_y_v1', 'f.py::T::test_y', 'v1').
  """
  short_id = '%s::%s' % (item.path.name, item.nodeid.split('::', 1)[1])
  callspec = getattr(item, 'callspec', None)
  if callspec is not None:  # pytest.mark.parametrize
    return (
      short_id,
      short_id[: -len(item.name)] + item.originalname,
      (callspec.id),
    )
  # absl's parameterized tests wrap the test method they are made from.
  wrapped = getattr(getattr(item, 'obj', None), '__wrapped__', None)
  original = getattr(wrapped, '__name__', item.name)
  if original == item.name or not item.name.startswith(original):
    return short_id, short_id, None
  case = item.name[len(original) :]
  return (
    short_id,
    short_id[: -len(item.name)] + original,
    case[1:] if case.startswith('_') else case,
  )


def _slow_entries():
  """(key, parameter name or None) for every entry of SLOW_TESTS."""
  return [
    (key, name)
    for key, params in SLOW_TESTS.items()
    for name in ((None,) if params is None else params)
  ]


def _matches(test_id, key, name):
  short_id, base_id, case = test_id
  if name is None:
    return key in (short_id, base_id) or short_id.startswith(key + '::')
  return base_id == key and case == name


def pytest_pycollect_makeitem(collector, name, obj):
  """Leaves out tf.test.TestCase's `test_session` helper, which is no test.

  pytest skips a method whose `__test__` is false, so that it is neither
  collected nor counted in "N tests collected".
  """
  del collector, name
  helper = getattr(obj, 'test_session', None) if isinstance(obj, type) else None
  if getattr(helper, '__module__', '').startswith('tensorflow'):
    helper.__test__ = False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
  """Marks the tests of `SLOW_TESTS` slow (before `-m` selects on marks).

  Slow is decided here only, not with `@pytest.mark.slow` in the test files:
  absl's `parameterized` drops pytest marks on test methods, and one table
  keeps the choice in one place. To make a test slow, add it to the table:
  `'<file>::<Class>': None` for a whole class; `'<file>::<Class>::<test>'`
  or `'<file>::<test>'` (a pytest function) with None for all its cases, or
  with the parameter names of its slow cases. Check the selection with
  `pytest --collect-only -q -m slow tests`. An entry that matches no test of
  a file collected in full is an error: a renamed test would otherwise stop
  being slow without a word.

  Args:
    config: The pytest config.
    items: The collected tests; the slow ones get the `slow` mark.
  """
  entries = _slow_entries()
  found = set()
  for item in items:
    test_id = _test_id(item)
    for key, name in entries:
      if _matches(test_id, key, name):
        item.add_marker(pytest.mark.slow)
        found.add((key, name))
  # The check needs every test of a file: not with --lf or file::test ids.
  if config.getoption('lf', False):
    return
  partial = {
    os.path.basename(arg.split('::')[0]) for arg in config.args if '::' in arg
  }
  whole = {item.path.name for item in items} - partial
  missing = [
    key + ('' if name is None else ' (%s)' % name)
    for key, name in entries
    if key.split('::')[0] in whole and (key, name) not in found
  ]
  if missing:
    raise pytest.UsageError(
      'tests/conftest.py SLOW_TESTS: no test matches '
      '%s; renamed?' % ', '.join(missing)
    )


_TEMP_ROOT = pytest.StashKey[str]()


_ROOT_PREFIX = 'slim-tests-'


def _alive(pid):
  try:
    os.kill(pid, 0)
  except ProcessLookupError:
    return False
  except PermissionError:  # Another user's process.
    return True
  return True


def _remove_roots_of_ended_runs(parent):
  """Removes the directories of runs whose process is gone.

  A run killed by a signal (a CI timeout) skips its exit handlers and
  leaves its directory, named after its process id; the next run in the
  same temporary directory removes it.
  """
  for name in os.listdir(parent):
    pid = name[len(_ROOT_PREFIX) :].split('-', 1)[0]
    if name.startswith(_ROOT_PREFIX) and pid.isdigit() and not _alive(int(pid)):
      shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def pytest_configure(config):
  """Points the run's temporary files at a fresh directory (see the top)."""
  if hasattr(config, 'workerinput'):  # A pytest-xdist worker.
    # TMPDIR is the main process's directory; tempfile may have cached the
    # system's one before.
    tempfile.tempdir = os.environ.get('TMPDIR') or None
    return
  _remove_roots_of_ended_runs(tempfile.gettempdir())
  root = tempfile.mkdtemp(prefix='%s%d-' % (_ROOT_PREFIX, os.getpid()))
  os.environ['TMPDIR'] = root
  tempfile.tempdir = root
  config.stash[_TEMP_ROOT] = root
  # Registered before TensorFlow is imported, so that it runs after
  # TensorFlow's exit handlers have removed their files inside `root`.
  atexit.register(shutil.rmtree, root, ignore_errors=True)


def _removed_by_its_framework(path):
  """True for what a test framework removes itself (see the top)."""
  name = os.path.basename(path)
  if name == 'absl_testing':
    # Its per-test folders are removed, their per-class parents are not.
    return not any(files for _, _, files in os.walk(path))
  if name == '.ses' or name.startswith(
    ('pytest-of-', '__autograph_generated_file')
  ):
    return True
  googletest = sys.modules.get('tensorflow.python.platform.googletest')
  own = getattr(googletest, '_googletest_temp_dir', None)
  return own is not None and os.path.samefile(own, path)


def leftovers(root):
  """The names of what the run left in `root` (sorted), leaks only."""
  return sorted(
    name
    for name in os.listdir(root)
    if not _removed_by_its_framework(os.path.join(root, name))
  )


@pytest.hookimpl(wrapper=True)
def pytest_sessionfinish(session):
  """Fails the run when it left anything in its temporary directory.

  A wrapper: the check runs after every `pytest_sessionfinish`, so after
  pytest-xdist has stopped its workers (and their exit handlers have run).
  """
  result = yield
  root = session.config.stash.get(_TEMP_ROOT, None)
  if root is not None and os.path.isdir(root):
    left = leftovers(root)
    if left:
      message = (
        'tests left %d item(s) in the temporary directory %s: %s; use '
        'test_util.temp_dir(self), self.get_temp_dir() or '
        'tempfile.TemporaryDirectory()' % (len(left), root, ', '.join(left))
      )
      reporter = session.config.pluginmanager.get_plugin('terminalreporter')
      if reporter is not None:
        reporter.write_line(message, red=True, bold=True)
      else:
        sys.stderr.write(message + '\n')
      session.exitstatus = pytest.ExitCode.TESTS_FAILED
  return result
