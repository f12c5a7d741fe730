#include "cgp/weight_approximation.h"

#include <cmath>

#include "cgp/evaluator.h"
#include "cgp/naive_evaluator.h"
#include "core/error.h"

namespace nnc::cgp {
namespace {

bool multiplexing(const WeightExperiment& experiment, const std::string& mode) {
  return mode == "on" || (mode == "auto" && experiment.multiplex_by_default());
}

std::string names_of(const std::vector<WeightLayer>& layers) {
  std::string s;
  for (const auto& l : layers) s += (s.empty() ? "" : ", ") + l.name;
  return s;
}

/// The genome's limits (Shape::validate), named after the layers that exceed them.
void check_fits_grid(const WeightExperiment& e, const std::vector<WeightLayer>& layers,
                     const WeightProblem& p) {
  try {
    problem_shape(p.data, p.options).validate();
  } catch (const Error& err) {
    fail("cgp {} on {} ({} inputs -> {} outputs x {} item(s), grid {}x{}) does not fit a CGP "
         "genome: {}; select smaller layers, fewer layers or a smaller --rows/--cols",
         e.name(), names_of(layers), p.data.inputs, p.data.outputs, p.data.size(), p.options.rows(),
         p.options.cols(), err.what());
  }
}

/// Fills a.weights, a.changed and a.rmse_int8 from the outputs of a.result.genome.
void decode_circuit(WeightApproximation& a, const WeightExperiment& experiment,
                    const std::vector<WeightLayer>& layers, const Dataset& data) {
  const auto outputs = naive_outputs(a.result.genome, data.in);
  a.weights = experiment.decode(layers, outputs, data.outputs);
  double se = 0;
  int64_t scored = 0;
  for (int s : data.scored) scored += s;
  for (size_t l = 0; l < layers.size(); ++l)
    for (size_t i = 0; i < layers[l].q.size(); ++i) {
      const int d = int(a.weights[l].q[i]) - int(layers[l].q[i]);
      a.changed += d != 0;
      se += double(d) * d;
    }
  a.rmse_int8 = scored ? std::sqrt(se / double(scored)) : 0;
}

}  // namespace

WeightProblem weight_problem(const WeightExperiment& experiment,
                             const std::vector<WeightLayer>& layers, const WeightRequest& request) {
  WeightProblem p;
  p.data = experiment.dataset(layers);
  for (int s : p.data.scored) p.scored += s;
  const int inputs = p.data.inputs;
  p.distinct = with_given_values(p.data, 256).inputs - inputs;
  p.data = with_given_values(std::move(p.data), request.given_values);
  p.given = p.data.inputs - inputs;
  const GridSize grid = experiment.default_grid(layers);
  p.options = request.evolution;
  p.options.grid(request.rows > 0 ? request.rows : grid.rows, request.cols > 0 ? request.cols : grid.cols)
      .multiplex(multiplexing(experiment, request.multiplex));
  if (request.rms_threshold >= 0) {
    NNC_CHECK(p.options.metric() == Metric::SE,
              "option rms_threshold converts to SE units: use metric SE");
    const double rms = request.rms_threshold;
    p.options.threshold(int64_t(rms * rms * double(p.scored)));
  }
  check_fits_grid(experiment, layers, p);
  return p;
}

WeightApproximation approximate_weights(const WeightExperiment& experiment,
                                        const std::vector<WeightLayer>& layers,
                                        const WeightProblem& problem, const CostTable& costs) {
  WeightApproximation a;
  a.result = evolve(problem.data, costs, problem.options);
  decode_circuit(a, experiment, layers, problem.data);
  return a;
}

std::vector<WeightApproximation> approximate_weights_stepwise(
    const WeightExperiment& experiment, const std::vector<WeightLayer>& layers,
    const WeightProblem& problem, const CostTable& costs, const std::vector<int64_t>& thresholds) {
  NNC_CHECK(!thresholds.empty(), "cgp: a threshold list needs at least one threshold");
  for (size_t i = 1; i < thresholds.size(); ++i)
    NNC_CHECK(thresholds[i] < thresholds[i - 1], "cgp: thresholds must decrease (each stage "
              "continues the previous circuit towards a tighter one), got {} after {}",
              thresholds[i], thresholds[i - 1]);
  std::vector<WeightApproximation> stages;
  for (size_t i = 0; i < thresholds.size(); ++i) {
    Options o = problem.options;
    o.threshold(thresholds[i]).run(int(i)).seed(problem.options.seed() + i);
    WeightApproximation a;
    a.result = evolve(problem.data, costs, o, i ? &stages.back().result.genome : nullptr);
    decode_circuit(a, experiment, layers, problem.data);
    stages.push_back(std::move(a));
  }
  return stages;
}

std::vector<int64_t> rms_to_se_thresholds(const std::vector<double>& rms, int64_t scored) {
  std::vector<int64_t> se;
  for (double m : rms) {
    NNC_CHECK(m >= 0, "cgp: RMS thresholds must be >= 0, got {}", m);
    se.push_back(int64_t(m * m * double(scored)));
  }
  return se;
}

WeightApproximation reevaluate_weights(const WeightExperiment& experiment,
                                       const std::vector<WeightLayer>& layers, const Dataset& data,
                                       const Genome& genome, const CostTable& costs, Metric metric) {
  // A saved genome is final: multiplexed outputs are already wired to their table entries,
  // so it is scored as a plain circuit.
  const Problem problem(data, genome.shape(), metric, false, true);
  const FastEvaluator ev(problem, costs, genome);
  WeightApproximation a;
  a.result.genome = genome;
  a.result.error = ev.error();
  a.result.costs = ev.costs();
  a.result.stop_reason = "re-evaluated";
  decode_circuit(a, experiment, layers, data);
  return a;
}

}  // namespace nnc::cgp
