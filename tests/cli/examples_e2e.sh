#!/usr/bin/env bash
# Every TOML file under examples/ (found by a glob: a new example is checked without editing
# this file) parsed and checked by the real binary, nothing run:
#   sweep plans (a top-level `kind`): `sweep --dry-run` lists at least one run, and the first
#     emitted command line parses back (`<kind> ... --dry-run`) to an id of that list;
#   examples/quant/: `quantize --quant-config` ([passes.quantize]) and `search --search-config`
#     ([search.*]) with --dry-run, which parses and validates the file;
#   examples/<kind>/: `<kind> --config FILE --dry-run`.
# A file that fits no rule fails: add a rule here when adding a new kind of example. The
# example paths the documentation names must exist.
# Usage: examples_e2e.sh NNCOMPRESS
set -euo pipefail
source "$(dirname "$0")/../support/e2e.sh"
cd "$(dirname "$0")/../.."  # the source root: examples name data files relatively

# dry_run NAME KIND ARGS...: `KIND ARGS... --dry-run` exits 0 and prints the run id.
dry_run() {
  local name=$1 kind=$2 rc=0; shift 2
  "$NNC" "$kind" "$@" --dry-run >"$T/out" 2>"$T/err" || rc=$?
  [ $rc -eq 0 ] && grep -qE "^$kind run [0-9a-f]{16} \(dry run" "$T/out" && ok "$name" \
    || bad "$name (rc=$rc): $(head -3 "$T/err")"
}

# plan FILE: a sweep plan; its listing, and its first emitted command parsed back.
plan() {
  local f=$1 rc=0 n first id
  "$NNC" sweep "$f" --dry-run --emit-commands "$T/cmds.sh" --out "$T/s" >"$T/list" 2>"$T/err" || rc=$?
  n=$(sed -n 's/^\([0-9]*\) runs: 0 completed, \1 remaining.*/\1/p' "$T/list")
  if [ $rc -ne 0 ] || [ -z "$n" ] || [ "$n" -lt 1 ]; then
    bad "$f: sweep --dry-run (rc=$rc): $(head -3 "$T/err") $(tail -1 "$T/list")"; return 0
  fi
  ok "$f: sweep --dry-run lists $n runs"
  first=$(grep -m1 -- "--out=" "$T/cmds.sh" 2>/dev/null || true)
  id=$(eval "$first --dry-run" 2>"$T/err" | sed -n 's/^[a-z-]* run \([0-9a-f]\{16\}\) (dry run.*/\1/p') || true
  [ -n "$id" ] && grep -q "^$id  pending" "$T/list" \
    && ok "$f: an emitted command parses back to a listed run ($id)" \
    || bad "$f: emitted command '$first' -> '$id': $(head -3 "$T/err")"
  [ ! -e "$T/s" ] || bad "$f: a dry run wrote $T/s"
}

# quant FILE: a MASE-format file, for quantize, search or both.
quant() {
  local f=$1 used=0
  if grep -q '^\[passes\.quantize\]' "$f"; then dry_run "$f: quantize --quant-config" quantize --quant-config "$f"; used=1; fi
  if grep -q '^\[search\.' "$f"; then dry_run "$f: search --search-config" search --search-config "$f"; used=1; fi
  [ $used = 1 ] || bad "$f: neither [passes.quantize] nor [search.*]: no rule to check it"
}

mapfile -t files < <(find examples -name '*.toml' | sort)
[ "${#files[@]}" -ge 20 ] && ok "${#files[@]} example files found" || bad "only ${#files[@]} example files found"
kinds=" $("$NNC" --help | sed -n 's/^  \([a-z-]*\)  .*/\1/p' | tr '\n' ' ')"
for f in "${files[@]}"; do
  dir=$(basename "$(dirname "$f")")
  if grep -qE '^kind *=' "$f"; then plan "$f"
  elif [ "$dir" = quant ]; then quant "$f"
  elif [[ "$kinds" == *" $dir "* ]]; then dry_run "$f: $dir --config" "$dir" --config "$f"
  else bad "$f: no rule (not a sweep plan, not under examples/<kind>/ or examples/quant/)"; fi
done

# --dry-run checks option VALUES as a run's start would (registry names, ranges, budgets),
# for single runs and for every run of a plan.
expect_error "dry run: jpeg_quality out of range" "^error: compressor 'jpeg': jpeg_quality must be in 1..100, got 0" \
  "$NNC" replay --compressor jpeg --jpeg-quality 0 --memory-bytes 1MiB --dry-run
expect_error "dry run: a budget that does not parse" "memory_bytes: unknown unit 'XB'" "$NNC" replay --memory-bytes 10XB --dry-run
expect_error "dry run: a pruner's own option" "option 'initial_p_value': must be in \\[0, 1\\]" \
  "$NNC" prune --procedure pmmp --initial-p-value -3 --dry-run
expect_error "dry run: an unknown model" "option 'model': unknown model 'lenet6'" "$NNC" train --model lenet6 --dry-run
printf 'kind = "replay"\n[fixed]\nmemory_bytes = "1MiB"\ncompressor = "jpeg"\n[grid]\njpeg_quality = [50, 0]\n' >"$T/bad_plan.toml"
expect_error "sweep --dry-run: a plan with one bad run is refused, naming it" "bad_plan.toml: run [0-9a-f]{16}: compressor 'jpeg': jpeg_quality" \
  "$NNC" sweep "$T/bad_plan.toml" --dry-run

# Every example file the documentation names exists (README.md, docs/, src/**/README.md, the examples).
missing=""
for f in $(grep -rhoE "examples/[A-Za-z0-9_./-]+\.toml" README.md docs src examples --include='*.md' --include='*.toml' | sort -u); do
  [ -e "$f" ] || missing+=" $f"
done
[ -z "$missing" ] && ok "the example files named in the documentation exist" || bad "named but missing:$missing"

# The check has teeth: a misspelt compressor in a plan and a bad quant file are refused.
printf 'kind = "replay"\n[fixed]\ncompressor = "quantize"\n' >"$T/typo.toml"
expect_error "a plan naming an unknown compressor is refused" "'quantize' is not one of .*quantization" \
  "$NNC" sweep "$T/typo.toml" --dry-run --out "$T/s"
printf '[passes.quantize]\nby = "type"\n[passes.quantize.linear.config]\nname = "integer"\nweight_width = 40\n' >"$T/q.toml"
expect_error "quantize --dry-run parses the quant config" "width 40 out of range" \
  "$NNC" quantize --quant-config "$T/q.toml" --dry-run

e2e_summary examples-e2e
