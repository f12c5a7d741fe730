#pragma once
// Pieces several kinds share: dataset/model options and their construction.
#include <torch/types.h>

#include <string>
#include <vector>

#include "data/dataset.h"
#include "experiment/experiment_kind.h"
#include "models/model.h"
#include "train/evaluate.h"
#include "train/trainer.h"

namespace nnc::experiment {

/// dataset, data_dir, limit_train, limit_test.
std::vector<OptionSpec> data_options(const std::string& default_dataset = "fashion-mnist");
/// optimizer, lr, momentum, weight_decay, schedule, epochs, batch_size, ... with defaults.
std::vector<OptionSpec> training_options(const train::TrainOptions& defaults);
std::pair<data::Dataset, data::Dataset> load_data(const RunConfig& c);
train::TrainOptions training_from(const RunConfig& c);
/// The training options of `c`, validated (a kind's dry-run check; errors name the option).
void check_training(const RunConfig& c);
/// Model options matching a dataset's sample shape and class count.
models::ModelOptions model_options_for(const data::Dataset& d);
/// The thread count of option `key` (0 = all cores): negative refused; more than 4 per
/// hardware thread only oversubscribes (100000 spawns threads until the machine gives up), so
/// it is capped there, with a note on stderr.
int capped_threads(const RunConfig& c, const std::string& key);
/// Prepares threads and returns the device, precision and layout named in the config
/// (validated: an unknown device, a missing GPU or an unsupported precision is one error line).
train::ExecutionOptions prepare_runtime(const RunConfig& c);
/// Adds test_* metrics for an evaluation.
void record_eval(RunRecord& r, const std::string& prefix, const train::EvalResult& e);
/// Writes the per-epoch log as CSV and as record series.
void record_history(RunContext& ctx, const train::TrainResult& result);

}  // namespace nnc::experiment
