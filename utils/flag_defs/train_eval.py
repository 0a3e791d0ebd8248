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
"""The flags of train_image_classifier.py and eval_image_classifier.py.

slim's flag names, meanings and defaults, grouped as in slim, defined by
`define_train_flags(fv)` and `define_eval_flags(fv)` (see utils/flag_defs/).
The choice lists of the enumerations come from the libraries.

Where a default differs from slim's, the flag's help says so and why:

  * --model_name defaults to resnet_v1_50 (slim: inception_v3, not in this
    library).
  * eval --dataset_split_name defaults to 'validation' (slim: 'test', which
    ImageNet, the default data set, does not have).
  * With --num_clones, epochs (--num_epochs_per_decay, --warmup_epochs) are
    converted to global steps with the effective batch
    batch_size * num_clones (slim used batch_size).

Added flags: --learning_rate_decay_type=cosine, --warmup_epochs,
--summarize_activations, --skip_corrupt, --eval_interval_secs, --timeout,
--precision, --xla, --conv_gradients (default auto: see
utils/conv_gradients.py), --model_file and --reference_model_file
(evaluation of an exported model), the cluster's --ps_hosts,
--worker_hosts, --job_name (the names of TensorFlow's distributed examples;
see utils/distributed/cluster.py), and the training recipes' options (all
off by default): --optimizer=adamw|lamb, --norm_weight_decay, --loss=bce,
--bce_target_threshold, --drop_path_rate, --zero_init_residual,
--mixup_alpha, --cutmix_alpha, --mix_prob, --mix_switch_prob,
--auto_augment, --randaugment_num_ops, --randaugment_magnitude,
--randaugment_magnitude_std, --random_erase, --aug_repeats, and evaluation's
--eval_resize_size.
"""

from absl import flags

from nets import nets_factory
from utils import conv_gradients
from utils import precision
from utils.datasets import dataset_factory
from utils.distributed import ps_placement
from utils.preprocessing import auto_augment
from utils.preprocessing import preprocessing_factory
from utils.training import losses
from utils.training import schedules


def _define_dataset_flags(
  fv,
  split_default,
  split_help,
  dataset_default='imagenet',
  model_default='resnet_v1_50',
):
  """The data set, the network and the input pipeline's flags.

  Shared by both scripts and by the TF2 trainer, which keeps its own
  defaults of --dataset_name and --model_name.
  """
  flags.DEFINE_enum(
    'dataset_name',
    dataset_default,
    dataset_factory.dataset_names(),
    'The name of the data set to load.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'dataset_split_name', split_default, split_help, flag_values=fv
  )
  flags.DEFINE_string(
    'dataset_dir',
    None,
    'The directory where the data set files are stored '
    '(written by download_and_convert_data.py). Required.',
    flag_values=fv,
  )
  flags.mark_flag_as_required('dataset_dir', flag_values=fv)
  flags.DEFINE_integer(
    'labels_offset',
    0,
    'An offset subtracted from the labels of the data set: 1 lets a '
    '1000-class network (ResNet) use the 1001 labels of ImageNet records, '
    'whose label 0 is the background class.',
    lower_bound=0,
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'model_name',
    model_default,
    sorted(nets_factory.NETWORKS),
    "The name of the architecture (slim's default, "
    'inception_v3, is not part of this library).',
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'preprocessing_name',
    None,
    preprocessing_factory.preprocessing_names(),
    "The name of the preprocessing to use. If unset, the model's own "
    '(nets_factory) is used.',
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'use_grayscale',
    False,
    'Whether to convert input images to grayscale.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_preprocessing_threads',
    4,
    'The number of images decoded and preprocessed in parallel.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'skip_corrupt',
    False,
    'Skip corrupt records (an undecodable tf.Example or image, or the '
    'unreadable rest of a TFRecord file), logging each, instead of '
    'stopping with an error that names the file.',
    flag_values=fv,
  )


def _define_moving_average_flags(fv):
  flags.DEFINE_float(
    'moving_average_decay',
    None,
    'The decay of the exponential moving average of the model variables. '
    'Unset: no moving averages (training), or the raw variables '
    '(evaluation).',
    lower_bound=0.0,
    upper_bound=1.0,
    flag_values=fv,
  )


