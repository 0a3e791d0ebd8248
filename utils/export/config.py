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
"""The settings of an export: the inference graph to build, as a dataclass.

`export_lib.export` and `deploy.export_model` take an `ExportConfig`;
export_inference_graph.py builds it from its flags
(utils/flag_defs/configs.py). Typical use:

  export_lib.export('resnet_v1_50', '/runs/r50', output_file='r50.pb',
                    config=ExportConfig(batch_size=1, labels_offset=1))
"""

import dataclasses
import typing

from utils import checks


@dataclasses.dataclass(frozen=True)
class ExportConfig:
  """The inference graph of an export (see utils/export/export_lib.py).

  Checked when constructed; the class settings are checked against the
  checkpoint when it is read.

  Attributes:
    image_size: The input height and width; None: the network's default.
    batch_size: A fixed batch size; None: any.
    num_classes: The classes of the exported logits; None: the checkpoint's
      minus `labels_offset` (or the data set's, with `dataset_name`).
    labels_offset: Logits of the checkpoint dropped before the first class
      (1 for a 1001-class ImageNet checkpoint exported with 1000 classes).
    dataset_name: A registered data set whose number of classes the export
      has; None: see `num_classes`.
    fold: Fold batch norm into the convolutions.
    model_kwargs: None, or further keywords of the model function, as in
      training.
  """

  image_size: typing.Optional[int] = None
  batch_size: typing.Optional[int] = None
  num_classes: typing.Optional[int] = None
  labels_offset: int = 0
  dataset_name: typing.Optional[str] = None
  fold: bool = True
  model_kwargs: typing.Optional[dict] = None

  def __post_init__(self):
    checks.check_int(
      'labels_offset',
      self.labels_offset,
      0,
      message=checks.NON_NEGATIVE_INT_NAMED,
    )
    checks.check_bool('fold', self.fold)
