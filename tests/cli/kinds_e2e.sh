#!/usr/bin/env bash
# Every experiment kind to success through the real binary on tiny data, with its run id
# pinned. quantize (PTQ + QAT), search (TPE; width search with NSGA-II) and prune (the fused
# teacher-student path; LeNet-300-100 on Fashion-MNIST) run here with their metrics checked;
# train, replay, cgp, pretrain-encoder and pretrain-compressor run to success in cli-e2e,
# replay-e2e and cgp-e2e, so here only their ids are pinned (--dry-run).
#
# Why the ids are pinned: a run id is a hash of the kind, its own result-affecting options
# (device included) and the options of the plug-ins the run selected (defaults included;
# src/experiment/run_config.cpp, docs/engine.md). A sweep skips the runs whose id is
# completed in its results.db, and `results merge` matches runs by id. A commit that changes
# the ids (a new option, a changed default, a renamed key, another JSON spelling of a value)
# makes every existing database look empty: sweeps rerun everything, merges duplicate runs.
# Such a change must be deliberate: update the pin below in the same commit and say so.
# Usage: kinds_e2e.sh NNCOMPRESS
set -euo pipefail
source "$(dirname "$0")/../support/e2e.sh"
cd "$(dirname "$0")/../.."  # the source root: the configs below name examples/ relatively
R=$T/r

# pin NAME ID KIND ARGS...: `KIND ARGS... --dry-run` prints run id ID (in $DRY_ID), writes nothing.
pin() {
  local name=$1 want=$2 kind=$3; shift 3
  DRY_ID=$("$NNC" "$kind" "$@" --dry-run --out "$T/none" 2>"$T/err" \
           | sed -n "s/^$kind run \([0-9a-f]*\) (dry run.*/\1/p") || true
  [ "$DRY_ID" = "$want" ] && ok "$name: run id $want" \
    || bad "$name: run id '$DRY_ID', pinned $want (deliberate? see the header) $(head -2 "$T/err")"
  [ ! -e "$T/none" ] || bad "$name: --dry-run wrote $T/none"
}
# run_pinned NAME ID KIND ARGS...: the id pinned, then the run records the dry run's id.
run_pinned() {
  local name=$1 want=$2; shift 2
  pin "$name" "$want" "$@"
  run_nnc "$name" "$@" --threads 1 --out "$R" || return 1
  [ "$RUN_ID" = "$DRY_ID" ] && ok "$name: the run records the dry run's id" \
    || bad "$name: recorded as $RUN_ID, the dry run said $DRY_ID"
}

# --- quantize: 8-bit PTQ of LeNet-5, then one QAT epoch ----------------------------------------
FM=(--limit-train 300 --limit-test 100 --epochs 1)
if run_pinned quantize 01743d83649356c3 quantize --model lenet5 \
     --quant-config examples/quant/lenet5_int8_by_type.toml "${FM[@]}" --qat-epochs 1 --latency-repeats 1; then
  completed_with "quantize: accuracies in [0,1], 8-bit weights a quarter of the float bytes" "$R" "$RUN_ID" \
    "$(m float_accuracy) BETWEEN 0 AND 1 AND $(m ptq_accuracy) BETWEEN 0 AND 1
     AND $(m qat_accuracy) BETWEEN 0 AND 1 AND $(m ptq_average_bitwidth) = 8
     AND $(m ptq_model_size_bytes) * 4 = $(m float_model_size_bytes) AND $(m ptq_bitops) < $(m float_bitops)"
  csv=$R/$(sql "$R" "SELECT json_extract(artifacts,'\$.layers') FROM runs WHERE id='$RUN_ID'")
  head -1 "$csv" | grep -q '^layer,op,format,' && grep -q '^fc2,' "$csv" && ok "quantize: layers.csv" \
    || bad "quantize: layers.csv: $(head -3 "$csv")"
fi

# --- search: mixed-precision PTQ (TPE), then width + bit width (NSGA-II, Pareto front) -----------
SEARCH=(--n-trials 4 --num-samples 100 --latency-repeats 1 --latency-warmup 0)
if run_pinned "search tpe" f240d6ef3e0f647a search --model lenet5 \
     --search-config examples/quant/lenet5_fmnist_search.toml "${FM[@]}" "${SEARCH[@]}"; then
  completed_with "search tpe: 4 trials complete, the best re-measured on the test set" "$R" "$RUN_ID" \
    "$(m n_trials) = 4 AND $(m n_complete) = 4 AND $(m front_size) = 1
     AND $(m best_test_accuracy) BETWEEN 0 AND 1 AND $(m best_eval_accuracy) BETWEEN 0 AND 1
     AND json_array_length(series,'\$.trial_number') = 4 AND json_extract(tags,'\$.sampler') = 'tpe'"
  trials=$R/$(sql "$R" "SELECT json_extract(artifacts,'\$.trials_csv') FROM runs WHERE id='$RUN_ID'")
  [ "$(wc -l <"$trials")" = 5 ] && ok "search tpe: trials.csv has 4 trials" || bad "search tpe: trials.csv: $(cat "$trials")"
