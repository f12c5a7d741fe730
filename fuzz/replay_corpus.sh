#!/usr/bin/env bash
# replay_corpus.sh FUZZER DIR...: runs FUZZER once on every file under the DIRs (seed corpus,
# checked-in crash inputs). Fails when any input crashes or trips a sanitizer.
set -euo pipefail
fuzzer=$1; shift
files=()
for d in "$@"; do
  [ -d "$d" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name 'README*' -print0 | sort -z)
done
if [ ${#files[@]} -eq 0 ]; then echo "no inputs in $*"; exit 0; fi
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
