#include "experiment/run_config.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/toml_parse.h"

namespace nnc::experiment {
namespace {

/// Longest accepted string option (PATH_MAX): see RunConfig::set.
constexpr size_t kMaxStringOption = 4096;

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

nlohmann::json to_json_value(const Value& v) {
  return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

}  // namespace

std::string closest_key(const std::string& key, const std::vector<OptionSpec>& specs) {
  std::string best;
  size_t best_d = 1000;
  for (auto& s : specs) {
    size_t d = edit_distance(key, s.key);
    if (d < best_d) best_d = d, best = s.key;
  }
  return best_d <= std::max<size_t>(3, key.size() / 3) ? best : "";
}

RunConfig::RunConfig(std::string kind, const std::vector<OptionSpec>& specs)
    : kind_(std::move(kind)), specs_(specs) {
  for (auto& s : specs_) values_[s.key] = s.default_value;
}

const OptionSpec& RunConfig::spec(const std::string& key) const {
  std::string norm = key;
  std::replace(norm.begin(), norm.end(), '-', '_');
  for (auto& s : specs_) {
    if (s.key == norm) return s;
    for (auto& a : s.aliases)
      if (a == key || a == norm) return s;
  }
  std::string hint = closest_key(norm, specs_);
  fail("unknown option '{}' for '{}'{}", shown(key), kind_,
       hint.empty() ? std::string(" (see --help for the list)") : fmt::format(" (did you mean '{}'?)", hint));
}

void RunConfig::set(const std::string& key, const Value& value) {
  const auto& s = spec(key);
  // Every string option is a name or a path: a longer value is a mistake (a file pasted into
  // a key), and it would be stored whole in every record and echoed into every message.
  if (auto* str = std::get_if<std::string>(&value))
    NNC_CHECK(str->size() <= kMaxStringOption,
              "option '{}': the value is {} bytes long, expected at most {}: '{}'", s.key,
              str->size(), kMaxStringOption, shown(*str, 60));
  Value v = coerce_like(s.default_value, value, s.key);
  if (s.canonical) v = s.canonical(std::get<std::string>(v));
  if (!s.choices.empty()) {
    auto& str = std::get<std::string>(v);
    NNC_CHECK(std::find(s.choices.begin(), s.choices.end(), str) != s.choices.end(),
              "option '{}': '{}' is not one of {}", s.key, shown(str), choices_text(s.choices, ", "));
  }
  if (v.index() == 2)
    NNC_CHECK(std::isfinite(std::get<double>(v)), "option '{}': must be a finite number", s.key);
  values_[s.key] = v;
}

void RunConfig::set_from_string(const std::string& key, const std::string& text) {
  const auto& s = spec(key);
  set(s.key, parse_value_like(s.default_value, text, s.key));
}

int64_t RunConfig::get_int(const std::string& key) const { return std::get<int64_t>(values_.at(key)); }
double RunConfig::get_double(const std::string& key) const { return std::get<double>(values_.at(key)); }
bool RunConfig::get_bool(const std::string& key) const { return std::get<bool>(values_.at(key)); }
const std::string& RunConfig::get_string(const std::string& key) const {
  return std::get<std::string>(values_.at(key));
}

void RunConfig::apply_toml_file(const std::string& path) {
  const toml::table table = parse_toml_file(path);
  auto apply = [&](const toml::table& t, const std::string& where) {
    // One option written twice in one table (batch-size and batch_size, or an alias): TOML
    // sees two keys and the file's order would pick the winner silently.
    std::map<std::string, std::string> spelled;  // option -> the key that set it
    for (auto& [k, node] : t) {
      std::string key(k.str());
      if (node.is_table()) {
        if (key == kind_) continue;  // handled below
        fail("{}: unexpected table [{}]{} (options are top-level keys or under [{}])", path,
             shown(key), where, kind_);
      }
      try {
        auto [it, fresh] = spelled.emplace(spec(key).key, key);
        NNC_CHECK(fresh, "'{}' and '{}'{} are the same option '{}': keep one", shown(it->second),
                  shown(key), where, it->first);
        if (auto b = node.value<bool>(); b && node.is_boolean()) set(key, *b);
        else if (node.is_integer()) set(key, *node.value<int64_t>());
        else if (node.is_floating_point()) set(key, *node.value<double>());
        else if (node.is_string()) set(key, *node.value<std::string>());
        else fail("option '{}': expected a boolean, number or string, got {}", key,
                  node.is_array() ? "a list (lists of values belong in a sweep plan's [grid])"
                                  : "a date/time");
      } catch (const Error& e) {
        fail("{}: {}", path, e.what());
      }
    }
  };
  apply(table, "");
  if (auto* sub = table[kind_].as_table()) apply(*sub, " in [" + kind_ + "]");
}

std::string RunConfig::normalized_json() const {
  nlohmann::json j = nlohmann::json::object();  // std::map order = sorted keys
  // Identity = the kind's own options + those of the plug-ins this run selected: a new option
  // of another compressor, or a new compressor, changes no existing run's id.
  for (auto& s : specs_) {
    const OptionValue& v = values_.at(s.key);
    if (s.affects_result && s.in_effect(values_) && (s.hashed_at_default || v != s.default_value))
      j[s.key] = to_json_value(v);
  }
  return j.dump();
}

std::string RunConfig::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (auto& [k, v] : values_) j[k] = to_json_value(v);
  return j.dump();
}

std::string RunConfig::id() const {
  return fmt::format("{:016x}", fnv1a64(kind_ + "\n" + normalized_json()));
}

}  // namespace nnc::experiment
