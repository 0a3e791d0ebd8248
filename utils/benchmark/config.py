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
"""The benchmark's settings as frozen dataclasses (sent to a worker process
as JSON by `dataclasses.asdict`)."""

import dataclasses
from typing import Mapping
from typing import Optional
from typing import Tuple

from utils import checks

MODES = ('train', 'inference')


@dataclasses.dataclass(frozen=True)
class DataConfig:
  """A data set converted by download_and_convert_data.py."""

  dataset_name: str
  dataset_dir: str
  split_name: str = 'train'
  labels_offset: int = 0
  num_readers: int = 4
  num_preprocessing_threads: int = 4


@dataclasses.dataclass(frozen=True)
class Setting:
  """One measured setting of one network (see `grid.benchmark_network`).

  Attributes:
    model_name: A registered network name (None in a grid's template).
    mode: 'train' (a momentum step with batch-norm updates) or 'inference'.
    precision: 'fp32' or 'bfloat16' for TensorFlow (utils/precision.py);
      'fp32', 'float16' or 'int8' for the exported models.
    xla: Whether to turn on XLA auto-clustering.
    batch_size: Images per step.
    image_size: Input size; None for the network's default.
    data: None for synthetic images, or a `DataConfig`.
    num_classes: Classes of the head; None for the data set's or the
      registry's.
    model_kwargs: Further keywords of our model function.
    conv_gradients: Training: how our graph computes the gradients of 1x1
      convolutions (`utils.conv_gradients.MODES`).
    model_file: None, or an export to time as it is, by the implementation
      that declares its format (`Runner.model_format`).
  """

  model_name: Optional[str] = None
  mode: str = 'train'
  precision: str = 'fp32'
  xla: bool = False
  batch_size: int = 32
  image_size: Optional[int] = None
  data: Optional[DataConfig] = None
  num_classes: Optional[int] = None
  model_kwargs: Mapping = dataclasses.field(default_factory=dict)
  conv_gradients: str = 'auto'
  model_file: Optional[str] = None

  @classmethod
  def from_dict(cls, values):
    """The inverse of `dataclasses.asdict`."""
    data = values.get('data')
    return cls(**dict(values, data=data and DataConfig(**data)))


@dataclasses.dataclass(frozen=True)
class Timing:
  """How a measurement runs.

  Attributes:
    num_warmup_steps: Untimed steps after the first (graph-optimizing) one.
    num_steps: Timed steps.
    latency_steps: Inference: single-image runs timed after the steps.
    intra_op, inter_op: Thread pool sizes (None: TensorFlow's default).
    seed: Graph-level random seed.
    profile: Also time the op types of one traced step.
    isolate: Run each implementation in its own worker process.
  """

  num_warmup_steps: int = 5
  num_steps: int = 20
  latency_steps: int = 0
  intra_op: Optional[int] = None
  inter_op: Optional[int] = None
  seed: int = 0
  profile: bool = False
  isolate: bool = True

  def __post_init__(self):
    for name in ('num_warmup_steps', 'num_steps'):
      checks.check_positive_int(
        name, getattr(self, name), message=checks.POSITIVE_INT_NAMED
      )
    checks.check_int(
      'latency_steps',
      self.latency_steps,
      0,
      message=checks.NON_NEGATIVE_INT_NAMED,
    )


def parse_bool(value):
  """'on'/'off', 'true'/'false', '1'/'0' (any case) or a bool -> bool.

  Raises:
    ValueError: For anything else, naming the value.
  """
  text = str(value).strip().lower()
  if text in ('1', 'true', 'on', 'yes'):
    return True
  if text in ('0', 'false', 'off', 'no'):
    return False
  raise ValueError('Expected on/off or true/false; got %r' % (value,))


@dataclasses.dataclass(frozen=True)
class BenchmarkConfig:
  """A grid of settings: every network x mode x precision x XLA value.

  Attributes:
    model_names, modes, precisions, xla_values: The values to combine (XLA
      values as bools or 'on'/'off').
    runtimes: Some of `registry.runtimes()`.
    setting: The rest of every setting; its model_name, mode, precision and
      xla are ignored.
    timing: How each measurement runs.
    compare, compare_gradients, folded_bn, tf2: Add the implementations
      whose `option` they are (`registry.py`).
    synthetic_baseline: With real data, also time ours on synthetic images.
    step_overhead: After the grid, fit each setting's fixed per-step cost.
    paired: Run the implementations of a setting together, step by step.
    repeats: Rounds over all the settings; the runs of a setting are merged.
    measure_peak, peak_size: Measure the size x size matmul GFLOP/s of each
      TensorFlow precision in every round.
    output_json: None, or a file to append one JSON line per run to.
  """

  model_names: Tuple[str, ...] = ('resnet_v1_50',)
  modes: Tuple[str, ...] = ('train',)
  precisions: Tuple[str, ...] = ('fp32',)
  xla_values: Tuple[bool, ...] = (False,)
  runtimes: Tuple[str, ...] = ('tf',)
  setting: Setting = Setting()
  timing: Timing = Timing()
  compare: bool = False
  compare_gradients: bool = False
  folded_bn: bool = False
  tf2: bool = False
  synthetic_baseline: bool = False
  step_overhead: bool = False
  paired: bool = False
  repeats: int = 1
  measure_peak: bool = True
  peak_size: int = 4096
  output_json: Optional[str] = None

  def __post_init__(self):
    for name in ('model_names', 'modes', 'precisions', 'runtimes'):
      object.__setattr__(self, name, tuple(getattr(self, name)))
    xla_values = tuple(parse_bool(x) for x in self.xla_values)
    object.__setattr__(self, 'xla_values', xla_values)
    for name in ('model_names', 'modes', 'precisions', 'xla_values'):
      if not getattr(self, name):
        raise ValueError(
          '%s must not be empty; got %r' % (name, list(getattr(self, name)))
        )
    checks.check_positive_int(
      'repeats', self.repeats, message=checks.POSITIVE_INT_NAMED
    )
    if self.setting.model_file and len(self.model_names) != 1:
      raise ValueError(
        'model_file=%r is an export of one network; got model_names=%r'
        % (self.setting.model_file, list(self.model_names))
      )
