#!/usr/bin/env bash
# Never lose a result, through the real binary: a completed run asked again does nothing; a
# --rerun is a new attempt beside it, and neither a failing one (--device cuda on a CPU-only
# build) nor a SIGKILLed one touches the completed row; a run killed before completing reads
# 'interrupted' and its next attempt completes it; a database of the first schema keeps
# working; read-only commands on a missing database create nothing; merging a database into
# itself is refused at once; two sweeps at once on one folder execute each run exactly once.
# Usage: results_safety_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
command -v sqlite3 >/dev/null || { echo "FAIL needs the sqlite3 command (apt-get install sqlite3)"; exit 1; }
R=$T/r
# The fixture tests/experiment/data/results_v0.db holds this config, completed. SLOW runs
# long enough (~1.5 s) to be killed mid-run.
TRAIN=(train --dataset blobs --model mlp --epochs 1 --threads 1 --save-weights false)
SLOW=(train --dataset blobs --model mlp --epochs 1500 --threads 1 --save-weights false)
row() { sql "$R" "SELECT status, metrics, attempt, started_at, finished_at FROM runs WHERE id='$1'"; }
attempt_status() { sql "$R" "SELECT status FROM attempts WHERE id='$1' AND attempt=$2"; }
# start_and_kill NAME ARGS...: starts `$NNC ARGS... --out $R`, SIGKILLs it once its attempt is
# recorded as running; fails the check when it finished first.
start_and_kill() {
  local name=$1 pid rc; shift
  "$NNC" "$@" --out "$R" >"$T/killed.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    [ "$(sql "$R" "SELECT count(*) FROM attempts WHERE pid=$pid AND status='running'" 2>/dev/null)" = 1 ] && break
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rc=$?
  [ $rc = 137 ] || { bad "$name: not killed mid-run (rc $rc): $(tail -2 "$T/killed.out")"; return 1; }
  KILLED_PID=$pid
}

# --- a completed run asked again: one line, exit 0, nothing written ------------------------
run_nnc "slow run" "${SLOW[@]}" --out "$R" || exit 1
ID=$RUN_ID
before=$(row "$ID")
"$NNC" "${SLOW[@]}" --out "$R" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -qx "run $ID already completed in $R/results.db: nothing to do; --rerun records a new attempt" "$T/out" \
  && [ "$(row "$ID")" = "$before" ] && [ "$(sql "$R" "SELECT count(*) FROM attempts")" = 1 ] \
  && ok "completed run asked again: '$(cat "$T/out")'" || bad "completed run asked again (rc $rc): $(cat "$T/out" "$T/err")"
# Another device is another run (device is part of the id): it never stands in for this one.
CUDA_ID=$("$NNC" "${SLOW[@]}" --device cuda --dry-run | sed -n 's/^train run \([0-9a-f]\{16\}\) .*/\1/p')
[ -n "$CUDA_ID" ] && [ "$CUDA_ID" != "$ID" ] && ok "another device, another run id ($CUDA_ID)" \
  || bad "another device: id '$CUDA_ID' vs $ID"

# --- a failing re-run (an invalid --threads: not part of the id) leaves the completed row ----
"$NNC" "${SLOW[@]}" --threads -1 --rerun --out "$R" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 1 ] && [ "$(row "$ID")" = "$before" ] && [ "$(attempt_status "$ID" 2)" = failed ] \
  && grep -q "attempt 2 recorded as failed in .*; the run's completed result is kept" "$T/err" \
  && ok "failing re-run: attempt 2 failed, completed row intact" \
  || bad "failing re-run (rc $rc): row $(row "$ID") / attempt $(attempt_status "$ID" 2): $(tail -1 "$T/err")"

# --- SIGKILL during a re-run: completed row intact, the attempt reads 'interrupted' ---------
if start_and_kill "killed re-run" "${SLOW[@]}" --rerun; then
  "$NNC" results list --out "$R" --attempts >"$T/out" 2>&1
  [ "$(row "$ID")" = "$before" ] && [ "$(attempt_status "$ID" 3)" = running ] \
    && grep -qE "^$ID #3 +cpu fp32 threads 1 +train +interrupted" "$T/out" \
    && "$NNC" results list --out "$R" | grep -qE "^$ID train +completed" \
    && ok "killed re-run: completed row intact, attempt 3 listed as interrupted" \
    || bad "killed re-run: row $(row "$ID"): $(cat "$T/out")"
fi

# --- a run killed before it ever completed: 'interrupted', then its next attempt completes --
if start_and_kill "killed first run" "${SLOW[@]}" --seed 1; then
  FRESH=$(sql "$R" "SELECT id FROM attempts WHERE pid=$KILLED_PID")
  "$NNC" results list --out "$R" | grep -qE "^$FRESH train +interrupted" \
    && ok "killed first run listed as interrupted" || bad "killed first run: $("$NNC" results list --out "$R" 2>&1)"
  run_nnc "next attempt" "${SLOW[@]}" --seed 1 --out "$R" \
    && [ "$(sql "$R" "SELECT status || ' ' || attempt FROM runs WHERE id='$FRESH'")" = "completed 2" ] \
    && ok "the next attempt completed it (attempt 2)" || bad "next attempt: $(row "$FRESH")"
