#!/usr/bin/env bash
# `results import`: the originals' result files become runs of the matching kind.
#   - round trips: a replay run's checkpoint.log, a prune run's runs.csv and a cgp run's
#     statistics CSV, written by nncompress, imported into another folder give the metrics the
#     run recorded (checkpoint.log holds accuracies to 3 decimals);
#   - a FETCH log (tests/cli/data/fetch_logs: the original's Namespace with options nncompress
#     does not have, None values, a Test line per pass) imports as a completed replay run;
#   - importing twice adds nothing; an unknown file is one error line naming it.
# Usage: import_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
DATA=$(cd "$(dirname "$0")/data" && pwd)
R=$T/r I=$T/imported

metric() { sql "$1" "SELECT printf('%.${4:-6}f', $(m "$3")) FROM runs WHERE $2"; }

# --- round trips through nncompress's own runs -----------------------------------------------
run_nnc "replay" replay --dataset fashion-mnist --compressor quantization --n-states 4 --memory-bytes 100KiB \
  --num-passes 1 --backbone-width 0.125 --limit-train 2000 --limit-test 500 --log-dir "$T/logs" --exp-name rt \
  --out "$R" && REPLAY=$RUN_ID || REPLAY=
run_nnc "prune" prune --dataset teacher-student --procedure drr --alpha 0.01 --min-epochs 2 --max-epochs 4 \
  --finetuning-min-epochs 1 --finetuning-max-epochs 2 --n-val 200 --n-test 200 --out "$R" && PRUNE=$RUN_ID || PRUNE=
run_nnc "cgp" cgp --dataset mnist-digits --model lenet5-classic --experiment layer-bypass --generations 200 \
  --limit-train 300 --stats-file "$T/cgp_stats.csv" --out "$R" && CGP=$RUN_ID || CGP=

"$NNC" results import --out "$I" "$T/logs/rt/checkpoint.log" "$R/runs.csv" "$T/cgp_stats.csv" >"$T/out" 2>"$T/err" \
  && grep -q "^imported 3 of 3 runs" "$T/out" && ok "3 runs imported: $(tail -1 "$T/out")" \
  || bad "import (rc $?): $(cat "$T/out" "$T/err")"
if [ -n "$REPLAY" ]; then
  want=$(metric "$R" "id='$REPLAY'" final_accuracy 3); got=$(metric "$I" "kind='replay'" final_accuracy 3)
  [ -n "$want" ] && [ "$want" = "$got" ] && [ "$(sql "$I" "SELECT json_extract(config,'\$.compressor') || json_extract(config,'\$.n_states') FROM runs WHERE kind='replay'")" = quantization4 ] \
    && ok "replay round trip: final accuracy $got, compressor and n_states as run" \
    || bad "replay round trip: run $want, imported $got"
fi
if [ -n "$PRUNE" ]; then
  for k in test_loss val_loss nonzeros compression_ratio; do
    want=$(metric "$R" "id='$PRUNE'" $k); got=$(metric "$I" "kind='prune'" $k)
    [ -n "$want" ] && [ "$want" = "$got" ] && ok "prune round trip: $k $got" || bad "prune round trip: $k run $want, imported $got"
  done
  [ "$(sql "$I" "SELECT json_extract(config,'\$.procedure') || json_extract(config,'\$.alpha') FROM runs WHERE kind='prune'")" = drr0.01 ] \
    && ok "prune round trip: procedure and alpha from the row" || bad "prune options: $(sql "$I" "SELECT config FROM runs WHERE kind='prune'")"
fi
if [ -n "$CGP" ]; then
  for k in error energy gate_count; do
    want=$(metric "$R" "id='$CGP'" $k); got=$(metric "$I" "kind='cgp'" $k)
    [ -n "$want" ] && [ "$want" = "$got" ] && ok "cgp round trip: $k $got" || bad "cgp round trip: $k run $want, imported $got"
  done
fi
"$NNC" results import --out "$I" "$T/logs/rt/checkpoint.log" "$R/runs.csv" "$T/cgp_stats.csv" >"$T/out" 2>&1 \
  && grep -q "^imported 0 of 3 runs" "$T/out" && ok "importing again adds nothing" || bad "import twice: $(cat "$T/out")"

# --- a FETCH log folder ------------------------------------------------------------------------
"$NNC" results import --out "$T/fetch" "$DATA/fetch_logs" >"$T/out" 2>"$T/err" \
  && [ "$(sql "$T/fetch" "SELECT status || ' ' || printf('%.3f', $(m final_accuracy)) || ' ' || printf('%.3f', $(m best_test_accuracy)) || ' ' || json_extract(config,'\$.dataset') || ' ' || json_extract(config,'\$.epochs') FROM runs")" = "completed 0.341 0.356 cifar10 2" ] \
  && sql "$T/fetch" "SELECT tags FROM runs" | grep -q '"original_options":"regularization=cutmix workers=2 clip=None"' \
  && ok "FETCH log: completed, final 0.341, best 0.356, CIFAR10 -> cifar10, unknown options kept aside" \
  || bad "FETCH log: $(cat "$T/err") $(sql "$T/fetch" "SELECT status, metrics, config, tags FROM runs")"
[ "$(sql "$T/fetch" "SELECT json_extract(tags,'\$.encoder_display') || ' ' || json_extract(tags,'\$.compressor_line') || ' ' || json_extract(tags,'\$.compressor_parameter') FROM runs")" = "no encoding thinning 0.9" ] \
  && ok "FETCH log: report tags from its options (no encoding, thinning 0.9)" \
  || bad "FETCH log tags: $(sql "$T/fetch" "SELECT tags FROM runs")"
"$NNC" report "$T/fetch" >/dev/null 2>"$T/err" && ok "report over imported runs" || bad "report: $(cat "$T/err")"

# --- bad input ---------------------------------------------------------------------------------
echo "not a result file" >"$T/x.log"
expect_error "unknown file: one line naming it" "^error: import: '$T/x.log' is none of the formats" \
  "$NNC" results import --out "$T/bad" "$T/x.log"
e2e_summary import-e2e
