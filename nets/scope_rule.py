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
"""Which variables a list of scopes selects: slim's prefix rule.

One rule for every option that names variables by scope: the fine-tuning
flags `--checkpoint_exclude_scopes` and `--trainable_scopes` and
`SlimNetwork.load_checkpoint(exclude_scopes=...)`.

The rule is research/slim's `train_image_classifier.py`: a variable is in a
scope when its name (the op name, without ':0') starts with the scope string.
`_get_init_fn` excludes with `var.op.name.startswith(exclusion)`;
`_get_variables_to_train` selects with `tf.get_collection(TRAINABLE_VARIABLES,
scope)`, a regular-expression match at the start of the name, which is the
same prefix test for scope names (they hold no regular-expression
characters); here the scope is always a plain string, never a pattern.

So a scope is a string prefix, not a list of whole name components:

  * 'resnet_v1_50/logits' selects 'resnet_v1_50/logits/weights' and
    'resnet_v1_50/logits/biases';
  * 'resnet_v1_50/log' selects them too;
  * 'resnet_v1_101/block3/unit_1' also selects 'resnet_v1_101/block3/unit_10'
    to 'unit_19'; end it with '/' ('resnet_v1_101/block3/unit_1/') to select
    unit_1 alone;
  * 'logits' selects nothing there: the match starts at the first character.
"""


def parse_scopes(scopes, name='scopes'):
  """slim's scope-list argument as a list of scope strings.

  Args:
    scopes: None, a comma-separated string ('a/b, c') or a list or tuple of
      strings. Blanks around each scope are dropped, and so are empty ones.
    name: The argument's name, for the error message.

  Returns:
    A list of non-empty scope strings; empty for None and ''.

  Raises:
    ValueError: if `scopes` is none of these, naming `name` and the value.
  """
  if scopes is None:
    return []
  items = scopes.split(',') if isinstance(scopes, str) else scopes
  if not isinstance(items, (list, tuple)) or not all(
    isinstance(item, str) for item in items
  ):
    raise ValueError(
      '%s must be None, a comma-separated string or a list of scope names; '
      'got %s=%r' % (name, name, scopes)
    )
  return [item.strip() for item in items if item.strip()]


def in_scopes(variable_name, scopes):
  """True when `variable_name` starts with one of `scopes` (the module's rule).

  Args:
    variable_name: A variable's name without the output suffix, e.g.
      'resnet_v1_50/logits/weights' (a TF1 `var.op.name`).
    scopes: A list of scope strings (`parse_scopes`).

  Returns:
    A bool.
  """
  return any(variable_name.startswith(scope) for scope in scopes)
