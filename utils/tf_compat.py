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
"""Re-export of `nets.tf_compat`, where the compatibility fixes live.

`from utils import tf_compat` works as `from nets import tf_compat`;
`nets/` itself imports nothing from `utils/`.
"""

from nets.tf_compat import *  # noqa: F401,F403
from nets.tf_compat import apply  # noqa: F401
from nets.tf_compat import enable_graph_mode  # noqa: F401
