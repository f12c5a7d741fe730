#!/usr/bin/env bash
# The include layering of the design (one arrow = "may include", never the other way):
#
#   cli -> report -> experiment -> replay | prune | quant | search | cgp -> train -> models, data -> core
#
# Each folder under src/ may include itself and the folders below it; pillars do not include
# each other, except quant -> search (the design: search's samplers are "used by quant").
# core, cgp and search stay free of LibTorch (<torch/...>, <ATen/...>, <c10/...>): core is
# the bottom of everything, and the CGP engine and the samplers build without it (NOTORCH).
#
# Known violations waiting for their fix live in ALLOWED below, one "file -> include" per
# line with the reason; an entry that no longer matches fails too, so it gets removed.
# Usage: check_layering.sh SRC_DIR
set -u
src=${1:?usage: check_layering.sh SRC_DIR}

declare -A may=(
  [core]="core"
  [data]="data core"
  [models]="models core"
  [train]="train models data core"
  [replay]="replay train models data core"
  [prune]="prune train models data core"
  [quant]="quant search train models data core"
  [search]="search train models data core"
  [cgp]="cgp train models data core"
  [experiment]="experiment replay prune quant search cgp train models data core"
  [report]="report experiment replay prune quant search cgp train models data core"
  [cli]="cli report experiment replay prune quant search cgp train models data core"
)
torch_free="core cgp search"

# file (relative to src) -> included folder/file: violations known and owned elsewhere.
ALLOWED=(
)

failures=0
bad() { echo "layering: $*"; failures=$((failures + 1)); }
declare -A seen_allowed=() allowed=()
for entry in "${ALLOWED[@]}"; do allowed[$entry]=1; done

for dir in "${!may[@]}"; do
  [ -d "$src/$dir" ] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}; file=${file#"$src"/}
    [[ $hit =~ include[[:space:]]*[\<\"]([^\>\"]+) ]] || continue
    inc=${BASH_REMATCH[1]}
    top=${inc%%/*}
    [ "$top" = "$inc" ] && continue                  # <cmath>, "x.h": not a project folder
    [ -n "${may[$top]+set}" ] || continue            # <torch/...>, <fmt/...>: checked below
    [[ " ${may[$dir]} " == *" $top "* ]] && continue
    entry="$file -> $inc"
    if [ -n "${allowed[$entry]+set}" ]; then
      seen_allowed[$entry]=1
      continue
    fi
    bad "$entry: $dir/ may include only ${may[$dir]} (cli -> report -> experiment -> pillars -> train -> models, data -> core)"
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][A-Za-z_]+/' "$src/$dir" --include='*.h' --include='*.cpp')
done

for dir in $torch_free; do
  [ -d "$src/$dir" ] || continue
  while IFS= read -r hit; do
    bad "${hit#"$src"/}: $dir/ is built without LibTorch (no <torch/...>, <ATen/...>, <c10/...>)"
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](torch|ATen|c10)/' "$src/$dir" --include='*.h' --include='*.cpp')
done

for entry in "${ALLOWED[@]}"; do
  [ -n "${seen_allowed[$entry]+set}" ] ||
    bad "allowed violation '$entry' no longer occurs: remove it from ALLOWED in $0"
done

if [ "$failures" -gt 0 ]; then
  echo "layering: $failures problem(s)"
  exit 1
fi
echo "layering: ok (${#ALLOWED[@]} known violation(s) allowed)"
