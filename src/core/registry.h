#pragma once
// Registry<Base, Args...>: name -> factory. Each plug-in family (encoders,
// compressors, pruners, samplers, models, datasets) owns one; adding a member
// is one file plus one `add` line in its register_builtin_* function. A member may
// also answer to aliases (other spellings users already type, e.g. "CIFAR10"),
// matched in any letter case; names themselves match exactly.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace nnc {

template <typename Product, typename... Args>
class Registry {
 public:
  using Factory = std::function<Product(Args...)>;

  explicit Registry(std::string family) : family_(std::move(family)) {}

  void add(const std::string& name, Factory factory, std::string help = "",
           std::vector<std::string> aliases = {}) {
    entries_[name] = Entry{std::move(factory), std::move(help), std::move(aliases)};
  }
  bool contains(const std::string& name) const { return !canonical(name).empty(); }

  /// The registered name that `name` stands for: `name` itself, or the member one of whose
  /// aliases equals it ignoring case. "" when it is neither.
  std::string canonical(const std::string& name) const {
    if (entries_.count(name) > 0) return name;
    for (auto& [k, e] : entries_)
      for (auto& a : e.aliases)
        if (equal_ignoring_case(a, name)) return k;
    return "";
  }

  Product create(const std::string& name, Args... args) const {
    auto it = entries_.find(canonical(name));
    NNC_CHECK(it != entries_.end(), "unknown {} '{}': expected one of {}", family_, shown(name),
              joined_names());
    return it->second.factory(std::forward<Args>(args)...);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (auto& [k, v] : entries_) out.push_back(k);
    return out;
  }
  std::string joined_names() const {
    std::string out;
    for (auto& [k, v] : entries_) out += (out.empty() ? "" : ", ") + k;
    return out;
  }
  const std::string& help(const std::string& name) const { return entries_.at(name).help; }
  const std::vector<std::string>& aliases(const std::string& name) const { return entries_.at(name).aliases; }

 private:
  struct Entry {
    Factory factory;
    std::string help;
    std::vector<std::string> aliases;
  };
  static bool equal_ignoring_case(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  }
  std::string family_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nnc
