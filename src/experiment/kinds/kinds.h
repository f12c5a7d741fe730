#pragma once
// The built-in experiment kinds, one file each (train_kind.cpp, replay_kind.cpp, ...).
#include "experiment/experiment_kind.h"

namespace nnc::experiment {

ExperimentKind train_kind();
ExperimentKind prune_kind();
ExperimentKind replay_kind();
ExperimentKind pretrain_encoder_kind();
ExperimentKind pretrain_compressor_kind();
ExperimentKind quantize_kind();
ExperimentKind search_kind();
ExperimentKind cgp_kind();
ExperimentKind cgp_eval_kind();

/// Adds every built-in kind to kind_registry() (idempotent).
void register_builtin_kinds();

}  // namespace nnc::experiment
