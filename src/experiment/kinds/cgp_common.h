#pragma once
// What the cgp and cgp-eval kinds share: their model and layer options, the trained model
// with the int8 reference of the selected layers, the cost table, and recording one
// substituted model (docs/cgp.md).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cgp/cost_table.h"
#include "cgp/weight_approximation.h"
#include "cgp/weight_experiment.h"
#include "experiment/experiment_kind.h"
#include "models/model.h"
#include "quant/int8_weights.h"
#include "train/evaluate.h"

namespace nnc::experiment {

/// data, model, layers, checkpoint, experiment, costs, eval_batch_size, training options (and
/// the experiments' own options).
std::vector<OptionSpec> cgp_model_options();

cgp::CostTable cost_table_of(const RunConfig& c);
/// --dry-run's layer check: the selection against an untrained model (names and kernel shapes
/// do not depend on the data's image size).
void check_layer_selection(const RunConfig& c);

/// The trained (or loaded) model with the selected layers in int8: the reference a circuit's
/// weights are measured against.
struct Int8Reference {
  models::ModelPtr model;
  std::vector<std::string> names;           ///< selected layers, in order
  std::vector<quant::Int8Weights> int8;     ///< their int8 weights (with scales)
  std::vector<cgp::WeightLayer> layers;     ///< the same as the CGP pillar reads them
  train::EvalResult float_eval, ref_eval;   ///< float model, int8 model
  std::function<train::EvalResult()> evaluate;  ///< test-set evaluation of the model as it is now
};
/// Trains or loads the model, quantizes it, records float_* and ref_* and logs them.
Int8Reference int8_reference(RunContext& ctx, const cgp::WeightExperiment& experiment,
                             const std::string& what);

/// Substitutes the circuit's weights and evaluates; the int8 model is restored by the next
/// call (every selected layer is written whole).
train::EvalResult evaluate_substituted(const Int8Reference& ref, const cgp::WeightApproximation& a);

void record_eval3(RunRecord& r, const std::string& prefix, const train::EvalResult& e);
/// delta_top1/top5/loss of `sub` against the int8 reference.
void record_deltas(RunRecord& r, const train::EvalResult& ref, const train::EvalResult& sub);

}  // namespace nnc::experiment
