#pragma once
// Runs as CSV (one row per run: id, kind, status, every config key, every metric) or JSON.
#include <string>
#include <vector>

#include "experiment/run_record.h"

namespace nnc::experiment {

std::string runs_to_csv(const std::vector<RunRecord>& runs);
std::string runs_to_json(const std::vector<RunRecord>& runs);

}  // namespace nnc::experiment
