#!/usr/bin/env bash
# Never lose a result: a write that fails is an error, never "wrote N runs" with exit 0, and
# never a truncated file under the real name; resources stay bounded.
#  - exports to a full device (/dev/full: --file and standard output);
#  - a disk that fills mid-write (a 64 KiB tmpfs; needs root and mount, else SKIPPED): an
#    export (the old file kept), weights (--save-to), checkpoint.log and a report each fail
#    with the file's name and "No space left on device", leaving no partial file;
#  - --threads 100000 is capped with a note (it used to spawn threads until killed);
#  - a 1.5 MB .gz IDX file that inflates to 1.4 GiB, read with --limit-train 300, under a
#    2 GiB address-space limit (the whole file used to be read: 3.2 GB).
# Usage: writes_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
cleanup() {
  mountpoint -q "$T/full" 2>/dev/null && umount "$T/full"
  rm -rf "$T"
}
trap cleanup EXIT
R=$T/r
TINY=(--dataset blobs --model mlp --threads 1)

# --- a results database to export ---------------------------------------------------------
"$NNC" train "${TINY[@]}" --epochs 100 --out "$R" >/dev/null 2>"$T/err" \
  || bad "setup: train on blobs: $(tail -2 "$T/err")"

# --- full device -----------------------------------------------------------------------------
for fmt in csv json; do
  "$NNC" results export --out "$R" --format $fmt --file /dev/full >"$T/out" 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "^error: cannot write '/dev/full': No space left on device" "$T/err" \
    && ! grep -q "wrote" "$T/err" && ok "export $fmt to /dev/full: $(grep error: "$T/err")" \
    || bad "export $fmt to /dev/full (rc $rc): $(cat "$T/err")"
done
"$NNC" results export --out "$R" --format json >/dev/full 2>"$T/err"; rc=$?
[ $rc -ne 0 ] && grep -q "^error: cannot write to standard output: No space left on device" "$T/err" \
  && ok "export to a full standard output: $(grep error: "$T/err")" \
  || bad "export to a full standard output (rc $rc): $(cat "$T/err")"

# --- threads capped --------------------------------------------------------------------------
timeout 120 "$NNC" train --dataset blobs --model mlp --epochs 1 --threads 100000 --out "$R" \
  >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -qE "option 'threads': 100000 capped to [0-9]+ \(4 x [0-9]+ hardware threads\)" "$T/err" \
  && ok "--threads 100000: $(grep -o "option 'threads'.*" "$T/err")" \
  || bad "--threads 100000 (rc $rc): $(tail -3 "$T/err")"

# --- a .gz IDX that inflates to 1.4 GiB, 300 records used ------------------------------------
# Concatenated gzip members (zlib reads them as one stream): 1,920,000 images of 28x28, zeros.
python3 - "$T/bomb" <<'EOF'
import gzip, os, struct, sys
d = sys.argv[1]; os.makedirs(d)
def idx(path, header, payload):
    mib = gzip.compress(bytes(1 << 20), mtime=0)
    with open(path, "wb") as f:
        f.write(gzip.compress(header, mtime=0))
        for _ in range(payload >> 20): f.write(mib)
        f.write(gzip.compress(bytes(payload & ((1 << 20) - 1)), mtime=0))
