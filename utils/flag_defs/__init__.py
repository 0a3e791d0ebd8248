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
"""The flags of every script, and how the scripts start and fail.

The definitions live in train_eval.py (moved from utils/flag_defs.py); this
package exposes them while they are split by program.
"""

from utils.flag_defs.train_eval import define_benchmark_flags  # noqa: F401
from utils.flag_defs.train_eval import define_download_and_convert_flags  # noqa: F401,E501
from utils.flag_defs.train_eval import define_eval_flags  # noqa: F401
from utils.flag_defs.train_eval import define_export_flags  # noqa: F401
from utils.flag_defs.train_eval import define_launch_cluster_flags  # noqa: F401
from utils.flag_defs.train_eval import define_pipeline_benchmark_flags  # noqa: F401,E501
from utils.flag_defs.train_eval import define_train_flags  # noqa: F401
from utils.flag_defs.train_eval import exit_on_error  # noqa: F401
from utils.flag_defs.train_eval import start_script  # noqa: F401