def _define_performance_flags(fv):
  flags.DEFINE_enum(
    'precision',
    'fp32',
    list(precision.PRECISIONS),
    'fp32, or bfloat16: oneDNN auto mixed precision rewrite on the session '
    '(variables and batch-norm statistics stay float32; helps only on CPUs '
    'with native bfloat16). See utils/precision.py. With --model_file: '
    'the precision of a TensorFlow (.pb, SavedModel) or OpenVINO (.xml) '
    'model.',
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'xla', False, 'Turn on XLA auto-clustering.', flag_values=fv
  )


def _define_gradient_flags(fv):
  flags.DEFINE_enum(
    'conv_gradients',
    'auto',
    list(conv_gradients.MODES),
    'How the training graph computes convolution gradients: auto (in '
    'exact rewritten forms, matrix products or forward convolutions, for '
    'the kinds that measured faster on this machine class), plain '
    "(TensorFlow's Conv2DBackpropFilter and Conv2DBackpropInput) or matmul "
    '(every kind rewritten). '
    'Variables and checkpoints are the same. See utils/conv_gradients.py.',
    flag_values=fv,
  )


def _define_deployment_flags(fv):
  """Where and how many replicas run; the cluster (replicas.Deployment)."""
  flags.DEFINE_string(
    'master', '', 'The address of the TensorFlow master to use.', flag_values=fv
  )
  flags.DEFINE_integer(
    'num_clones',
    1,
    'Number of model clones (in-graph replicas, one per GPU) whose '
    'gradients are averaged. The effective batch is batch_size * '
    'num_clones images per global step, and epochs in the learning-rate '
    'schedule are counted with it.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'clone_on_cpu', False, 'Use CPUs to deploy clones.', flag_values=fv
  )
  flags.DEFINE_integer(
    'worker_replicas',
    1,
    'Number of worker replicas.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_ps_tasks',
    0,
    'The number of parameter servers. If the value is 0, then the '
    'parameters are handled locally by the worker.',
    lower_bound=0,
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'ps_strategy',
    'round_robin',
    ps_placement.PS_STRATEGIES,
    'How the variables are spread over the parameter servers: '
    "round_robin (slim's: the i-th variable on task i mod num_ps) or "
    'greedy (each on the task with the fewest bytes so far, which '
    'balances the traffic of networks with a few large layers).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'task',
    0,
    'Task id of the replica running the training (task 0 is the chief).',
    lower_bound=0,
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'sync_replicas',
    False,
    'Whether or not to synchronize the replicas during training.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'replicas_to_aggregate',
    1,
    'The number of gradients to collect before updating params.',
    lower_bound=1,
    flag_values=fv,
  )
  # With --task, the cluster of a multi-process training
  # (utils/distributed/cluster.py); each may come from TF_CONFIG instead, and a
  # flag wins over it.
  flags.DEFINE_string(
    'ps_hosts',
    None,
    'Comma-separated host:port addresses of the parameter servers, e.g. '
    '10.0.0.1:2222. With --worker_hosts, --job_name and --task (or '
    'TF_CONFIG) training runs on a cluster; num_ps_tasks and '
    "worker_replicas then follow from the host lists. TensorFlow's gRPC "
    'runtime has no authentication: use a private network.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'worker_hosts',
    None,
    'Comma-separated host:port addresses of the workers; worker task 0 is '
    'the chief.',
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'job_name',
    None,
    ['ps', 'worker'],
    "This task's job in the cluster: a ps serves variables until killed, "
    'a worker trains.',
    flag_values=fv,
  )


def _define_logging_flags(fv):
  """Where and how often the training writes (hooks.Intervals)."""
  flags.DEFINE_string(
    'train_dir',
    '/tmp/tfmodel/',
    'Directory where checkpoints and event logs are written '
    'to. If it already holds a checkpoint, training resumes '
    'from the newest one.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'log_every_n_steps',
    10,
    'The frequency with which logs are printed, in global steps.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'save_summaries_secs',
    600,
    'The frequency with which summaries are saved, in seconds.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'save_interval_secs',
    600,
    'The frequency with which the model is saved, in seconds (and at the end).',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'summarize_activations',
    False,
    "Add histograms of the network's end points to the summaries.",
    flag_values=fv,
  )


