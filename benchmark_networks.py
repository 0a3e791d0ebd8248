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

The logic is in utils/benchmark/benchmark_lib.py; this file holds the flags
and main().

  python benchmark_networks.py --model_name=resnet_v1_50,resnet_v2_50 \
      --mode=train,inference --precision=fp32,bfloat16 --batch_size=32 \
      --compare --folded_bn --output_json=/tmp/bench.jsonl

prints the matmul peak, one line per measurement and a table of median
images/s [min - max], GMACs per image, achieved GFLOP/s, % of the matmul peak
and the fraction of convolutions that ran in bfloat16, then the ratios
(ours / tf_slim, ours / keras, bfloat16 / fp32, folded / eval graph). With
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

import warnings

from absl import app
from absl import flags
import tensorflow.compat.v1 as tf

from nets import tf_compat
from utils.benchmark import benchmark_lib

FLAGS = flags.FLAGS


def define_flags():
  """Defines the flags of this script (slim's names where slim has them)."""
  # What to measure.
  flags.DEFINE_list('model_name', ['resnet_v1_50'],
                    'Comma-separated registered network names.')
  flags.DEFINE_list('mode', ['train', 'inference'],
                    'Comma-separated modes: train (a momentum step with '
                    'batch-norm updates) and/or inference.')
  flags.DEFINE_list('precision', ['fp32'],
                    'Comma-separated precisions: fp32, bfloat16 (oneDNN '
                    'auto mixed precision; TensorFlow), int8 and float16 '
                    '(the exported models of --runtime=onnxruntime,tflite).')
  flags.DEFINE_list('runtime', ['tf'],
                    'Comma-separated runtimes: tf (our graphs, and the '
                    'references with --compare/--folded_bn), onnxruntime '
                    'and tflite (the ONNX and TFLite exports of the folded '
                    'graph; inference on synthetic images). With --paired, '
                    'all precisions of an inference setting run together.')
  flags.DEFINE_list('xla', ['off'],
                    'Comma-separated XLA settings: off and/or on.')
  flags.DEFINE_integer('batch_size', 32, 'Images per step.')
  flags.DEFINE_integer('image_size', None,
                       'Input size; default: the network\'s.')
  flags.DEFINE_integer('num_classes', None,
                       'Classes of the head; default: the registry\'s (1000 '
                       'for ImageNet networks) or the data set\'s.')
  flags.DEFINE_float('depth_multiplier', None,
                     'Optional depth multiplier of our networks (not of the '
                     'references).')
  # Timing.
  flags.DEFINE_integer('num_warmup_steps', 5, 'Untimed steps first.')
  flags.DEFINE_integer('num_steps', 20, 'Timed steps.')
  flags.DEFINE_integer('latency_steps', 100,
                       'Inference: single-image runs timed after the steps '
                       '(batch-1 latency: median and 99th percentile); 0: '
                       'none.', lower_bound=0)
  flags.DEFINE_integer('repeats', 1,
                       'Rounds over all the settings, alternating the '
                       'implementations; the steps of a setting are pooled '
                       '(fairer comparisons on a shared machine).')
  flags.DEFINE_boolean('measure_peak', True,
                       'Measure the matmul GFLOP/s of each precision first.')
  flags.DEFINE_integer('peak_size', 4096, 'Size of the peak matmul.')
  flags.DEFINE_integer('intra_op_threads', None,
                       'Threads per op; default: TensorFlow\'s.')
  flags.DEFINE_integer('inter_op_threads', None,
                       'Ops in parallel; default: TensorFlow\'s.')
  flags.DEFINE_boolean('paired', False,
                       'Run the implementations of a setting together, '
                       'alternating their steps (steadier ratios on a '
                       'shared machine; needs the memory of all of them).')
  flags.DEFINE_boolean('isolate', True,
                       'Run every measurement in its own process (a fresh '
                       'start for each; Keras always runs in its own).')
  flags.DEFINE_boolean('profile', False,
                       'Also trace one step of each run and print the time '
                       'per op type.')
  # Comparisons.
  flags.DEFINE_boolean('compare', False,
                       'Also time the pip tf_slim and Keras 3 references.')
  flags.DEFINE_boolean('folded_bn', False,
                       'Also time the exported folded-BN inference graph.')
  # Real data (slim's flag names).
  flags.DEFINE_string('dataset_name', 'imagenet',
                      'The data set, with --dataset_dir.')
  flags.DEFINE_string('dataset_dir', None,
                      'A converted data set; default: synthetic images.')
  flags.DEFINE_string('dataset_split_name', 'train', 'The split to read.')
  flags.DEFINE_integer('labels_offset', 0,
                       'Subtracted from the labels (1 for 1000 ImageNet '
                       'classes).')
  flags.DEFINE_integer('num_readers', 4, 'Files read in parallel.')
  flags.DEFINE_integer('num_preprocessing_threads', 4,
                       'Threads that decode and preprocess.')
  # Output.
  flags.DEFINE_boolean('synthetic_baseline', True,
                       'With --dataset_dir, also time our network on '
                       'synthetic images (paired with --paired): the ratio '
                       'is what the input pipeline costs.')
  flags.DEFINE_boolean('step_overhead', False,
                       'Also time our network at batch_size/2 and '
                       '2*batch_size and fit the fixed per-step cost '
                       '(framework dispatch, session call, optimizer '
                       'updates).')
  flags.DEFINE_string('output_json', None,
                      'A file to append one JSON line per measurement to.')


def main(argv):
  if len(argv) > 1:
    raise app.UsageError('Unexpected arguments: %s' % ' '.join(argv[1:]))
  tf_compat.enable_graph_mode()
  tf.logging.set_verbosity(tf.logging.ERROR)  # TF1 deprecation notices.
  # tf_slim's layers call Keras's deprecated `layer.apply`.
  warnings.filterwarnings('ignore', message='`layer.apply` is deprecated')
  data = None
  if FLAGS.dataset_dir:
    data = benchmark_lib.data_config(
        FLAGS.dataset_name, FLAGS.dataset_dir, FLAGS.dataset_split_name,
        FLAGS.labels_offset, FLAGS.num_readers,
        FLAGS.num_preprocessing_threads)
  model_kwargs = {}
  if FLAGS.depth_multiplier is not None:
    model_kwargs['depth_multiplier'] = FLAGS.depth_multiplier
  try:
    benchmark_lib.run_benchmarks(
        FLAGS.model_name, FLAGS.mode, FLAGS.precision, FLAGS.xla,
        batch_size=FLAGS.batch_size, image_size=FLAGS.image_size,
        num_warmup_steps=FLAGS.num_warmup_steps, num_steps=FLAGS.num_steps,
        data=data, compare=FLAGS.compare, folded_bn=FLAGS.folded_bn,
        measure_peak=FLAGS.measure_peak, peak_size=FLAGS.peak_size,
        num_classes=FLAGS.num_classes, model_kwargs=model_kwargs,
        intra_op=FLAGS.intra_op_threads, inter_op=FLAGS.inter_op_threads,
        output_json=FLAGS.output_json, repeats=FLAGS.repeats,
        profile=FLAGS.profile, paired=FLAGS.paired, isolate=FLAGS.isolate,
        synthetic_baseline=FLAGS.synthetic_baseline,
        measure_step_overhead=FLAGS.step_overhead, runtimes=FLAGS.runtime,
        latency_steps=FLAGS.latency_steps)
  except (ValueError, IOError) as e:
    raise app.UsageError(str(e)) from e


if __name__ == '__main__':
  define_flags()
  app.run(main)
