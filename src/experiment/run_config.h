#pragma once
// One config type for every experiment kind: a kind name plus typed key/value options,
// resolved from defaults <- TOML file <- command-line flags, normalised and hashed
// into a stable run id.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/options.h"

namespace nnc::experiment {

using Value = nnc::OptionValue;
using nnc::coerce_like;
using nnc::OptionSpec;
using nnc::parse_value_like;
using nnc::value_to_string;

class RunConfig {
 public:
  RunConfig() = default;
  RunConfig(std::string kind, const std::vector<OptionSpec>& specs);

  const std::string& kind() const { return kind_; }
  const std::map<std::string, Value>& values() const { return values_; }

  /// Sets an option, checking the key is known and the value's type fits.
  void set(const std::string& key, const Value& value);
  void set_from_string(const std::string& key, const std::string& text);
  bool has(const std::string& key) const { return values_.count(key) > 0; }

  int64_t get_int(const std::string& key) const;
  double get_double(const std::string& key) const;
  bool get_bool(const std::string& key) const;
  const std::string& get_string(const std::string& key) const;

  /// Applies a TOML file's top-level keys (and an optional [kind] table); unknown keys are errors.
  void apply_toml_file(const std::string& path);
  /// Sorted-key JSON of the options that affect results.
  std::string normalized_json() const;
  /// Full JSON including output options.
  std::string to_json() const;
  /// 16 hex digits of a hash of kind + normalized_json(): stable across runs and machines.
  std::string id() const;
  const std::vector<OptionSpec>& specs() const { return specs_; }

 private:
  const OptionSpec& spec(const std::string& key) const;
  std::string kind_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, Value> values_;
};

/// "did you mean" helper: the known key closest to `key`.
std::string closest_key(const std::string& key, const std::vector<OptionSpec>& specs);

}  // namespace nnc::experiment
