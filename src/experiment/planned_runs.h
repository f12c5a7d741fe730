#pragma once
// A sweep plan's runs under its kind, each run's values checked as its start would check them
// (registry names, ranges, budgets): a plan whose runs would fail is refused before anything
// is listed, emitted or run. Shared by `nncompress sweep` and nncompress.sweep (Python).
#include "experiment/experiment_kind.h"
#include "experiment/sweep_plan.h"

namespace nnc::experiment {

struct CheckedPlan {
  ExperimentKind kind;
  Expansion expansion;
};

/// Fails with one line naming plan.source (and the run id when a run's values are bad).
CheckedPlan plan_runs(const SweepPlan& plan);

}  // namespace nnc::experiment
