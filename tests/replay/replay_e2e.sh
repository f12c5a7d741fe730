#!/usr/bin/env bash
# `nncompress replay` to success on tiny data: Fashion-MNIST, 200 stream samples, 100 test
# images (tiny_data), one pass, GDumb ResNet-18 at width x0.125. Every compressor of the
# registry, on raw images and on CutR(3) features, in slot mode (--memory-size) and in byte mode
# (--memory-bytes); the stream and per-task protocols; compress_test. Each run: exit 0, a
# completed row in results.db with sane metrics (accuracies in [0,1], bytes used within the
# budget), checkpoint.log in the seeds' format. What a representation cannot take (JPEG of
# features, a slot count for variable-size JPEG items) is refused with one line, no crash.
# Compressors that learn (fcae, convae, sparse, pq) are fitted by pretrain-compressor on 300
# MNIST digits and loaded with --compressor-weights; the in-run fit on the transfer dataset
# and its cache are exercised by raw quantization with the transfer strategy.
# Usage: replay_e2e.sh NNCOMPRESS
set -euo pipefail
source "$(dirname "$0")/../support/e2e.sh"
tiny_data
R=$T/r  # one results directory: the compressor cache is shared by the runs
TINY=(--data-dir "$FASHION" --limit-train 200 --limit-test 100 --num-passes 1 --backbone-width 0.125
      --out "$R")
# Slot-mode runs on one thread (faster at this size), byte-mode runs on the default (all
# cores): a JPEG memory crashed oneDNN only with more than one thread (the backbone's input
# had channels-last strides), so both settings are exercised.
ONE=(--threads 1)
SLOTS=50
# The registry's names (the option's choices, listed when a value is refused): a compressor
# added to the registry fails here until this test covers it.
COMPRESSORS=$("$NNC" replay --compressor '?' --dry-run 2>&1 | sed -n "s/.*'?' is not one of //p" || true)
[ "$COMPRESSORS" = "convae, fcae, half, jpeg, none, pq, quantization, resize, sparse, thinning" ] \
  && ok "the registry holds the 10 compressors tested here" || bad "compressors in the registry: '$COMPRESSORS'"

# copts ENCODER COMPRESSOR: the compressor's options (the same for pretrain-compressor and replay).
copts() {
  case $1/$2 in
    none/quantization) echo --strategy transfer --n-states 4 ;;  # fitted in the run, then cached
    */quantization) echo --strategy local --n-states 4 ;;
    */thinning) echo --compression-factor 0.75 ;;
    */fcae) echo --bottleneck-neurons 8 --pretrain-epochs 1 ;;
    */convae) echo --latent-channels 1 --pretrain-epochs 1 ;;
    */sparse) echo --atoms 16 --nonzeros 4 --pretrain-epochs 1 ;;
    none/pq) echo --pq-subvectors 1 --pq-bits 4 ;;  # raw pixels have one channel
    */pq) echo --pq-subvectors 16 --pq-bits 4 ;;
    */resize) echo --resize-factor 2 --resize-bits 4 ;;
    *) ;;
  esac
}
needs_fit() { case $1 in fcae|convae|sparse|pq) return 0 ;; *) return 1 ;; esac; }

# The CutR encoder, trained for one epoch on 64 MNIST digits (another dataset, as the seeds do).
if run_nnc "pretrain-encoder" pretrain-encoder --dataset mnist-digits --encoder cutr --epochs 1 \
     --limit-train 64 --limit-test 32 --threads 1 --save-to "$T/cutr.safetensors" --out "$T/pre"; then
  completed_with "pretrain-encoder: completed, test accuracy in [0,1]" "$T/pre" "$RUN_ID" \
    "$(m test_accuracy) BETWEEN 0 AND 1 AND json_extract(artifacts,'\$.weights') IS NOT NULL"
  [ -s "$T/cutr.safetensors" ] && ok "pretrain-encoder --save-to" || bad "pretrain-encoder: no --save-to file"
fi

# encoder_args ENCODER: an encoder's options (none = raw images, cutr = CutR(3)).
encoder_args() {
  if [ "$1" = cutr ]; then echo --encoder cutr --encoding-block 3 --encoder-weights "$T/cutr.safetensors"
  else echo --encoder none; fi
}

