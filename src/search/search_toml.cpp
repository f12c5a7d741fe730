#include "search/search_toml.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "core/error.h"
#include "core/toml_parse.h"

namespace nnc::search {
namespace {

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "a list";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date/time";
  }
}

std::string render(const toml::node& n) {
  std::ostringstream os;
  n.visit([&](auto&& v) { os << v; });
  return os.str();
}

const toml::table* sub_table(const toml::table& parent, std::string_view key,
                             const std::string& where, bool required) {
  const std::string path = where.empty() ? std::string(key) : where + "." + std::string(key);
  const toml::node* n = parent.get(key);
  if (!n) {
    NNC_CHECK(!required, "missing [{}] table", path);
    return nullptr;
  }
  const toml::table* t = n->as_table();
  NNC_CHECK(t != nullptr, "{}: expected a table, got {}", path, type_name(*n));
  return t;
}

std::string get_string(const toml::node& n, const std::string& key) {
  auto s = n.value<std::string>();
  NNC_CHECK(n.is_string() && s, "{}: expected a string, got {} ({})", key, type_name(n),
            render(n));
  return *s;
}

bool get_bool(const toml::node& n, const std::string& key) {
  NNC_CHECK(n.is_boolean(), "{}: expected true or false, got {} ({})", key, type_name(n),
            render(n));
  return *n.value<bool>();
}

double get_number(const toml::node& n, const std::string& key) {
  NNC_CHECK(n.is_number(), "{}: expected a number, got {} ({})", key, type_name(n), render(n));
  return *n.value<double>();
}

int64_t get_int(const toml::node& n, const std::string& key) {
  NNC_CHECK(n.is_integer(), "{}: expected an integer, got {} ({})", key, type_name(n), render(n));
  return *n.value<int64_t>();
}

Value choice(const toml::node& n, const std::string& key, size_t i) {
  if (n.is_integer()) return *n.value<int64_t>();
  if (n.is_floating_point()) return *n.value<double>();
  if (n.is_string()) return *n.value<std::string>();
  fail("{}[{}]: expected an integer, a float or a string (e.g. \"NA\"), got {} ({})", key, i,
       type_name(n), render(n));
}

/// A list of strings (parameter names such as "default.weight_width").
std::vector<std::string> name_list(const toml::node& n, const std::string& key) {
  const toml::array* list = n.as_array();
  NNC_CHECK(list != nullptr, "{}: expected a list of parameter names, got {} ({}); e.g. "
            "[\"default.weight_width\"]", key, type_name(n), render(n));
  std::vector<std::string> out;
  for (size_t i = 0; i < list->size(); ++i)
    out.push_back(get_string(*list->get(i), key + "[" + std::to_string(i) + "]"));
  return out;
}

void parse_space(const toml::table& space, SearchConfig& cfg) {
  const std::string where = "search.search_space";
  if (const toml::node* n = space.get("name")) cfg.space_name = get_string(*n, where + ".name");
  std::vector<std::string> categorical;
  if (const toml::table* setup = sub_table(space, "setup", where, false)) {
    if (const toml::node* n = setup->get("by")) cfg.setup_by = get_string(*n, where + ".setup.by");
    if (const toml::node* n = setup->get("categorical")) categorical = name_list(*n, where + ".setup.categorical");
  }
  const toml::table* seed = sub_table(space, "seed", where, true);
  for (auto& [key, node] : toml_in_file_order(*seed)) {
    const std::string at = where + ".seed." + key;
    const toml::table* entry = node->as_table();
    NNC_CHECK(entry != nullptr, "{}: expected a table with a config table ([{}.config]), got {}",
              at, at, type_name(*node));
    for (auto& [k, v] : *entry)
      NNC_CHECK(k.str() == "config", "{}.{}: unexpected key; choices go in [{}.config]", at,
                k.str(), at);
    const toml::table* config = sub_table(*entry, "config", at, true);
    for (auto& [field, value] : toml_in_file_order(*config)) {
      const std::string full = at + ".config." + field;
      const toml::array* list = value->as_array();
      NNC_CHECK(list != nullptr,
                "{}: expected a list of choices, got {} ({}); write [{}] for a single choice",
                full, type_name(*value), render(*value), render(*value));
      NNC_CHECK(!list->empty(), "{}: the list of choices is empty (give at least one)", full);
      std::vector<Value> choices;
      for (size_t i = 0; i < list->size(); ++i) choices.push_back(choice(*list->get(i), full, i));
      cfg.space.add(key + "." + field, std::move(choices));
      cfg.seed_params.push_back(SeedParameter{key, field});
    }
  }
  NNC_CHECK(!cfg.space.empty(),
            "{}.seed: no parameters (add e.g. [{}.seed.default.config] weight_width = [4, 8])",
            where, where);
  for (const std::string& name : categorical) {
    try {
      cfg.space.set_categorical(name);
    } catch (const Error& e) {
      fail("{}.setup.categorical: {}", where, e.what());
    }
  }
}

/// What [search.strategy.setup] said about the objective (the metrics' defaults depend on it).
struct SetupFlags {
  bool have_sum = false, have_direction = false;
  Direction direction = Direction::kMaximize;
};

Direction direction_of(const toml::node& n, const std::string& key) {
  const std::string d = get_string(n, key);
  NNC_CHECK(d == "minimize" || d == "maximize",
            "{}: unknown direction '{}': expected minimize or maximize", key, d);
  return parse_direction(d);
}

