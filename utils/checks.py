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
"""Argument checks shared by utils/: integers, numbers, booleans, choices,
sizes.

Every check raises a `ValueError` whose message names the argument and quotes
the value received. The wording is a parameter: each module keeps the message
its users (and tests) know, picked from the formats below or its own. A
format is a %-format over a dict with the keys `name`, `value`, for
`check_int` also `minimum` and `or_none`, for `check_choice` also `choices`,
e.g.

  checks.check_int('num_readers', num_readers, 1,
                   message=checks.POSITIVE_INT)
  -> ValueError: num_readers must be a positive integer; got 0.

Only the standard library is imported, so light command-line programs
(utils/distributed/launch_cluster.py) use it without loading TensorFlow;
nets/ has its own checks (nets/resnet_builder.py) and does not import utils.
"""

import math
import numbers

# Formats of the integer messages.
INT_AT_LEAST = (
  '%(name)s must be an integer >= %(minimum)d%(or_none)s; got '
  '%(name)s=%(value)r.'
)
POSITIVE_INT = '%(name)s must be a positive integer; got %(value)r.'
NON_NEGATIVE_INT = '%(name)s must be a non-negative integer; got %(value)r.'
# The same, naming the argument with its value (the benchmark and export).
POSITIVE_INT_NAMED = (
  '%(name)s must be a positive integer; got %(name)s=%(value)r'
)
NON_NEGATIVE_INT_NAMED = (
  '%(name)s must be a non-negative integer; got %(name)s=%(value)r'
)
INT = '%(name)s must be an integer; got %(value)r.'
THREADS = (
  '%(name)s must be None or a non-negative integer (0 lets '
  'TensorFlow choose); got %(name)s=%(value)r'
)
# Formats of the choice messages (`choices`: the valid values joined by ', ').
ONE_OF = '%(name)s must be one of %(choices)s; got %(name)s=%(value)r'
ONE_OF_SENTENCE = ONE_OF + '.'
ONE_OF_VALUE = '%(name)s must be one of %(choices)s; got %(value)r.'


def is_int(value):
  """True for a Python or NumPy integer; False for a bool (an int in Python).

  Args:
    value: Anything.

  Returns:
    Whether `value` is an integer and not a bool.
  """
  return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(
  name, value, minimum=None, allow_none=False, message=INT_AT_LEAST
):
  """Raises unless `value` is an integer >= `minimum` (or None if allowed).

  Args:
    name: The argument's name, for the message.
    value: The value to check.
    minimum: The smallest allowed value; None: any integer.
    allow_none: Accept None too.
    message: The %-format of the error (see the module docstring).

  Returns:
    `value`.

  Raises:
    ValueError: naming `name` and `value`.
  """
  if value is None and allow_none:
    return value
  if not is_int(value) or (minimum is not None and value < minimum):
    raise ValueError(
      message
      % {
        'name': name,
        'value': value,
        'minimum': minimum,
        'or_none': ' or None' if allow_none else '',
      }
    )
  return value


def check_positive_int(name, value, message=POSITIVE_INT):
  """`check_int(name, value, 1, message=message)`: an integer >= 1."""
  return check_int(name, value, 1, message=message)


def check_threads(name, value):
  """A thread count of a session: None (TensorFlow's default) or >= 0.

  Raises:
    ValueError: naming `name` and `value`, and what 0 means.
  """
  return check_int(name, value, 0, allow_none=True, message=THREADS)


def check_number(name, value, minimum=None, maximum=None, strict=False):
  """Raises unless `value` is a real number (not NaN) in the given range.

  Args:
    name: The argument's name, for the message.
    value: The value to check: an int or float; bools and NaN are refused.
    minimum: None, or the lower bound.
    maximum: None, or the upper bound (inclusive).
    strict: Exclude `minimum` itself (value > minimum).

  Returns:
    `value`.

  Raises:
    ValueError: naming `name`, `value` and the bound it breaks.
  """
  if (
    isinstance(value, bool)
    or not isinstance(value, (int, float))
    or math.isnan(value)
  ):
    raise ValueError('%s must be a number; got %s=%r.' % (name, name, value))
  if minimum is not None and (value < minimum or (strict and value == minimum)):
    raise ValueError(
      '%s must be %s %s; got %s=%r.'
      % (name, '>' if strict else '>=', minimum, name, value)
    )
  if maximum is not None and value > maximum:
    raise ValueError(
      '%s must be <= %s; got %s=%r.' % (name, maximum, name, value)
    )
  return value


def check_bool(name, value):
  """Raises unless `value` is True or False.

  Raises:
    ValueError: naming `name` and `value`.
  """
  if not isinstance(value, bool):
    raise ValueError(
      '%s must be True or False; got %s=%r' % (name, name, value)
    )
  return value


def check_choice(name, value, choices, message=ONE_OF):
  """Raises unless `value` is one of `choices`.

  Args:
    name: The argument's name, for the message.
    value: The value to check; an unhashable one is refused, not raised on.
    choices: The valid values (strings), in the order the message lists
      them: a tuple, list, or a dict (its keys).
    message: The %-format of the error (see the module docstring).

  Returns:
    `value`.

  Raises:
    ValueError: naming `name`, `value` and the choices.
  """
  try:
    valid = value in choices
  except TypeError:  # An unhashable value against a dict's keys.
    valid = False
  if not valid:
    raise ValueError(
      message
      % {
        'name': name,
        'value': value,
        'choices': ', '.join(str(c) for c in choices),
      }
    )
  return value


def check_network_kwargs(network_kwargs):
  """None, or a dict of keywords for the model function."""
  if network_kwargs is not None and not isinstance(network_kwargs, dict):
    raise ValueError(
      'network_kwargs must be None or a dict of keywords of '
      'the model function; got network_kwargs=%r.' % (network_kwargs,)
    )


def image_size_pair(image_size, name='image_size'):
  """Turns an image size (an int, or a (height, width) pair) into a pair.

  Args:
    image_size: A positive int, or a tuple or list of two of them.
    name: The argument's name, for the message.

  Returns:
    A (height, width) tuple of positive ints.

  Raises:
    ValueError: naming `name` and the value.
  """
  pair = (image_size, image_size) if is_int(image_size) else image_size
  if (
    not isinstance(pair, (tuple, list))
    or len(pair) != 2
    or not all(is_int(s) and s > 0 for s in pair)
  ):
    raise ValueError(
      '%s must be a positive int or a (height, width) pair of '
      'them; got %r.' % (name, image_size)
    )
  return tuple(pair)
