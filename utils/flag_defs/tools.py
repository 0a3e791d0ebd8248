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
"""The flags of the other programs: data conversion, weight conversion,
export, benchmarks, and the cluster launcher, each defined by its
`define_<program>_flags(fv)` (see utils/flag_defs/). slim's names where slim
has the flag.

Nothing here imports TensorFlow: the launcher starts through these flags and
stays light (`define_download_and_convert_flags` imports the data set table,
`define_benchmark_flags` utils/conv_gradients.py, when called).
"""

from absl import flags

from utils.distributed import ps_placement


def define_download_and_convert_flags(fv=flags.FLAGS):
  """Defines the flags of download_and_convert_data.py (slim's names)."""
  # Which data set, and where.
  from utils.datasets import dataset_factory  # Loads TensorFlow.

  flags.DEFINE_enum(
    'dataset_name',
    None,
    dataset_factory.dataset_names(),
    'The name of the data set to convert.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_dir',
    None,
    'The directory where the archive is looked for (and '
    'downloaded to) and the TFRecords are written.',
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'accept_unverified_archive',
    False,
    'Convert an archive whose checksum does not match the '
    'published one (not used by digits and imagenet).',
    flag_values=fv,
  )
  flags.mark_flags_as_required(['dataset_name', 'dataset_dir'], flag_values=fv)

  # ImageNet only: it cannot be downloaded, it is converted from a tree.
  flags.DEFINE_string(
    'imagenet_train_dir',
    None,
    'ImageNet train directory of <synset>/ sub-directories.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'imagenet_validation_dir',
    None,
    'ImageNet directory of validation images.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'imagenet_validation_labels_file',
    None,
    'Lines "<filename> <synset>", or one synset per sorted validation file.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'imagenet_metadata_file',
    None,
    'Lines "<synset>\\t<human-readable name>", used for labels.txt.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_threads',
    4,
    'ImageNet shards written in parallel.',
    lower_bound=1,
    flag_values=fv,
  )


def define_pipeline_benchmark_flags(fv=flags.FLAGS):
  """Defines the flags of utils/benchmark/pipeline_benchmark.py."""
  flags.DEFINE_string(
    'dataset_dir',
    None,
    'Directory of converted TFRecords to read; by default '
    'synthetic records are generated in a temporary '
    'directory.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_name',
    'imagenet',
    'Data set read from --dataset_dir.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_split_name',
    'train',
    'Split read from --dataset_dir.',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'preprocessing',
    ['vgg:224', 'inception:224', 'inception:299', 'cifar:32'],
    'Preprocessing:size pairs to measure.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'batch_size', 32, 'Images per batch.', lower_bound=1, flag_values=fv
  )
  flags.DEFINE_integer(
    'num_batches',
    40,
    'Batches timed per measurement.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_warmup_batches',
    5,
    'Batches run before timing.',
    lower_bound=0,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_readers', 2, 'Files read in parallel.', lower_bound=1, flag_values=fv
  )
  flags.DEFINE_integer(
    'num_preprocessing_threads',
    2,
    'Images decoded and preprocessed in parallel.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'is_training',
    True,
    'Measure the training (augmenting) pipeline; false measures evaluation.',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'skip_corrupt',
    ['false'],
    'Build the pipeline without (false) or with (true) the bookkeeping '
    'that skips and counts corrupt records; "false,true" measures both in '
    'turn.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'repeats',
    1,
    'Rounds of measurements; each line reports the median of its rounds, '
    'the --skip_corrupt settings measured in turn in each round.',
    lower_bound=1,
    flag_values=fv,
  )
  # The training's image augmentations (--auto_augment, --random_erase, ...).
  from utils.flag_defs import train_eval  # Loads TensorFlow.

  train_eval.define_image_augmentation_flags(fv)


