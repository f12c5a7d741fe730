#pragma once
// Options owned by plug-ins (the PyTorch C++ idiom): each plug-in has an Options struct with
// documented defaults, validate(), and a static fields() that binds its members to option
// keys. From that one binding come the option specs the CLI shows and parses, the struct a
// run builds from its config, the plug-in's label and its share of the run identity.
//
// Example (a compressor's options):
//   struct JpegOptions {
//     int64_t quality = 50;            ///< libjpeg quality 1..100
//     std::string tables = "shared";   ///< shared | per_item
//     static const OptionFields<JpegOptions>& fields() {
//       static const auto f = OptionFields<JpegOptions>()
//           .add("jpeg_quality", &JpegOptions::quality, "quality 1..100")
//           .add("jpeg_tables", &JpegOptions::tables, "shared | per_item", {"shared", "per_item"});
//       return f;
//     }
//     void validate() const;
//   };
//   JpegOptions o = JpegOptions::fields().from(values);  // missing keys keep their defaults
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace nnc {

/// One option's value: what a TOML file or a flag can give.
using OptionValue = std::variant<bool, int64_t, double, std::string>;
/// Resolved options by key.
using OptionValues = std::map<std::string, OptionValue>;

std::string value_to_string(const OptionValue& v);
/// Parses `text` into the same alternative as `like` (error names `key`).
OptionValue parse_value_like(const OptionValue& like, const std::string& text, const std::string& key);
/// Converts `v` to the alternative of `like` (int -> double allowed; error names `key`).
OptionValue coerce_like(const OptionValue& like, const OptionValue& v, const std::string& key);

/// The plug-in an option belongs to: it matters only when option `selector` names `plugin`
/// (e.g. {"compressor", "jpeg"} for jpeg_quality).
struct OptionOwner {
  std::string selector, plugin;
  bool operator==(const OptionOwner& o) const { return selector == o.selector && plugin == o.plugin; }
};

/// One option of an experiment kind or of a plug-in.
struct OptionSpec {
  std::string key;                  ///< snake_case; flags are --kebab-case and --snake_case
  OptionValue default_value;
  std::string help = {};
  std::vector<std::string> choices = {}; ///< allowed string values (empty = any)
  bool affects_result = true;       ///< false for output paths, threads: not part of the run id
  std::vector<std::string> aliases = {}; ///< extra flag names (without dashes)
  /// Maps a string value to the spelling it stands for (a registry alias such as "CIFAR10"
  /// -> "cifar10") before it is stored, so both spellings give one run id. Empty = as given.
  std::function<std::string(const std::string&)> canonical = {};
  /// Plug-ins that own the option (empty = the kind's own option, always in effect). An
  /// option shared by several plug-ins (pretrain_epochs) lists each.
  std::vector<OptionOwner> owners = {};
  /// false for an option added after runs were stored: at its default it stays out of the run
  /// id, so those runs keep their ids (cgp's `layers`); any other value is hashed.
  bool hashed_at_default = true;

  /// Whether the option takes part in a run with these values: the kind's own options always,
  /// a plug-in's only when one of its owners is the selected plug-in.
  bool in_effect(const OptionValues& values) const;
};

/// An option's choices for messages and --help, joined by `sep`; the empty choice (e.g.
/// search's --sampler, "the plan's") shows as "".
std::string choices_text(const std::vector<std::string>& choices, const std::string& sep);

/// One line per option of `values` that is set away from its default although none of its
/// owners is selected, so it changes nothing (nor the run id): "option 'jpeg_quality' has no
/// effect: it applies to compressor jpeg only, and the compressor is thinning".
std::vector<std::string> inert_options(const std::vector<OptionSpec>& specs, const OptionValues& values);

/// Appends `more` to `specs`; an option already there (same key, e.g. pretrain_epochs of
/// several compressors) gains the new owners. Fails when the two disagree on type or default.
void merge_option_specs(std::vector<OptionSpec>& specs, const std::vector<OptionSpec>& more);

/// Binds an Options struct's members to option keys (see the example at the top).
/// Members may be bool, int64_t, uint64_t, int, double, float or std::string.
template <typename Options>
class OptionFields {
 public:
  template <typename T>
  OptionFields&& add(std::string key, T Options::*member, std::string help,
                     std::vector<std::string> choices = {}, std::vector<std::string> aliases = {}) && {
    add_field<T>(std::move(key), member, std::move(help), std::move(choices), std::move(aliases));
    return std::move(*this);
  }
  template <typename T>
  OptionFields& add(std::string key, T Options::*member, std::string help,
                    std::vector<std::string> choices = {}, std::vector<std::string> aliases = {}) & {
    add_field<T>(std::move(key), member, std::move(help), std::move(choices), std::move(aliases));
    return *this;
  }
  /// Maps string values of `key` to their canonical spelling before they are stored.
  OptionFields&& canonical(const std::string& key, std::function<std::string(const std::string&)> f) && {
    for (auto& fl : fields_)
      if (fl.spec.key == key) fl.spec.canonical = std::move(f);
    return std::move(*this);
  }

  /// The specs with the defaults of a default-constructed Options.
  std::vector<OptionSpec> specs() const {
    std::vector<OptionSpec> out;
    for (auto& f : fields_) out.push_back(f.spec);
    return out;
  }
  /// Options from resolved values; keys not given keep the struct's defaults.
  Options from(const OptionValues& values) const {
    Options o;
    for (auto& f : fields_)
      if (auto it = values.find(f.spec.key); it != values.end()) f.set(o, it->second);
    return o;
  }
  /// The values of `o`, by key.
  OptionValues to(const Options& o) const {
    OptionValues out;
    for (auto& f : fields_) out[f.spec.key] = f.get(o);
    return out;
  }
  /// "key=value key=value" in declaration order: for logs and cache keys.
  std::string describe(const Options& o) const {
    std::string out;
    for (auto& f : fields_) out += (out.empty() ? "" : " ") + f.spec.key + "=" + value_to_string(f.get(o));
    return out;
  }

 private:
  struct Field {
    OptionSpec spec;
    std::function<void(Options&, const OptionValue&)> set;
    std::function<OptionValue(const Options&)> get;
  };

  template <typename T>
  static OptionValue stored(const T& v) {
    if constexpr (std::is_same_v<T, bool>) return v;
    else if constexpr (std::is_integral_v<T>) return static_cast<int64_t>(v);
    else if constexpr (std::is_floating_point_v<T>) return static_cast<double>(v);
    else return std::string(v);
  }
  template <typename T>
  void add_field(std::string key, T Options::*member, std::string help,
                 std::vector<std::string> choices, std::vector<std::string> aliases) {
    static_assert(std::is_same_v<T, bool> || std::is_arithmetic_v<T> || std::is_same_v<T, std::string>,
                  "option members are bool, integers, floating point or std::string");
    Field f;
    f.spec.key = key;
    f.spec.default_value = stored(Options().*member);
    f.spec.help = std::move(help);
    f.spec.choices = std::move(choices);
    f.spec.aliases = std::move(aliases);
    f.get = [member](const Options& o) { return stored(o.*member); };
    f.set = [member, key, like = f.spec.default_value](Options& o, const OptionValue& v) {
      OptionValue c = coerce_like(like, v, key);
      if constexpr (std::is_same_v<T, bool>) o.*member = std::get<bool>(c);
      else if constexpr (std::is_integral_v<T>) o.*member = static_cast<T>(std::get<int64_t>(c));
      else if constexpr (std::is_floating_point_v<T>) o.*member = static_cast<T>(std::get<double>(c));
      else o.*member = std::get<std::string>(c);
    };
    fields_.push_back(std::move(f));
  }
  std::vector<Field> fields_;
};

/// The Options of a plug-in that has none (random and brute-force samplers, the CGP
/// experiments): registering it still goes through PluginRegistry::add.
struct NoOptions {
  static const OptionFields<NoOptions>& fields() {
    static const OptionFields<NoOptions> f;
    return f;
  }
  void validate() const {}
};

}  // namespace nnc
