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
# Then the trained checkpoint is exported to ONNX in float32 and in int8
# (static quantization calibrated on 300 training images), both exports are
# evaluated on the test split (int8 also against float32: the agreement of
# their top-1 classes), and the same network is timed in our TensorFlow
# graph and in ONNX Runtime, fp32 and int8, in one paired benchmark run
# (random weights: the speed does not depend on them).
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

echo "== 1/5 Converting digits into $DATA_DIR"
"$PY" download_and_convert_data.py --dataset_name=digits \
    --dataset_dir="$DATA_DIR"

echo "== 2/5 Training resnet_cifar_20 ($PRECISION) for $STEPS steps into $RUN_DIR"
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

echo "== 3/5 Evaluating on the test split"
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


EXPORT_DIR="$RUN_DIR/export"
echo "== 4/5 Exporting to ONNX (fp32, and int8 calibrated on 300 training images) into $EXPORT_DIR"
for precision in none int8; do
  "$PY" export_inference_graph.py --model_name=resnet_cifar_20 \
      --checkpoint_path="$RUN_DIR" --dataset_name=digits --format=onnx \
      --quantize=$precision --dataset_dir="$DATA_DIR" \
      --dataset_split_name=train --calibration_images=300 \
      --output_file="$EXPORT_DIR/resnet_cifar_20_$precision.onnx"
done
fp32_onnx="$EXPORT_DIR/resnet_cifar_20_none.onnx"
int8_onnx="$EXPORT_DIR/resnet_cifar_20_int8.onnx"
eval_exported() {  # eval_exported MODEL_FILE [FLAG...]
  model_file=$1
  shift
  "$PY" eval_image_classifier.py --model_file="$model_file" "$@" \
      --dataset_name=digits --dataset_split_name=test \
      --dataset_dir="$DATA_DIR" --model_name=resnet_cifar_20 \
      --preprocessing_name=cifar --batch_size=100 \
      --num_preprocessing_threads=2 | tail -n 1
}
fp32_line=$(eval_exported "$fp32_onnx")
int8_line=$(eval_exported "$int8_onnx" --reference_model_file="$fp32_onnx")
echo "$fp32_line"
echo "$int8_line"
field() { echo "$1" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p"; }

echo "== 5/5 Timing TensorFlow fp32 against ONNX Runtime fp32 and int8 (paired, batch 100)"
bench="$EXPORT_DIR/benchmark.jsonl"
rm -f "$bench"
"$PY" benchmark_networks.py --model_name=resnet_cifar_20 --mode=inference \
    --runtime=tf,onnxruntime --precision=fp32,int8 --batch_size=100 \
    --num_warmup_steps=3 --num_steps=20 --latency_steps=100 --paired \
    --nomeasure_peak --noisolate --output_json="$bench" | tail -n 8
speed=$("$PY" -c '
import json, sys
rows = {(r["implementation"], r["precision"]): r
        for r in map(json.loads, open(sys.argv[1]))}
for key, name in ((("ours", "fp32"), "TensorFlow fp32"),
                  (("onnxruntime", "fp32"), "ONNX Runtime fp32"),
                  (("onnxruntime", "int8"), "ONNX Runtime int8")):
  r = rows[key]
  print("  %-18s %8.0f images/s   batch 1: %.2f ms (p99 %.2f ms)" % (
      name, r["images_per_sec"], r["latency_ms_p50"], r["latency_ms_p99"]))
' "$bench")

echo
echo "TensorBoard (training and eval summaries):"
echo "  $(dirname "$PY")/tensorboard --logdir=$RUN_DIR"
echo "Training took ${train_secs} s (wall clock)."
echo "Test-split top-1 accuracy of resnet_cifar_20 on digits: $accuracy ($images images)"
echo "Exported to ONNX, same test split: fp32 top-1 $(field "$fp32_line" Accuracy)," \
     "int8 top-1 $(field "$int8_line" Accuracy)" \
     "(int8 agrees with fp32 on $(field "$int8_line" Agreement) of the images)"
echo "Speed of resnet_cifar_20 inference (batch 100, 32x32, one paired run):"
echo "$speed"
