#!/usr/bin/env bash
# Replay run time: `nncompress replay` vs the same loop in PyTorch Python (replay_peer.py),
# raw images and CutR(3) features, compressor none, 1000 slots, on Fashion-MNIST (5x2).
# Usage: bench/replay/bench_replay.sh [BUILD_DIR] [SEEDS] [DEVICE]   (e.g. build "0 1 2" cuda)
# DEVICE (default cpu) is passed to both sides: nncompress --device and the peer's --device.
# Prints one line per (encoder, seed) and the medians; ratio = Python seconds / C++ seconds
# (whole process, wall clock), accuracy of both (the final model on the first 2000 test images).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build}
SEEDS=${2:-"0 1 2"}
DEVICE=${3:-cpu}
NNC="$(pwd)/$BUILD_DIR/src/cli/nncompress"
WORK=${NNC_BENCH_WORK:-/tmp/nnc-bench-replay}
mkdir -p "$WORK"
# No OMP_WAIT_POLICY: each side runs at its best. With set-up's OpenMP OpenBLAS, libgomp's
# default is the fastest policy measured (bench/train/wait_policy.sh); PASSIVE halved the
# small backbones at 2 threads.
unset OMP_WAIT_POLICY
ENC="$WORK/encoder-cutr18-mnist-digits.safetensors"
if [ ! -f "$ENC" ]; then
  "$NNC" pretrain-encoder --dataset mnist-digits --encoder cutr --epochs 1 --limit-train 4000 \
    --save-to "$ENC" --out "$WORK/pretrain" 2>/dev/null >/dev/null
fi
COMMON="--memory-size 1000 --num-passes 6 --limit-test 2000 --device $DEVICE"
now() { date +%s.%N; }
printf "%-6s %4s  %9s %9s %6s  %8s %8s\n" encoder seed "C++ s" "Python s" ratio "acc C++" "acc Py"
for enc in none cutr; do
  if [ "$enc" = none ]; then
    CPP_ARGS="--encoder none --backbone-width 0.125"
    PY_ARGS="--encoder none --backbone-width 0.125"
  else
    CPP_ARGS="--encoder cutr --encoding-block 3 --encoder-weights $ENC --backbone-block 3 --backbone-width 0.25"
    PY_ARGS="--encoder cutr --encoding-block 3 --encoder-weights $ENC --backbone-width 0.25"
  fi
  for seed in $SEEDS; do
    rm -rf "$WORK/cpp"
    t0=$(now)
    "$NNC" replay --dataset fashion-mnist --compressor none $CPP_ARGS $COMMON --seed "$seed" \
      --out "$WORK/cpp" >/dev/null 2>&1
    t1=$(now)
    acc_cpp=$("$NNC" results export --out "$WORK/cpp" --format json 2>/dev/null |
      /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['metrics']['final_accuracy'])" 2>/dev/null ||
      echo nan)
    t2=$(now)
    py=$(/usr/bin/python3 bench/replay/replay_peer.py $PY_ARGS $COMMON --seed "$seed")
    t3=$(now)
    acc_py=$(echo "$py" | sed -n 's/.*accuracy=\([0-9.]*\).*/\1/p')
    awk -v e="$enc" -v s="$seed" -v c="$(awk "BEGIN{print $t1 - $t0}")" -v p="$(awk "BEGIN{print $t3 - $t2}")" \
      -v ac="$acc_cpp" -v ap="$acc_py" \
      'BEGIN { printf "%-6s %4s  %9.1f %9.1f %6.2f  %8.4f %8.4f\n", e, s, c, p, p / c, ac, ap }'
  done
done