# pretrain ENCODER COMPRESSOR: fits the compressor on 300 MNIST digits -> $T/ENCODER-COMPRESSOR.st
pretrain() {
  local f=$T/$1-$2.safetensors
  # shellcheck disable=SC2046
  if run_nnc "pretrain-compressor $1/$2" pretrain-compressor --limit-train 300 --threads 1 \
       --compressor "$2" $(encoder_args "$1") $(copts "$1" "$2") --save-to "$f" --out "$T/pre"; then
    completed_with "pretrain-compressor $1/$2: completed" "$T/pre" "$RUN_ID" \
      "$(m fixed_bytes) > 0 AND json_extract(artifacts,'\$.weights') IS NOT NULL"
    [ -s "$f" ] && ok "pretrain-compressor $1/$2 --save-to" || bad "pretrain-compressor $1/$2: no $f"
  fi
}

# check_log NAME ID ENCODER COMPRESSOR SLOTS TRAININGS: checkpoint.log in the seeds' format:
# the Namespace line (encoder, compressor, memory_size), per training (one pass) a "Starting
# pass"/"Train:[0]" pair and a "Test: [0]" line with accuracies in [0,1], then "Training
# completed! Acc: [final_accuracy]".
check_log() {
  local name=$1 id=$2 enc=$3 comp=$4 slots=$5 n=$6
  local log=$R/$(sql "$R" "SELECT json_extract(artifacts,'\$.checkpoint_log') FROM runs WHERE id='$id'")
  local acc=$(printf '%.3f' "$(sql "$R" "SELECT $(m final_accuracy) FROM runs WHERE id='$id'")")
  local pre='^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8},[0-9]{3}\] INFO:utils:==> ' a='(0\.[0-9]{3}|1\.000)'
  if [ -f "$log" ] && [ "$(wc -l <"$log")" = $((3 * n + 2)) ] \
     && head -1 "$log" | grep -qE "${pre}Opts for this training: Namespace\(.*memory_size=$slots, .*encoder='$enc'.*compressor='$comp'" \
     && [ "$(grep -cE "${pre}Starting pass number: 0, Learning rate: " "$log")" = "$n" ] \
     && [ "$(grep -cP "${pre}Train:\[0\]\tTime:[0-9.]+\tData:[0-9.]+\tLoss:[0-9.]+\t$" "$log")" = "$n" ] \
     && [ "$(grep -cP "${pre}Test: \[0\]\tTime:[0-9.]+\tLoss:[0-9.]+\tAcc:$a\tTask Acc:$a\t$" "$log")" = "$n" ] \
     && tail -1 "$log" | grep -qE "${pre}Training completed! Acc: \[$acc\]$"; then
    ok "$name: checkpoint.log"
  else
    bad "$name: checkpoint.log ($log): $(head -c 300 "$log" 2>/dev/null) ... $(tail -2 "$log" 2>/dev/null)"
  fi
}

# Conditions every completed replay row meets, and those of each memory mode.
SANE="$(m final_accuracy) BETWEEN 0 AND 1 AND $(m final_task_accuracy) BETWEEN 0 AND 1
      AND $(m average_accuracy) BETWEEN 0 AND 1 AND $(m memory_items) >= 1
      AND $(m compressed_items) >= $(m memory_items)"
# Fixed-size items: used = fixed + items x item, and the items fit the slots.
FIXED_SIZE="$(m item_bytes) > 0 AND $(m memory_items) <= $(m memory_slots)
      AND $(m memory_used_bytes) = $(m fixed_bytes) + $(m memory_items) * $(m item_bytes)"

