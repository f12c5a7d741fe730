#!/usr/bin/env bash
# Every command README.md shows, run as a user would, from a scratch folder that looks like the
# source tree (examples/, scripts/, data/ and third_party/ linked in; what the commands write
# stays in the scratch folder). The commands are read from README's ```sh blocks, so a README
# command that stops working fails CI. Rules, per command:
#   make run / make test      not run here: `.ci/run` runs `make test` itself and `make run` is the
#                             main job (hours of CPU for a test); said, not counted as passes;
#   $B <kind> ... (trains)    run for real with tiny data appended: --limit-train 400 (replay:
#                             3000, so the budgets shown do not hold the whole stream)
#                             --limit-test 200 and one epoch (a repeated flag takes its last value);
#   lines that need what CI has no way to have: a GPU (device=cuda), CIFAR (dataset cifar10/100
#                             without a --data-dir), or a whole sweep of hours: --dry-run appended
#                             (options, values and named files checked, nothing run);
#   torchvision_to_safetensors.py without --state-dict downloads ImageNet weights: run with
#                             --random-init (same layout, no internet); the .pth a --state-dict
#                             line names is made first from a randomly initialised torchvision model;
#   PYTHONPATH=build/python   the build under test's Python module (examples/python with --quick);
#   everything else           run exactly as written.
# Usage: readme_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
NNC=$(cd "$(dirname "$NNC")" && pwd)/$(basename "$NNC")
BUILD=$(cd "$(dirname "$NNC")/../.." && pwd)  # <build>/src/cli/nncompress
PY=/usr/bin/python3

W=$T/w && mkdir -p "$W/data"
for d in examples scripts tests third_party src docs; do ln -s "$SRC/$d" "$W/$d"; done
for e in "$SRC"/data/*; do ln -s "$e" "$W/data/$(basename "$e")"; done
cd "$W"

# The README's ```sh blocks (not ```python ones), one command per line (backslash continuations joined,
# trailing comments dropped).
mapfile -t lines < <(awk '/^```sh/{ inb = 1; next } /^```/{ inb = 0; next } inb' "$SRC/README.md" \
  | sed -e ':a' -e '/\\$/N; s/\\\n *//; ta' | sed -e 's/[[:space:]]\{1,\}#.*$//' -e '/^#/d' -e '/^[[:space:]]*$/d')
[ "${#lines[@]}" -ge 25 ] && ok "${#lines[@]} commands found in README.md" || bad "only ${#lines[@]} commands in README.md"

TINY=(--limit-train 400 --limit-test 200)
# adapted LINE: the command as this test runs it (see the header), in the array CMD.
adapt() {
  local line=$1
  read -r -a CMD <<<"$line"
  # PYTHONPATH=build/python ...: the Python module of the build under test; example scripts
  # with --quick (small data, one pass).
  if [[ "${CMD[0]}" == PYTHONPATH=build/python ]]; then
    CMD=(env "PYTHONPATH=$BUILD/python" "${CMD[@]:1}")
    [[ "$line" == *examples/python/* ]] && CMD+=(--quick)
    return
  fi
  if [[ "$line" == *scripts/build_wheel.py\ build* ]]; then CMD=("$PY" "$SRC/scripts/build_wheel.py" "$BUILD"); return; fi
  local kind=${CMD[1]:-}
  if [ "${CMD[0]}" = "$PY" ] && [[ "$line" == *torchvision_to_safetensors.py* ]]; then
    [[ "$line" == *--state-dict* ]] || CMD+=(--random-init --seed 0)
    return
  fi
  [ "${CMD[0]}" = '$B' ] || return 0
  CMD[0]=$NNC
  [[ " $line " == *" --dry-run "* || " $line " == *" --plan-only "* || "$line" == *--emit-slurm* ]] && return
  if [[ "$line" == *device=cuda* || ( "$line" =~ --dataset\ cifar(10|100) && "$line" != *--data-dir* ) \
        || "$line" == *seed_fashion_cifar_layout.toml* ]]; then
    CMD+=(--dry-run); return
  fi
  case "$kind" in
    # replay: enough samples that the README's budgets do not hold the whole stream
    replay) CMD+=(--limit-train 3000 --limit-test 200 --epochs 1) ;;
    train|quantize|search|cgp|pretrain-encoder) CMD+=("${TINY[@]}" --epochs 1) ;;
    prune) CMD+=("${TINY[@]}" --min-epochs 1 --max-epochs 2 --finetuning-min-epochs 1 --finetuning-max-epochs 2) ;;
    pretrain-compressor) CMD+=("${TINY[@]}") ;;
  esac
}

# The .pth file a --state-dict line converts (torchvision's layout, random weights: no download).
$PY -c "import torch, torchvision; torch.save(torchvision.models.resnet34().state_dict(), 'resnet34-b627a593.pth')" \
  || bad "could not write a torchvision resnet34 state dict"

for line in "${lines[@]}"; do
  case "$line" in
    "make run"*|"make test"*) echo "note $line: not run here (.ci/run runs make test; make run is the main job)"; continue ;;
    B=*) continue ;;
  esac
  adapt "$line"
  rc=0
  start=$SECONDS
  "${CMD[@]}" >"$T/out" 2>"$T/err" || rc=$?
  [ $rc -eq 0 ] && ok "$line ($((SECONDS - start)) s)" \
    || bad "$line (rc=$rc; ran: ${CMD[*]}): $(tail -3 "$T/err")"
done
e2e_summary readme-e2e
