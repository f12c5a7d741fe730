#pragma once
// StudyResult: every trial of a study, with its best trial or Pareto front.
#include <string>
#include <vector>

#include "search/objective.h"
#include "search/trial.h"

namespace nnc::search {

struct StudyResult {
  ObjectiveSpec spec;
  std::string sampler;
  std::vector<Trial> trials;  ///< every trial, in order (trials[i].number == i)
  bool timed_out = false;     ///< stopped by timeout_s
  bool exhausted = false;     ///< stopped early: no unseen configuration left
  double seconds = 0;         ///< wall time of the study
  double sampler_seconds = 0; ///< total time spent in Sampler::ask

  size_t n_complete() const;
  /// Best complete trial of a single-objective study (ties: the earliest). Fails for a
  /// multi-objective study (use pareto_front()) or when no trial completed.
  const Trial& best() const;
  /// Indices into `trials` of the complete, non-dominated trials w.r.t. the objectives and
  /// their directions (one objective: every trial tied at the best value).
  std::vector<size_t> pareto_front() const;
};

}  // namespace nnc::search
