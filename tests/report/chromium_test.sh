#!/usr/bin/env bash
# End-to-end test of `nncompress report`: fake runs -> report -> the HTML page loaded in
# headless Chromium (Debian's `chromium`); checks that every chart was drawn with the
# expected number of traces, and keeps a screenshot and the PNGs in ARTIFACTS.
# Usage: chromium_test.sh NNCOMPRESS REPORT_FIXTURE ARTIFACTS_DIR
# Exit 77 (skipped) when Chromium is missing and cannot be installed; under NNC_CI=1
# (.ci/run, root: it can always install Chromium) that is a failure instead.
set -uo pipefail
NNC=$1; FIXTURE=$2; ART=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$ART"
fails=0; passes=0
ok()  { passes=$((passes+1)); echo "ok   $1"; }
bad() { fails=$((fails+1)); echo "FAIL $1"; }

find_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || true; }
CHROME=$(find_chromium)
if [ -z "$CHROME" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "[report-chromium] installing Debian's chromium (apt-get; this takes a while)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
       --no-install-recommends chromium) >"$T/apt.log" 2>&1 || tail -5 "$T/apt.log"
    CHROME=$(find_chromium)
  fi
  if [ -z "$CHROME" ]; then
    echo "SKIP: no chromium and it could not be installed (apt-get install chromium as root)"
    [ "${NNC_CI:-0}" = 1 ] && { echo "FAIL: NNC_CI=1 and report-chromium must run in CI"; exit 1; }
    exit 77
  fi
fi

# 1. Fake runs and the report.
"$FIXTURE" "$T/results" >/dev/null || { echo "FAIL fixture"; exit 1; }
if "$NNC" report "$T/results" --out "$T/site/report.html" >"$T/out" 2>"$T/err"; then
  ok "nncompress report"
else
  bad "nncompress report: $(cat "$T/err")"; exit 1
fi
grep -q "^html: *$T/site/report.html" "$T/out" && ok "prints the HTML path" || bad "prints the HTML path: $(cat "$T/out")"
for f in report.html runs.json replay_all_runs.csv prune_runs.csv replay_cifar10_pareto.csv \
         replay_cifar10_best_per_budget.csv replay-cifar10-mib.gp replay-cifar10-mib.dat; do
  [ -s "$T/site/$f" ] && ok "wrote $f" || bad "missing $f"
done
if command -v gnuplot >/dev/null; then
  n=$(ls "$T/site"/*.png 2>/dev/null | wc -l)
  [ "$n" -eq 19 ] && ok "19 PNG charts from gnuplot" || bad "expected 19 PNGs, got $n: $(cat "$T/err")"
  cp "$T/site"/*.png "$ART"/ 2>/dev/null
else
  grep -q "gnuplot not found" "$T/err" && ok "says how to render without gnuplot" || bad "no gnuplot note"
fi
if grep -qiE '<script[^>]*src=["'"'"']?(https?:)?//' "$T/site/report.html"; then
  bad "the page loads a script from the network"
else
  ok "no external scripts"
fi

# 2. Load the page in headless Chromium: the DOM after the scripts ran.
CHROME_FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$T/profile"
  --run-all-compositor-stages-before-draw --virtual-time-budget=20000)
timeout 180 "$CHROME" "${CHROME_FLAGS[@]}" --dump-dom "file://$T/site/report.html" >"$T/dom.html" 2>"$T/chrome.err"
if grep -q 'data-plots-done="19"' "$T/dom.html"; then ok "all 19 charts drawn"
else bad "charts not drawn: $(grep -o 'data-plots-done="[^"]*"' "$T/dom.html") $(tail -3 "$T/chrome.err")"; fi

# traces ID EXPECTED: plotly's trace count and the trace groups drawn in the SVG.
traces() {
  local div
  div=$(grep -o "<div[^>]*id=\"$1\"[^>]*>" "$T/dom.html" | head -1)
  local got rendered
  got=$(echo "$div" | grep -o 'data-traces="[0-9]*"' | grep -o '[0-9]*')
  rendered=$(echo "$div" | grep -o 'data-rendered="[0-9]*"' | grep -o '[0-9]*')
  if [ "${got:-x}" = "$2" ] && [ "${rendered:-x}" = "$2" ]; then ok "$1: $2 traces drawn"
  else bad "$1: expected $2 traces, got data-traces=${got:-none} data-rendered=${rendered:-none}"; fi
}
traces replay-cifar10-mib 12     # 5 + 5 lines + "published" in each encoder panel
traces replay-cifar10-slots 10
traces replay-cifar10-pareto 3   # all runs, the front, published
traces prune-accuracy 3          # rl1, drr, pmmp
traces quantize-sq01-front 2
traces quantize-sq01-metrics 3  # accuracy, average_bitwidth, latency_ms
traces sample-efficiency-search-0 2  # brute-force, tpe (median of 2 seeds)
traces cgp-error 2
traces cgp-sensitivity-lenet5-classic 3  # RMS 50, 15, 0

# 3. A screenshot of the page top: the replay charts down to the Pareto view.
timeout 180 "$CHROME" "${CHROME_FLAGS[@]}" --window-size=1400,2300 \
  --screenshot="$ART/report.png" "file://$T/site/report.html" >/dev/null 2>&1
[ -s "$ART/report.png" ] && ok "screenshot $ART/report.png" || bad "no screenshot"
cp "$T/site/report.html" "$ART/report.html"

echo "report-chromium: $passes passed, $fails failed"
[ $fails -eq 0 ]
