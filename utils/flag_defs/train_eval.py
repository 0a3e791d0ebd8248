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

All command-line flags live here, as `define_<script>_flags(fv)` functions
(slim's names, meanings and defaults where slim has the flag) called only by
the scripts, never at a library import, so tests define them on their own
`flags.FlagValues()`. (`python -m nets.summary` defines its two flags itself:
nets/ does not import utils/.) The choice lists of the enumerations come from
the libraries, imported when a script defines its flags (`_choices`), so
importing this module loads no TensorFlow: the cluster launcher starts here
too and stays light.

Every script's main() begins with `start_script` and runs inside
`exit_on_error`: an expected failure (bad input, missing data, a corrupt
record, no network) ends as one line `<script>: error: <message>`, exit code
1 (--verbosity=1 also logs the traceback).

Where a default of the training and evaluation flags differs from slim's,
the flag's help says so and why: --model_name is resnet_v1_50 (slim's
inception_v3 is not in this library); eval --dataset_split_name is
'validation' (slim's 'test' does not exist for ImageNet); with --num_clones,
epochs (--num_epochs_per_decay, --warmup_epochs) are global steps of the
effective batch batch_size * num_clones (slim used batch_size). Added flags:
--learning_rate_decay_type=cosine, --warmup_epochs, --summarize_activations,
--skip_corrupt, --eval_interval_secs, --timeout, --precision, --xla, and the
cluster's --ps_hosts, --worker_hosts, --job_name (the names of TensorFlow's
distributed examples; see utils/distributed/cluster.py).
"""

import collections
import contextlib
import logging as std_logging
import sys
import warnings

from absl import app
from absl import flags
from absl import logging

# The values the enumeration flags accept.
_Choices = collections.namedtuple('_Choices', [
    'model_names', 'dataset_names', 'preprocessing_names', 'optimizers',
    'learning_rate_decay_types', 'precisions'])


def _choices():
  """The choice lists, from the libraries (imported here, see the docstring)."""
  from nets import nets_factory
  from utils import precision
  from utils.datasets import dataset_factory
  from utils.preprocessing import preprocessing_factory
  from utils.training import schedules
  return _Choices(sorted(nets_factory.NETWORKS),
                  dataset_factory.dataset_names(),
                  preprocessing_factory.preprocessing_names(),
                  list(schedules.OPTIMIZERS),
                  list(schedules.LEARNING_RATE_DECAY_TYPES),
                  list(precision.PRECISIONS))


###############################################################################
# Training and evaluation (slim's flags)
###############################################################################


def _define_dataset_flags(fv, choices, split_default, split_help):
  flags.DEFINE_enum('dataset_name', 'imagenet', choices.dataset_names,
                    'The name of the data set to load.', flag_values=fv)
  flags.DEFINE_string('dataset_split_name', split_default, split_help,
                      flag_values=fv)
  flags.DEFINE_string('dataset_dir', None,
                      'The directory where the data set files are stored '
                      '(written by download_and_convert_data.py). Required.',
                      flag_values=fv)
  flags.mark_flag_as_required('dataset_dir', flag_values=fv)
  flags.DEFINE_integer(
      'labels_offset', 0,
      'An offset subtracted from the labels of the data set: 1 lets a '
      '1000-class network (ResNet) use the 1001 labels of ImageNet records, '
      'whose label 0 is the background class.', lower_bound=0, flag_values=fv)
  flags.DEFINE_enum('model_name', 'resnet_v1_50', choices.model_names,
                    'The name of the architecture (slim\'s default, '
                    'inception_v3, is not part of this library).',
                    flag_values=fv)
  flags.DEFINE_enum(
      'preprocessing_name', None, choices.preprocessing_names,
      'The name of the preprocessing to use. If unset, the model\'s own '
      '(nets_factory) is used.', flag_values=fv)
  flags.DEFINE_bool('use_grayscale', False,
                    'Whether to convert input images to grayscale.',
                    flag_values=fv)
  flags.DEFINE_integer(
      'num_preprocessing_threads', 4,
      'The number of images decoded and preprocessed in parallel.',
      lower_bound=1, flag_values=fv)
  flags.DEFINE_bool(
      'skip_corrupt', False,
      'Skip corrupt records (an undecodable tf.Example or image, or the '
      'unreadable rest of a TFRecord file), logging each, instead of '
      'stopping with an error that names the file.', flag_values=fv)
  flags.DEFINE_float(
      'moving_average_decay', None,
      'The decay of the exponential moving average of the model variables. '
      'Unset: no moving averages (training), or the raw variables '
      '(evaluation).', lower_bound=0.0, upper_bound=1.0, flag_values=fv)


def _define_performance_flags(fv, choices):
  flags.DEFINE_enum(
      'precision', 'fp32', choices.precisions,
      'fp32, or bfloat16: oneDNN auto mixed precision rewrite on the session '
      '(variables and batch-norm statistics stay float32; helps only on CPUs '
      'with native bfloat16). See utils/precision.py.', flag_values=fv)
  flags.DEFINE_bool('xla', False, 'Turn on XLA auto-clustering.',
                    flag_values=fv)


def _define_deployment_flags(fv):
  """Where and how many replicas run; the cluster (replicas.Deployment)."""
  flags.DEFINE_string('master', '', 'The address of the TensorFlow master to '
                      'use.', flag_values=fv)
  flags.DEFINE_integer(
      'num_clones', 1,
      'Number of model clones (in-graph replicas, one per GPU) whose '
      'gradients are averaged. The effective batch is batch_size * '
      'num_clones images per global step, and epochs in the learning-rate '
      'schedule are counted with it.', lower_bound=1, flag_values=fv)
  flags.DEFINE_bool('clone_on_cpu', False, 'Use CPUs to deploy clones.',
                    flag_values=fv)
  flags.DEFINE_integer('worker_replicas', 1, 'Number of worker replicas.',
                       lower_bound=1, flag_values=fv)
  flags.DEFINE_integer(
      'num_ps_tasks', 0,
      'The number of parameter servers. If the value is 0, then the '
      'parameters are handled locally by the worker.', lower_bound=0,
      flag_values=fv)
  flags.DEFINE_integer('task', 0, 'Task id of the replica running the '
                       'training (task 0 is the chief).', lower_bound=0,
                       flag_values=fv)
  flags.DEFINE_bool('sync_replicas', False, 'Whether or not to synchronize '
                    'the replicas during training.', flag_values=fv)
  flags.DEFINE_integer('replicas_to_aggregate', 1, 'The number of gradients '
                       'to collect before updating params.', lower_bound=1,
                       flag_values=fv)
  # With --task, the cluster of a multi-process training
  # (utils/distributed/cluster.py); each may come from TF_CONFIG instead, and a
  # flag wins over it.
  flags.DEFINE_string(
      'ps_hosts', None,
      'Comma-separated host:port addresses of the parameter servers, e.g. '
      '10.0.0.1:2222. With --worker_hosts, --job_name and --task (or '
      'TF_CONFIG) training runs on a cluster; num_ps_tasks and '
      'worker_replicas then follow from the host lists. TensorFlow\'s gRPC '
      'runtime has no authentication: use a private network.', flag_values=fv)
  flags.DEFINE_string(
      'worker_hosts', None,
      'Comma-separated host:port addresses of the workers; worker task 0 is '
      'the chief.', flag_values=fv)
  flags.DEFINE_enum(
      'job_name', None, ['ps', 'worker'],
      'This task\'s job in the cluster: a ps serves variables until killed, '
      'a worker trains.', flag_values=fv)


def _define_logging_flags(fv):
  """Where and how often the training writes (hooks.Intervals)."""
  flags.DEFINE_string('train_dir', '/tmp/tfmodel/',
                      'Directory where checkpoints and event logs are written '
                      'to. If it already holds a checkpoint, training resumes '
                      'from the newest one.', flag_values=fv)
  flags.DEFINE_integer('log_every_n_steps', 10, 'The frequency with which '
                       'logs are printed, in global steps.', lower_bound=1,
                       flag_values=fv)
  flags.DEFINE_integer('save_summaries_secs', 600, 'The frequency with which '
                       'summaries are saved, in seconds.', lower_bound=1,
                       flag_values=fv)
  flags.DEFINE_integer('save_interval_secs', 600, 'The frequency with which '
                       'the model is saved, in seconds (and at the end).',
                       lower_bound=1, flag_values=fv)
  flags.DEFINE_bool('summarize_activations', False, 'Add histograms of the '
                    'network\'s end points to the summaries.', flag_values=fv)


def _define_optimizer_flags(fv, choices):
  """The optimizer and its hyper-parameters (schedules.OptimizerParams)."""
  flags.DEFINE_float('weight_decay', 0.00004,
                     'The weight decay on the model weights.', lower_bound=0.0,
                     flag_values=fv)
  flags.DEFINE_enum('optimizer', 'rmsprop', choices.optimizers,
                    'The name of the optimizer.', flag_values=fv)
  flags.DEFINE_float('adadelta_rho', 0.95, 'The decay rate for adadelta.',
                     flag_values=fv)
  flags.DEFINE_float('adagrad_initial_accumulator_value', 0.1,
                     'Starting value for the AdaGrad accumulators.',
                     flag_values=fv)
  flags.DEFINE_float('adam_beta1', 0.9, 'The exponential decay rate for the '
                     '1st moment estimates.', flag_values=fv)
  flags.DEFINE_float('adam_beta2', 0.999, 'The exponential decay rate for the '
                     '2nd moment estimates.', flag_values=fv)
  flags.DEFINE_float('opt_epsilon', 1.0,
                     'Epsilon term for the adadelta, adam and rmsprop '
                     'optimizers. slim\'s default 1.0 suits RMSProp on '
                     'ImageNet; with adam 1e-8 is usual.', flag_values=fv)
  flags.DEFINE_float('ftrl_learning_rate_power', -0.5,
                     'The learning rate power.', flag_values=fv)
  flags.DEFINE_float('ftrl_initial_accumulator_value', 0.1,
                     'Starting value for the FTRL accumulators.',
                     flag_values=fv)
  flags.DEFINE_float('ftrl_l1', 0.0, 'The FTRL l1 regularization strength.',
                     flag_values=fv)
  flags.DEFINE_float('ftrl_l2', 0.0, 'The FTRL l2 regularization strength.',
                     flag_values=fv)
  flags.DEFINE_float('momentum', 0.9, 'The momentum for the '
                     'MomentumOptimizer.', flag_values=fv)
  flags.DEFINE_float('rmsprop_momentum', 0.9, 'Momentum of RMSProp.',
                     flag_values=fv)
  flags.DEFINE_float('rmsprop_decay', 0.9, 'Decay term for RMSProp.',
                     flag_values=fv)


def _define_learning_rate_flags(fv, choices):
  """The schedule (schedules.configure_learning_rate) and label smoothing."""
  flags.DEFINE_enum(
      'learning_rate_decay_type', 'exponential',
      choices.learning_rate_decay_types,
      'How the learning rate decays: fixed; exponential (times '
      'learning_rate_decay_factor every num_epochs_per_decay epochs); '
      'polynomial (linear to end_learning_rate over num_epochs_per_decay '
      'epochs); cosine (to end_learning_rate over num_epochs_per_decay '
      'epochs, counted after the warm-up).', flag_values=fv)
  flags.DEFINE_float('learning_rate', 0.01, 'Initial (peak) learning rate.',
                     flag_values=fv)
  flags.DEFINE_float('end_learning_rate', 0.0001, 'The final learning rate '
                     'of the polynomial and cosine decays.', lower_bound=0.0,
                     flag_values=fv)
  flags.DEFINE_float('learning_rate_decay_factor', 0.94,
                     'Learning rate decay factor.', flag_values=fv)
  flags.DEFINE_float(
      'num_epochs_per_decay', 2.0,
      'Number of epochs after which the learning rate decays (the length of '
      'the polynomial and cosine decays). Converted to global steps of '
      'batch_size * num_clones images (times replicas_to_aggregate with '
      'sync_replicas).', flag_values=fv)
  flags.DEFINE_float('warmup_epochs', 0.0, 'Epochs of linear learning-rate '
                     'warm-up from 0 before the schedule starts.',
                     lower_bound=0.0, flag_values=fv)
  flags.DEFINE_float('label_smoothing', 0.0, 'The amount of label smoothing.',
                     lower_bound=0.0, upper_bound=1.0, flag_values=fv)


def _define_fine_tuning_flags(fv):
  flags.DEFINE_string(
      'checkpoint_path', None,
      'The path to a checkpoint (file or directory) from which to fine-tune. '
      'Ignored (with a log line) when train_dir already has a checkpoint.',
      flag_values=fv)
  flags.DEFINE_string(
      'checkpoint_exclude_scopes', None,
      'Comma-separated list of scopes of variables to exclude when restoring '
      'from a checkpoint.', flag_values=fv)
  flags.DEFINE_string(
      'trainable_scopes', None,
      'Comma-separated list of scopes to filter the set of variables to '
      'train. By default, None would train all the variables. Batch-norm '
      'moving statistics outside these scopes are frozen too.',
      flag_values=fv)
  flags.DEFINE_bool('ignore_missing_vars', False, 'When restoring a '
                    'checkpoint would ignore missing variables.',
                    flag_values=fv)


def define_train_flags(fv=flags.FLAGS):
  """Defines the flags of train_image_classifier.py on `fv`."""
  choices = _choices()
  _define_deployment_flags(fv)
  _define_logging_flags(fv)
  _define_performance_flags(fv, choices)
  _define_optimizer_flags(fv, choices)
  _define_learning_rate_flags(fv, choices)
  _define_dataset_flags(fv, choices, 'train',
                        'The name of the train/test split.')
  flags.DEFINE_integer('num_readers', 4, 'The number of parallel readers '
                       'that read data from the data set.', lower_bound=1,
                       flag_values=fv)
  flags.DEFINE_integer('batch_size', 32, 'The number of samples in each batch '
                       '(per clone).', lower_bound=1, flag_values=fv)
  flags.DEFINE_integer('train_image_size', None, 'Train image size; unset: '
                       'the network\'s default size.', lower_bound=1,
                       flag_values=fv)
  flags.DEFINE_integer('max_number_of_steps', None, 'The maximum number of '
                       'training steps (global steps); unset: train until '
                       'stopped.', lower_bound=0, flag_values=fv)
  _define_fine_tuning_flags(fv)


def define_eval_flags(fv=flags.FLAGS):
  """Defines the flags of eval_image_classifier.py on `fv`."""
  choices = _choices()
  flags.DEFINE_string('master', '', 'The address of the TensorFlow master to '
                      'use.', flag_values=fv)
  flags.DEFINE_integer('batch_size', 100, 'The number of samples in each '
                       'batch.', lower_bound=1, flag_values=fv)
  flags.DEFINE_integer('max_num_batches', None, 'Max number of batches to '
                       'evaluate; by default use all (every record once).',
                       lower_bound=1, flag_values=fv)
  flags.DEFINE_string(
      'checkpoint_path', '/tmp/tfmodel/',
      'The directory where the model was written to or an absolute path to a '
      'checkpoint file. Only complete checkpoints listed in a directory\'s '
      '`checkpoint` file are read.', flag_values=fv)
  flags.DEFINE_string('eval_dir', '/tmp/tfmodel/', 'Directory where the '
                      'results are saved to.', flag_values=fv)
  flags.DEFINE_float(
      'eval_interval_secs', None,
      'If set, watch the --checkpoint_path directory and evaluate each new '
      'checkpoint, looking every this many seconds. Unset: evaluate once.',
      flag_values=fv)
  flags.DEFINE_float(
      'timeout', None,
      'With --eval_interval_secs: stop after this many seconds without a new '
      'checkpoint. Unset: wait forever.', lower_bound=0.0, flag_values=fv)
  _define_dataset_flags(
      fv, choices, 'validation', 'The name of the train/test split (slim\'s '
      'default was test, which imagenet does not have).')
  flags.DEFINE_integer('eval_image_size', None, 'Eval image size; unset: the '
                       'network\'s default size.', lower_bound=1,
                       flag_values=fv)
  _define_performance_flags(fv, choices)


###############################################################################
# Data sets
###############################################################################


def define_download_and_convert_flags(fv=flags.FLAGS):
  """Defines the flags of download_and_convert_data.py (slim's names)."""
  # Which data set, and where.
  flags.DEFINE_enum('dataset_name', None, _choices().dataset_names,
                    'The name of the data set to convert.', flag_values=fv)
  flags.DEFINE_string('dataset_dir', None,
                      'The directory where the archive is looked for (and '
                      'downloaded to) and the TFRecords are written.',
                      flag_values=fv)
  flags.DEFINE_bool('accept_unverified_archive', False,
                    'Convert an archive whose checksum does not match the '
                    'published one (not used by digits and imagenet).',
                    flag_values=fv)
  flags.mark_flags_as_required(['dataset_name', 'dataset_dir'],
                               flag_values=fv)

  # ImageNet only: it cannot be downloaded, it is converted from a tree.
  flags.DEFINE_string('imagenet_train_dir', None,
                      'ImageNet train directory of <synset>/ sub-directories.',
                      flag_values=fv)
  flags.DEFINE_string('imagenet_validation_dir', None,
                      'ImageNet directory of validation images.',
                      flag_values=fv)
  flags.DEFINE_string('imagenet_validation_labels_file', None,
                      'Lines "<filename> <synset>", or one synset per sorted '
                      'validation file.', flag_values=fv)
  flags.DEFINE_string('imagenet_metadata_file', None,
                      'Lines "<synset>\\t<human-readable name>", used for '
                      'labels.txt.', flag_values=fv)
  flags.DEFINE_integer('num_threads', 4,
                       'ImageNet shards written in parallel.', lower_bound=1,
                       flag_values=fv)


def define_pipeline_benchmark_flags(fv=flags.FLAGS):
  """Defines the flags of utils/benchmark/pipeline_benchmark.py."""
  flags.DEFINE_string('dataset_dir', None,
                      'Directory of converted TFRecords to read; by default '
                      'synthetic records are generated in a temporary '
                      'directory.', flag_values=fv)
  flags.DEFINE_string('dataset_name', 'imagenet',
                      'Data set read from --dataset_dir.', flag_values=fv)
  flags.DEFINE_string('dataset_split_name', 'train',
                      'Split read from --dataset_dir.', flag_values=fv)
  flags.DEFINE_list('preprocessing', ['vgg:224', 'inception:224',
                                      'inception:299', 'cifar:32'],
                    'Preprocessing:size pairs to measure.', flag_values=fv)
  flags.DEFINE_integer('batch_size', 32, 'Images per batch.', lower_bound=1,
                       flag_values=fv)
  flags.DEFINE_integer('num_batches', 40, 'Batches timed per measurement.',
                       lower_bound=1, flag_values=fv)
  flags.DEFINE_integer('num_warmup_batches', 5,
                       'Batches run before timing.', lower_bound=0,
                       flag_values=fv)
  flags.DEFINE_integer('num_readers', 2, 'Files read in parallel.',
                       lower_bound=1, flag_values=fv)
  flags.DEFINE_integer('num_preprocessing_threads', 2,
                       'Images decoded and preprocessed in parallel.',
                       lower_bound=1, flag_values=fv)
  flags.DEFINE_bool('is_training', True,
                    'Measure the training (augmenting) pipeline; false '
                    'measures evaluation.', flag_values=fv)


###############################################################################
# Tools: export, benchmarks, the cluster launcher
###############################################################################


def define_export_flags(fv=flags.FLAGS):
  """Defines the flags of export_inference_graph.py (slim's names)."""
  flags.DEFINE_string('model_name', 'resnet_v1_50',
                      'The registered network of the checkpoint.',
                      flag_values=fv)
  flags.DEFINE_string('checkpoint_path', None,
                      'A checkpoint prefix or a training directory.',
                      flag_values=fv)
  flags.DEFINE_string('output_file', None,
                      'Where to write the frozen GraphDef (binary).',
                      flag_values=fv)
  flags.DEFINE_string('saved_model_dir', None,
                      'Where to write a SavedModel (must not exist).',
                      flag_values=fv)
  flags.DEFINE_integer('image_size', None,
                       'Input size; default: the network\'s.', flag_values=fv)
  flags.DEFINE_integer('batch_size', None,
                       'Fixed batch size; default: any batch size.',
                       flag_values=fv)
  flags.DEFINE_integer('num_classes', None,
                       'Classes of the exported head; default: from '
                       '--dataset_name or the checkpoint.', flag_values=fv)
  flags.DEFINE_integer('labels_offset', 0,
                       'The labels offset of training; a checkpoint with '
                       'this many extra classes has its first logits '
                       'dropped (1001 -> 1000 for ImageNet).', flag_values=fv)
  flags.DEFINE_string('dataset_name', None,
                      'Optional data set giving the number of classes.',
                      flag_values=fv)
  flags.DEFINE_boolean('fold_batch_norm', True,
                       'Fold batch norm into the convolutions.', flag_values=fv)
  flags.mark_flag_as_required('checkpoint_path', flag_values=fv)


def define_benchmark_flags(fv=flags.FLAGS):
  """Defines the flags of benchmark_networks.py (slim's names where known)."""
  # What to measure.
  flags.DEFINE_list('model_name', ['resnet_v1_50'],
                    'Comma-separated registered network names.', flag_values=fv)
  flags.DEFINE_list('mode', ['train', 'inference'],
                    'Comma-separated modes: train (a momentum step with '
                    'batch-norm updates) and/or inference.', flag_values=fv)
  flags.DEFINE_list('precision', ['fp32'],
                    'Comma-separated precisions: fp32 and/or bfloat16 '
                    '(oneDNN auto mixed precision).', flag_values=fv)
  flags.DEFINE_list('xla', ['off'],
                    'Comma-separated XLA settings: off and/or on.',
                    flag_values=fv)
  flags.DEFINE_integer('batch_size', 32, 'Images per step.', flag_values=fv)
  flags.DEFINE_integer('image_size', None,
                       'Input size; default: the network\'s.', flag_values=fv)
  flags.DEFINE_integer('num_classes', None,
                       'Classes of the head; default: the registry\'s (1000 '
                       'for ImageNet networks) or the data set\'s.',
                       flag_values=fv)
  flags.DEFINE_float('depth_multiplier', None,
                     'Optional depth multiplier of our networks (not of the '
                     'references).', flag_values=fv)
  # Timing.
  flags.DEFINE_integer('num_warmup_steps', 5, 'Untimed steps first.',
                       flag_values=fv)
  flags.DEFINE_integer('num_steps', 20, 'Timed steps.', flag_values=fv)
  flags.DEFINE_integer('repeats', 1,
                       'Rounds over all the settings, alternating the '
                       'implementations; the steps of a setting are pooled '
                       '(fairer comparisons on a shared machine).',
                       flag_values=fv)
  flags.DEFINE_boolean('measure_peak', True,
                       'Measure the matmul GFLOP/s of each precision first.',
                       flag_values=fv)
  flags.DEFINE_integer('peak_size', 4096, 'Size of the peak matmul.',
                       flag_values=fv)
  flags.DEFINE_integer('intra_op_threads', None,
                       'Threads per op; default: TensorFlow\'s.',
                       flag_values=fv)
  flags.DEFINE_integer('inter_op_threads', None,
                       'Ops in parallel; default: TensorFlow\'s.',
                       flag_values=fv)
  flags.DEFINE_boolean('paired', False,
                       'Run the implementations of a setting together, '
                       'alternating their steps (steadier ratios on a '
                       'shared machine; needs the memory of all of them).',
                       flag_values=fv)
  flags.DEFINE_boolean('isolate', True,
                       'Run every measurement in its own process (a fresh '
                       'start for each; Keras always runs in its own).',
                       flag_values=fv)
  flags.DEFINE_boolean('profile', False,
                       'Also trace one step of each run and print the time '
                       'per op type.', flag_values=fv)
  # Comparisons.
  flags.DEFINE_boolean('compare', False,
                       'Also time the pip tf_slim and Keras 3 references.',
                       flag_values=fv)
  flags.DEFINE_boolean('folded_bn', False,
                       'Also time the exported folded-BN inference graph.',
                       flag_values=fv)
  # Real data (slim's flag names).
  flags.DEFINE_string('dataset_name', 'imagenet',
                      'The data set, with --dataset_dir.', flag_values=fv)
  flags.DEFINE_string('dataset_dir', None,
                      'A converted data set; default: synthetic images.',
                      flag_values=fv)
  flags.DEFINE_string('dataset_split_name', 'train', 'The split to read.',
                      flag_values=fv)
  flags.DEFINE_integer('labels_offset', 0,
                       'Subtracted from the labels (1 for 1000 ImageNet '
                       'classes).', flag_values=fv)
  flags.DEFINE_integer('num_readers', 4, 'Files read in parallel.',
                       flag_values=fv)
  flags.DEFINE_integer('num_preprocessing_threads', 4,
                       'Threads that decode and preprocess.', flag_values=fv)
  # Output.
  flags.DEFINE_boolean('synthetic_baseline', True,
                       'With --dataset_dir, also time our network on '
                       'synthetic images (paired with --paired): the ratio '
                       'is what the input pipeline costs.', flag_values=fv)
  flags.DEFINE_boolean('step_overhead', False,
                       'Also time our network at batch_size/2 and '
                       '2*batch_size and fit the fixed per-step cost '
                       '(framework dispatch, session call, optimizer '
                       'updates).', flag_values=fv)
  flags.DEFINE_string('output_json', None,
                      'A file to append one JSON line per measurement to.',
                      flag_values=fv)


def define_launch_cluster_flags(fv=flags.FLAGS):
  """Defines the flags of utils/distributed/launch_cluster.py."""
  flags.DEFINE_integer('num_ps', 1, 'Number of ps tasks.', lower_bound=1,
                       flag_values=fv)
  flags.DEFINE_integer('num_workers', 2, 'Number of worker tasks (task 0 is '
                       'the chief).', lower_bound=1, flag_values=fv)
  # --log_dir (the per-process logs and pid files) is absl.logging's own
  # flag, "directory to write logfiles into"; default: a new temporary one.
  flags.DEFINE_float('timeout', None, 'Stop the cluster (exit code 124) '
                     'after this many seconds; default: no limit.',
                     lower_bound=0.0, flag_values=fv)
  flags.DEFINE_integer('max_restarts', 0, 'Restart a failed worker up to '
                       'this many times (each); 0: a failure stops the '
                       'cluster.', lower_bound=0, flag_values=fv)


###############################################################################
# How every script starts, and how it fails
###############################################################################


def start_script(argv, fv=flags.FLAGS, graph_mode=True, positional=False,
                 quiet_tensorflow=False):
  """What every script's main() does first.

  Refuses positional arguments (unless the script takes them), logs at INFO
  unless --verbosity was given, keeps TensorFlow's messages from being
  printed twice (its logger has its own stderr handler and also propagates
  to absl's), and turns on TF1 graph semantics
  (`nets.tf_compat.enable_graph_mode`) for the scripts that build graphs.

  Args:
    argv: main()'s argv.
    fv: The parsed flags.
    graph_mode: Turn on graph mode (imports TensorFlow).
    positional: The script takes positional arguments (argv[1:]).
    quiet_tensorflow: Hide TensorFlow's own INFO and WARNING messages (TF1
      deprecation notices) and tf_slim's `layer.apply` deprecation warning.

  Raises:
    app.UsageError: On positional arguments the script does not take.
  """
  if len(argv) > 1 and not positional:
    raise app.UsageError('Unexpected arguments: %s' % ' '.join(argv[1:]))
  if not fv['verbosity'].present:
    logging.set_verbosity(logging.INFO)
  # TensorFlow's logger is the standard 'tensorflow' logger; it has handlers
  # only if TensorFlow was imported before absl configured logging.
  tf_logger = std_logging.getLogger('tensorflow')
  for handler in list(tf_logger.handlers):
    tf_logger.removeHandler(handler)
  if quiet_tensorflow:
    tf_logger.setLevel(std_logging.ERROR)
    # tf_slim's layers call Keras's deprecated `layer.apply`.
    warnings.filterwarnings('ignore', message='`layer.apply` is deprecated')
  if graph_mode:
    from nets import tf_compat
    tf_compat.enable_graph_mode()


@contextlib.contextmanager
def exit_on_error(script, errors=(ValueError, IOError)):
  """Ends the script with one line `<script>: error: <message>` on `errors`.

  For the failures a user can fix (bad input, missing files, corrupt data, no
  network), whose messages say what and how: a traceback would bury them. It
  is logged at DEBUG level (--verbosity=1).

  Args:
    script: The script's name, e.g. 'train_image_classifier.py'.
    errors: The exception types to catch.

  Raises:
    SystemExit: with the message (exit code 1) on one of `errors`.
  """
  try:
    yield
  except errors as e:
    logging.debug('Traceback of the error:', exc_info=True)
    message = ' '.join(str(e).split('\n'))
    sys.exit('%s: error: %s' % (script, message))
