#!/usr/bin/env bash
# run_bad_inputs.sh NNCOMPRESS NNC_PARSE_CHECK [NAME_REGEX]
# Runs every case of cases.tsv (malformed inputs under inputs/) and checks that each
#  - exits with a code in 1..123 (not 0, not a signal, not the timeout's 124),
#  - finishes within 60 s under `ulimit -v` 4 GiB (no hang, no unbounded allocation),
#  - prints exactly one "error:" line on stderr, as its last line, containing the expected
#    text (and no sanitizer report), at most 4200 bytes long and without raw control
#    characters (a value echoed into it is shown truncated and escaped),
#  - leaves its input untouched and writes nothing outside its scratch folder.
set -uo pipefail
NNC=$1
CHECK=$2
FILTER=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
TIMEOUT=${NNC_BAD_INPUT_TIMEOUT:-60}
VMEM_KB=${NNC_BAD_INPUT_VMEM_KB:-4194304}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
marker="$T/marker"
touch "$marker"
sleep 1  # mtime granularity: anything written after this is newer than the marker

passes=0; fails=0; failed=()
ok()  { passes=$((passes+1)); echo "ok   $1"; }
bad() { fails=$((fails+1)); failed+=("$1"); echo "FAIL $1: $2"; }

while IFS=$'\t' read -r name input expected command; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -n "$FILTER" && ! "$name" =~ $FILTER ]] && continue
  c="$T/cases/$name"
  mkdir -p "$c/cwd" "$c/home" "$c/tmp" "$c/in"
  inpath=""
  if [ "$input" != "-" ]; then
    src_in="$HERE/inputs/$input"
    if [ ! -e "$src_in" ]; then bad "$name" "missing input inputs/$input"; continue; fi
    cp -R "$src_in" "$c/in/"
    inpath="$c/in/$(basename "${input%.input.gz}")"
    # *.input.gz: an input too large to check in as it is, used decompressed.
    while IFS= read -r -d '' gz; do
      gzip -dc "$gz" >"${gz%.input.gz}" && rm "$gz"
    done < <(find "$c/in" -name '*.input.gz' -print0)
    (cd "$c/in" && find . -type f -exec md5sum {} + | sort) >"$c/in.md5"
  fi
  cmd=${command//\{nnc\}/$NNC}
  cmd=${cmd//\{check\}/$CHECK}
  cmd=${cmd//\{in\}/$inpath}
  cmd=${cmd//\{out\}/$c/out}
  read -r -a argv <<<"$cmd"
  start=$EPOCHREALTIME
  (
    cd "$c/cwd" || exit 99
    ulimit -v "$VMEM_KB"
    HOME="$c/home" TMPDIR="$c/tmp" exec timeout -k 5 "$TIMEOUT" "${argv[@]}"
  ) >"$c/stdout" 2>"$c/stderr"
  rc=$?
  secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  last=$(grep -v '^[[:space:]]*$' "$c/stderr" | tail -1)
  nerr=$(grep -c '^error:' "$c/stderr")
  why=""
  if [ $rc -eq 0 ]; then why="exit code 0 (the input was accepted)"
  elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then why="timed out after ${TIMEOUT}s (hang?)"
  elif [ $rc -ge 124 ]; then why="exit code $rc (killed by a signal or crashed)"
  elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|terminate called|std::bad_alloc' "$c/stderr"; then
    why="crash or sanitizer report"
  elif [ "$nerr" -ne 1 ]; then why="$nerr 'error:' lines, expected exactly one"
  elif [[ "$last" != error:* ]]; then why="the error is not one line (last stderr line: '$last')"
  elif ! grep -qF -- "$expected" <<<"$last"; then why="message lacks '$expected'"
  elif [ "$(printf %s "$last" | wc -c)" -gt 4200 ]; then why="the error line is over 4200 bytes long"
  elif LC_ALL=C grep -q '[[:cntrl:]]' <<<"$last"; then why="raw control characters in the error line"
  elif [ -n "$inpath" ] && ! diff -q "$c/in.md5" <(cd "$c/in" && find . -type f -exec md5sum {} + | sort) >/dev/null; then
    why="the input was modified or files were added next to it"
  elif [ -n "$(find "$c/cwd" "$c/home" -mindepth 1 -print -quit)" ]; then
    why="wrote into its working or home folder: $(find "$c/cwd" "$c/home" -mindepth 1 | head -3 | tr '\n' ' ')"
  fi
  if [ -z "$why" ]; then ok "$name (${secs}s, exit $rc)"
  else bad "$name" "$why"; echo "     stderr: $(tail -c 600 "$c/stderr" | tr '\n' '|')"; fi
done <"$HERE/cases.tsv"

# Nothing may appear in the source tree's data, results or input folders.
written=$(find "$SRC/data" "$SRC/results" "$SRC/tests/bad_inputs" -newer "$marker" 2>/dev/null | head -5)
if [ -n "$written" ]; then bad "no writes outside the scratch folder" "$written"; fi

echo "bad-inputs: $passes passed, $fails failed${failed:+ (${failed[*]})}"
[ $fails -eq 0 ] && [ $passes -gt 0 ]
