#pragma once
// One weight-approximation run of an experiment (docs/cgp.md): the CGP problem built from a
// model's int8 weights (dataset, grid and multiplexing resolved the original's way), the
// evolved circuit, and its outputs decoded back into weights with how far they moved.
//
// Example:
//   auto e = make_weight_experiment("layer-bypass");
//   WeightProblem p = weight_problem(*e, layers, request);          // log p.options.describe()
//   WeightApproximation a = approximate_weights(*e, layers, p, CostTable::unit_default());
//   // a.weights: the circuit's int8 weights; a.changed of a.inferred differ
#include <cstdint>
#include <vector>

#include "cgp/cost_table.h"
#include "cgp/dataset.h"
#include "cgp/evolution.h"
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

/// What a run asks for beyond the experiment; grid and multiplexing may be left to it.
struct WeightRequest {
  int rows = 0, cols = 0;          ///< grid; 0 = the experiment's default_grid()
  std::string multiplex = "auto";  ///< auto (the experiment's default) | on | off
  /// >= 0: threshold = int(m^2 x scored weights) in SE units (the original's driver: RMS per
  /// weight m); needs metric SE. < 0: evolution's own threshold.
  double rms_threshold = -1;
  /// The N most frequent distinct weight values given as constant inputs (with_given_values;
  /// the thesis's "missing weights": 0 = none, all distinct = pure wiring).
  int given_values = 0;
  Options evolution{0, 0};         ///< everything else; its grid and multiplexing are replaced
};

/// The problem an experiment poses for these layers.
struct WeightProblem {
  Dataset data;
  Options options{0, 0};  ///< grid, multiplexing and threshold resolved
  int64_t scored = 0;     ///< scored outputs = weights the circuit infers
  int given = 0;          ///< constant inputs added by WeightRequest::given_values
  int distinct = 0;       ///< distinct scored weight values
};
WeightProblem weight_problem(const WeightExperiment& experiment,
                             const std::vector<WeightLayer>& layers, const WeightRequest& request);

struct WeightApproximation {
  Result result;                    ///< the evolved circuit
  std::vector<WeightLayer> weights; ///< its outputs decoded into the layers
  int64_t changed = 0;              ///< weights that differ from the reference
  double rmse_int8 = 0;             ///< over the scored weights, in int8 steps
};
/// Evolves the problem's circuit and decodes its outputs.
WeightApproximation approximate_weights(const WeightExperiment& experiment,
                                        const std::vector<WeightLayer>& layers,
                                        const WeightProblem& problem, const CostTable& costs);

/// The original's threshold list (--mse-thresholds): one evolution carried through several
/// thresholds in decreasing order (SE/MSE/AE units as the problem's metric), each stage
/// starting from the previous stage's circuit under the problem's options (seed + stage,
/// stats rows with run = stage). One approximation per threshold: a checkpoint each.
std::vector<WeightApproximation> approximate_weights_stepwise(
    const WeightExperiment& experiment, const std::vector<WeightLayer>& layers,
    const WeightProblem& problem, const CostTable& costs, const std::vector<int64_t>& thresholds);
/// RMS values per weight (the original's driver) -> thresholds in SE units for `scored`
/// weights: int(m^2 x scored). Fails unless they decrease strictly.
std::vector<int64_t> rms_to_se_thresholds(const std::vector<double>& rms, int64_t scored);

/// A saved circuit (its shape checked against `data` by the caller: cgp/saved_circuits.h)
/// decoded into the layers, its error (in `metric`) and costs recomputed; no evolution
/// (result.generations 0).
WeightApproximation reevaluate_weights(const WeightExperiment& experiment,
                                       const std::vector<WeightLayer>& layers, const Dataset& data,
                                       const Genome& genome, const CostTable& costs, Metric metric);

}  // namespace nnc::cgp
