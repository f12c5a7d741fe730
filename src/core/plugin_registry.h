#pragma once
// PluginRegistry<Product, Args...>: a plug-in family (compressors, encoders, pruners,
// samplers, CGP experiments) whose members own their options. Registering a member is one
// line, `registry.add<JpegCompressor>("jpeg", "help")`, and brings along everything derived
// from the member's Options struct (see core/options.h):
//   - option_specs(): the union of the members' options, each owned by its member, so a
//     kind's option list, --help, and the run identity (only the selected member's options
//     count) need no list kept elsewhere;
//   - create(values, args...): Options from the values, validated, then the member;
//   - label(values) / describe(values): from the member's own options;
//   - tags(values): facts a run records for reports (e.g. a compressor's report line and
//     parameter), from Options::tags() when the member's Options has one;
//   - rank(values): the member's place in registration order, the order reports list members.
//
// A member type P provides `using Options = ...;` and a constructor P(const Options&, Args...).
// Its Options provides `static const OptionFields<Options>& fields()` and `void validate() const`,
// and may provide `std::string label() const` (default: the member's name) and
// `std::map<std::string, std::string> tags() const` (default: none).
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/options.h"
#include "core/registry.h"

namespace nnc {

template <typename Product, typename... Args>
class PluginRegistry {
 public:
  /// `family` names the members in messages ("compressor"); `selector` is the option whose
  /// value picks the member ("compressor").
  PluginRegistry(std::string family, std::string selector)
      : names_(family), family_(std::move(family)), selector_(std::move(selector)) {}

  template <typename Plugin>
  void add(const std::string& name, std::string help = "", std::vector<std::string> aliases = {}) {
    using Options = typename Plugin::Options;
    Entry e;
    e.specs = Options::fields().specs();
    for (auto& s : e.specs) s.owners = {OptionOwner{selector_, name}};
    e.make = [name](const OptionValues& values, Args... args) -> Product {
      Options o = Options::fields().from(values);
      o.validate();
      return Product(std::make_unique<Plugin>(o, std::forward<Args>(args)...));
    };
    e.validate = [](const OptionValues& values) { Options::fields().from(values).validate(); };
    e.label = [name](const OptionValues& values) -> std::string {
      Options o = Options::fields().from(values);
      if constexpr (has_label<Options>::value) return o.label();
      else return name;
    };
    e.describe = [](const OptionValues& values) {
      return Options::fields().describe(Options::fields().from(values));
    };
    e.tags = [](const OptionValues& values) -> std::map<std::string, std::string> {
      if constexpr (has_tags<Options>::value) return Options::fields().from(values).tags();
      else return {};
    };
    names_.add(name, nullptr, std::move(help), std::move(aliases));
    e.rank = static_cast<int>(entries_.size());
    entries_[name] = std::move(e);
  }

  const std::string& selector() const { return selector_; }
  bool contains(const std::string& name) const { return names_.contains(name); }
  std::string canonical(const std::string& name) const { return names_.canonical(name); }
  std::vector<std::string> names() const { return names_.names(); }
  std::string joined_names() const { return names_.joined_names(); }
  const std::string& help(const std::string& name) const { return names_.help(name); }

  /// The option that picks a member (key selector()): the members' names are its choices, so
  /// a misspelt one fails when a plan is parsed; an alias becomes its name before a run id is
  /// computed; its help lists each member with its own help. The registry must outlive it
  /// (registries are process-wide).
  OptionSpec selector_option(const std::string& default_name) const {
    std::string help;
    for (auto& name : names()) {
      help += (help.empty() ? "" : "; ") + name;
      for (auto& alias : names_.aliases(name)) help += " (alias " + alias + ")";
      if (!names_.help(name).empty()) help += ": " + names_.help(name);
    }
    OptionSpec spec{selector_, default_name, help, names()};
    spec.canonical = [this](const std::string& name) {
      std::string c = canonical(name);
      return c.empty() ? name : c;  // unknown: kept, so the choices check names it
    };
    return spec;
  }
  /// selector_option() followed by every member's options: what a kind that picks a member offers.
  std::vector<OptionSpec> selector_and_options(const std::string& default_name) const {
    std::vector<OptionSpec> out = {selector_option(default_name)};
    merge_option_specs(out, option_specs());
    return out;
  }

