#include "experiment/sweep_plan.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

#include "core/error.h"
#include "core/toml_parse.h"

namespace nnc::experiment {
namespace {

Value scalar(const toml::node& node, const std::string& where) {
  if (node.is_boolean()) return *node.value<bool>();
  if (node.is_integer()) return *node.value<int64_t>();
  if (node.is_floating_point()) return *node.value<double>();
  if (node.is_string()) return *node.value<std::string>();
  fail("{}: expected a boolean, number or string", where);
}

std::vector<Value> list(const toml::node& node, const std::string& where) {
  const auto* arr = node.as_array();
  NNC_CHECK(arr != nullptr, "{}: expected a list such as [1, 2] (single values go in [fixed])",
            where);
  NNC_CHECK(!arr->empty(), "{}: the list is empty (a sweep needs at least one value)", where);
  std::vector<Value> out;
  for (const auto& el : *arr) out.push_back(scalar(el, where));
  return out;
}

const toml::table& table_at(const toml::node& node, const std::string& where) {
  const auto* t = node.as_table();
  NNC_CHECK(t != nullptr, "{}: expected a table", where);
  return *t;
}

/// The option's own key for a plan key written as kebab-case or as an alias.
std::string canonical_key(const std::string& key, const std::vector<OptionSpec>& specs) {
  std::string norm = key;
  std::replace(norm.begin(), norm.end(), '-', '_');
  for (auto& s : specs) {
    if (s.key == norm) return s.key;
    for (auto& a : s.aliases)
      if (a == key || a == norm) return s.key;
  }
  return key;
}

}  // namespace

std::vector<std::string> SweepPlan::varying_keys() const {
  std::vector<std::string> keys;
  for (auto& [k, v] : grid) keys.push_back(k);
  for (auto& group : zips)
    for (auto& [k, v] : group) keys.push_back(k);
  return keys;
}

std::string SweepPlan::default_out() const {
  return !out.empty() ? out : (std::filesystem::path("results") / std::filesystem::path(source).stem()).string();
}

SweepPlan parse_sweep_plan(const std::string& text, const std::string& source) {
  toml::table root = parse_toml(text, source);
  SweepPlan plan;
  plan.source = source;
  // A key may appear in only one of fixed / grid / zip, under one spelling: batch-size and
  // batch_size are one option (the later would silently win).
  std::map<std::string, std::string> seen;  // option with '_' -> the key as written
  auto claim = [&](const std::string& key, const std::string& where) {
    std::string norm = key;
    std::replace(norm.begin(), norm.end(), '-', '_');
    auto [it, fresh] = seen.emplace(norm, key);
    NNC_CHECK(fresh || it->second != key, "{}: '{}' appears more than once ({} repeats it)", source,
              shown(key), where);
    NNC_CHECK(fresh, "{}: '{}' and '{}' are the same option ({} repeats it): keep one", source,
              shown(it->second), shown(key), where);
  };
  for (auto& [k, node] : root) {
    std::string key(k.str());
    if (key == "kind" || key == "out") {
      NNC_CHECK(node.is_string(), "{}: '{}' must be a string", source, key);
      (key == "kind" ? plan.kind : plan.out) = *node.value<std::string>();
    } else if (key == "fixed") {
      for (auto& [fk, fnode] : table_at(node, source + ": [fixed]")) {
        std::string where = fmt::format("{}: [fixed] {}", source, fk.str());
        claim(std::string(fk.str()), "[fixed]");
        plan.fixed.emplace_back(std::string(fk.str()), scalar(fnode, where));
      }
    } else if (key == "grid") {
      for (auto& [gk, gnode] : table_at(node, source + ": [grid]")) {
        claim(std::string(gk.str()), "[grid]");
        plan.grid.emplace_back(std::string(gk.str()),
                               list(gnode, fmt::format("{}: [grid] {}", source, gk.str())));
      }
    } else if (key == "zip") {
      const auto* groups = node.as_array();
      NNC_CHECK(groups && groups->is_array_of_tables(),
                "{}: 'zip' must be written as [[zip]] tables of equal-length lists", source);
      for (size_t g = 0; g < groups->size(); ++g) {
        std::vector<std::pair<std::string, std::vector<Value>>> group;
        for (auto& [zk, znode] : *groups->get(g)->as_table()) {
          std::string where = fmt::format("{}: [[zip]] #{} {}", source, g + 1, zk.str());
          claim(std::string(zk.str()), fmt::format("[[zip]] #{}", g + 1));
          group.emplace_back(std::string(zk.str()), list(znode, where));
          NNC_CHECK(group.back().second.size() == group.front().second.size(),
                    "{}: [[zip]] #{}: '{}' has {} values but '{}' has {}; lists in one zip group "
                    "vary together and must have equal lengths",
                    source, g + 1, group.back().first, group.back().second.size(),
                    group.front().first, group.front().second.size());
        }
        NNC_CHECK(!group.empty(), "{}: [[zip]] #{} is empty", source, g + 1);
        plan.zips.push_back(std::move(group));
      }
    } else {
      fail("{}: unexpected top-level key '{}' (a plan has kind, out, [fixed], [grid] and "
           "[[zip]]; options go in [fixed] or [grid])",
           source, key);
    }
  }
  NNC_CHECK(!plan.kind.empty(), "{}: missing 'kind' (e.g. kind = \"train\")", source);
  return plan;
}

SweepPlan load_sweep_plan(const std::string& path) {
  std::ifstream f(path);
  NNC_CHECK(f, "cannot read sweep plan '{}': no such file or not readable", path);
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_sweep_plan(ss.str(), path);
}

Expansion expand(const SweepPlan& plan, const std::vector<OptionSpec>& specs) {
  RunConfig base(plan.kind, specs);
  auto set = [&](RunConfig& c, const std::string& key, const Value& v, const std::string& where) {
    try {
      c.set(key, v);
    } catch (const Error& e) {
      fail("{}: {}: {}", plan.source, where, e.what());
    }
  };
  for (auto& [k, v] : plan.fixed) set(base, k, v, "[fixed]");
  // Axes: each grid key, then each zip group; `width` values per axis.
  struct Axis {
    std::vector<std::pair<std::string, const std::vector<Value>*>> keys;
    size_t width;
    std::string where;
  };
  std::vector<Axis> axes;
  for (auto& [k, values] : plan.grid) axes.push_back({{{k, &values}}, values.size(), "[grid]"});
  for (size_t g = 0; g < plan.zips.size(); ++g) {
    Axis a{{}, plan.zips[g].front().second.size(), fmt::format("[[zip]] #{}", g + 1)};
    for (auto& [k, values] : plan.zips[g]) a.keys.emplace_back(k, &values);
    axes.push_back(std::move(a));
  }
  // Check every value once (so an error names the first bad one, not the nth run).
  for (auto& a : axes)
    for (auto& [k, values] : a.keys)
      for (auto& v : *values) {
        RunConfig probe = base;
        set(probe, k, v, a.where);
      }
  // Each run holds a full RunConfig (about 20 KB with a kind's option list) and takes ~0.2 ms
  // to expand: 100,000 bounds a plan to seconds and a few GB; bigger sweeps are split.
  constexpr size_t kMaxRuns = 100'000;
  size_t total = 1;
  for (auto& a : axes) {
    NNC_CHECK(total <= kMaxRuns / a.width,
              "{}: the plan expands to more than {} runs (split it into several plans)",
              plan.source, kMaxRuns);
    total *= a.width;
  }
  Expansion ex;
  for (auto& k : plan.varying_keys()) ex.varying_keys.push_back(canonical_key(k, specs));
  std::unordered_set<std::string> ids;
  std::vector<size_t> pos(axes.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    RunConfig c = base;
    for (size_t i = 0; i < axes.size(); ++i)
      for (auto& [k, values] : axes[i].keys) c.set(k, (*values)[pos[i]]);
    std::string id = c.id();
    if (ids.insert(id).second) ex.runs.push_back({std::move(c), std::move(id)});
    else ++ex.duplicates;
    for (size_t i = axes.size(); i-- > 0;) {  // odometer: the last axis varies fastest
      if (++pos[i] < axes[i].width) break;
      pos[i] = 0;
    }
  }
  return ex;
}

}  // namespace nnc::experiment
