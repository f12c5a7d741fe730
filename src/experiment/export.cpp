#include "experiment/export.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <map>
#include <set>

#include "core/csv.h"

namespace nnc::experiment {

namespace {
std::string json_scalar(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}
}  // namespace

std::string runs_to_csv(const std::vector<RunRecord>& runs) {
  std::vector<std::string> config_keys, metric_keys, tag_keys;
  std::set<std::string> seen_c, seen_m, seen_t;
  std::vector<nlohmann::json> configs;
  for (auto& r : runs) {
    configs.push_back(nlohmann::json::parse(r.config_json.empty() ? "{}" : r.config_json));
    for (auto& [k, v] : configs.back().items())
      if (seen_c.insert(k).second) config_keys.push_back(k);
    for (auto& [k, v] : r.metrics)
      if (seen_m.insert(k).second) metric_keys.push_back(k);
    for (auto& [k, v] : r.tags)
      if (seen_t.insert(k).second) tag_keys.push_back(k);
  }
  // One name per column: a name two groups share (cgp's option and metric `threshold`, a
  // metric called `error`) is written as group.name in each (pandas would read `name.1`).
  std::vector<std::string> fixed = {"run_id", "kind", "status", "run_time", "started_at", "error"};
  std::map<std::string, int> groups_of;
  for (const std::vector<std::string>* keys : {&fixed, &config_keys, &metric_keys, &tag_keys})
    for (auto& k : *keys) ++groups_of[k];
  auto column = [&](const char* group, const std::string& k) {
    return csv_field(groups_of[k] > 1 ? std::string(group) + "." + k : k);
  };
  std::string out = column("run", "run_id") + "," + column("run", "kind") + "," + column("run", "status");
  for (auto& k : config_keys) out += "," + column("config", k);
  for (auto& k : metric_keys) out += "," + column("metric", k);
  for (auto& k : tag_keys) out += "," + column("tag", k);
  for (auto* k : {"run_time", "started_at", "error"}) out += "," + column("run", k);
  out += "\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    auto& r = runs[i];
    out += fmt::format("{},{},{}", r.id, r.kind, to_string(r.status));
    for (auto& k : config_keys)
      out += "," + (configs[i].contains(k) ? csv_field(json_scalar(configs[i][k])) : "");
    for (auto& k : metric_keys)
      out += "," + (r.metrics.count(k) ? fmt::format("{}", r.metrics.at(k)) : std::string());
    for (auto& k : tag_keys) out += "," + (r.tags.count(k) ? csv_field(r.tags.at(k)) : "");
    out += fmt::format(",{},{},{}\n", r.run_time_s, r.started_at, csv_field(r.error));
  }
  return out;
}

std::string runs_to_json(const std::vector<RunRecord>& runs) {
  auto arr = nlohmann::json::array();
  for (auto& r : runs) {
    arr.push_back({{"id", r.id},
                   {"kind", r.kind},
                   {"status", to_string(r.status)},
                   {"config", nlohmann::json::parse(r.config_json.empty() ? "{}" : r.config_json)},
                   {"metrics", r.metrics},
                   {"tags", r.tags},
                   {"series", r.series},
                   {"artifacts", r.artifacts},
                   {"error", r.error},
                   {"started_at", r.started_at},
                   {"finished_at", r.finished_at},
                   {"run_time_s", r.run_time_s},
                   {"host", r.host}});
  }
  return arr.dump(2) + "\n";
}

}  // namespace nnc::experiment
