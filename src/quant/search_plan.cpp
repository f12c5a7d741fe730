#include "quant/search_plan.h"

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "core/error.h"
#include "core/toml_parse.h"
#include "quant/lab4_width_config.h"
#include "quant/metrics.h"

namespace nnc::quant {
namespace {

int64_t int_at(const toml::node& n, const std::string& where) {
  NNC_CHECK(n.is_integer(), "{}: expected an integer", where);
  return *n.value<int64_t>();
}

double number_at(const toml::node& n, const std::string& where) {
  NNC_CHECK(n.is_number(), "{}: expected a number", where);
  return *n.value<double>();
}

std::string string_at(const toml::node& n, const std::string& where) {
  NNC_CHECK(n.is_string(), "{}: expected a string", where);
  return *n.value<std::string>();
}

void parse_width(const toml::table& t, WidthSearchOptions& w, const std::string& src) {
  const std::string at = src + ": search.width_search";
  if (const toml::table* lab4 = t.get_as<toml::table>("config")) {
    NNC_CHECK(!t.contains("mode") && !t.contains("multipliers"), "{}: with a Lab 4 config the "
              "mode and multipliers come from it (channel_multiplier = uniform, "
              "channel_multiplier_output = per layer): drop mode and multipliers", at);
    parse_lab4_width_config(*lab4, w, at + ".config");
  }
  for (auto& [k, v] : t) {
    const std::string key(k.str());
    const std::string where = at + "." + key;
    if (key == "config") {
      continue;  // read above
    } else if (key == "mode") {
      w.mode = parse_width_mode(string_at(v, where), where);
    } else if (key == "multipliers") {
      const toml::array* a = v.as_array();
      NNC_CHECK(a != nullptr && !a->empty(), "{}: expected a non-empty list of numbers", where);
      w.multipliers.clear();
      for (auto& x : *a) w.multipliers.push_back(number_at(x, where));
    } else if (key == "epochs") {
      w.budget.epochs(int_at(v, where));
    } else if (key == "lr") {
      w.budget.lr(number_at(v, where));
    } else if (key == "batch_size") {
      w.budget.batch_size(int_at(v, where));
    } else if (key == "optimizer") {
      w.budget.optimizer(string_at(v, where));
    } else {
      fail("{}: unknown key: expected mode, multipliers, epochs, lr, batch_size, optimizer or "
           "config (Lab 4's format)",
           where);
    }
  }
  try {
    w.validate();
  } catch (const Error& e) {
    fail("{}: {}", at, e.what());
  }
}

}  // namespace

SearchPlan parse_search_plan(std::string_view text, std::string_view source) {
  SearchPlan plan;
  plan.source = std::string(source);
  plan.search = search::parse_search_toml(text, source);  // syntax and structure errors first
  const toml::table root = parse_toml(text, source);
  const std::string& src = plan.source;

  const std::string by = plan.search.setup_by.empty() ? "name" : plan.search.setup_by;
  plan.by = parse_config_by(by, src + ": search.search_space.setup.by");
  NNC_CHECK(plan.by != ConfigBy::kRegexName, "{}: search.search_space.setup.by: \"regex_name\" "
            "is not supported by the search (use \"name\" or \"type\")", src);

  for (auto& m : plan.search.objective.metrics)
    check_metric_name(m.name, src + ": search.strategy.metrics." + m.name);

  if (auto* eval = root.at_path("search.strategy.sw_runner.basic_evaluation").as_table()) {
    const std::string at = src + ": search.strategy.sw_runner.basic_evaluation";
    if (auto* n = eval->get("data_loader")) {
      plan.data_loader = string_at(*n, at + ".data_loader");
      NNC_CHECK(plan.data_loader == "val_dataloader" || plan.data_loader == "test_dataloader" ||
                    plan.data_loader == "train_dataloader",
                "{}.data_loader: unknown '{}': expected val_dataloader, test_dataloader or "
                "train_dataloader", at, plan.data_loader);
    }
    if (auto* n = eval->get("num_samples")) {
      plan.num_samples = int_at(*n, at + ".num_samples");
      NNC_CHECK(plan.num_samples >= 0, "{}.num_samples: must be >= 0 (0 = all)", at);
    }
  }
  if (auto* w = root.at_path("search.width_search").as_table()) parse_width(*w, plan.width, src);
  return plan;
}

SearchPlan load_search_plan(const std::string& path) {
  std::ifstream in(path);
  NNC_CHECK(in.good(), "cannot read search plan '{}': check the path", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_search_plan(ss.str(), path);
}

}  // namespace nnc::quant