def _define_optimizer_flags(fv):
  """The optimizer and its hyper-parameters (schedules.OptimizerParams)."""
  flags.DEFINE_float(
    'weight_decay',
    0.00004,
    "The weight decay on the model weights. With slim's optimizers "
    '(momentum, rmsprop, ...) it is the L2 regularizer of the convolution '
    'and fully-connected kernels: the loss gains weight_decay * sum(w^2) / '
    "2 (torch's SGD weight_decay); with adamw and lamb the optimizer decays "
    'the kernels itself, w -= lr * weight_decay * w (decoupled), and the '
    'loss has no L2 term.',
    lower_bound=0.0,
    flag_values=fv,
  )
  flags.DEFINE_float(
    'norm_weight_decay',
    None,
    'The weight decay of the batch-norm parameters and biases. Unset: with '
    "adamw and lamb --weight_decay, with slim's optimizers none (slim "
    'regularizes the kernels only); set: the same kind of decay as '
    '--weight_decay (decoupled, or an L2 loss) at this rate. The recipes use '
    '0.',
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'optimizer',
    'rmsprop',
    list(schedules.OPTIMIZERS),
    "The name of the optimizer: slim's, or adamw (torch.optim.AdamW) and "
    "lamb (timm's Lamb: LAMB with the global gradient norm clipped to 1), "
    'both with decoupled weight decay (see --weight_decay) and '
    '--adam_beta1, --adam_beta2, --opt_epsilon.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'adadelta_rho', 0.95, 'The decay rate for adadelta.', flag_values=fv
  )
  flags.DEFINE_float(
    'adagrad_initial_accumulator_value',
    0.1,
    'Starting value for the AdaGrad accumulators.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'adam_beta1',
    0.9,
    'The exponential decay rate for the 1st moment estimates.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'adam_beta2',
    0.999,
    'The exponential decay rate for the 2nd moment estimates.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'opt_epsilon',
    1.0,
    'Epsilon term for the adadelta, adam, adamw, lamb and rmsprop '
    "optimizers. slim's default 1.0 suits RMSProp on "
    'ImageNet; with adam 1e-8 is usual. Unless given, adamw uses '
    "torch's 1e-8 and lamb timm's 1e-6.",
    flag_values=fv,
  )
  flags.DEFINE_float(
    'ftrl_learning_rate_power', -0.5, 'The learning rate power.', flag_values=fv
  )
  flags.DEFINE_float(
    'ftrl_initial_accumulator_value',
    0.1,
    'Starting value for the FTRL accumulators.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'ftrl_l1', 0.0, 'The FTRL l1 regularization strength.', flag_values=fv
  )
  flags.DEFINE_float(
    'ftrl_l2', 0.0, 'The FTRL l2 regularization strength.', flag_values=fv
  )
  flags.DEFINE_float(
    'momentum', 0.9, 'The momentum for the MomentumOptimizer.', flag_values=fv
  )
  flags.DEFINE_float(
    'rmsprop_momentum', 0.9, 'Momentum of RMSProp.', flag_values=fv
  )
  flags.DEFINE_float(
    'rmsprop_decay', 0.9, 'Decay term for RMSProp.', flag_values=fv
  )


def _define_learning_rate_flags(fv):
  """The schedule (schedules.configure_learning_rate) and label smoothing."""
  flags.DEFINE_enum(
    'learning_rate_decay_type',
    'exponential',
    list(schedules.LEARNING_RATE_DECAY_TYPES),
    'How the learning rate decays: fixed; exponential (times '
    'learning_rate_decay_factor every num_epochs_per_decay epochs); '
    'polynomial (linear to end_learning_rate over num_epochs_per_decay '
    'epochs); cosine (to end_learning_rate over num_epochs_per_decay '
    'epochs, counted after the warm-up).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'learning_rate', 0.01, 'Initial (peak) learning rate.', flag_values=fv
  )
  flags.DEFINE_float(
    'end_learning_rate',
    0.0001,
    'The final learning rate of the polynomial and cosine decays.',
    lower_bound=0.0,
    flag_values=fv,
  )
  flags.DEFINE_float(
    'learning_rate_decay_factor',
    0.94,
    'Learning rate decay factor.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'num_epochs_per_decay',
    2.0,
    'Number of epochs after which the learning rate decays (the length of '
    'the polynomial and cosine decays). Converted to global steps of '
    'batch_size * num_clones images (times replicas_to_aggregate with '
    'sync_replicas).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'warmup_epochs',
    0.0,
    'Epochs of linear learning-rate warm-up from 0 before the schedule starts.',
    lower_bound=0.0,
    flag_values=fv,
  )


