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
"""Tests of utils/checks.py: what each check accepts, and its messages."""

import os
import subprocess
import sys

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np

from utils import checks

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class IntTest(parameterized.TestCase):
  @parameterized.named_parameters(
    ('int', 3, True),
    ('numpy_int', np.int64(3), True),
    ('bool', True, False),
    ('float', 3.0, False),
    ('string', '3', False),
    ('none', None, False),
  )
  def test_is_int(self, value, expected):
    self.assertIs(expected, checks.is_int(value))

  def test_accepted_values_are_returned(self):
    self.assertEqual(5, checks.check_int('n', 5, 1))
    self.assertEqual(-7, checks.check_int('n', -7))
    self.assertIsNone(checks.check_int('n', None, 1, allow_none=True))
    self.assertEqual(0, checks.check_threads('intra_op', 0))
    self.assertIsNone(checks.check_threads('intra_op', None))

  @parameterized.named_parameters(
    (
      'below',
      dict(value=0, minimum=1),
      r'^n must be an integer >= 1; got n=0\.$',
    ),
    (
      'none',
      dict(value=None, minimum=0),
      r'^n must be an integer >= 0; got n=None\.$',
    ),
    (
      'none_allowed_but_bool',
      dict(value=True, minimum=0, allow_none=True),
      r'^n must be an integer >= 0 or None; got n=True\.$',
    ),
    ('float', dict(value=2.5, minimum=1), r'got n=2\.5\.$'),
    (
      'positive',
      dict(value=0, minimum=1, message=checks.POSITIVE_INT),
      r'^n must be a positive integer; got 0\.$',
    ),
    (
      'non_negative',
      dict(value=-1, minimum=0, message=checks.NON_NEGATIVE_INT),
      r'^n must be a non-negative integer; got -1\.$',
    ),
    (
      'any_int',
      dict(value='1', message=checks.INT),
      r"^n must be an integer; got '1'\.$",
    ),
    (
      'own_message',
      dict(
        value=0, minimum=1, message='%(name)s=%(value)r is not >= %(minimum)d'
      ),
      r'^n=0 is not >= 1$',
    ),
  )
  def test_check_int_messages(self, kwargs, regex):
    with self.assertRaisesRegex(ValueError, regex):
      checks.check_int('n', **kwargs)

  def test_positive_int_and_threads(self):
    with self.assertRaisesRegex(
      ValueError, r'^size must be a positive integer; got 0\.$'
    ):
      checks.check_positive_int('size', 0)
    with self.assertRaisesRegex(
      ValueError,
      r'^inter_op must be None or a non-negative integer \(0 '
      r'lets TensorFlow choose\); got inter_op=-1$',
    ):
      checks.check_threads('inter_op', -1)


class NumberTest(parameterized.TestCase):
  def test_accepted_values_are_returned(self):
    self.assertEqual(0.5, checks.check_number('x', 0.5, minimum=0, maximum=1))
    self.assertEqual(0, checks.check_number('x', 0, minimum=0))

  @parameterized.named_parameters(
    ('nan', dict(value=float('nan')), r'^x must be a number; got x=nan\.$'),
    ('bool', dict(value=False), r'^x must be a number; got x=False\.$'),
    ('string', dict(value='1'), r"^x must be a number; got x='1'\.$"),
    ('below', dict(value=-1, minimum=0), r'^x must be >= 0; got x=-1\.$'),
    (
      'strict',
      dict(value=0, minimum=0, strict=True),
      r'^x must be > 0; got x=0\.$',
    ),
    ('above', dict(value=1.5, maximum=1), r'^x must be <= 1; got x=1\.5\.$'),
  )
  def test_check_number_messages(self, kwargs, regex):
    with self.assertRaisesRegex(ValueError, regex):
      checks.check_number('x', **kwargs)


class OtherChecksTest(parameterized.TestCase):
  def test_check_network_kwargs(self):
    checks.check_network_kwargs(None)
    checks.check_network_kwargs({'output_stride': 16})
    with self.assertRaisesRegex(
      ValueError,
      r"network_kwargs must be None or a dict.*got network_kwargs=\['",
    ):
      checks.check_network_kwargs(['output_stride', 16])

  def test_check_bool(self):
    self.assertFalse(checks.check_bool('xla', False))
    with self.assertRaisesRegex(
      ValueError, r"^xla must be True or False; got xla='on'$"
    ):
      checks.check_bool('xla', 'on')

  def test_check_choice_returns_a_valid_value(self):
    self.assertEqual('b', checks.check_choice('mode', 'b', ('a', 'b')))
    self.assertEqual('y', checks.check_choice('kind', 'y', {'x': 1, 'y': 2}))

  @parameterized.named_parameters(
    (
      'default_format',
      dict(value='c'),
      r"^mode must be one of a, b; got mode='c'$",
    ),
    (
      'sentence',
      dict(value=None, message=checks.ONE_OF_SENTENCE),
      r'^mode must be one of a, b; got mode=None\.$',
    ),
    (
      'value_only',
      dict(value=3, message=checks.ONE_OF_VALUE),
      r'^mode must be one of a, b; got 3\.$',
    ),
    (
      'case_matters',
      dict(value='A'),
      r"^mode must be one of a, b; got mode='A'$",
    ),
    # An unhashable value against a dict's keys is refused, not a TypeError.
    (
      'unhashable',
      dict(value=['a'], choices={'a': 1, 'b': 2}),
      r"^mode must be one of a, b; got mode=\['a'\]$",
    ),
  )
  def test_check_choice_messages(self, kwargs, regex):
    kwargs = dict(kwargs)
    choices = kwargs.pop('choices', ('a', 'b'))
    with self.assertRaisesRegex(ValueError, regex):
      checks.check_choice('mode', choices=choices, **kwargs)

  @parameterized.named_parameters(
    ('int', 8, (8, 8)), ('pair', [4, 6], (4, 6)), ('tuple', (5, 7), (5, 7))
  )
  def test_image_size_pair(self, value, expected):
    self.assertEqual(expected, checks.image_size_pair(value))

  @parameterized.named_parameters(
    ('zero', 0),
    ('zero_height', (0, 3)),
    ('three', (1, 2, 3)),
    ('float', (2.0, 2)),
    ('string', '8'),
  )
  def test_image_size_pair_errors(self, value):
    with self.assertRaisesRegex(
      ValueError,
      r'^image_size must be a positive int or a \(height, '
      r'width\) pair of them; got %s\.$'
      % repr(value).replace('(', r'\(').replace(')', r'\)'),
    ):
      checks.image_size_pair(value)

  def test_imports_no_tensorflow(self):
    # Light programs (the cluster launcher) use it without loading TF.
    code = (
      'import sys; from utils import checks; print("tensorflow" in sys.modules)'
    )
    out = subprocess.run(
      [sys.executable, '-c', code],
      cwd=_ROOT,
      capture_output=True,
      text=True,
      check=True,
    ).stdout
    self.assertEqual('False', out.strip())


if __name__ == '__main__':
  absltest.main()
