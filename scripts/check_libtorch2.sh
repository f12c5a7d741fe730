#!/usr/bin/env bash
# The LibTorch 2.x guard of `make test`: every translation unit of the build, syntax-checked
# against LibTorch 2.x headers (scripts/check_libtorch2.py says how). Uses the headers of
# PyTorch 2.11 (CUDA build) kept beside the project for this purpose when no other tree is given.
# Usage: scripts/check_libtorch2.sh [build-dir]   (env: NNC_TORCH2_INCLUDE=<a LibTorch 2.x include dir>)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
INCLUDE=${NNC_TORCH2_INCLUDE:-}
if [ -z "$INCLUDE" ]; then
  ARCHIVE=../shared/third_party/libtorch-2.11-headers.tar.xz
  if [ ! -f "$ARCHIVE" ]; then
    # Said loudly, not failed: a checkout without the archive beside it (a user's) can still test.
    echo "check_libtorch2: SKIPPED: no LibTorch 2.x headers ($ARCHIVE missing, NNC_TORCH2_INCLUDE unset)" >&2
    [ "${NNC_REQUIRE_LIBTORCH2:-0}" = 1 ] || [ "${NNC_CI:-0}" = 1 ] && exit 1
    exit 0
  fi
  INCLUDE=$BUILD_DIR/libtorch2/include
  if [ ! -f "$INCLUDE/fmt/base.h" ]; then
    mkdir -p "$BUILD_DIR/libtorch2"
    tar xJf "$ARCHIVE" -C "$BUILD_DIR/libtorch2"
  fi
fi
exec /usr/bin/python3 scripts/check_libtorch2.py "$BUILD_DIR" "$INCLUDE" --jobs "$(nproc)"
