#pragma once
// The built-in experiment kinds, one file each (train_kind.cpp, replay_kind.cpp, ...).
#include "experiment/experiment_kind.h"

namespace nnc::experiment {

ExperimentKind train_kind();

/// Adds every built-in kind to kind_registry() (idempotent).
void register_builtin_kinds();

}  // namespace nnc::experiment
