# One {fmt} per build.
#
# LibTorch 2.x ships its own {fmt} headers (12.x) in its include folder. A TU that saw those and
# Debian's libfmt-dev (9.x) at once mixes the two and fails to compile (v9's fmt/ranges.h against
# v12's fmt/base.h). So when Torch brings {fmt}, every target uses exactly that one, header-only,
# and the system's {fmt} is not searched at all; otherwise (Debian's LibTorch 1.13) the system's.
# Every target links nnc_fmt, never fmt::fmt. core/error.h checks FMT_VERSION against the
# version chosen here, so a TU that still picks up the other copy fails loudly.
find_path(NNC_TORCH_FMT_DIR fmt/base.h PATHS ${TORCH_INCLUDE_DIRS} NO_DEFAULT_PATH)
add_library(nnc_fmt INTERFACE)
if(NNC_TORCH_FMT_DIR)
  set(NNC_FMT_HEADER ${NNC_TORCH_FMT_DIR}/fmt/base.h)
  target_include_directories(nnc_fmt SYSTEM BEFORE INTERFACE ${NNC_TORCH_FMT_DIR})
  target_compile_definitions(nnc_fmt INTERFACE FMT_HEADER_ONLY=1)
  set(NNC_FMT_ORIGIN "LibTorch's bundled headers (${NNC_TORCH_FMT_DIR})")
else()
  find_package(fmt REQUIRED)
  target_link_libraries(nnc_fmt INTERFACE fmt::fmt)
  get_target_property(_fmt_inc fmt::fmt INTERFACE_INCLUDE_DIRECTORIES)
  find_file(NNC_FMT_HEADER NAMES fmt/base.h fmt/core.h PATHS ${_fmt_inc} /usr/include NO_DEFAULT_PATH)
  set(NNC_FMT_ORIGIN "the system's {fmt} (${_fmt_inc})")
endif()
file(STRINGS ${NNC_FMT_HEADER} _fmt_version_line REGEX "^#define FMT_VERSION [0-9]+")
string(REGEX REPLACE "^#define FMT_VERSION ([0-9]+).*" "\\1" NNC_FMT_VERSION "${_fmt_version_line}")
target_compile_definitions(nnc_fmt INTERFACE NNC_FMT_VERSION=${NNC_FMT_VERSION})
message(STATUS "nncompress: {fmt} ${NNC_FMT_VERSION} from ${NNC_FMT_ORIGIN}")
