#!/usr/bin/env bash
# Sweeps end to end: dry run, emitted commands, plan errors, a diverging run recorded as
# failed while the sweep goes on, SIGINT finishing the current run, sub-batches merged
# without duplicates, an unusable output directory. A check that cannot run here (root
# without mount) is reported: the test ends "Skipped" (77), a failure under NNC_CI=1.
# Usage: sweep_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
cleanup() {
  mountpoint -q "$T/full" 2>/dev/null && umount "$T/full"
  mountpoint -q "$T/ro" 2>/dev/null && umount "$T/ro"
  rm -rf "$T"
}
trap cleanup EXIT
q() { sqlite3 "$1/results.db" "$2"; }

plan() {  # plan FILE GRID-LINES...
  local f=$1; shift
  { echo 'kind = "train"'; echo '[fixed]'; echo 'dataset = "blobs"'; echo 'model = "mlp"'
    echo 'epochs = 1'; echo 'save_weights = false'; echo 'threads = 1'; echo '[grid]'
    printf '%s\n' "$@"; } > "$f"
}

# --- dry run, counts, emitted commands -------------------------------------------------
plan "$T/p4.toml" 'seed = [0, 1]' 'lr = [0.01, 0.02]'
"$NNC" sweep "$T/p4.toml" --out "$T/a" --dry-run >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && [ "$(grep -cE '^[0-9a-f]{16}  pending' "$T/out")" = 4 ] && grep -q "4 runs: 0 completed, 4 remaining" "$T/out" \
  && head -1 "$T/out" | grep -q "id  *status  *lr  *seed" && ok "dry-run lists 4 runs" || bad "dry-run: $(cat "$T/out" "$T/err")"
[ ! -e "$T/a" ] && ok "dry-run writes nothing" || bad "dry-run created $T/a"
"$NNC" sweep "$T/p4.toml" --out "$T/a" --emit-commands "$T/cmds.sh" >/dev/null 2>&1
[ "$(grep -c ' train .*--out=' "$T/cmds.sh")" = 4 ] && ok "emit-commands: 4 lines" || bad "emit-commands: $(cat "$T/cmds.sh")"
sed -n 3p "$T/cmds.sh" | sh >/dev/null 2>&1 && [ "$(q "$T/a" "SELECT count(*) FROM runs WHERE status='completed'")" = 1 ] \
  && ok "an emitted line runs as is" || bad "emitted line"
"$NNC" sweep "$T/p4.toml" --out "$T/a" --dry-run 2>/dev/null | grep -q "4 runs: 1 completed, 3 remaining" \
  && ok "the emitted run has the sweep's id" || bad "ids of emitted commands differ"
printf 'kind = "train"\n[grid]\nepoks = [1, 2]\n' > "$T/bad.toml"
"$NNC" sweep "$T/bad.toml" --dry-run >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "bad.toml: \[grid\]: unknown option 'epoks' for 'train' (did you mean 'epochs'?)" "$T/err" \
  && ok "unknown plan key: $(cat "$T/err")" || bad "unknown plan key (rc $rc): $(cat "$T/err")"
printf 'kind = "trian"\n' > "$T/bad2.toml"
"$NNC" sweep "$T/bad2.toml" --dry-run >/dev/null 2>"$T/err"
grep -q "unknown experiment kind 'trian': expected one of.*train" "$T/err" && ok "unknown kind" || bad "unknown kind: $(cat "$T/err")"

# --- a diverging run fails, is recorded with its reason, the others complete ------------
plan "$T/nan.toml" 'lr = [0.01, 1e10, 0.02]' 'optimizer = ["sgd"]'
"$NNC" sweep "$T/nan.toml" --out "$T/nan" --jobs 2 >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && [ "$(q "$T/nan" "SELECT count(*) FROM runs WHERE status='completed'")" = 2 ] \
  && [ "$(q "$T/nan" "SELECT count(*) FROM runs WHERE status='failed' AND error LIKE '%diverged%'")" = 1 ] \
  && grep -q "1 run(s) failed" "$T/err" \
  && ok "diverging run recorded as failed, sweep went on, exit 1" || bad "diverging run (rc $rc): $(tail -5 "$T/err")"

# --- SIGINT: the running run finishes, nothing is left half done, resume completes -------
plan "$T/int.toml" 'seed = [0, 1, 2]'
"$NNC" sweep "$T/int.toml" --out "$T/int" --jobs 1 >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 600); do [ -n "$(ls "$T/int/logs" 2>/dev/null)" ] && break; sleep 0.1; done
kill -INT "$pid"; wait "$pid"; rc=$?
running=$(q "$T/int" "SELECT count(*) FROM runs WHERE status<>'completed'")
done_=$(q "$T/int" "SELECT count(*) FROM runs WHERE status='completed'")
[ $rc -eq 130 ] && [ "$running" = 0 ] && [ "$done_" -ge 1 ] && grep -qE "interrupted: [0-9]+ runs remaining; re-run to resume" "$T/err" \
  && ok "SIGINT: current run finished ($done_ completed), exit 130" || bad "SIGINT (rc $rc, $running not completed): $(tail -3 "$T/err")"