def _define_loss_flags(fv):
  """The loss (config.LossConfig but the weight decays)."""
  flags.DEFINE_float(
    'label_smoothing',
    0.0,
    'The amount of label smoothing.',
    lower_bound=0.0,
    upper_bound=1.0,
    flag_values=fv,
  )
  flags.DEFINE_enum(
    'loss',
    'softmax',
    list(losses.LOSSES),
    "The loss: softmax (slim's softmax cross-entropy) or bce (binary "
    'cross-entropy of each class, the mean over batch and classes, as '
    "timm's BinaryCrossEntropy), on the smoothed or mixed targets.",
    flag_values=fv,
  )
  flags.DEFINE_float(
    'bce_target_threshold',
    None,
    'With --loss=bce: targets above this threshold in [0, 1] count as 1, '
    "the others as 0 (timm's --bce-target-thresh). Unset: the targets as "
    'they are.',
    flag_values=fv,
  )


def _define_network_option_flags(fv):
  """Training options of the ResNets (config.TrainConfig); off by default."""
  flags.DEFINE_float(
    'drop_path_rate',
    0.0,
    'Stochastic depth (Huang et al. 2016): the probability, in [0, 1), of '
    "dropping the last residual unit's branch in a training step, earlier "
    "units linearly less (timm's rule); a kept branch is scaled by "
    '1 / (1 - its rate); evaluation uses every branch. 0: off.',
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'zero_init_residual',
    False,
    'Start the last batch-norm scale (gamma) of each residual unit at 0, so '
    'every unit starts as the identity (Goyal et al. 2017).',
    flag_values=fv,
  )


def _define_fine_tuning_flags(fv):
  flags.DEFINE_string(
    'checkpoint_path',
    None,
    'The path to a checkpoint (file or directory) from which to fine-tune. '
    'Ignored (with a log line) when train_dir already has a checkpoint.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'checkpoint_exclude_scopes',
    None,
    'Comma-separated list of scopes of variables to exclude when restoring '
    'from a checkpoint.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'trainable_scopes',
    None,
    'Comma-separated list of scopes to filter the set of variables to '
    'train. By default, None would train all the variables. Batch-norm '
    'moving statistics outside these scopes are frozen too.',
    flag_values=fv,
  )
  flags.DEFINE_bool(
    'ignore_missing_vars',
    False,
    'When restoring a checkpoint would ignore missing variables.',
    flag_values=fv,
  )


def define_image_augmentation_flags(fv=flags.FLAGS):
  """Defines the per-image augmentation flags (all off by default) on `fv`.

  The fields of `augmentation.Augmentation`; training and
  utils/benchmark/pipeline_benchmark.py take them.
  """
  flags.DEFINE_enum(
    'auto_augment',
    None,
    sorted(auto_augment.POLICIES),
    "Auto-augmentation policy of each training image: timm's RandAugment "
    "(rand-m{M}-n{N}-mstd{S}-inc1) or torchvision's TrivialAugmentWide. "
    'Unset: none.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'randaugment_num_ops',
    2,
    'RandAugment: operations per image (N).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'randaugment_magnitude',
    9.0,
    'RandAugment: magnitude M in [0, 30] (10 is the full range of an '
    'operation).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'randaugment_magnitude_std',
    0.5,
    'RandAugment: standard deviation S of the magnitude noise.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'random_erase',
    0.0,
    'Probability of random erasing of each training image (0: off).',
    flag_values=fv,
  )


