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
# accuracy uses them.
#
# Then the serving report (benchmark_networks.py --serving_report): the
# checkpoint is exported in every runtime and precision this install has
# (TensorFlow's frozen graph in float32, and in bfloat16 where TensorFlow
# runs oneDNN; ONNX Runtime, TFLite and OpenVINO in float32, float16 and
# int8, int8 calibrated on 300 training images), each export is
# evaluated on the test split (top-1, and agreement with the float32 frozen
# graph), and the same files are timed at batch 100 and batch 1 in one
# paired benchmark run (the benchmark's runners given each exported file).
# The demo ends with the report's table, ranked by speed, and the fastest
# export within 0.5 accuracy points of the frozen graph.
#
# Running it again reuses the converted data and resumes the finished
# training (nothing to do), then evaluates and exports again; delete
# $RUN_DIR to retrain.
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

echo "== 1/4 Converting digits into $DATA_DIR"
"$PY" download_and_convert_data.py --dataset_name=digits \
    --dataset_dir="$DATA_DIR"

echo "== 2/4 Training resnet_cifar_20 ($PRECISION) for $STEPS steps into $RUN_DIR"
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

echo "== 3/4 Evaluating on the test split"
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


SERVING_DIR="$RUN_DIR/serving"
echo "== 4/4 Serving report: every export into $SERVING_DIR, evaluated and timed (batch 100 and 1)"
report_json="$SERVING_DIR/report.jsonl"
rm -f "$report_json"
serving=$("$PY" benchmark_networks.py --serving_report \
    --model_name=resnet_cifar_20 --checkpoint_path="$RUN_DIR" \
    --serving_dir="$SERVING_DIR" --dataset_name=digits \
    --dataset_dir="$DATA_DIR" --dataset_split_name=test \
    --calibration_split_name=train --calibration_images=300 \
    --num_preprocessing_threads=2 --batch_size=100 --max_accuracy_drop=0.5 \
    --num_warmup_steps=3 --num_steps=20 --latency_steps=100 --noisolate \
    --output_json="$report_json")
exports=$("$PY" -c '
import json, sys
rows = {(r["implementation"], r["precision"]): r
        for r in map(json.loads, open(sys.argv[1]))}
fp32, int8 = rows[("onnxruntime", "fp32")], rows[("onnxruntime", "int8")]
print("ONNX fp32 top-1 %.4f, ONNX int8 top-1 %.4f (int8 agrees with the"
      " fp32 frozen graph on %.4f of the images)"
      % (fp32["accuracy"], int8["accuracy"], int8["agreement"]))
' "$report_json")

echo
echo "TensorBoard (training and eval summaries):"
echo "  $(dirname "$PY")/tensorboard --logdir=$RUN_DIR"
echo "Training took ${train_secs} s (wall clock)."
echo "Test-split top-1 accuracy of resnet_cifar_20 on digits: $accuracy ($images images)"
echo "Exported, same test split: $exports"
echo
echo "$serving"
