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

namespace nnc::experiment {

using Value = std::variant<bool, int64_t, double, std::string>;

std::string value_to_string(const Value& v);
/// Parses `text` into the same alternative as `like` (error names `key`).
Value parse_value_like(const Value& like, const std::string& text, const std::string& key);
/// Converts `v` to the alternative of `like` (int -> double allowed; error names `key`).
Value coerce_like(const Value& like, const Value& v, const std::string& key);

/// One option of an experiment kind.
struct OptionSpec {
  std::string key;                  ///< snake_case; flags are --kebab-case and --snake_case
  Value default_value;
  std::string help;
  std::vector<std::string> choices; ///< allowed string values (empty = any)
  bool affects_result = true;       ///< false for output paths, threads: not part of the run id
  std::vector<std::string> aliases; ///< extra flag names (without dashes)
  /// Maps a string value to the spelling it stands for (a registry alias such as "CIFAR10"
  /// -> "cifar10") before it is stored, so both spellings give one run id. Empty = as given.
  std::function<std::string(const std::string&)> canonical;
};

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
