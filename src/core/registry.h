#pragma once
// Registry<Base, Args...>: name -> factory. Each plug-in family (encoders,
// compressors, pruners, samplers, models, datasets) owns one; adding a member
// is one file plus one `add` line in its register_builtin_* function.
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

  void add(const std::string& name, Factory factory, std::string help = "") {
    entries_[name] = Entry{std::move(factory), std::move(help)};
  }
  bool contains(const std::string& name) const { return entries_.count(name) > 0; }

  Product create(const std::string& name, Args... args) const {
    auto it = entries_.find(name);
    NNC_CHECK(it != entries_.end(), "unknown {} '{}': expected one of {}", family_, name,
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

 private:
  struct Entry {
    Factory factory;
    std::string help;
  };
  std::string family_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nnc