"$NNC" sweep "$T/int.toml" --out "$T/int" >/dev/null 2>&1 && [ "$(q "$T/int" "SELECT count(*) FROM runs WHERE status='completed'")" = 3 ] \
  && ok "resume after SIGINT" || bad "resume after SIGINT"

# --- sub-batches: disjoint shards, merged once each ---------------------------------------
plan "$T/sh.toml" 'seed = [0, 1, 2, 3, 4]'
for i in 0 1 2; do "$NNC" sweep "$T/sh.toml" --out "$T/sh/shard-$i" --num-sub-batches 3 --sub-batch $i >/dev/null 2>&1 || bad "shard $i"; done
total=0; for i in 0 1 2; do total=$((total + $(q "$T/sh/shard-$i" "SELECT count(*) FROM runs"))); done
"$NNC" results merge --out "$T/sh/all" "$T"/sh/shard-* >/dev/null
"$NNC" results merge --out "$T/sh/all" "$T"/sh/shard-* >/dev/null  # again: no duplicates
[ $total = 5 ] && [ "$(q "$T/sh/all" "SELECT count(DISTINCT id) || '/' || count(*) FROM runs WHERE status='completed'")" = 5/5 ] \
  && ok "3 sub-batches: 5 runs, each once after merging twice" || bad "sub-batches: total $total"
"$NNC" sweep "$T/sh.toml" --num-sub-batches 3 --sub-batch 3 --dry-run >/dev/null 2>"$T/err"
grep -q "0-based" "$T/err" && ok "sub-batch out of range" || bad "sub-batch out of range: $(cat "$T/err")"

# --- unusable output directories: one clear line, nothing lost ----------------------------
touch "$T/afile"
"$NNC" sweep "$T/p4.toml" --out "$T/afile/out" >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < "$T/err")" -le 2 ] && grep -q "^error: cannot create output directory" "$T/err" \
  && ok "output under a file: $(grep error: "$T/err")" || bad "output under a file (rc $rc): $(cat "$T/err")"
before=$(q "$T/a" "SELECT count(*) FROM runs")
if [ "$(id -u)" != 0 ]; then
  chmod a-w "$T/a"
  "$NNC" sweep "$T/p4.toml" --out "$T/a" >/dev/null 2>"$T/err"; rc=$?
  chmod u+w "$T/a"
  [ $rc -ne 0 ] && grep -q "^error:" "$T/err" && [ "$(q "$T/a" "SELECT count(*) FROM runs")" = "$before" ] \
    && ok "read-only output: $(grep error: "$T/err" | head -1)" || bad "read-only output (rc $rc): $(cat "$T/err")"
elif mkdir -p "$T/ro" && mount --bind "$T/a" "$T/ro" 2>/dev/null && mount -o remount,bind,ro "$T/ro" 2>/dev/null; then
  "$NNC" sweep "$T/p4.toml" --out "$T/ro" >/dev/null 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "^error:" "$T/err" && [ "$(q "$T/a" "SELECT count(*) FROM runs")" = "$before" ] \
    && ok "read-only output: $(grep error: "$T/err" | head -1)" || bad "read-only output (rc $rc): $(cat "$T/err")"
else
  skip "read-only output: running as root and mount is not permitted here"
fi
if [ "$(id -u)" = 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=2m tmpfs "$T/full" 2>/dev/null; then
  # One run recorded, then the disk fills up: a clear error, and the recorded run stays.
  sed -n 3p "$T/cmds.sh" | sed "s|--out=[^ ]*|--out=$T/full/out|" | sh >/dev/null 2>&1 || bad "full disk: first run"
  dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null
  "$NNC" sweep "$T/p4.toml" --out "$T/full/out" >/dev/null 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && grep -qi "^error:.*full" "$T/err" && ok "full disk: $(grep error: "$T/err" | head -1)" \
    || bad "full disk (rc $rc): $(tail -3 "$T/err")"
  rm -f "$T/full/filler"
  [ "$(q "$T/full/out" "PRAGMA integrity_check")" = ok ] \
    && [ "$(q "$T/full/out" "SELECT count(*) FROM runs WHERE status='completed'")" -ge 1 ] \
    && ok "full disk: database intact, the recorded run kept" || bad "full disk: database after the error"
  "$NNC" sweep "$T/p4.toml" --out "$T/full/out" >/dev/null 2>"$T/err" \
    && [ "$(q "$T/full/out" "SELECT count(*) FROM runs WHERE status='completed'")" = 4 ] \
    && ok "full disk: resumed once space was freed" || bad "full disk resume: $(tail -3 "$T/err")"
else
  skip "full disk: mounting a small tmpfs is not permitted here"
fi

e2e_summary sweep-e2e
