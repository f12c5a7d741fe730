#!/usr/bin/env bash
# The main job on the embedded default data (Fashion-MNIST).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
OUT=${2:-results/main}
NNC="$BUILD_DIR/src/cli/nncompress"
"$NNC" train --dataset fashion-mnist --model lenet5 --epochs 2 --out "$OUT"
echo "results database: $OUT/results.db  (nncompress results list --out $OUT)"
