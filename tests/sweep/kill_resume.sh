#!/usr/bin/env bash
# Crash safety: start a sweep of 12 quick runs (2 workers on one database), SIGKILL it at
# random moments KILLS times (the whole process group, or only the sweep process, whose
# workers must then die with it), resuming each time; finally let it finish. Every run
# must be recorded exactly once, completed, and the database must pass integrity_check.
# Usage: kill_resume.sh NNCOMPRESS [KILLS=20] [SEED=$RANDOM]
set -uo pipefail
NNC=$1
KILLS=${2:-20}
SEED=${3:-$RANDOM}
RANDOM=$SEED
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL kill-resume (seed $SEED): $*"; tail -20 "$T/sweep.log" 2>/dev/null; exit 1; }
command -v sqlite3 >/dev/null || fail "needs the sqlite3 command (apt-get install sqlite3)"
q() { sqlite3 "$T/out/results.db" "$1"; }

cat > "$T/plan.toml" <<'PLAN'
kind = "train"
[fixed]
dataset = "blobs"
model = "mlp"
epochs = 1
save_weights = false
threads = 1
[grid]
lr = [0.01, 0.02]
seed = [0, 1, 2, 3, 4, 5]
PLAN
echo "kill-resume: $KILLS kills, seed $SEED"
start=$SECONDS
for ((k = 1; k <= KILLS; k++)); do
  setsid "$NNC" sweep "$T/plan.toml" --out "$T/out" --jobs 2 >>"$T/sweep.log" 2>&1 &
  pid=$!
  # Kill points spread over start-up, mid-run, run ends and between runs: 0.00-5.99 s (one
  # run takes ~1-3 s, most of it loading libtorch).
  sleep "$((RANDOM % 6)).$(printf '%02d' $((RANDOM % 100)))"
  if ((k % 4 == 0)); then
    kill -KILL "$pid" 2>/dev/null  # only the sweep: PR_SET_PDEATHSIG must take its workers
  else
    # the whole process group (before setsid has run there is none yet: kill the process)
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  for _ in $(seq 50); do pgrep -g "$pid" >/dev/null || break; sleep 0.1; done
  pgrep -g "$pid" >/dev/null && fail "workers of killed sweep $pid still running after 5 s"
  if [ -f "$T/out/results.db" ]; then
    [ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed after kill $k"
    n=$(q "SELECT count(*) FROM runs WHERE status='completed'")
    echo "kill $k: $n/12 completed"
  else
    echo "kill $k: no database yet"
  fi
done
"$NNC" sweep "$T/plan.toml" --out "$T/out" --jobs 2 >>"$T/sweep.log" 2>&1 || fail "final resume exited with $?"
[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ "$(q 'SELECT count(*) FROM runs')" = 12 ] || fail "expected 12 rows, got $(q 'SELECT count(*) FROM runs')"
[ "$(q 'SELECT count(DISTINCT id) FROM runs')" = 12 ] || fail "duplicate ids"
[ "$(q "SELECT count(*) FROM runs WHERE status='completed'")" = 12 ] || fail "not all completed: $(q 'SELECT id, status, error FROM runs')"
"$NNC" sweep "$T/plan.toml" --out "$T/out" --dry-run 2>/dev/null | grep -q "12 runs: 12 completed, 0 remaining" \
  || fail "dry-run after completion"
"$NNC" sweep "$T/plan.toml" --out "$T/out" 2>&1 | grep -q "12 already completed, 0 completed now" \
  || fail "a finished sweep must not run anything again"
echo "ok   kill-resume: $KILLS kills, 12 runs each recorded once and completed, integrity ok ($((SECONDS - start)) s)"