def _define_augmentation_flags(fv):
  """Training's data augmentations (all off by default)."""
  flags.DEFINE_float(
    'mixup_alpha',
    0.0,
    "Mixup's Beta(alpha, alpha) parameter (0: no Mixup), as timm's Mixup: "
    'each batch mixed with itself reversed, targets mixed alike.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'cutmix_alpha',
    0.0,
    "CutMix's Beta(alpha, alpha) parameter (0: no CutMix).",
    flag_values=fv,
  )
  flags.DEFINE_float(
    'mix_prob',
    1.0,
    'Probability that a batch is mixed (Mixup or CutMix).',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'mix_switch_prob',
    0.5,
    'Probability of CutMix rather than Mixup when both alphas are set.',
    flag_values=fv,
  )
  define_image_augmentation_flags(fv)
  flags.DEFINE_integer(
    'aug_repeats',
    1,
    'Repeated augmentation: each image this many times per pass, with '
    'different augmentations, spread over clones and workers (1: off).',
    flag_values=fv,
  )


def define_train_flags(fv=flags.FLAGS):
  """Defines the flags of train_image_classifier.py on `fv`."""
  _define_deployment_flags(fv)
  _define_logging_flags(fv)
  _define_performance_flags(fv)
  _define_gradient_flags(fv)
  _define_optimizer_flags(fv)
  _define_learning_rate_flags(fv)
  _define_loss_flags(fv)
  _define_dataset_flags(fv, 'train', 'The name of the train/test split.')
  _define_moving_average_flags(fv)
  flags.DEFINE_integer(
    'num_readers',
    4,
    'The number of parallel readers that read data from the data set.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'batch_size',
    32,
    'The number of samples in each batch (per clone).',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'train_image_size',
    None,
    "Train image size; unset: the network's default size.",
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'max_number_of_steps',
    None,
    'The maximum number of '
    'training steps (global steps); unset: train until '
    'stopped.',
    lower_bound=0,
    flag_values=fv,
  )
  _define_network_option_flags(fv)
  _define_fine_tuning_flags(fv)
  _define_augmentation_flags(fv)


