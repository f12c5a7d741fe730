#pragma once
// The trained zoo model a compression kind (quantize, search, cgp) starts from.
#include <string>

#include "experiment/experiment_kind.h"
#include "models/model.h"
#include "train/batch_source.h"

namespace nnc::experiment {

/// The zoo model of option `model`, built from `options` under the run's seed, then loaded
/// from option `checkpoint` or, when none is given, trained on `fit` with the kind's training
/// options (the history recorded). In eval mode. `what` tags the log lines ("[quantize] ...").
models::ModelPtr trained_model(RunContext& ctx, const models::ModelOptions& options,
                               const train::BatchSource& fit, const std::string& what);

}  // namespace nnc::experiment