def define_export_flags(fv=flags.FLAGS):
  """Defines the flags of export_inference_graph.py (slim's names)."""
  from utils.export import data  # The format table; loads TensorFlow.
  from utils.export import deploy

  flags.DEFINE_string(
    'model_name',
    'resnet_v1_50',
    'The registered network of the checkpoint.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'checkpoint_path',
    None,
    'A checkpoint prefix or a training directory.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'output_file',
    None,
    'Where to write the frozen GraphDef (binary).',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'saved_model_dir',
    None,
    'Where to write a SavedModel (must not exist).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'image_size', None, "Input size; default: the network's.", flag_values=fv
  )
  flags.DEFINE_integer(
    'batch_size',
    None,
    'Fixed batch size; default: any batch size.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_classes',
    None,
    'Classes of the exported head; default: from '
    '--dataset_name or the checkpoint.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'labels_offset',
    0,
    'The labels offset of training; a checkpoint with '
    'this many extra classes has its first logits '
    'dropped (1001 -> 1000 for ImageNet).',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_name',
    None,
    'Optional data set giving the number of classes; with '
    '--quantize=int8, the calibration data set.',
    flag_values=fv,
  )
  # Serving formats and precisions (utils/export/deploy.py).
  flags.DEFINE_enum(
    'format',
    'frozen',
    list(deploy.FORMATS),
    'frozen: a binary GraphDef (.pb); saved_model: a '
    'SavedModel directory; onnx: an ONNX model (.onnx, '
    'through tf2onnx); tflite: a TFLite model (.tflite).',
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'quantize',
    'none',
    list(deploy.QUANTIZE_MODES),
    'Precision of the onnx and tflite models: none '
    '(float32); float16 (ONNX: float16 tensors; TFLite: '
    'float16 weights); int8 (static post-training '
    'quantization calibrated on --calibration_images).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'calibration_images',
    data.DEFAULT_CALIBRATION_IMAGES,
    'With --quantize=int8: how many images (the first of '
    'the split) calibrate the activation ranges.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_dir',
    None,
    'With --quantize=int8: the converted data set to '
    'calibrate on (download_and_convert_data.py).',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_split_name',
    'train',
    'With --quantize=int8: the split to calibrate on (not '
    'the one the model is evaluated on).',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'preprocessing_name',
    None,
    'With --quantize=int8: the preprocessing of the '
    "calibration images; default: the network's.",
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'fold_batch_norm',
    True,
    'Fold batch norm into the convolutions.',
    flag_values=fv,
  )
  flags.mark_flag_as_required('checkpoint_path', flag_values=fv)


def define_convert_weights_flags(fv=flags.FLAGS):
  """Defines the flags of convert_weights.py."""
  from utils.convert import weight_map  # numpy only

  flags.DEFINE_enum(
    'model_name',
    None,
    sorted(weight_map.SOURCES),
    'The network the weights are converted for.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'source_file',
    None,
    'The torchvision (.pth, .pt, .safetensors, .npz) or '
    'Keras (.h5, .weights.h5, .keras) weight file.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'output_checkpoint',
    None,
    'The checkpoint prefix to write (e.g. /tmp/resnet_v1_50_tv/model.ckpt).',
    flag_values=fv,
  )
  for name in ('model_name', 'source_file', 'output_checkpoint'):
    flags.mark_flag_as_required(name, flag_values=fv)