  /// Every member's options, each owned by its member (shared keys merged).
  std::vector<OptionSpec> option_specs() const {
    std::vector<OptionSpec> out;
    for (auto& [name, e] : entries_) merge_option_specs(out, e.specs);
    return out;
  }
  /// The selected member's own option specs.
  const std::vector<OptionSpec>& option_specs(const std::string& name) const { return entry(name).specs; }

  /// The member `values[selector]` names, built from its validated options.
  Product create(const OptionValues& values, Args... args) const {
    return entry(selected(values)).make(values, std::forward<Args>(args)...);
  }
  /// Checks the selected member's options (what create() would refuse), building nothing.
  void validate(const OptionValues& values) const { entry(selected(values)).validate(values); }
  /// The selected member's label ("jpeg q50"): for tables, reports and grouping.
  std::string label(const OptionValues& values) const { return entry(selected(values)).label(values); }
  /// "key=value ..." of the selected member's options: for logs and cache keys.
  std::string describe(const OptionValues& values) const { return entry(selected(values)).describe(values); }

  /// Facts of the selected member a run records (Options::tags(); empty when it has none).
  std::map<std::string, std::string> tags(const OptionValues& values) const {
    return entry(selected(values)).tags(values);
  }

  /// The selected member's place in registration order (0 = first registered): the order a
  /// report lists a family's members in, so it is kept in one place, the registering lines.
  int rank(const OptionValues& values) const { return entry(selected(values)).rank; }

  /// tags() and rank() as a run records them: "<prefix>_<key>" for each tag, and
  /// "<prefix>_order" (e.g. compressor_line, compressor_parameter, compressor_order).
  std::map<std::string, std::string> run_tags(const OptionValues& values, const std::string& prefix) const {
    std::map<std::string, std::string> out;
    for (auto& [key, value] : tags(values)) out[prefix + "_" + key] = value;
    out[prefix + "_order"] = std::to_string(rank(values));
    return out;
  }

  /// The canonical name `values[selector]` gives (error when missing or unknown).
  std::string selected(const OptionValues& values) const {
    auto it = values.find(selector_);
    NNC_CHECK(it != values.end() && std::holds_alternative<std::string>(it->second),
              "no {} selected (option '{}')", family_, selector_);
    const auto& name = std::get<std::string>(it->second);
    std::string c = names_.canonical(name);
    NNC_CHECK(!c.empty(), "option '{}': unknown {} '{}': expected one of {}", selector_, family_,
              shown(name), names_.joined_names());
    return c;
  }

 private:
  template <typename O, typename = void>
  struct has_label : std::false_type {};
  template <typename O>
  struct has_label<O, std::void_t<decltype(std::declval<const O&>().label())>> : std::true_type {};

  template <typename O, typename = void>
  struct has_tags : std::false_type {};
  template <typename O>
  struct has_tags<O, std::void_t<decltype(std::declval<const O&>().tags())>> : std::true_type {};

  struct Entry {
    std::vector<OptionSpec> specs;
    std::function<Product(const OptionValues&, Args...)> make;
    std::function<void(const OptionValues&)> validate;
    std::function<std::string(const OptionValues&)> label, describe;
    std::function<std::map<std::string, std::string>(const OptionValues&)> tags;
    int rank = 0;
  };
  const Entry& entry(const std::string& name) const {
    auto it = entries_.find(names_.canonical(name));
    NNC_CHECK(it != entries_.end(), "unknown {} '{}': expected one of {}", family_, shown(name),
              names_.joined_names());
    return it->second;
  }

  Registry<std::nullptr_t> names_;  ///< names, help and aliases (matching rules in one place)
  std::string family_, selector_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nnc
