#!/usr/bin/env bash
# Runs the whole test suite with ctest (labels: unit, slow, e2e, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
export OMP_WAIT_POLICY=PASSIVE
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" --timeout 900 ${NNC_CTEST_ARGS:-}
# LibTorch 2.x (the CUDA line) cannot be linked here; every unit must still compile against it.
cd - >/dev/null
scripts/check_libtorch2.sh "$BUILD_DIR"