def define_benchmark_flags(fv=flags.FLAGS):
  """Defines the flags of benchmark_networks.py (slim's names where known)."""
  from utils import conv_gradients  # Loads TensorFlow.

  # What to measure.
  flags.DEFINE_list(
    'model_name',
    ['resnet_v1_50'],
    'Comma-separated registered network names.',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'mode',
    ['train', 'inference'],
    'Comma-separated modes: train (a momentum step with '
    'batch-norm updates) and/or inference.',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'precision',
    ['fp32'],
    'Comma-separated precisions: fp32, bfloat16 (TensorFlow: oneDNN '
    'auto mixed precision; OpenVINO: the float32 model in bf16), int8 and '
    'float16 (the exported models of --runtime=onnxruntime,tflite,openvino).',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'runtime',
    ['tf'],
    'Comma-separated runtimes: tf (our graphs, and the '
    'references with --compare/--folded_bn), onnxruntime, '
    'tflite and openvino (the ONNX, TFLite and OpenVINO exports of '
    'the folded graph; inference on synthetic images). With --paired, '
    'all precisions of an inference setting run together.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'model_file',
    None,
    'An export of --model_name (.pb, .onnx, .tflite or OpenVINO .xml) to '
    'time as it is, in the runtime of its format (.pb: --runtime=tf '
    '--folded_bn) instead of converting the network on random weights; '
    '--precision labels it; --mode defaults to inference.',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'xla',
    ['off'],
    'Comma-separated XLA settings: off and/or on.',
    flag_values=fv,
  )
  flags.DEFINE_integer('batch_size', 32, 'Images per step.', flag_values=fv)
  flags.DEFINE_integer(
    'image_size', None, "Input size; default: the network's.", flag_values=fv
  )
  flags.DEFINE_integer(
    'num_classes',
    None,
    "Classes of the head; default: the registry's (1000 "
    "for ImageNet networks) or the data set's.",
    flag_values=fv,
  )
  flags.DEFINE_float(
    'depth_multiplier',
    None,
    'Optional depth multiplier of our networks (not of the references).',
    flag_values=fv,
  )
  # Timing.
  flags.DEFINE_integer(
    'num_warmup_steps', 5, 'Untimed steps first.', flag_values=fv
  )
  flags.DEFINE_integer('num_steps', 20, 'Timed steps.', flag_values=fv)
  flags.DEFINE_integer(
    'latency_steps',
    100,
    'Inference: single-image runs timed after the steps '
    '(batch-1 latency: median and 99th percentile); 0: '
    'none.',
    lower_bound=0,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'repeats',
    1,
    'Rounds over all the settings, alternating the '
    'implementations; the steps of a setting are pooled '
    '(fairer comparisons on a shared machine).',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'measure_peak',
    True,
    'Measure the matmul GFLOP/s of each precision first.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'peak_size', 4096, 'Size of the peak matmul.', flag_values=fv
  )
  flags.DEFINE_integer(
    'intra_op_threads',
    None,
    "Threads per op; default: TensorFlow's.",
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'inter_op_threads',
    None,
    "Ops in parallel; default: TensorFlow's.",
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'paired',
    False,
    'Run the implementations of a setting together, '
    'alternating their steps (steadier ratios on a '
    'shared machine; needs the memory of all of them).',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'isolate',
    True,
    'Run every measurement in its own process (a fresh '
    'start for each; Keras always runs in its own).',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'profile',
    False,
    'Also trace one step of each run and print the time per op type.',
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'conv_gradients',
    'auto',
    list(conv_gradients.MODES),
    'Training: how our graph computes convolution gradients: auto (in '
    'exact rewritten forms for the kinds that measured faster on this '
    "machine class), plain (TensorFlow's own) or matmul (all rewritten). "
    'See utils/conv_gradients.py.',
    flag_values=fv,
  )
  # Comparisons.
  flags.DEFINE_boolean(
    'compare',
    False,
    'Also time the pip tf_slim and Keras 3 references.',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'compare_gradients',
    False,
    "Training: also time our graph with TensorFlow's own convolution "
    'gradients (ours_plain), for the ratio of --conv_gradients to them.',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'folded_bn',
    False,
    'Also time the exported folded-BN inference graph.',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'tf2',
    False,
    'Also time our network as a TF2 layer (nets/tf2.py) '
    'in a tf.function and eagerly, each in a process '
    'with TF_USE_LEGACY_KERAS=1.',
    flag_values=fv,
  )
  # Real data (slim's flag names).
  flags.DEFINE_string(
    'dataset_name',
    'imagenet',
    'The data set, with --dataset_dir.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_dir',
    None,
    'A converted data set; default: synthetic images.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_split_name', 'train', 'The split to read.', flag_values=fv
  )
  flags.DEFINE_integer(
    'labels_offset',
    0,
    'Subtracted from the labels (1 for 1000 ImageNet classes).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_readers', 4, 'Files read in parallel.', flag_values=fv
  )
  flags.DEFINE_integer(
    'num_preprocessing_threads',
    4,
    'Threads that decode and preprocess.',
    flag_values=fv,
  )
  # Output.
  flags.DEFINE_boolean(
    'synthetic_baseline',
    True,
    'With --dataset_dir, also time our network on '
    'synthetic images (paired with --paired): the ratio '
    'is what the input pipeline costs.',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'step_overhead',
    False,
    'Also time our network at batch_size/2 and '
    '2*batch_size and fit the fixed per-step cost '
    '(framework dispatch, session call, optimizer '
    'updates).',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'output_json',
    None,
    'A file to append one JSON line per measurement to.',
    flag_values=fv,
  )
  # The serving report (utils/benchmark/serving_report.py).
  flags.DEFINE_boolean(
    'serving_report',
    False,
    'Instead of the grid: export --checkpoint_path of the one --model_name '
    'in every runtime and precision available, evaluate each export on '
    '--dataset_dir/--dataset_split_name (if given), time each at '
    '--batch_size and 1, and print them ranked by speed with the fastest '
    'within --max_accuracy_drop of the float32 frozen graph.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'checkpoint_path',
    None,
    'The serving report: a checkpoint prefix or training directory.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'serving_dir',
    None,
    "The serving report's exports; default: serving/ beside the checkpoint.",
    flag_values=fv,
  )
  flags.DEFINE_float(
    'max_accuracy_drop',
    0.5,
    'The serving report: accuracy points (percent) the named choice may '
    'lose against the float32 frozen graph.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'calibration_split_name',
    'train',
    'The serving report: the split whose first --calibration_images '
    'images calibrate int8.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'calibration_images',
    300,
    'The serving report: images that calibrate int8.',
    flag_values=fv,
  )


