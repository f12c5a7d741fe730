#pragma once
// TOML reading for every config format (run configs, sweep plans, quantization passes,
// search studies): toml++'s parse errors become nnc::Error "<source>:<line>:<column>: invalid
// TOML: <what>", so each format reports syntax errors the same way.
#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnc {

/// Parses `text`; `source` (a path or "<string>") names it in error messages.
toml::table parse_toml(std::string_view text, std::string_view source);
/// Reads and parses a file; a missing or unreadable file is an nnc::Error naming the path.
toml::table parse_toml_file(const std::string& path);
/// A table's members in file order (toml++ keeps tables sorted by key), so errors and
/// per-layer settings follow the order the researcher wrote.
std::vector<std::pair<std::string, const toml::node*>> toml_in_file_order(const toml::table& t);

}  // namespace nnc