# replay_pair ENCODER COMPRESSOR: slot mode (50 slots), then byte mode with a budget of the
# fixed cost + 40.5 items (taken from the slot run's row): exactly 40 slots, used <= budget.
replay_pair() {
  local enc=$1 comp=$2 name="replay $1/$2" budget
  local -a args
  read -ra args <<<"$(encoder_args "$enc") --compressor $comp $(copts "$enc" "$comp")"
  [ "$enc" = cutr ] && args+=(--backbone-block 3)
  needs_fit "$comp" && args+=(--compressor-weights "$T/$enc-$comp.safetensors")
  run_nnc "$name slots" replay "${TINY[@]}" "${ONE[@]}" "${args[@]}" --memory-size $SLOTS || return 0
  local id=$RUN_ID
  cp "$T/err" "$T/slots.err"
  completed_with "$name slots: completed, sane metrics" "$R" "$id" \
    "$SANE AND $FIXED_SIZE AND $(m memory_slots) = $SLOTS AND $(m memory_budget_bytes) = 0
     AND json_extract(tags,'\$.encoder') = '$( [ "$enc" = cutr ] && echo cutr3 || echo none)'
     AND json_extract(config,'\$.compressor') = '$comp'"
  check_log "$name slots" "$id" "$enc" "$comp" $SLOTS 1
  budget=$(sql "$R" "SELECT CAST($(m fixed_bytes) + 40.5 * $(m item_bytes) AS INTEGER) FROM runs WHERE id='$id'")
  run_nnc "$name bytes" replay "${TINY[@]}" "${args[@]}" --memory-bytes "${budget}B" || return 0
  completed_with "$name bytes ($budget B): 40 slots, used <= budget" "$R" "$RUN_ID" \
    "$SANE AND $FIXED_SIZE AND $(m memory_slots) = 40 AND $(m memory_budget_bytes) = $budget
     AND $(m memory_used_bytes) <= $budget"
  check_log "$name bytes" "$RUN_ID" "$enc" "$comp" 40 1
  # A state fitted in the slot run (same compressor options) comes from the cache here.
  if grep -q '^\[replay\] fitting compressor' "$T/slots.err"; then
    FITTED_IN_RUN=$((FITTED_IN_RUN + 1))
    grep -q '^\[replay\] compressor state from cache' "$T/err" && ok "$name bytes: fitted state from the cache" \
      || bad "$name bytes: the fitted state was not reused: $(grep '^\[replay\]' "$T/err" | head -3)"
  fi
}
FITTED_IN_RUN=0

# --- raw images: every compressor ---------------------------------------------------------
for comp in fcae convae sparse pq; do pretrain none "$comp"; done
for comp in none thinning quantization fcae convae sparse resize pq half; do replay_pair none "$comp"; done
[ $FITTED_IN_RUN = 1 ] && ok "one compressor (quantization transfer) fitted in the run on the transfer dataset" \
  || bad "$FITTED_IN_RUN compressors fitted in the run, expected 1 (quantization transfer)"
# JPEG: variable-size items, so byte mode only (the byte-mode stream), stream and per-task.
expect_error "replay none/jpeg refuses a slot count" "variable-size items: give the budget in bytes" \
  "$NNC" replay "${TINY[@]}" "${ONE[@]}" --compressor jpeg --memory-size $SLOTS
BYTE_MODE="$(m item_bytes) = 0 AND $(m memory_slots) = 0 AND $(m memory_budget_bytes) = 20480
      AND $(m memory_used_bytes) <= 20480 AND $(m fixed_bytes) > 0"
if run_nnc "replay none/jpeg bytes" replay "${TINY[@]}" --compressor jpeg --memory-bytes 20KiB; then
  completed_with "replay none/jpeg bytes: used <= 20 KiB" "$R" "$RUN_ID" "$SANE AND $BYTE_MODE"
  check_log "replay none/jpeg bytes" "$RUN_ID" none jpeg 0 1
fi
if run_nnc "replay none/jpeg per-task" replay "${TINY[@]}" --compressor jpeg --memory-bytes 20KiB --protocol per-task; then
  completed_with "replay none/jpeg per-task: 5 trainings, accuracy after each task" "$R" "$RUN_ID" \
    "$SANE AND $BYTE_MODE AND json_array_length(series,'\$.task_accuracy') = 5
     AND $(m accuracy_after_task_1) BETWEEN 0 AND 1 AND $(m accuracy_after_task_5) = $(m final_accuracy)"
  check_log "replay none/jpeg per-task" "$RUN_ID" none jpeg 0 5
fi

