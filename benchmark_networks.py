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

The logic is in utils/benchmark/ (grid.py runs the grid of settings), the
flags in utils/flag_defs/tools.py; this file turns the flags into a
`config.BenchmarkConfig` (`benchmark_config`) and runs it.

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
TFLite, `utils/benchmark/exported_runners.py`; every implementation is
one class of `utils/benchmark/registry.py`) in the precisions asked, int8
included; with --paired our fp32 graph and every runtime and precision run
step by step in one paired run, then one image at a time (batch-1 latency):

  python benchmark_networks.py --model_name=resnet_v1_50 --mode=inference \
      --runtime=tf,onnxruntime,tflite --precision=fp32,int8 --paired

Our training step computes convolution gradients in exact rewritten forms
(matrix products, forward convolutions) where that measured faster
(--conv_gradients=auto, see
utils/conv_gradients.py); --compare_gradients pairs it with TensorFlow's own
gradients (ours_plain) and, with --compare, the tf_slim reference:

  python benchmark_networks.py --model_name=resnet_v1_50 --mode=train \
      --conv_gradients=matmul --compare --compare_gradients --paired

--step_overhead fits the step time over three batch sizes and prints the
fixed per-step cost:

  python benchmark_networks.py --model_name=resnet_cifar_20 --mode=train \
      --batch_size=128 --step_overhead

--model_file times an export as it is, in the runtime of its format (a
.pb in the folded graph's implementation, with --folded_bn):

  python benchmark_networks.py --model_name=resnet_v1_50 \
      --runtime=openvino --model_file=/tmp/resnet_v1_50_int8.xml \
      --precision=int8

--serving_report exports a checkpoint in every runtime and precision
available, evaluates and times each export, and names the fastest within
--max_accuracy_drop accuracy points of the float32 frozen graph
(`utils/benchmark/serving_report.py`):

  python benchmark_networks.py --serving_report --model_name=resnet_cifar_20 \
      --checkpoint_path=runs/r20 --dataset_name=digits \
      --dataset_dir=data/digits --dataset_split_name=test --batch_size=100
"""

from absl import app
from absl import flags

import nets  # noqa: F401  (applies nets/tf_compat first)
from utils import flag_defs
from utils.benchmark import config
from utils.benchmark import grid
from utils.benchmark import serving_report
from utils.export import config as export_config
from utils.flag_defs import tools

FLAGS = flags.FLAGS


def benchmark_config(fv):
  """The `config.BenchmarkConfig` of the parsed flags (the only reader)."""
  data = None
  if fv.dataset_dir:
    data = config.DataConfig(
      fv.dataset_name,
      fv.dataset_dir,
      fv.dataset_split_name,
      fv.labels_offset,
      fv.num_readers,
      fv.num_preprocessing_threads,
    )
  model_kwargs = {}
  if fv.depth_multiplier is not None:
    model_kwargs['depth_multiplier'] = fv.depth_multiplier
  modes = fv.mode
  if fv.model_file and not fv['mode'].present:
    modes = ['inference']  # An export runs inference only.
  return config.BenchmarkConfig(
    model_names=fv.model_name,
    modes=modes,
    precisions=fv.precision,
    xla_values=fv.xla,
    runtimes=fv.runtime,
    setting=config.Setting(
      batch_size=fv.batch_size,
      image_size=fv.image_size,
      data=data,
      num_classes=fv.num_classes,
      model_kwargs=model_kwargs,
      conv_gradients=fv.conv_gradients,
      model_file=fv.model_file,
    ),
    timing=config.Timing(
      num_warmup_steps=fv.num_warmup_steps,
      num_steps=fv.num_steps,
      latency_steps=fv.latency_steps,
      intra_op=fv.intra_op_threads,
      inter_op=fv.inter_op_threads,
      profile=fv.profile,
      isolate=fv.isolate,
    ),
    compare=fv.compare,
    compare_gradients=fv.compare_gradients,
    folded_bn=fv.folded_bn,
    tf2=fv.tf2,
    synthetic_baseline=fv.synthetic_baseline,
    step_overhead=fv.step_overhead,
    paired=fv.paired,
    repeats=fv.repeats,
    measure_peak=fv.measure_peak,
    peak_size=fv.peak_size,
    output_json=fv.output_json,
  )


def serving_config(fv):
  """The `serving_report.ServingConfig` of the parsed flags."""
  if len(fv.model_name) != 1:
    raise ValueError(
      'The serving report exports one network; got --model_name=%s'
      % ','.join(fv.model_name)
    )
  if fv.model_file:
    raise ValueError(
      'The serving report times the files it exports; got --model_file=%s: '
      'drop --model_file or --serving_report' % fv.model_file
    )
  bench = benchmark_config(fv)
  return serving_report.ServingConfig(
    model_name=fv.model_name[0],
    checkpoint_path=fv.checkpoint_path,
    serving_dir=fv.serving_dir,
    batch_size=fv.batch_size,
    max_accuracy_drop=fv.max_accuracy_drop,
    data=bench.setting.data,
    calibration_split_name=fv.calibration_split_name,
    calibration_images=fv.calibration_images,
    export=export_config.ExportConfig(
      image_size=fv.image_size,
      num_classes=fv.num_classes,
      labels_offset=fv.labels_offset,
      dataset_name=fv.dataset_dir and fv.dataset_name,
      model_kwargs=dict(bench.setting.model_kwargs),
    ),
    timing=bench.timing,
    output_json=fv.output_json,
  )


def main(argv):
  flag_defs.start_script(argv, FLAGS, quiet_tensorflow=True)
  with flag_defs.exit_on_error('benchmark_networks.py'):
    if FLAGS.serving_report:
      serving_report.run_report(serving_config(FLAGS))
    else:
      grid.run_benchmarks(benchmark_config(FLAGS))


if __name__ == '__main__':
  tools.define_benchmark_flags()
  # --help lists the flags of utils/flag_defs/tools.py as this script's own.
  flags.adopt_module_key_flags(tools)
  app.run(main)
