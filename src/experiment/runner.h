#pragma once
// Runs one configured experiment with its full record life cycle: a new attempt recorded
// 'running', then one transaction writing 'completed' (with metrics) or 'failed' (with the
// reason). The run row follows its attempts until it is completed; after that a new attempt
// is recorded beside it and the completed row is never touched (results_store.h).
#include <string>

#include "experiment/experiment_kind.h"
#include "experiment/results_store.h"

namespace nnc::experiment {

struct RunOutcome {
  RunRecord record;
  bool skipped = false;  ///< already completed in the store
  /// The run was already completed: this attempt (record.attempt) is recorded beside it.
  bool beside_completed = false;
};

/// With skip_completed, a run whose id is completed in `store` is not run again; without
/// it, a completed run gets a new attempt (the completed result stays the run's result).
RunOutcome run_one(const ExperimentKind& kind, const RunConfig& config, ResultsStore& store,
                   const std::string& out_dir, bool skip_completed);

}  // namespace nnc::experiment