# --- per-task in slot mode; compress_test ---------------------------------------------------
# (--jpeg-quality is another compressor's option: a note says it does nothing here)
if run_nnc "replay none/resize per-task" replay "${TINY[@]}" "${ONE[@]}" --compressor resize --memory-size $SLOTS --protocol per-task --jpeg-quality 30; then
  grep -q "^note: option 'jpeg_quality' has no effect: it applies to compressor jpeg only, and the compressor is resize$" "$T/err" \
    && ok "another compressor's option is named as having no effect" || bad "no note on --jpeg-quality: $(head -3 "$T/err")"
  completed_with "replay none/resize per-task: 5 trainings" "$R" "$RUN_ID" \
    "$SANE AND $FIXED_SIZE AND json_array_length(series,'\$.task_accuracy') = 5
     AND $(m accuracy_after_task_5) = $(m final_accuracy)"
  check_log "replay none/resize per-task" "$RUN_ID" none resize $SLOTS 5
fi
# The test images through JPEG too (decoded in the evaluation's batches).
if run_nnc "replay none/jpeg compress_test" replay "${TINY[@]}" --compressor jpeg --memory-bytes 20KiB --compress-test true; then
  completed_with "replay none/jpeg compress_test: completed" "$R" "$RUN_ID" \
    "$SANE AND $BYTE_MODE AND json_extract(config,'\$.compress_test') = 1"
  check_log "replay none/jpeg compress_test" "$RUN_ID" none jpeg 0 1
fi

# --- CutR(3) features: every compressor that takes features, refusals for the others -------
for comp in fcae sparse pq; do pretrain cutr "$comp"; done
for comp in none thinning quantization fcae sparse resize pq half; do replay_pair cutr "$comp"; done
read -ra CUTR <<<"$(encoder_args cutr) --backbone-block 3"
expect_error "replay cutr/convae refused (raw images only)" "'convae' works on raw images only" \
  "$NNC" replay "${TINY[@]}" "${ONE[@]}" "${CUTR[@]}" --compressor convae --memory-size $SLOTS
expect_error "replay cutr/jpeg refused (raw images only)" "JPEG codes raw uint8 images only" \
  "$NNC" replay "${TINY[@]}" "${ONE[@]}" "${CUTR[@]}" --compressor jpeg --memory-bytes 20KiB

# --- report tags: what the plug-ins say about themselves, from their own options ------------
# A run records its encoder panel and compressor line; a run recorded without them (an older
# nncompress) is shown by name only with a note, until `results migrate` adds them again.
db() { sqlite3 "$R/results.db" "$1"; }
TAGS="json_extract(tags,'\$.encoder_line') || '|' || json_extract(tags,'\$.encoder_display') || '|' ||
      json_extract(tags,'\$.encoder_order') || '|' || json_extract(tags,'\$.compressor_line') || '|' ||
      json_extract(tags,'\$.compressor_display') || '|' || json_extract(tags,'\$.compressor_parameter') || '|' ||
      json_extract(tags,'\$.compressor_order')"
ID=$(db "SELECT id FROM runs WHERE status='completed' AND json_extract(config,'\$.encoder')='cutr'
         AND json_extract(config,'\$.compressor')='quantization' LIMIT 1")
BEFORE=$(db "SELECT $TAGS FROM runs WHERE id='$ID'")
[ "$BEFORE" = "cutr|CutR18(3)|1|quantization local|Quantization (local)|4|2" ] \
  && ok "report tags recorded from the plug-ins' options: $BEFORE" || bad "report tags of $ID: '$BEFORE'"
db "UPDATE runs SET tags = json_remove(tags, '\$.encoder_line', '\$.encoder_display', '\$.encoder_order',
      '\$.compressor_line', '\$.compressor_display', '\$.compressor_parameter', '\$.compressor_order')
    WHERE id='$ID'"
"$NNC" report "$R" --out "$T/rep/report.html" --no-images >/dev/null 2>"$T/err" \
  && grep -q "carry no report tags" "$T/rep/report.html" \
  && ok "report: a run without report tags is named in a note" || bad "report note: $(cat "$T/err")"
"$NNC" results migrate --out "$R" >"$T/out" 2>"$T/err" && grep -q "1 runs gained report tags" "$T/out" \
  && [ "$(db "SELECT $TAGS FROM runs WHERE id='$ID'")" = "$BEFORE" ] \
  && ok "results migrate gives the run its report tags back" || bad "migrate tags: $(cat "$T/out" "$T/err")"
"$NNC" results migrate --out "$R" | grep -q "nothing to do" \
  && ok "results migrate again: nothing to do" || bad "second migrate"

e2e_summary replay-e2e
