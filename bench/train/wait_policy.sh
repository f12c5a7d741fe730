#!/usr/bin/env bash
# OpenMP wait policy x threads, per model: C++ training throughput (bench-train, no peer) under
# OMP_WAIT_POLICY=PASSIVE and ACTIVE, interleaved so drift hits both alike.
# Usage: bench/train/wait_policy.sh [BUILD_DIR] [REPEATS] [PRECISION]
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}/bench/train/bench-train
REPEATS=${2:-2}
PREC=${3:-fp32}
printf "%-16s %7s %8s %10s %10s %7s\n" model threads repeat PASSIVE ACTIVE "A/P"
for model in lenet5 replay-backbone resnet18-gdumb; do
  steps=$([ "$model" = resnet18-gdumb ] && echo 15 || echo 60)
  for threads in 1 2; do
    for r in $(seq "$REPEATS"); do
      p=$(OMP_WAIT_POLICY=PASSIVE "$B" --no-python --model "$model" --threads "$threads" --repeats 1 \
          --steps "$steps" --precision "$PREC" | sed -n 's/.*C++ *\([0-9.]*\) samples.*/\1/p')
      a=$(OMP_WAIT_POLICY=ACTIVE "$B" --no-python --model "$model" --threads "$threads" --repeats 1 \
          --steps "$steps" --precision "$PREC" | sed -n 's/.*C++ *\([0-9.]*\) samples.*/\1/p')
      awk -v m="$model" -v t="$threads" -v r="$r" -v p="$p" -v a="$a" \
        'BEGIN { printf "%-16s %7s %8s %10.1f %10.1f %7.2f\n", m, t, r, p, a, a / p }'
    done
  done
done
