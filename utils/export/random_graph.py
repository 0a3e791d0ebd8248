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
"""The exported inference graph of a network on random weights.

What `export_lib.export` writes for a checkpoint, for a network that has
none: variables from their initializers, batch-norm statistics drawn at
random (gamma and moving variance uniform in [0.5, 1.5], beta and moving mean
normal with standard deviation 0.1) so that folding has something to fold,
then frozen to constants. The benchmark times it, and converts it for the
exported runtimes; a graph for speed, not for accuracy.
"""

import numpy as np
import tensorflow.compat.v1 as tf

from utils.export import export_lib


def frozen_graph_def(
  model_name,
  image_size,
  num_classes,
  batch_size=None,
  fold=True,
  model_kwargs=None,
  seed=0,
):
  """The frozen inference GraphDef ('input:0' -> 'logits:0', ...).

  Args:
    model_name: A registered network name.
    image_size: Input height and width.
    num_classes: Classes of the head.
    batch_size: None for any batch, or a fixed batch size.
    fold: Fold batch norm into the convolutions, as the export does.
    model_kwargs: Further keywords of the model function.
    seed: Seeds the initializers and the batch-norm statistics.
  """
  with tf.Graph().as_default():
    tf.set_random_seed(seed)
    export_lib.build_inference_graph(
      model_name,
      num_classes,
      image_size,
      batch_size,
      fold=False,
      model_kwargs=model_kwargs,
    )
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      names = [v.op.name for v in tf.global_variables()]
      values = dict(zip(names, sess.run(tf.global_variables())))
  rng = np.random.RandomState(seed)
  for name in names:
    shape = values[name].shape
    if name.endswith(('moving_variance', 'gamma')):
      values[name] = rng.uniform(0.5, 1.5, shape).astype(np.float32)
    elif name.endswith(('moving_mean', 'beta')):
      values[name] = rng.normal(0.0, 0.1, shape).astype(np.float32)
  values, num_classes, _, _ = export_lib.prepare_values(
    model_name, values, num_classes, fold=fold
  )
  with tf.Graph().as_default():
    tensors = export_lib.build_inference_graph(
      model_name,
      num_classes,
      image_size,
      batch_size,
      fold=fold,
      model_kwargs=model_kwargs,
    )
    with tf.Session() as sess:
      export_lib.load_values(sess, values)
      return export_lib.freeze(sess, [tensors['logits'].op.name])
