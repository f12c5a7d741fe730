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
