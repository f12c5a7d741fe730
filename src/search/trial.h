#pragma once
// Trial: one evaluated (or failed) configuration of a study.
#include <cstdint>
#include <string>
#include <vector>

#include "search/search_space.h"

namespace nnc::search {

enum class TrialState {
  kComplete,  ///< the objective returned finite values for every metric
  kFailed,    ///< the objective threw (with catch_errors) or returned NaN/inf
};
std::string to_string(TrialState s);

struct Trial {
  int number = 0;             ///< position in the study, 0-based
  std::vector<int> index;     ///< choice index per parameter (search-space order)
  std::vector<Value> params;  ///< decoded choices, same order
  /// Raw metric values as returned by the objective, one per metric.
  std::vector<double> values;
  /// scale_k * values[k], one per metric (the "scaled metrics" of the original).
  std::vector<double> scaled;
  /// What is optimized, in the user's orientation: one entry (the signed scaled sum) for a
  /// single-objective study, else one scaled metric per objective. See ObjectiveSpec.
  std::vector<double> objectives;
  /// `objectives` turned into minimization form (negated where maximized): what samplers rank.
  std::vector<double> losses;
  TrialState state = TrialState::kComplete;
  std::string error;           ///< why it failed (empty when complete)
  int duplicate_of = -1;       ///< dedup=cache: number of the earlier identical trial, else -1
  double objective_seconds = 0;  ///< time in the objective callback
  double sampler_seconds = 0;    ///< time in Sampler::ask for this trial

  bool complete() const { return state == TrialState::kComplete; }
};

}  // namespace nnc::search
