#pragma once
// The quantization (+ width) search: a SearchSpace built from a plan's seed and a trained
// model, an objective that measures a FRESH quantized copy of the model per trial on the
// evaluation data, search::optimize, and every trial's metrics kept for the outputs.
//
// Space (MASE's mixed_precision_ptq, with its `by = "type"` bug fixed):
//  - by = "name": one group of parameters per quantizable layer (linear, conv2d, relu),
//    drawn from seed.<layer name> when present, else seed.default; named "<layer>.<field>".
//  - by = "type": one group per op type present in the model, from seed.<op type>, else
//    seed.default; named "<op>.<field>", and applied to every layer of that type.
//  - width parameters (see width_search.h) are appended when the plan asks for them.
// Fixed original defects: metrics are computed afresh per trial (nothing accumulates), each
// trial quantizes its own copy (the shared graph is never mutated), the evaluation data is
// the caller's validation split, not the training data.
//
// Example:
//   QuantSearch s(base, train_source, val_source, 10, options);
//   QuantSearchResult r = s.run();
//   write_trials_csv(r, csv);
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "quant/metrics.h"
#include "quant/quantized_model.h"
#include "quant/search_plan.h"
#include "quant/width_search.h"
#include "search/study.h"

namespace nnc::quant {

struct QuantSearchOptions {
  SearchPlan plan;
  search::StudyOptions study;  ///< usually plan.search.study_options(seed), then overrides
  MeasureOptions measure;
};

/// One group of searched fields: a layer name (by name) or an op type (by type).
struct QuantTarget {
  std::string key;       ///< layer name or op type the config is applied to
  std::string seed_key;  ///< the seed entry its choices come from ("default", "fc1", "linear")
  std::vector<std::string> fields;  ///< "weight_width", ...
  std::vector<size_t> params;       ///< their positions in the search space
};

/// A chosen trial (the best, or one of the Pareto set) re-measured on held-out data.
struct TestedTrial {
  const search::Trial* trial = nullptr;  ///< in the result's study
  std::string config;                    ///< its model's description
  QuantMetrics test;                     ///< measured on the held-out data
};

struct QuantSearchResult {
  search::SearchSpace space;
  search::StudyResult study;
  /// Every metric of every trial (index = trial number; empty for failed trials).
  std::vector<std::optional<QuantMetrics>> metrics;
  /// The best trial (single objective) or the Pareto set (several), as trial numbers.
  std::vector<size_t> best;
  int widths_trained = 0;
  double width_train_seconds = 0;
};

class QuantSearch {
 public:
  /// `base`: the trained float model (searched without width parameters). `train_data`
  /// trains width candidates; `eval_data` scores every trial. Both must outlive the search.
  QuantSearch(QuantizedModelPtr base, const train::BatchSource& train_data,
              const train::BatchSource& eval_data, int64_t num_classes,
              QuantSearchOptions options);

  const search::SearchSpace& space() const { return space_; }
  const std::vector<QuantTarget>& targets() const { return targets_; }
  /// The width candidates trained so far (by run(); e.g. to save their weights).
  const WidthCandidates& widths() const { return widths_; }

  /// The quantization config described by a trial's parameter values.
  QuantConfig config_of(const std::vector<search::Value>& params) const;
  /// A fresh model for the trial's parameters (width candidate + config), never shared.
  QuantizedModelPtr model_of(const std::vector<search::Value>& params);
  /// The trial objective's measurements: model_of(params) measured on the evaluation data.
  QuantMetrics evaluate(const std::vector<search::Value>& params);

  QuantSearchResult run(std::function<void(const search::StudyProgress&)> on_trial = {});
  /// The result's best trial(s) re-measured on `held_out` (data the search never saw).
  std::vector<TestedTrial> test_best(const QuantSearchResult& result, const train::BatchSource& held_out);
  void describe(std::ostream& os) const;

 private:
  QuantizedModelPtr base_;
  const train::BatchSource& eval_;
  int64_t num_classes_;
  QuantSearchOptions options_;
  search::SearchSpace space_;
  std::vector<QuantTarget> targets_;
  std::vector<std::string> notes_;  ///< seed entries that do not apply with this `by`
  WidthCandidates widths_;
};

/// The data of a search: `fit` trains (the base model, width candidates), `eval` scores trials.
struct SearchData {
  data::Dataset fit, eval;
  std::string description;  ///< one line for the run log
};
/// data_loader (the plan's [search.strategy.sw_runner.basic_evaluation]):
///  - val_dataloader: eval = a stratified `val_fraction` of `train` (data::split_train_val with
///    `seed`), fit = the rest, so no trial is scored on data the model was trained on;
///  - test_dataloader: eval = `test`, fit = `train`;
///  - train_dataloader: eval = fit = `train` (the original's behaviour; optimistic).
/// num_samples > 0 keeps the first N evaluation samples.
SearchData split_search_data(const data::Dataset& train, const data::Dataset& test,
                             const std::string& data_loader, double val_fraction,
                             int64_t num_samples, uint64_t seed);

/// One row per trial: number, state, each parameter, every metric, the scaled optimized
/// metrics, the objective value(s), seconds, error.
void write_trials_csv(const QuantSearchResult& result, std::ostream& os);
/// The same as a JSON array (2-space indented).
std::string trials_json(const QuantSearchResult& result);
/// {"mode": "single"|"pareto", "trials": [...]} for the best trial or the Pareto set.
std::string best_json(const QuantSearchResult& result);

}  // namespace nnc::quant