def define_launch_cluster_flags(fv=flags.FLAGS):
  """Defines the flags of utils/distributed/launch_cluster.py."""
  flags.DEFINE_integer(
    'num_ps', 1, 'Number of ps tasks.', lower_bound=1, flag_values=fv
  )
  flags.DEFINE_integer(
    'num_workers',
    2,
    'Number of worker tasks (task 0 is the chief).',
    lower_bound=1,
    flag_values=fv,
  )
  # --log_dir (the per-process logs and pid files) is absl.logging's own
  # flag, "directory to write logfiles into"; default: a new temporary one.
  flags.DEFINE_float(
    'timeout',
    None,
    'Stop the cluster (exit code 124) '
    'after this many seconds; default: no limit.',
    lower_bound=0.0,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'max_restarts',
    0,
    'Restart a failed worker up to '
    'this many times (each); 0: a failure stops the '
    'cluster.',
    lower_bound=0,
    flag_values=fv,
  )


def define_plan_flags(fv=flags.FLAGS):
  """Defines the flags of utils/distributed/plan.py."""
  flags.DEFINE_string(
    'model_name', 'resnet_v1_50', 'The network to plan.', flag_values=fv
  )
  flags.DEFINE_string(
    'dataset_name',
    'imagenet',
    'The data set (its number of classes).',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_dir',
    None,
    'Converted records to measure a training step on; needed '
    'without --compute_seconds.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'batch_size',
    32,
    'Images of a step of one worker.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'train_image_size',
    None,
    "Train image size; default: the network's.",
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_string(
    'optimizer',
    'rmsprop',
    'The optimizer (as in train_image_classifier.py).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'weight_decay',
    0.00004,
    'Weight decay (as in train_image_classifier.py).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'moving_average_decay',
    None,
    'Moving averages of the weights (as in train_image_classifier.py).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'ps_tasks',
    1,
    'Parameter servers of the ps/worker rows.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'ps_strategy',
    'round_robin',
    ps_placement.PS_STRATEGIES,
    'How the variables are spread over the ps tasks (as in '
    'train_image_classifier.py).',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'workers',
    ['1', '2', '4', '8', '16', '32', '64', '128', '256'],
    'Worker counts to plan.',
    flag_values=fv,
  )
  flags.DEFINE_list(
    'bandwidth_gbps',
    ['10'],
    'Link bandwidths in Gb/s (each way, full duplex); one table each.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'compute_seconds',
    None,
    'A training step of one worker without the network; default: '
    'measured on this machine (needs --dataset_dir).',
    lower_bound=0.0,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'mtu',
    1500,
    'The MTU of the links (loopback: 65536).',
    lower_bound=576,
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'json',
    False,
    'One JSON line per row instead of the tables.',
    flag_values=fv,
  )


def define_graph_build_flags(fv=flags.FLAGS):
  """Defines the flags of utils/benchmark/graph_build.py."""
  flags.DEFINE_string(
    'model_name', 'resnet_v1_152', 'A registered network.', flag_values=fv
  )
  flags.DEFINE_integer(
    'copies', 1, 'Networks built in one graph.', lower_bound=1, flag_values=fv
  )
  flags.DEFINE_integer(
    'repeats', 3, 'Fresh processes per set-up.', lower_bound=1, flag_values=fv
  )