SetupFlags parse_setup(const toml::table& setup, const std::string& sw, SearchConfig& cfg) {
  SetupFlags flags;
  bool have_trials = false;
  for (auto& [k, v] : toml_in_file_order(setup)) {
    const std::string key = sw + "." + k;
    if (k == "n_trials") {
      const int64_t n = get_int(*v, key);
      NNC_CHECK(n >= 1 && n <= 100000000, "{}: {} must be in [1, 100000000]", key, n);
      cfg.setup.n_trials = static_cast<int>(n);
      have_trials = true;
    } else if (k == "timeout") {
      cfg.setup.timeout_s = get_number(*v, key);
      NNC_CHECK(std::isfinite(cfg.setup.timeout_s) && cfg.setup.timeout_s >= 0,
                "{}: {} must be a finite number of seconds >= 0 (0 = none)", key,
                cfg.setup.timeout_s);
    } else if (k == "sampler") {
      cfg.setup.sampler = get_string(*v, key);
      NNC_CHECK(sampler_registry().contains(cfg.setup.sampler),
                "{}: unknown sampler '{}': expected one of {}", key, cfg.setup.sampler,
                sampler_registry().joined_names());
    } else if (k == "sum_scaled_metrics") {
      cfg.objective.sum_scaled_metrics = get_bool(*v, key);
      flags.have_sum = true;
    } else if (k == "direction") {
      flags.direction = direction_of(*v, key);
      flags.have_direction = true;
    } else if (k == "n_jobs") {
      cfg.setup.n_jobs = static_cast<int>(get_int(*v, key));
      cfg.ignored.push_back(key + " (trials run one at a time)");
    } else {
      cfg.ignored.push_back(key + " (unknown setup key)");
    }
  }
  NNC_CHECK(have_trials, "{}: missing n_trials (e.g. n_trials = 20)", sw);
  return flags;
}

/// One metric: its scale (default 1) and direction (default the study's when summing).
Metric parse_metric(const std::string& name, const toml::node& node, const std::string& at,
                    bool default_direction_ok, Direction study_direction) {
  const toml::table* m = node.as_table();
  NNC_CHECK(m != nullptr, "{}: expected {}.scale and {}.direction, got {} ({})", at, name, name,
            type_name(node), render(node));
  Metric metric;
  metric.name = name;
  bool have_dir = false;
  for (auto& [k, v] : *m) {
    const std::string key = at + "." + std::string(k.str());
    if (k.str() == "scale") {
      metric.scale = get_number(v, key);
    } else if (k.str() == "direction") {
      metric.direction = direction_of(v, key);
      have_dir = true;
    } else {
      fail("{}: unknown key; a metric has scale and direction", key);
    }
  }
  if (!have_dir) {
    NNC_CHECK(default_direction_ok, "{}: missing direction (\"maximize\" or \"minimize\")", at);
    metric.direction = study_direction;
  }
  return metric;
}

void parse_strategy(const toml::table& strategy, SearchConfig& cfg) {
  const std::string where = "search.strategy";
  for (auto& [k, v] : toml_in_file_order(strategy))
    if (k != "setup" && k != "metrics")
      cfg.ignored.push_back(where + "." + k + " (not used by the search library)");

  const std::string sw = where + ".setup";
  const SetupFlags flags = parse_setup(*sub_table(strategy, "setup", where, true), sw, cfg);

  const toml::table* metrics = sub_table(strategy, "metrics", where, true);
  const std::string mw = where + ".metrics";
  const auto entries = toml_in_file_order(*metrics);
  NNC_CHECK(!entries.empty(), "{}: no metrics (add e.g. accuracy.scale = 1.0 and "
            "accuracy.direction = \"maximize\")", mw);
  if (entries.size() > 1)
    NNC_CHECK(flags.have_sum, "{}: missing sum_scaled_metrics: with {} metrics, say true (one summed "
              "objective) or false (Pareto front)", sw, entries.size());
  if (!flags.have_sum) cfg.objective.sum_scaled_metrics = true;
  const bool sum = cfg.objective.sum_scaled_metrics;
  if (sum && entries.size() > 1)
    NNC_CHECK(flags.have_direction, "{}: missing direction: sum_scaled_metrics = true needs "
              "direction = \"maximize\" or \"minimize\"", sw);
  const bool default_direction_ok = sum && (flags.have_direction || entries.size() == 1);
  for (auto& [name, node] : entries)
    cfg.objective.metrics.push_back(
        parse_metric(name, *node, mw + "." + name, default_direction_ok, flags.direction));
  cfg.objective.direction =
      flags.have_direction ? flags.direction : cfg.objective.metrics.front().direction;
  cfg.objective.validate();
}

}  // namespace

StudyOptions SearchConfig::study_options(uint64_t seed) const {
  StudyOptions o;
  o.n_trials = setup.n_trials;
  o.timeout_s = setup.timeout_s;
  o.sampler = setup.sampler;
  o.seed = seed;
  return o;
}

SearchConfig parse_search_toml(std::string_view text, std::string_view source) {
  toml::table root = parse_toml(text, source);
  try {
    SearchConfig cfg;
    const toml::table* search = sub_table(root, "search", "", true);
    parse_space(*sub_table(*search, "search_space", "search", true), cfg);
    parse_strategy(*sub_table(*search, "strategy", "search", true), cfg);
    return cfg;
  } catch (const Error& e) {
    fail("{}: {}", source, e.what());
  }
}

SearchConfig load_search_toml(const std::string& path) {
  std::ifstream in(path);
  NNC_CHECK(in.good(), "cannot read search config '{}': check the path", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_search_toml(ss.str(), path);
}

}  // namespace nnc::search
