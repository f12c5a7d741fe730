#include "report/run_fields.h"

#include <fmt/format.h>

#include <cstdlib>

namespace nnc::report {

nlohmann::json config_of(const experiment::RunRecord& r) {
  if (r.config_json.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(r.config_json, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : nlohmann::json::object();
}

std::string config_text(const nlohmann::json& config, const std::string& key) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_float()) return fmt::format("{}", it->get<double>());
  return it->dump();
}

double config_number(const nlohmann::json& config, const std::string& key) {
  auto it = config.find(key);
  if (it == config.end()) return kMissing;
  if (it->is_number()) return it->get<double>();
  if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == '\0') return v;
  }
  return kMissing;
}

double metric(const experiment::RunRecord& r, std::initializer_list<const char*> keys) {
  for (auto* k : keys) {
    auto it = r.metrics.find(k);
    if (it != r.metrics.end()) return it->second;
  }
  return kMissing;
}

std::string tag(const experiment::RunRecord& r, std::initializer_list<const char*> keys) {
  for (auto* k : keys) {
    auto it = r.tags.find(k);
    if (it != r.tags.end() && !it->second.empty()) return it->second;
  }
  return "";
}

std::vector<experiment::RunRecord> completed(const std::vector<experiment::RunRecord>& runs,
                                             const std::string& kind) {
  std::vector<experiment::RunRecord> out;
  for (auto& r : runs)
    if (r.status == experiment::RunStatus::Completed && (kind.empty() || r.kind == kind)) out.push_back(r);
  return out;
}

}  // namespace nnc::report
