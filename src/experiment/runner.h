#pragma once
// Runs one configured experiment with its full record life cycle: a 'running' row,
// then one transaction writing 'completed' (with metrics) or 'failed' (with the reason).
#include <string>

#include "experiment/experiment_kind.h"
#include "experiment/results_store.h"

namespace nnc::experiment {

struct RunOutcome {
  RunRecord record;
  bool skipped = false;  ///< already completed in the store
};

/// With skip_completed, a run whose id is completed in `store` is not run again.
RunOutcome run_one(const ExperimentKind& kind, const RunConfig& config, ResultsStore& store,
                   const std::string& out_dir, bool skip_completed);

}  // namespace nnc::experiment