fi

# --- a database written before attempts existed (and before today's run ids) keeps working ---
# Its attempts table is added when opened; recording into it waits for `results migrate`
# (old and new ids must not mix), which re-keys its runs: its completed run is then
# recognised under today's id, and nothing it held is lost.
mkdir -p "$T/old" && cp "$SRC/tests/experiment/data/results_v0.db" "$T/old/results.db"
"$NNC" "${TRAIN[@]}" --out "$T/old" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "results migrate --out $T/old" "$T/err" \
  && [ "$(sqlite3 "$T/old/results.db" "SELECT count(*) FROM attempts")" = 2 ] \
  && ok "old-id database: recording refused until migrated: $(cat "$T/err")" \
  || bad "old-id database not refused (rc $rc): $(cat "$T/out" "$T/err")"
"$NNC" results migrate --out "$T/old" >"$T/out" 2>"$T/err" \
  && grep -q "2 runs, 2 re-keyed, 0 merged" "$T/out" \
  && ok "results migrate: $(head -1 "$T/out")" || bad "results migrate: $(cat "$T/out" "$T/err")"
"$NNC" "${TRAIN[@]}" --out "$T/old" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q "already completed in" "$T/out" && [ "$(sqlite3 "$T/old/results.db" 'PRAGMA user_version')" = 2 ] \
  && [ "$(sqlite3 "$T/old/results.db" "SELECT count(*) FROM attempts")" = 2 ] \
  && [ "$(sqlite3 "$T/old/results.db" 'PRAGMA integrity_check')" = ok ] \
  && ok "first-schema database migrated, its completed run recognised under today's id" \
  || bad "first-schema database (rc $rc): $(cat "$T/out" "$T/err")"
"$NNC" results migrate --out "$T/old" | grep -q "nothing to do" \
  && ok "results migrate twice: nothing to do" || bad "second migrate"

# --- read-only commands on a missing database: one error line, nothing created ---------------
for cmd in "results list --out $T/typo" "results export --out $T/typo" "report $T/typo"; do
  read -r -a argv <<<"$cmd"
  "$NNC" "${argv[@]}" >/dev/null 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^error: .*no results database at '$T/typo/results.db'" "$T/err" \
    && [ ! -e "$T/typo" ] && ok "${argv[0]} ${argv[1]} on a missing database: $(cat "$T/err")" \
    || bad "${argv[*]} (rc $rc): $(cat "$T/err"); $(ls -d "$T/typo" 2>/dev/null)"
done

# --- merging a database into itself under another name: refused at once ---------------------
ln -s "$R" "$T/link"
for same in "$R/../$(basename "$R")/results.db" "$T/link" "$T/link/results.db"; do
  start=$SECONDS
  "$NNC" results merge --out "$R" "$same" >/dev/null 2>"$T/err"; rc=$?
  [ $rc = 2 ] && grep -q "^error: cannot merge .* it is the same database file" "$T/err" && ((SECONDS - start < 5)) \
    && ok "merge into itself as $same refused" || bad "merge into itself as $same (rc $rc, $((SECONDS - start)) s): $(cat "$T/err")"
done

# --- two sweeps at once on one folder: one runs, the other names it; each run once -----------
{ echo 'kind = "train"'; echo '[fixed]'; echo 'dataset = "blobs"'; echo 'model = "mlp"'; echo 'epochs = 1'
  echo 'save_weights = false'; echo 'threads = 1'; echo '[grid]'; echo 'seed = [0, 1, 2, 3]'; } >"$T/plan.toml"
S=$T/s
"$NNC" sweep "$T/plan.toml" --out "$S" --jobs 2 >/dev/null 2>"$T/s1.err" & p1=$!
"$NNC" sweep "$T/plan.toml" --out "$S" --jobs 2 >/dev/null 2>"$T/s2.err" & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
if [ $r1 = 0 ]; then winner=$p1; loser_err=$T/s2.err; rl=$r2; else winner=$p2; loser_err=$T/s1.err; rl=$r1; fi
[ "$rl" = 2 ] && grep -q "^error: another sweep (pid $winner) is running in '$S' (it holds $S/sweep.lock)" "$loser_err" \
  && ok "second sweep refused, naming pid $winner" || bad "two sweeps (rc $r1/$r2): $(cat "$T/s1.err" "$T/s2.err" | grep -v '^\[')"
headers=$(cat "$S"/logs/*.log | grep -c '^=== ')
[ "$(sql "$S" "SELECT count(*) FROM runs WHERE status='completed'")" = 4 ] \
  && [ "$(sql "$S" "SELECT count(*) FROM attempts")" = 4 ] && [ "$headers" = 4 ] \
  && [ "$(sql "$S" 'PRAGMA integrity_check')" = ok ] \
  && ok "two sweeps at once: 4 runs, each executed once (4 attempts, 4 log headers), integrity ok" \
  || bad "two sweeps at once: $headers log headers, $(sql "$S" "SELECT id, attempt, status FROM attempts")"
"$NNC" sweep "$T/plan.toml" --out "$S" 2>&1 | grep -q "4 already completed, 0 completed now" \
  && ok "the lock is released: a later sweep runs, finding nothing to do" || bad "sweep after the lock"

e2e_summary results-safety-e2e
