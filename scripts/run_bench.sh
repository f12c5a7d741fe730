#!/usr/bin/env bash
# Runs every benchmark (bench/<area>): each prints its figures as ratios against its peer
# (PyTorch Python, Optuna, an evaluate-every-gate CGP, ...). Not part of CI: timings are
# noisy on shared machines, so figures go into notes, never into pass/fail tests.
# Usage: scripts/run_bench.sh [BUILD_DIR] [NAME ...]   (names: train replay seed-line cgp prune quant search python)
#   seed-line: one seed line against the original FETCH loop (~10 minutes per seed on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
shift || true
WANT=${*:-"train replay seed-line cgp prune quant search python"}
export OMP_WAIT_POLICY=PASSIVE
scripts/install_missing.sh python3-optuna  # bench-search's peer (Debian's Optuna 3.1)
cmake -S . -B "$BUILD_DIR" -DNNC_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" >&2
B="$BUILD_DIR/bench"
for name in $WANT; do
  echo "== bench: $name"
  case "$name" in
    train) "$B/train/bench-train"; /usr/bin/python3 bench/train/kernel_bound.py ;;
    replay) bench/replay/bench_replay.sh "$BUILD_DIR"; "$B/replay/bench-codecs"; "$B/replay/bench-memory-source" ;;
    seed-line) bench/replay/bench_seed_line.sh "$BUILD_DIR" ;;
    cgp) "$B/cgp/bench-cgp" ;;
    prune) "$B/prune/bench-prune-ts-step"; "$B/prune/bench-prune-teacher-student" ;;
    quant) "$B/quant/bench-quant" ;;
    search) "$B/search/bench-search" ;;
    python) PYTHONPATH="$BUILD_DIR/python" /usr/bin/python3 bench/python/overhead.py ;;
    *) echo "unknown bench '$name' (train replay seed-line cgp prune quant search python)" >&2; exit 2 ;;
  esac
done
