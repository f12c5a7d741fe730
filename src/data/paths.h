#pragma once
// Where datasets live when DataOptions::data_dir is empty.
#include <string>

namespace nnc::data {

/// The source tree: env NNC_SOURCE_DIR if set, else the one this library was built from.
std::string source_dir();
/// Root of downloaded datasets: env NNC_DATA_ROOT if set, else <source_dir>/data.
std::string data_root();
/// `dir` if non-empty, else `fallback`.
std::string dir_or(const std::string& dir, const std::string& fallback);
/// The first of `dir/name`, `dir/name.gz` that exists; "" if neither.
std::string find_maybe_gz(const std::string& dir, const std::string& name);
/// Loads a whole file (bounded by max_bytes, checked before reading) as bytes.
std::string read_file(const std::string& path, size_t max_bytes);

}  // namespace nnc::data
