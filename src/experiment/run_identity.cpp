#include "experiment/run_identity.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "experiment/experiment_kind.h"

namespace nnc::experiment {

std::string current_run_id(const RunRecord& record) {
  // An imported run's id names its file, not a configuration (import/importer.h).
  if (record.tags.count("imported_from")) return record.id;
  NNC_CHECK(kind_registry().contains(record.kind), "unknown experiment kind '{}'", shown(record.kind));
  const ExperimentKind kind = kind_registry().create(record.kind);
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
  return config.id();
}

}  // namespace nnc::experiment
