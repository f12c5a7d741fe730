#!/usr/bin/env bash
# Runs the whole test suite with ctest (labels: unit, slow, e2e, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
export OMP_WAIT_POLICY=PASSIVE
cd "$BUILD_DIR"
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
status=0
ctest --output-on-failure -j "$(nproc)" --timeout 900 ${NNC_CTEST_ARGS:-} 2>&1 | tee "$LOG" || status=$?
# A skipped test shows as "Skipped" (SKIP_RETURN_CODE / SKIP_REGULAR_EXPRESSION), never as a
# pass; CI's machine can run every test, so there a skip fails the suite.
if [ "${NNC_CI:-0}" = 1 ] && grep -q "The following tests did not run" "$LOG"; then
  echo "run_tests: NNC_CI=1 and ctest skipped the tests listed above; CI runs them all" >&2
  status=1
fi
[ "$status" -eq 0 ] || exit "$status"
# LibTorch 2.x (the CUDA line) cannot be linked here; every unit must still compile against it.
cd - >/dev/null
scripts/check_libtorch2.sh "$BUILD_DIR"
