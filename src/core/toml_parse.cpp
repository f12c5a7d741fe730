#include "core/toml_parse.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace nnc {
namespace {

[[noreturn]] void fail_parse(const toml::parse_error& e, std::string_view source) {
  fail("{}:{}:{}: invalid TOML: {}", source, e.source().begin.line, e.source().begin.column,
       e.description());
}

}  // namespace

toml::table parse_toml(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    fail_parse(e, source);
  }
}

std::vector<std::pair<std::string, const toml::node*>> toml_in_file_order(const toml::table& t) {
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (auto& [k, v] : t) out.emplace_back(std::string(k.str()), &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto& sa = a.second->source().begin;
    const auto& sb = b.second->source().begin;
    return sa.line != sb.line ? sa.line < sb.line : sa.column < sb.column;
  });
  return out;
}

toml::table parse_toml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NNC_CHECK(in.good(), "{}: cannot open the TOML file (missing or unreadable)", path);
  std::ostringstream text;
  text << in.rdbuf();
  NNC_CHECK(!in.bad(), "{}: read error", path);
  return parse_toml(text.str(), path);
}

}  // namespace nnc
