#pragma once
// Shared by the fuzz targets: a per-process scratch folder for parsers that take a path.
//
// Contract of every target: nnc::Error is an expected outcome (the input was refused with a
// message); any other exception, a crash, a sanitizer report, a leak or a timeout is a bug.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace nnc::fuzz {

/// /tmp/nnc-fuzz-<pid>/ (or $TMPDIR), created on first use and removed at exit.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("nnc-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

/// Writes the input to <scratch>/<relative> (parent folders created) and returns its path.
inline std::string write_input(const std::string& relative, const uint8_t* data, size_t size) {
  const auto path = scratch_dir() / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();  // the harness itself failed (disk full?): not a parser finding
  return path.string();
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace nnc::fuzz
