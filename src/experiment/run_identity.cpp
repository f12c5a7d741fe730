#include "experiment/run_identity.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "experiment/experiment_kind.h"

namespace nnc::experiment {

namespace {

ExperimentKind kind_of(const RunRecord& record) {
  NNC_CHECK(kind_registry().contains(record.kind), "unknown experiment kind '{}'", shown(record.kind));
  return kind_registry().create(record.kind);
}

/// The kind's config with the recorded options set (the others at their defaults).
RunConfig recorded_config(const RunRecord& record, const ExperimentKind& kind) {
  RunConfig config(record.kind, kind.options);
  const auto stored = nlohmann::json::parse(record.config_json, nullptr, false);
  NNC_CHECK(stored.is_object(), "its recorded config is not a JSON object");
  for (const auto& [key, value] : stored.items()) {
    if (value.is_boolean()) config.set(key, value.get<bool>());
    else if (value.is_number_integer()) config.set(key, value.get<int64_t>());
    else if (value.is_number()) config.set(key, value.get<double>());
    else if (value.is_string()) config.set(key, value.get<std::string>());
    else fail("option '{}' has a value of no option type", key);
  }
  return config;
}

}  // namespace

std::string current_run_id(const RunRecord& record) {
  // An imported run's id names its file, not a configuration (import/importer.h).
  if (record.tags.count("imported_from")) return record.id;
  const ExperimentKind kind = kind_of(record);
  return recorded_config(record, kind).id();
}

std::map<std::string, std::string> current_report_tags(const RunRecord& record) {
  const ExperimentKind kind = kind_of(record);
  if (!kind.report_tags) return {};
  return kind.report_tags(recorded_config(record, kind));
}

}  // namespace nnc::experiment
