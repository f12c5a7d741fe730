#pragma once
// Reading a RunRecord's fields the way every view needs them: config values as text,
// metrics with a default, tags with fallbacks.
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiment/run_record.h"

namespace nnc::report {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// The run's resolved config ({} when empty or not JSON).
nlohmann::json config_of(const experiment::RunRecord& r);
/// A config value as text: strings as they are, numbers shortest ("0.9", "3"), "" if absent.
std::string config_text(const nlohmann::json& config, const std::string& key);
/// A config value as a number (numbers, numeric strings, booleans); NaN if absent.
double config_number(const nlohmann::json& config, const std::string& key);
/// The first of `keys` present in the metrics; NaN if none.
double metric(const experiment::RunRecord& r, std::initializer_list<const char*> keys);
/// The first of `keys` present (non-empty) in the tags; "" if none.
std::string tag(const experiment::RunRecord& r, std::initializer_list<const char*> keys);
/// Completed runs of `kind` (all completed runs when kind is empty).
std::vector<experiment::RunRecord> completed(const std::vector<experiment::RunRecord>& runs,
                                             const std::string& kind);

}  // namespace nnc::report
