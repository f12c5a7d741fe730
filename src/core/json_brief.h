#pragma once
// A JSON value for an error message: scalars as written (cut to 40 characters), arrays and
// objects by type only (dump() recurses: a deeply nested input would overflow the stack).
// Header-only so that core itself needs no JSON library; its users already include it.
#include <nlohmann/json.hpp>

#include <string>

namespace nnc {

inline std::string json_brief(const nlohmann::json& v) {
  if (!v.is_primitive()) return std::string("a JSON ") + v.type_name();
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

}  // namespace nnc