for part, n in [("train", 1920000), ("t10k", 10)]:
    idx(f"{d}/{part}-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, n, 28, 28), n * 784)
    idx(f"{d}/{part}-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, n), n)
EOF
bomb_kb=$(du -k "$T/bomb/train-images-idx3-ubyte.gz" | cut -f1)
( ulimit -v $((2 << 20)); exec timeout 120 "$NNC" train --dataset mnist --data-dir "$T/bomb" --model mlp \
    --epochs 1 --threads 1 --limit-train 300 --limit-test 10 --out "$R" ) >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && [ "$bomb_kb" -lt 4096 ] \
  && ok "gzip IDX of ${bomb_kb} KiB inflating to 1.4 GiB, --limit-train 300: completed under 2 GiB" \
  || bad "gzip IDX bomb with --limit-train 300 (rc $rc, ${bomb_kb} KiB): $(tail -3 "$T/err")"

# --- a disk that fills up mid-write (tmpfs of 64 KiB) --------------------------------------
# fill LEAVE_KIB: fills $T/full up to LEAVE_KIB free (0 = completely).
fill() {
  rm -f "$T/full/filler"
  local avail_kib=$(( $(stat -f -c '%a * %S' "$T/full") / 1024 ))
  dd if=/dev/zero of="$T/full/filler" bs=1k count=$((avail_kib - $1)) 2>/dev/null
  [ "$1" -gt 0 ] || dd if=/dev/zero of="$T/full/filler" bs=1k oflag=append conv=notrunc 2>/dev/null
}
# only_files DIR NAMES...: DIR holds exactly NAMES (no partial file, no temporary left).
only_files() {
  local dir=$1; shift
  [ "$(cd "$dir" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]
}
if [ "$(id -u)" = 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null; then
  # Export: bigger than the room left, so the write fails midway; the old file stays whole.
  "$NNC" results export --out "$R" --format json --file "$T/whole.json" 2>/dev/null
  echo old >"$T/full/runs.json"
  fill 4
  size=$(stat -c %s "$T/whole.json")
  "$NNC" results export --out "$R" --format json --file "$T/full/runs.json" >/dev/null 2>"$T/err"; rc=$?
  [ "$size" -gt 8192 ] && [ $rc -ne 0 ] \
    && grep -q "^error: cannot write '$T/full/runs.json': No space left on device" "$T/err" \
    && ! grep -q wrote "$T/err" && [ "$(cat "$T/full/runs.json")" = old ] && only_files "$T/full" filler runs.json \
    && ok "export of $size bytes into 4 KiB: error, the old file kept, no partial file" \
    || bad "export on a full disk (rc $rc, $size bytes): $(cat "$T/err"; ls "$T/full")"
  rm -f "$T/full/runs.json"

  # Weights: pretrain-encoder --save-to on the full disk; the run is recorded as failed.
  fill 4
  "$NNC" pretrain-encoder --dataset blobs-image --encoder cutr --epochs 0 --limit-train 20 \
    --limit-test 20 --threads 1 --save-to "$T/full/enc.safetensors" --out "$R" >/dev/null 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "cannot write '$T/full/enc.safetensors': No space left on device" "$T/err" \
    && only_files "$T/full" filler \
    && [ "$(sql "$R" "SELECT count(*) FROM runs WHERE kind='pretrain-encoder' AND status='failed' AND error LIKE '%No space left%'")" = 1 ] \
    && ok "weights on a full disk: error, no partial file, the run recorded as failed" \
    || bad "weights on a full disk (rc $rc): $(tail -2 "$T/err"; ls "$T/full")"

  # checkpoint.log: its first line finds no room.
  fill 0
  "$NNC" replay --dataset blobs-image --memory-bytes 1KiB --epochs 1 --threads 1 --log-dir "$T/full/logs" \
    --exp-name e --out "$R" >/dev/null 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "cannot write '$T/full/logs/e/checkpoint.log': No space left on device" "$T/err" \
    && ok "checkpoint.log on a full disk: $(grep -o "cannot write.*" "$T/err" | head -1)" \
    || bad "checkpoint.log on a full disk (rc $rc): $(tail -2 "$T/err")"
  rm -rf "$T/full/logs"

  # Report: its files go to a folder on the full disk.
  fill 4
  "$NNC" report "$R" --out "$T/full/rep/report.html" --no-images >/dev/null 2>"$T/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "^error: cannot write '$T/full/rep/[^']*': No space left on device" "$T/err" \
    && [ -z "$(find "$T/full/rep" -name '*.tmp' 2>/dev/null)" ] \
    && ok "report on a full disk: $(grep error: "$T/err")" \
    || bad "report on a full disk (rc $rc): $(tail -2 "$T/err")"
else
  skip "full disk: mounting a 64 KiB tmpfs needs root and mount, not available here"
fi

e2e_summary writes-e2e
