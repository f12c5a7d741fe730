#!/usr/bin/env bash
# ctest fixture of test-replay-torchvision: runs torchvision_reference.py OUT_DIR with the
# first Python that can import torchvision ($NNC_PYTHON, python3 on PATH, Debian's
# /usr/bin/python3: a pyenv or venv python3 on PATH often lacks Debian's python3-torch).
# Without one it writes OUT_DIR/SKIPPED with the reason, which the test reports as a skip
# (a failure under NNC_CI=1).
set -euo pipefail
OUT=${1:?usage: torchvision_reference.sh OUT_DIR}
rm -rf "$OUT"
mkdir -p "$OUT"
for py in "${NNC_PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 || continue
  if "$py" -c 'import torchvision' 2>/dev/null; then
    echo "torchvision_reference: using $py" >&2
    exec "$py" "$(dirname "$0")/torchvision_reference.py" "$OUT"
  fi
done
echo "no Python with torchvision (tried \$NNC_PYTHON, python3, /usr/bin/python3): install python3-torchvision (scripts/setup.sh does)" | tee "$OUT/SKIPPED" >&2
# Under NNC_CI=1 (.ci/run) setup.sh has installed python3-torchvision: a skip would hide a
# broken check, so the fixture fails (and test-replay-torchvision with it).
if [ "${NNC_CI:-0}" = 1 ]; then echo "FAIL: NNC_CI=1 and the torchvision reference must run in CI" >&2; exit 1; fi
