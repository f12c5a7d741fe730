#!/usr/bin/env bash
# `nncompress sweep --emit-pbs`, checked without a PBS server: the script a 6-run sweep in 3
# sub-batches gets passes `bash -n`, carries the PBS directives the options ask for (before
# any command, where qsub reads them), and, run once per array index as PBS would run it
# (PBS_ARRAY_INDEX=0..2), covers every run exactly once in its shards, which merge. Also: one
# sub-batch is a plain job; options PBS cannot express are refused with one line.
# Usage: pbs_emit_test.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
cd "$T" || exit 1
{ echo 'kind = "train"'; echo '[fixed]'; echo 'dataset = "blobs"'; echo 'model = "mlp"'
  echo 'epochs = 1'; echo 'save_weights = false'; echo 'threads = 1'; echo '[grid]'
  echo 'lr = [0.01, 0.02, 0.05]'; echo 'seed = [1, 2]'; } > plan.toml

"$NNC" sweep plan.toml --out out --emit-pbs job.pbs --num-sub-batches 3 --partition gpu_q \
  --time 02:00:00 --mem 4G --gres gpu:1 --cpus-per-task 2 --job-name nnc-pbs >emit.out 2>&1 \
  && ok "emit-pbs writes a script" || bad "emit-pbs: $(cat emit.out)"
grep -q "submit:  qsub" emit.out && ok "says how to submit (qsub)" || bad "submit line: $(cat emit.out)"
bash -n job.pbs && ok "bash -n accepts the script" || bad "bash -n: $(bash -n job.pbs 2>&1)"
for d in '#PBS -N nnc-pbs' '#PBS -J 0-2' '#PBS -q gpu_q' '#PBS -l select=1:ncpus=2:mem=4gb:ngpus=1' \
         '#PBS -l walltime=02:00:00' '#PBS -j oe'; do
  grep -qxF -- "$d" job.pbs && ok "directive: $d" || bad "directive missing: $d"; done
first_cmd=$(grep -nvE '^(#|$)' job.pbs | head -1 | cut -d: -f1)
last_pbs=$(grep -n '^#PBS' job.pbs | tail -1 | cut -d: -f1)
[ -n "$first_cmd" ] && [ "$last_pbs" -lt "$first_cmd" ] && ok "every #PBS line precedes the first command" \
  || bad "a #PBS line after a command (line $last_pbs, first command $first_cmd)"
[ -d out/pbs-logs ] && ok "log folder created (qsub does not)" || bad "no out/pbs-logs"
grep -q -- '--threads 2' job.pbs && ok "torch threads = cpus per task / jobs" || bad "threads: $(tail -2 job.pbs)"

# Run as PBS would: one process per array index.
for i in 0 1 2; do
  PBS_ARRAY_INDEX=$i bash job.pbs >"task$i.out" 2>&1 || bad "array index $i: $(tail -3 "task$i.out")"
done
"$NNC" results merge --out merged out/shard-* >/dev/null 2>&1 || bad "merge"
got=$(sqlite3 merged/results.db "SELECT count(*) || ' ' || count(DISTINCT id) FROM runs WHERE status='completed'")
[ "$got" = "6 6" ] && ok "3 array tasks covered the 6 runs exactly once" || bad "merged: $got (expected 6 6)"
bash job.pbs >/dev/null 2>noindex.err; rc=$?
[ $rc -ne 0 ] && grep -q "qsub" noindex.err && ok "outside PBS it refuses to run" || bad "no index (rc $rc): $(cat noindex.err)"

"$NNC" sweep plan.toml --out one --emit-pbs one.pbs >/dev/null 2>&1 && bash -n one.pbs \
  && ! grep -q '^#PBS -J' one.pbs && grep -qx 'SUB=0' one.pbs && ok "one sub-batch: a plain job" \
  || bad "one sub-batch: $(cat one.pbs)"
refused() {  # refused WHAT PATTERN ARGS...
  local what=$1 pattern=$2; shift 2
  "$NNC" sweep plan.toml --out r --emit-pbs r.pbs "$@" >/dev/null 2>err; local rc=$?
  [ $rc -ne 0 ] && [ "$(grep -c '^error' err)" = 1 ] && grep -q -- "$pattern" err && ok "$what refused" \
    || bad "$what (rc $rc): $(cat err)"
}
refused "--max-parallel" "no PBS counterpart" --num-sub-batches 2 --max-parallel 1
refused "--gres other than gpu:K" "only gpu:K" --gres mps:50

e2e_summary pbs-emit
