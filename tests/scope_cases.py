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
"""One table of scope arguments and the variables they select.

Both callers of the scope rule (`nets/scope_rule.py`) are tested with it:
the fine-tuning flags (`utils/training/fine_tuning.py`, in
tests/train_lib_test.py) and `SlimNetwork.load_checkpoint(exclude_scopes=)`
(tests/tf2_test.py). The variables are those of `resnet_cifar_20` with 10
classes; the expected names are written out, not derived with the rule.
"""

MODEL_NAME = 'resnet_cifar_20'
NUM_CLASSES = 10

_BATCH_NORM = ('beta', 'gamma', 'moving_mean', 'moving_variance')


def _conv(scope):
  """The variables of one conv2d with batch norm (slim's names)."""
  return [scope + '/weights'] + [scope + '/BatchNorm/' + v for v in _BATCH_NORM]


_LOGITS = ['resnet_cifar_20/logits/biases', 'resnet_cifar_20/logits/weights']
_UNIT = 'resnet_cifar_20/block3/unit_3/basic_block_v1'

# (case name, the scopes argument, the variable names it selects, sorted).
# For the fine-tuning flags the argument is a flag value (a string) or a
# list, as for `exclude_scopes`.
SCOPE_CASES = (
  ('logits', 'resnet_cifar_20/logits', _LOGITS),
  ('trailing_slash', 'resnet_cifar_20/logits/', _LOGITS),
  # A string prefix: part of a name component is enough.
  ('part_of_a_name', 'resnet_cifar_20/log', _LOGITS),
  ('one_variable', 'resnet_cifar_20/logits/weights', _LOGITS[1:]),
  # The root conv1, not the units' conv1 (their names go on with 'block').
  (
    'root_conv',
    'resnet_cifar_20/conv1',
    sorted(_conv('resnet_cifar_20/conv1')),
  ),
  (
    'both_convs_of_a_unit',
    _UNIT + '/conv',
    sorted(_conv(_UNIT + '/conv1') + _conv(_UNIT + '/conv2')),
  ),
  (
    'comma_separated',
    ' resnet_cifar_20/logits/biases, resnet_cifar_20/conv1/weights,',
    ['resnet_cifar_20/conv1/weights', 'resnet_cifar_20/logits/biases'],
  ),
  (
    'list',
    ['resnet_cifar_20/logits/weights', ' resnet_cifar_20/conv1/BatchNorm/g'],
    ['resnet_cifar_20/conv1/BatchNorm/gamma', 'resnet_cifar_20/logits/weights'],
  ),
  # The match starts at the first character of the name.
  ('not_from_the_start', 'logits', []),
)
