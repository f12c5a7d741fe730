// Default dataset locations, resolved at run time so a moved build still finds them.
#include "data/paths.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"

#ifndef NNC_SOURCE_DIR
#define NNC_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;

namespace nnc::data {

static std::string env_or(const char* var, const std::string& fallback) {
  const char* v = std::getenv(var);
  return (v && *v) ? std::string(v) : fallback;
}

std::string source_dir() { return env_or("NNC_SOURCE_DIR", NNC_SOURCE_DIR); }

std::string data_root() { return env_or("NNC_DATA_ROOT", source_dir() + "/data"); }

std::string dir_or(const std::string& dir, const std::string& fallback) {
  return dir.empty() ? fallback : dir;
}

std::string find_maybe_gz(const std::string& dir, const std::string& name) {
  for (const auto& candidate : {fs::path(dir) / name, fs::path(dir) / (name + ".gz")}) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return "";
}

std::string read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  NNC_CHECK(!ec, "{}: cannot read: {}", path, ec.message());
  NNC_CHECK(size <= max_bytes, "{}: {} bytes, more than the {} this reader accepts", path, size,
            max_bytes);
  std::ifstream in(path, std::ios::binary);
  NNC_CHECK(in.good(), "{}: cannot open for reading", path);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  NNC_CHECK(static_cast<size_t>(in.gcount()) == size, "{}: read {} of {} bytes", path,
            in.gcount(), size);
  return bytes;
}

}  // namespace nnc::data
