"""pytest set-up: the repository root on sys.path, quiet TensorFlow logs."""

import os
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pytest_collection_modifyitems(config, items):
  """Drops tf.test.TestCase's inherited `test_session` helper (not a test)."""
  del config
  items[:] = [item for item in items if item.name != 'test_session']
