#!/usr/bin/env bash
# AddressSanitizer + UBSan check of the parsers, data readers, models and torch-free code:
#   0. installs clang 14 and its runtimes when missing (apt-get, like setup.sh),
#   1. configures a clang build with -DNNC_SANITIZE=ON -DNNC_FUZZ=ON (no benchmarks),
#   2. builds only the fuzz targets and a named subset of test executables,
#   3. runs that subset with ctest (plus each fuzzer replaying its seed corpus and
#      checked-in crash inputs),
#   4. fuzzes every target for SECONDS_PER_TARGET seconds on a scratch copy of its corpus.
# Exits non-zero on any failure and names the failing test or target.
#
# usage: scripts/sanitize_ci.sh [BUILD_DIR=build-asan] [SECONDS_PER_TARGET=20]
# env:   NNC_CMAKE_ARGS (extra cmake options, as for setup.sh), NNC_SANITIZE_JOBS (build and
#        fuzzing jobs, default nproc), NNC_FUZZ_ONLY="idx jsc" (subset of fuzz targets),
#        NNC_FUZZ_ARTIFACTS (where crash inputs go, default BUILD_DIR/fuzz-artifacts)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
BUILD_DIR=$(realpath -m "${1:-build-asan}")
SECONDS_PER_TARGET=${2:-20}
JOBS=${NNC_SANITIZE_JOBS:-$(nproc)}

FUZZERS=(idx cifar mnist_json jsc safetensors run_config sweep_plan quant_config search_toml
         cgp_genome cgp_costs cgp_dataset)
[ -n "${NNC_FUZZ_ONLY:-}" ] && read -r -a FUZZERS <<<"$NNC_FUZZ_ONLY"
# Tests that cover the parsers (data readers, safetensors, configs, plans, CGP text) and the
# torch-free libraries (core, experiment store and sweeps, search, cgp, report). The pillars
# that link all of LibTorch's training code (train, replay, prune, quant) and the nncompress
# binary are left out: they double the build (see fuzz/README.md).
TESTS=(test-core test-data-idx test-data-cifar test-data-mnist-json test-data-jsc
       test-data-split test-data-synthetic test-data-loader test-models test-experiment
       test-experiment-sweep test-search test-cgp test-report)

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Leak checking stays on: LibTorch (not instrumented) reports no leaks, so no suppressions.
# UBSan's vptr check stays on too (no false reports on LibTorch's polymorphic types).
export ASAN_OPTIONS=detect_leaks=1
export OMP_WAIT_POLICY=PASSIVE

step() { echo; echo "== $* ($(date +%T))"; }

step "install what is missing: clang 14, its sanitizer/libFuzzer runtimes, llvm-symbolizer"
scripts/install_missing.sh clang-14 libclang-rt-14-dev llvm-14
# Readable stack traces in sanitizer reports.
[ -x /usr/bin/llvm-symbolizer-14 ] && export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14

step "configure $BUILD_DIR (clang 14, ASan + UBSan, libFuzzer)"
CC=clang-14 CXX=clang++-14 cmake -G Ninja -S "$SRC" -B "$BUILD_DIR" \
  -DNNC_SANITIZE=ON -DNNC_FUZZ=ON -DNNC_BUILD_BENCH=OFF -DNNC_BUILD_TESTS=ON -DNNC_PYTHON=OFF ${NNC_CMAKE_ARGS:-} >/dev/null

step "build ${#FUZZERS[@]} fuzzers + ${#TESTS[@]} test executables"
targets=("${TESTS[@]}")
for f in "${FUZZERS[@]}"; do targets+=("fuzz_$f"); done
ninja -C "$BUILD_DIR" -j "$JOBS" "${targets[@]}"

failed=()
step "ctest: the test subset and the corpus replays under ASan + UBSan"
regex="^($(IFS='|'; echo "${TESTS[*]}"))\$"
fuzz_regex="^fuzz-($(IFS='|'; echo "${FUZZERS[*]}"))\$"
if ! (cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 900 \
        -R "$regex|$fuzz_regex"); then
  failed+=("ctest (see the failing tests above)")
fi

step "fuzzing each target for ${SECONDS_PER_TARGET}s, $JOBS at a time"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=${NNC_FUZZ_ARTIFACTS:-$BUILD_DIR/fuzz-artifacts}
mkdir -p "$artifacts"
# One target: fuzzes a scratch copy of its corpus; writes "ok ..." or "FAIL ..." to $work/$f.result.
fuzz_one() {
  local f=$1 corpus="$work/corpus-$1" log="$work/$1.log" dict=()
  mkdir -p "$corpus"
  cp "$SRC/tests/fuzz/corpus/$f/"* "$corpus/" 2>/dev/null || true
  case $f in
    run_config|sweep_plan|quant_config|search_toml) dict=(-dict="$SRC/fuzz/dicts/toml.dict") ;;
    mnist_json|safetensors) dict=(-dict="$SRC/fuzz/dicts/json.dict") ;;
    cgp_genome) dict=(-dict="$SRC/fuzz/dicts/cgp_genome.dict") ;;
  esac
  if (cd "$work" && "$BUILD_DIR/fuzz/fuzz_$f" -max_total_time="$SECONDS_PER_TARGET" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$artifacts/$f-" "$corpus" >"$log" 2>&1); then
    local runs
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "ok   fuzz_$f: $runs runs in ${SECONDS_PER_TARGET}s, corpus $(ls "$corpus" | wc -l) inputs" >"$work/$f.result"
  else
    { echo "FAIL fuzz_$f (crash input under $artifacts/):"
      grep -E "ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==" "$log" | head -20 || tail -30 "$log"
    } >"$work/$f.result"
  fi
}
running=0
for f in "${FUZZERS[@]}"; do
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
  fuzz_one "$f" &
  running=$((running + 1))
done
wait || true
for f in "${FUZZERS[@]}"; do
  if [ -f "$work/$f.result" ]; then cat "$work/$f.result"; else echo "FAIL fuzz_$f: no result"; fi
  grep -q '^ok ' "$work/$f.result" 2>/dev/null || failed+=("fuzz_$f")
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "sanitize_ci: FAILED: ${failed[*]}"
  exit 1
fi
echo "sanitize_ci: all passed"