def define_eval_flags(fv=flags.FLAGS):
  """Defines the flags of eval_image_classifier.py on `fv`."""
  flags.DEFINE_string(
    'master', '', 'The address of the TensorFlow master to use.', flag_values=fv
  )
  flags.DEFINE_integer(
    'batch_size',
    100,
    'The number of samples in each batch.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'max_num_batches',
    None,
    'Max number of batches to '
    'evaluate; by default use all (every record once).',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_string(
    'checkpoint_path',
    '/tmp/tfmodel/',
    'The directory where the model was written to or an absolute path to a '
    "checkpoint file. Only complete checkpoints listed in a directory's "
    '`checkpoint` file are read.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'eval_dir',
    '/tmp/tfmodel/',
    'Directory where the results are saved to.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'eval_interval_secs',
    None,
    'If set, watch the --checkpoint_path directory and evaluate each new '
    'checkpoint, looking every this many seconds. Unset: evaluate once.',
    flag_values=fv,
  )
  flags.DEFINE_float(
    'timeout',
    None,
    'With --eval_interval_secs: stop after this many seconds without a new '
    'checkpoint. Unset: wait forever.',
    lower_bound=0.0,
    flag_values=fv,
  )
  _define_dataset_flags(
    fv,
    'validation',
    "The name of the train/test split (slim's "
    'default was test, which imagenet does not have).',
  )
  _define_moving_average_flags(fv)
  flags.DEFINE_integer(
    'eval_image_size',
    None,
    "Eval image size; unset: the network's default size.",
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'eval_resize_size',
    None,
    'If set, resize the smaller side of each image to this, then crop the '
    "centre at the eval image size (FixRes); unset: the preprocessing's own "
    'evaluation crop.',
    flag_values=fv,
  )
  _define_performance_flags(fv)
  _define_exported_model_flags(fv)


def _define_exported_model_flags(fv):
  # Evaluation of an exported model (utils/export/evaluation.py).
  flags.DEFINE_string(
    'model_file',
    None,
    'Evaluate this exported model instead of a checkpoint: a .pb frozen '
    'graph, a SavedModel directory, a .onnx or a .tflite file '
    '(export_inference_graph.py). Same split, preprocessing (from '
    '--model_name or --preprocessing_name) and metrics; no summaries.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'reference_model_file',
    None,
    'With --model_file: another export of the same network (e.g. the '
    'float32 one) run on the same images; adds Agreement, the fraction of '
    'images whose top-1 class both give.',
    flag_values=fv,
  )


def define_tf2_train_flags(fv=flags.FLAGS):
  """Defines the flags of utils/training/tf2_train.py on `fv`.

  The data flags are train_image_classifier.py's (--dataset_name,
  --dataset_dir, --model_name, --preprocessing_name, --labels_offset, ...),
  with the defaults digits and resnet_cifar_20, and so are the loss,
  network option, augmentation and gradient flags (--loss,
  --label_smoothing, --drop_path_rate, --mixup_alpha, --auto_augment,
  --aug_repeats, --conv_gradients, ...); the rest are the TF2 trainer's own
  (slim's names where slim has the option).
  """
  _define_dataset_flags(
    fv,
    'train',
    'The split to train on.',
    dataset_default='digits',
    model_default='resnet_cifar_20',
  )
  flags.DEFINE_string(
    'train_dir',
    None,
    'Where the chief writes the final checkpoint.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'max_number_of_steps',
    1000,
    'Training steps.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'steps_per_epoch',
    None,
    'Steps per Keras epoch (one log line each).',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'batch_size',
    32,
    'The global batch of a step.',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'image_size',
    None,
    "Input size; default: the network's.",
    lower_bound=1,
    flag_values=fv,
  )
  # tf2_train.STRATEGIES (this package loads no TensorFlow).
  flags.DEFINE_enum(
    'strategy',
    'default',
    ['default', 'mirrored', 'multi_worker'],
    'tf.distribute strategy (multi_worker reads TF_CONFIG).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'num_cpu_devices',
    None,
    'Split the CPU into this many logical devices (for '
    '--strategy=mirrored without GPUs).',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_float(
    'learning_rate', 0.1, 'Constant learning rate.', flag_values=fv
  )
  flags.DEFINE_float('momentum', 0.9, 'Momentum of SGD.', flag_values=fv)
  flags.DEFINE_float(
    'weight_decay', 1e-4, 'L2 weight decay.', lower_bound=0.0, flag_values=fv
  )
  flags.DEFINE_float(
    'depth_multiplier',
    None,
    'Optional depth multiplier of the network.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'checkpoint_path',
    None,
    'A TF1 name-based checkpoint to start from.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'checkpoint_exclude_scopes',
    None,
    'Comma-separated scopes not restored from it.',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'freeze_batch_norm',
    False,
    'Batch norm in inference mode while training.',
    flag_values=fv,
  )
  flags.DEFINE_boolean(
    'is_training',
    True,
    'Training preprocessing; false: the split in order '
    'with evaluation preprocessing (repeatable runs).',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'seed', None, 'Seed of the shuffles and weights.', flag_values=fv
  )
  flags.DEFINE_string(
    'history_file',
    None,
    'Where the chief writes the losses as JSON.',
    flag_values=fv,
  )
  flags.DEFINE_string(
    'backup_dir',
    None,
    'Back up the training state here (tf_keras BackupAndRestore) and '
    'resume from it when started again with the same flags; a run that '
    'finishes deletes it. With --strategy=multi_worker, restart every '
    'worker (the same TF_CONFIG) after one fails.',
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'backup_every_n_steps',
    None,
    'Steps between backups; default: at the end of each epoch '
    '(--steps_per_epoch).',
    lower_bound=1,
    flag_values=fv,
  )
  flags.DEFINE_integer(
    'log_every_n_steps',
    None,
    'Log the global step every this many steps (after the step); default: '
    'no step log.',
    lower_bound=1,
    flag_values=fv,
  )
  # The training recipe's options, as train_image_classifier.py's.
  _define_loss_flags(fv)
  _define_network_option_flags(fv)
  _define_augmentation_flags(fv)
  _define_gradient_flags(fv)
