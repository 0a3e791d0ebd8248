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
r"""Benchmarks training steps and inference of the registered networks.

The logic is in utils/benchmark/ (grid.py runs the grid of settings with
benchmark_lib.py), the flags in utils/flag_defs/tools.py; this file holds
main().

  python benchmark_networks.py --model_name=resnet_v1_50,resnet_v2_50 \
      --mode=train,inference --precision=fp32,bfloat16 --batch_size=32 \
      --compare --folded_bn --output_json=/tmp/bench.jsonl

prints the matmul peak, one line per measurement and a table of median
images/s [min - max], GMACs per image, achieved GFLOP/s, % of the matmul peak
and the fraction of convolutions that ran in bfloat16, then the ratios
(ours / tf_slim, ours / keras, bfloat16 / fp32, folded / eval graph, and
with --tf2 tf_function / graph mode and eager / graph mode). With
--dataset_dir the images come from the tf.data pipeline of a converted data
set instead of a synthetic batch, and our network also runs on synthetic
images for the ratio real / synthetic:

  python benchmark_networks.py --model_name=resnet_v1_50 --mode=train \
      --dataset_name=imagenet --dataset_dir=/data/imagenet --paired

--runtime=tf,onnxruntime,tflite adds the exported models (ONNX Runtime and
TFLite, `utils/benchmark/exported_runners.py`) in the precisions asked, int8
included; with --paired our fp32 graph and every runtime and precision run
step by step in one paired run, then one image at a time (batch-1 latency):

  python benchmark_networks.py --model_name=resnet_v1_50 --mode=inference \
      --runtime=tf,onnxruntime,tflite --precision=fp32,int8 --paired

--step_overhead fits the step time over three batch sizes and prints the
fixed per-step cost:

  python benchmark_networks.py --model_name=resnet_cifar_20 --mode=train \
      --batch_size=128 --step_overhead
"""

from absl import app
from absl import flags

import nets  # noqa: F401  (applies nets/tf_compat first)
from utils import flag_defs
from utils.benchmark import benchmark_lib
from utils.benchmark import grid
from utils.flag_defs import tools

FLAGS = flags.FLAGS


def main(argv):
  flag_defs.start_script(argv, FLAGS, quiet_tensorflow=True)
  with flag_defs.exit_on_error('benchmark_networks.py'):
    data = None
    if FLAGS.dataset_dir:
      data = benchmark_lib.data_config(
        FLAGS.dataset_name,
        FLAGS.dataset_dir,
        FLAGS.dataset_split_name,
        FLAGS.labels_offset,
        FLAGS.num_readers,
        FLAGS.num_preprocessing_threads,
      )
    model_kwargs = {}
    if FLAGS.depth_multiplier is not None:
      model_kwargs['depth_multiplier'] = FLAGS.depth_multiplier
    grid.run_benchmarks(
      FLAGS.model_name,
      FLAGS.mode,
      FLAGS.precision,
      FLAGS.xla,
      batch_size=FLAGS.batch_size,
      image_size=FLAGS.image_size,
      num_warmup_steps=FLAGS.num_warmup_steps,
      num_steps=FLAGS.num_steps,
      data=data,
      compare=FLAGS.compare,
      folded_bn=FLAGS.folded_bn,
      measure_peak=FLAGS.measure_peak,
      peak_size=FLAGS.peak_size,
      num_classes=FLAGS.num_classes,
      model_kwargs=model_kwargs,
      intra_op=FLAGS.intra_op_threads,
      inter_op=FLAGS.inter_op_threads,
      output_json=FLAGS.output_json,
      repeats=FLAGS.repeats,
      profile=FLAGS.profile,
      paired=FLAGS.paired,
      isolate=FLAGS.isolate,
      synthetic_baseline=FLAGS.synthetic_baseline,
      measure_step_overhead=FLAGS.step_overhead,
      tf2=FLAGS.tf2,
      runtimes=FLAGS.runtime,
      latency_steps=FLAGS.latency_steps,
    )


if __name__ == '__main__':
  tools.define_benchmark_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this script's own.
  flags.adopt_module_key_flags(tools)
  app.run(main)
