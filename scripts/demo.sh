#!/bin/sh
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
# `make demo`: converts scikit-learn's digits (embedded, no download), trains
# resnet_cifar_20 on the 1,437 training images (8x8 grey, upscaled to 32x32
# by the cifar preprocessing) and evaluates it on the 360 test images.
#
# Training: momentum SGD, linear warm-up for 1 epoch then a cosine decay to 0
# over the remaining ~52 epochs; 2,400 steps of 32 images. So many short steps
# (rather than fewer big ones) because batch norm's moving statistics
# (decay 0.997) need ~2,000 updates to forget their initial values; the test
# accuracy uses them. 3.5 minutes on 2 busy CPU cores, 6 when heavily
# loaded (2,400 steps at 230-400 images/s).
#
# Running it again reuses the converted data and resumes the finished
# training (nothing to do), then evaluates again; delete $RUN_DIR to retrain.
#
# Environment: PY (python), DATA_DIR, RUN_DIR, STEPS, PRECISION (fp32, or
# bfloat16 for oneDNN's bfloat16 mixed precision in training and evaluation).
set -eu

PY=${PY:-.venv/bin/python}
DATA_DIR=${DATA_DIR:-data/digits}
RUN_DIR=${RUN_DIR:-runs/digits_resnet_cifar_20}
STEPS=${STEPS:-2400}
PRECISION=${PRECISION:-fp32}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}

echo "== 1/3 Converting digits into $DATA_DIR"
"$PY" download_and_convert_data.py --dataset_name=digits \
    --dataset_dir="$DATA_DIR"

echo "== 2/3 Training resnet_cifar_20 ($PRECISION) for $STEPS steps into $RUN_DIR"
start=$(date +%s)
"$PY" train_image_classifier.py \
    --train_dir="$RUN_DIR" \
    --dataset_name=digits --dataset_split_name=train \
    --dataset_dir="$DATA_DIR" \
    --model_name=resnet_cifar_20 --preprocessing_name=cifar \
    --batch_size=32 --max_number_of_steps="$STEPS" \
    --optimizer=momentum --momentum=0.9 --learning_rate=0.1 \
    --learning_rate_decay_type=cosine --end_learning_rate=0 \
    --warmup_epochs=1 \
    --num_epochs_per_decay="$(awk "BEGIN {print $STEPS * 32 / 1437 - 1}")" \
    --weight_decay=0.0005 \
    --num_readers=1 --num_preprocessing_threads=2 \
    --log_every_n_steps=200 --save_summaries_secs=10 \
    --save_interval_secs=60 --precision="$PRECISION"
train_secs=$(( $(date +%s) - start ))

echo "== 3/3 Evaluating on the test split"
result=$("$PY" eval_image_classifier.py \
    --checkpoint_path="$RUN_DIR" --eval_dir="$RUN_DIR/eval" \
    --dataset_name=digits --dataset_split_name=test \
    --dataset_dir="$DATA_DIR" \
    --model_name=resnet_cifar_20 --preprocessing_name=cifar \
    --batch_size=100 --num_preprocessing_threads=2 \
    --precision="$PRECISION")
echo "$result"
accuracy=$(echo "$result" | tail -n 1 | sed -n 's/.*Accuracy=\([0-9.]*\).*/\1/p')
images=$(echo "$result" | tail -n 1 | sed -n 's/.* images=\([0-9]*\).*/\1/p')

echo
echo "TensorBoard (training and eval summaries):"
echo "  $(dirname "$PY")/tensorboard --logdir=$RUN_DIR"
echo "Training took ${train_secs} s (wall clock)."
echo "Test-split top-1 accuracy of resnet_cifar_20 on digits: $accuracy ($images images)"
