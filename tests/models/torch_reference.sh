#!/usr/bin/env bash
# ctest models-torch-reference: nncompress writes GDumb's ResNet-18 (whole and every SplitR
# cut) and LeNet-5 with random weights as safetensors, with its outputs on a fixed batch
# (models-reference-writer); torch_reference.py reads them with its own safetensors reader
# into independent PyTorch definitions and compares parameter counts and outputs.
# Python: the first of $NNC_PYTHON, python3 on PATH, Debian's /usr/bin/python3 that imports
# torch (a pyenv or venv python3 on PATH often lacks Debian's python3-torch).
# Exit 77 (ctest: skipped) without such a Python, except under NNC_CI=1, where setup.sh has
# installed python3-torch and a skip would hide a broken check: there it fails.
# Usage: torch_reference.sh WRITER OUT_DIR
set -euo pipefail
WRITER=${1:?usage: torch_reference.sh WRITER OUT_DIR}
OUT=${2:?usage: torch_reference.sh WRITER OUT_DIR}
PY=""
for py in "${NNC_PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 || continue
  if "$py" -c 'import torch' 2>/dev/null; then PY=$py; break; fi
done
if [ -z "$PY" ]; then
  echo "SKIP models-torch-reference: no Python with torch (tried \$NNC_PYTHON, python3, /usr/bin/python3); install python3-torch (scripts/setup.sh does)"
  [ "${NNC_CI:-0}" = 1 ] && { echo "FAIL: NNC_CI=1 and this check must run in CI"; exit 1; }
  exit 77
fi
rm -rf "$OUT"
mkdir -p "$OUT"
"$WRITER" "$OUT"
echo "models-torch-reference: using $PY"
"$PY" "$(dirname "$0")/torch_reference.py" "$OUT" && rc=0 || rc=$?
rm -rf "$OUT"  # ~60 MB of weights
exit $rc
