#!/usr/bin/env bash
# One seed line end to end against the researchers' status quo: `nncompress replay` vs the
# original FETCH loop in PyTorch Python (fetch_peer.py: test before every pass, per-sample
# greedy sampler, DataLoaders with 2 workers, PyTorch's default threads and wait policy).
# Line: raw images, 1000 slots, 4 passes, full GDumb ResNet-18, Fashion-MNIST written in the
# CIFAR-10 layout (scripts/fashion_to_cifar.py), the whole 10,000-image test set.
# Usage: bench/replay/bench_seed_line.sh [BUILD_DIR] [SEEDS]   (e.g. build "0 1 2")
# nncompress runs twice: fp32 (FETCH's precision) and at its best setting on this CPU (bf16
# autocast + channels-last where the CPU has bf16 units, else fp32 + channels-last). Prints
# per seed the wall seconds of each, ratio = FETCH seconds / nncompress seconds, and the
# accuracies: nncompress reports its FINAL model, FETCH the best of its per-pass tests
# (the model after its last pass is never tested).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build}
SEEDS=${2:-"0"}
NNC="$(pwd)/$BUILD_DIR/src/cli/nncompress"
WORK=${NNC_BENCH_WORK:-/tmp/nnc-bench-seed-line}
mkdir -p "$WORK"
unset OMP_WAIT_POLICY  # each side at its default; nncompress picks its own policy
DATA="$WORK/fashion-cifar"
[ -f "$DATA/cifar-10-batches-bin/test_batch.bin" ] || python3 scripts/fashion_to_cifar.py "$DATA" >&2
BEST="--precision fp32 --channels-last true"
grep -qE 'avx512_bf16|amx_bf16' /proc/cpuinfo && BEST="--precision bf16 --channels-last true"
LINE="--dataset CIFAR10 --data-dir $DATA --num-tasks 5 --num-classes-per-task 2 --encoder none
      --compressor none --memory-size 1000 --num-passes 4 --backbone resnet --backbone-block 0"
now() { date +%s.%N; }
# nnc SEED OUT ARGS...: prints "seconds final_accuracy" of one nncompress run.
nnc() {
  local seed=$1 out=$2 t0 t1 acc; shift 2
  rm -rf "$out"
  t0=$(now)
  # shellcheck disable=SC2086
  "$NNC" replay $LINE --seed "$seed" "$@" --out "$out" >/dev/null 2>"$out.log" ||
    { echo "nncompress failed, see $out.log" >&2; exit 1; }
  t1=$(now)
  acc=$("$NNC" results export --out "$out" --format json 2>/dev/null |
    /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['metrics']['final_accuracy'])")
  echo "$(awk "BEGIN{print $t1 - $t0}") $acc"
}
echo "best setting here: $BEST"
printf "%4s  %9s %9s %9s  %7s %7s  %8s %8s %8s\n" seed "fp32 s" "best s" "FETCH s" \
  "x fp32" "x best" "acc fp32" "acc best" "FETCH*"
for seed in $SEEDS; do
  read -r s32 a32 < <(nnc "$seed" "$WORK/fp32" --precision fp32)
  # shellcheck disable=SC2086
  read -r sbest abest < <(nnc "$seed" "$WORK/best" $BEST)
  t0=$(now)
  py=$(/usr/bin/python3 bench/replay/fetch_peer.py --data-dir "$DATA" --memory-size 1000 \
         --num-passes 4 --seed "$seed")
  t1=$(now)
  sf=$(awk "BEGIN{print $t1 - $t0}")
  af=$(echo "$py" | sed -n 's/.*best_accuracy=\([0-9.]*\).*/\1/p')
  echo "FETCH-style peer: $py" >&2
  awk -v s="$seed" -v a="$s32" -v b="$sbest" -v f="$sf" -v x="$a32" -v y="$abest" -v z="$af" \
    'BEGIN { printf "%4s  %9.1f %9.1f %9.1f  %7.2f %7.2f  %8.4f %8.4f %8.4f\n", s, a, b, f, f / a, f / b, x, y, z }'
done
echo "x = FETCH-style seconds / nncompress seconds (whole process); FETCH* = best per-pass test"
