#!/usr/bin/env bash
# End-to-end: real runs, bad input gives one clear line and a non-zero exit.
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"

"$NNC" --help | grep -q "train" && ok "help lists subcommands" || bad "help"
"$NNC" train --dataset blobs --model mlp --epochs 3 --lr 0.01 --out "$T/r" >"$T/out" 2>"$T/err" \
  && grep -q "test_accuracy" "$T/out" && ok "train on blobs" || bad "train on blobs: $(tail -5 "$T/err")"
"$NNC" results list --out "$T/r" | grep -q completed && ok "results list" || bad "results list"
"$NNC" results export --out "$T/r" --format csv | head -1 | grep -q "^run_id,kind,status" && ok "export csv" || bad "export csv"

expect_error "unknown dataset" "unknown dataset 'fashion'" "$NNC" train --dataset fashion --out "$T/r"
expect_error "unknown model" "unknown model 'lenet6'.*lenet5" "$NNC" train --dataset blobs --model lenet6 --out "$T/r"
expect_error "bad number" "option 'epochs': 'many' is not an integer" "$NNC" train --epochs many --out "$T/r"
expect_error "unknown flag" "--epoks" "$NNC" train --epoks 3 --out "$T/r"
expect_error "bad choice" "optimizer" "$NNC" train --optimizer rmsprop --out "$T/r"
printf 'epochs = \n' > "$T/bad.toml"
expect_error "invalid toml" "bad.toml:1" "$NNC" train --config "$T/bad.toml" --out "$T/r"
printf 'epoks = 3\n' > "$T/unk.toml"
expect_error "unknown toml key" "unknown option 'epoks'.*epochs" "$NNC" train --config "$T/unk.toml" --out "$T/r"
expect_error "missing data dir" "cifar" "$NNC" train --dataset cifar10 --data-dir "$T/none" --out "$T/r"
expect_error "bad device" "device" "$NNC" train --dataset blobs --device tpu --out "$T/r"
"$NNC" results list --out "$T/r" | grep -q failed && ok "failed runs recorded" || bad "failed runs recorded"

# replay --plan-only: the budget plan from the data (28x28 quantization at 8 states: 3 bits
# x 784 values = 294 B + 8 B of range = 302 B per item; 3020 B hold 10), nothing written.
"$NNC" replay --dataset fashion-mnist --limit-train 200 --compressor quantization --n-states 8 \
  --memory-bytes 3020B --plan-only --out "$T/plan" >"$T/out" 2>"$T/err" \
  && grep -q "10 slots" "$T/out" && [ ! -e "$T/plan" ] && ok "replay --plan-only" \
  || bad "replay --plan-only: $(cat "$T/out" "$T/err" | tail -5)"
expect_error "plan-only: budget too small" "fits no sample" "$NNC" replay --dataset fashion-mnist \
  --limit-train 200 --compressor quantization --memory-bytes 10B --plan-only --out "$T/plan"

e2e_summary cli-e2e