fi
if run_pinned "search width nsga2" 95be78707be9f581 search --model lenet300100 \
     --search-config examples/quant/mlp_fmnist_width_search.toml "${FM[@]}" "${SEARCH[@]}" --width-epochs 1; then
  completed_with "search width nsga2: 3 widths trained, a Pareto front re-measured" "$R" "$RUN_ID" \
    "$(m widths_trained) = 3 AND $(m n_complete) = 4 AND $(m front_size) >= 1
     AND COALESCE($(m pareto0_test_accuracy), $(m best_test_accuracy)) BETWEEN 0 AND 1 AND json_extract(tags,'\$.sampler') = 'nsga2'
     AND (SELECT count(*) FROM json_each(runs.artifacts) WHERE key LIKE 'width_%') = 3
     AND json_array_length(series,'\$.trial_bitops') = 4 AND json_array_length(series,'\$.trial_latency') = 4"
  w=$(sql "$R" "SELECT value FROM runs, json_each(runs.artifacts) WHERE runs.id='$RUN_ID' AND key LIKE 'width_%' LIMIT 1")
  [ -s "$R/$w" ] && ok "search width nsga2: a width candidate's weights saved ($w)" || bad "search width nsga2: no width weights: '$w'"
fi
# --metric-formulas: a later option, so the default keeps the pinned id; lab is another run.
pin "quantize, default metric formulas given" 01743d83649356c3 quantize --model lenet5 \
  --quant-config examples/quant/lenet5_int8_by_type.toml "${FM[@]}" --qat-epochs 1 --latency-repeats 1 \
  --metric-formulas nncompress
pin "quantize, lab metric formulas" c59ab3fc848bc970 quantize --model lenet5 \
  --quant-config examples/quant/lenet5_int8_by_type.toml "${FM[@]}" --qat-epochs 1 --latency-repeats 1 \
  --metric-formulas lab

# --- prune: DRR on the teacher-student MLP (fused engine), DRR on LeNet-300-100 -----------------
# (flags, not the examples' files: editing an example must not move these pins)
if run_pinned "prune teacher-student" 4789f3bd48087f91 prune --dataset teacher-student --procedure drr \
     --alpha 0.01 --gauss-loss true --lr 5e-4 --train-batch-size 300 --val-batch-size 0 --min-epochs 50 \
     --max-epochs 100 --finetuning-max-epochs 50 --smoothing-window 10 --prune-window 5 --n-val 200 --n-test 200; then
  completed_with "prune teacher-student: 751 parameters, some pruned, finite losses" "$R" "$RUN_ID" \
    "$(m parameters) = 751 AND $(m teacher_parameters) = 72 AND $(m nonzeros) < $(m parameters)
     AND $(m nonzeros) >= 1 AND abs($(m test_loss)) < 1e6 AND json_extract(tags,'\$.engine') = 'fused-eigen'"
fi
if run_pinned "prune lenet300100" a21794b97c1b07f9 prune --dataset fashion-mnist --model lenet300100 \
     --procedure drr --alpha 1e-4 --limit-train 300 --limit-test 100 --min-epochs 1 --max-epochs 2 \
     --finetuning-min-epochs 1 --finetuning-max-epochs 1 --smoothing-window 1 --prune-window 1 \
     --train-batch-size 128 --val-batch-size 100; then
  completed_with "prune lenet300100: accuracies in [0,1], weights pruned" "$R" "$RUN_ID" \
    "$(m test_accuracy) BETWEEN 0 AND 1 AND $(m val_accuracy) BETWEEN 0 AND 1
     AND $(m parameters) = 266610 AND $(m nonzeros) < $(m parameters)"
fi

# --- the kinds that run to success in other e2e tests: their ids pinned -------------------------
pin train 4417d47ac4dfc4e1 train --dataset blobs --model mlp --epochs 3 --lr 0.01
pin replay 1fbebd9dc4125767 replay --dataset fashion-mnist --compressor quantization --n-states 4 \
  --memory-bytes 100KiB --num-passes 4 --backbone-width 0.125
pin cgp b26d30752e575117 cgp --dataset mnist-digits --model lenet5-classic --experiment layer-bypass \
  --generations 400 --limit-train 600
pin pretrain-encoder 514c5db0875b0f18 pretrain-encoder --dataset mnist-digits --encoder cutr --epochs 1
pin pretrain-compressor ce99ce88119f1359 pretrain-compressor --compressor sparse --atoms 16
# Spellings that are one configuration: one id (aliases and defaults given or not).
pin "replay, seed spelling" 1fbebd9dc4125767 replay --dataset FashionMNIST --compressor quantization \
  --n_states 4 --memory_bytes 100KiB --num_passes 4 --backbone_width 0.125 --compress-test false

e2e_summary kinds-e2e
