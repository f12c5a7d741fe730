#!/usr/bin/env bash
# replay_corpus.sh FUZZER CORPUS [DIR...]: runs FUZZER once on every file under CORPUS (the
# seed corpus) and the DIRs (checked-in crash inputs, optional). Fails when any input
# crashes or trips a sanitizer, and when CORPUS holds no input: a replay of nothing passes
# without testing anything (a renamed or emptied corpus folder must not look green).
set -euo pipefail
fuzzer=$1; shift
corpus=${1:?usage: replay_corpus.sh FUZZER CORPUS [DIR...]}
if [ -z "$(find "$corpus" -type f ! -name 'README*' -print -quit 2>/dev/null)" ]; then
  echo "FAIL: no seed inputs in $corpus"
  exit 1
fi
files=()
for d in "$@"; do
  [ -d "$d" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name 'README*' -print0 | sort -z)
done
# *.input.gz: a checked-in input too large to keep as it is; replayed decompressed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in "${!files[@]}"; do
  f=${files[$i]}
  if [[ "$f" == *.input.gz ]]; then
    out="$tmp/$i-$(basename "${f%.input.gz}")"
    gzip -dc "$f" >"$out"
    files[$i]=$out
  fi
done
# -runs is ignored for file arguments: each file runs exactly once.
"$fuzzer" -rss_limit_mb=2048 -timeout=30 "${files[@]}"
