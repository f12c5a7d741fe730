#include "core/options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace nnc {
namespace {

const char* type_name(const OptionValue& v) {
  switch (v.index()) {
    case 0: return "a boolean (true/false)";
    case 1: return "an integer";
    case 2: return "a number";
    default: return "a string";
  }
}

}  // namespace

std::string value_to_string(const OptionValue& v) {
  switch (v.index()) {
    case 0: return std::get<bool>(v) ? "true" : "false";
    case 1: return std::to_string(std::get<int64_t>(v));
    case 2: return fmt::format("{}", std::get<double>(v));
    default: return std::get<std::string>(v);
  }
}

OptionValue parse_value_like(const OptionValue& like, const std::string& text, const std::string& key) {
  try {
    size_t pos = 0;
    switch (like.index()) {
      case 0:
        if (text == "true" || text == "1" || text == "on" || text == "yes") return true;
        if (text == "false" || text == "0" || text == "off" || text == "no") return false;
        break;
      case 1: {
        int64_t v = std::stoll(text, &pos);
        if (pos == text.size()) return v;
        // Accept "3.0" for integer options (the seeds pass encoding_block=3.0).
        double d = std::stod(text, &pos);
        if (pos == text.size() && d == std::floor(d) && std::abs(d) < 9e18)
          return static_cast<int64_t>(d);
        break;
      }
      case 2: {
        double v = std::stod(text, &pos);
        if (pos == text.size()) return v;
        break;
      }
      default: return text;
    }
  } catch (const std::exception&) {
  }
  fail("option '{}': '{}' is not {}", key, shown(text), type_name(like));
}

OptionValue coerce_like(const OptionValue& like, const OptionValue& v, const std::string& key) {
  if (like.index() == v.index()) return v;
  if (like.index() == 2 && v.index() == 1) return static_cast<double>(std::get<int64_t>(v));
  if (like.index() == 1 && v.index() == 2) {
    double d = std::get<double>(v);
    if (d == std::floor(d) && std::abs(d) < 9e18) return static_cast<int64_t>(d);
  }
  if (v.index() == 3) return parse_value_like(like, std::get<std::string>(v), key);
  fail("option '{}': expected {}, got {}", key, type_name(like), shown(value_to_string(v)));
}

bool OptionSpec::in_effect(const OptionValues& values) const {
  if (owners.empty()) return true;
  return std::any_of(owners.begin(), owners.end(), [&](const OptionOwner& o) {
    auto it = values.find(o.selector);
    return it != values.end() && std::holds_alternative<std::string>(it->second) &&
           std::get<std::string>(it->second) == o.plugin;
  });
}

std::vector<std::string> inert_options(const std::vector<OptionSpec>& specs, const OptionValues& values) {
  std::vector<std::string> out;
  for (const OptionSpec& s : specs) {
    auto it = values.find(s.key);
    if (it == values.end() || s.in_effect(values) || it->second == s.default_value) continue;
    std::string owners, selected;
    for (const auto& o : s.owners) {
      owners += (owners.empty() ? "" : " or ") + o.plugin;
      if (selected.empty()) {
        auto sel = values.find(o.selector);
        selected = o.selector + " is " + (sel == values.end() ? "unset" : value_to_string(sel->second));
      }
    }
    out.push_back(fmt::format("option '{}' has no effect: it applies to {} {} only, and the {}", s.key,
                              s.owners.front().selector, owners, selected));
  }
  return out;
}

void merge_option_specs(std::vector<OptionSpec>& specs, const std::vector<OptionSpec>& more) {
  for (auto& m : more) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.key == m.key; });
    if (it == specs.end()) {
      specs.push_back(m);
      continue;
    }
    // Shared by two owners: both must mean the same thing, or the flag would be ambiguous.
    NNC_CHECK(it->default_value == m.default_value,
              "option '{}' is declared twice with different defaults ({} and {})", m.key,
              value_to_string(it->default_value), value_to_string(m.default_value));
    NNC_CHECK(!it->owners.empty() && !m.owners.empty(),
              "option '{}' is declared by the kind and by a plug-in: rename one", m.key);
    for (auto& o : m.owners)
      if (std::find(it->owners.begin(), it->owners.end(), o) == it->owners.end()) it->owners.push_back(o);
  }
}

std::string choices_text(const std::vector<std::string>& choices, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i)
    out += (i ? sep : "") + (choices[i].empty() ? std::string("\"\"") : choices[i]);
  return out;
}

}  // namespace nnc
