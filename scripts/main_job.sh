#!/usr/bin/env bash
# The main job on the embedded default: accuracy vs replay-memory bytes on Fashion-MNIST
# (5 tasks x 2 classes), raw images and CutR features, seven compressors, then a report.
# Usage: scripts/main_job.sh [BUILD_DIR] [OUT] [DEVICE]
#   DEVICE cpu (default): 4 passes, two runs at a time on one thread each;
#   DEVICE cuda[:N]: the same lines at the seeds' 128 passes, the paper's full-width ResNet-18,
#   one run at a time on the GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
OUT=${2:-results/main}
DEVICE=${3:-cpu}
NNC="$(pwd)/$BUILD_DIR/src/cli/nncompress"
mkdir -p "$OUT"
ENCODER="$OUT/encoder-cutr18-mnist-digits.safetensors"
if [ ! -f "$ENCODER" ]; then
  # The CutR encoder is trained on a DIFFERENT dataset (the MNIST digits), as the seeds
  # use ImageNet weights for CIFAR.
  "$NNC" pretrain-encoder --dataset mnist-digits --encoder cutr --epochs 1 --limit-train 4000 \
    --save-to "$ENCODER" --out "$OUT/pretrain"
fi
status=0
# Two runs at a time, one torch thread each: the small backbones train faster that way
# on 2 cores than one run on two threads.
JOBS=${NNC_JOBS:-$(nproc)}
PAR=(-j "$JOBS" --threads 1)
if [ "$DEVICE" != cpu ]; then
  PAR=(-j 1 --set "device=$DEVICE" --set num_passes=128 --set backbone_width=1.0)
fi
"$NNC" sweep examples/replay/main_raw.toml --out "$OUT" "${PAR[@]}" || status=$?
"$NNC" sweep examples/replay/main_cutr.toml --out "$OUT" "${PAR[@]}" --set "encoder_weights=$ENCODER" || status=$?
"$NNC" sweep examples/replay/main_fcae.toml --out "$OUT" "${PAR[@]}" --set "encoder_weights=$ENCODER" || status=$?
"$NNC" report "$OUT"
echo "results database: $OUT/results.db  (nncompress results list --out $OUT)"
exit $status
