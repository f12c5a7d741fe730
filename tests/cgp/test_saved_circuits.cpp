// Saved circuits re-evaluated without evolving (cgp/saved_circuits.h, reevaluate_weights):
// a run's genome, or the top-k rows of its statistics file, give back the run's weights,
// error and costs; circuits of other layers or another grid are refused with one line.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "cgp/cgp.h"
#include "cgp/saved_circuits.h"
#include "cgp/weight_approximation.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/progress.h"

using namespace nnc::cgp;

namespace {

WeightLayer saved_layer(const std::string& name, std::vector<int64_t> shape, uint64_t seed) {
  WeightLayer w{name, shape, {}};
  int64_t n = 1;
  for (auto s : shape) n *= s;
  Rng rng(seed);
  for (int64_t i = 0; i < n; ++i) w.q.push_back(int8_t(int(rng.below(256)) - 128));
  return w;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("nnc-saved-circuits-" + name)).string();
}

std::string circuit_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nnc::Error& e) {
    return e.what();
  }
  return "(no error)";
}

struct EvolvedRun {
  std::vector<WeightLayer> layers;
  WeightProblem problem;
  WeightApproximation approx;
};

EvolvedRun evolve_small(const std::string& experiment, bool mux) {
  nnc::Progress::set_quiet(true);
  EvolvedRun r;
  r.layers = {saved_layer("conv1.weight", {6, 1, 5, 5}, 1), saved_layer("conv2.weight", {16, 6, 5, 5}, 2)};
  WeightRequest req;
  req.rows = mux ? 16 : 8;
  req.cols = mux ? 18 : 6;
  req.evolution.lambda(4).generations(300).seed(5);
  auto e = make_weight_experiment(experiment);
  r.problem = weight_problem(*e, r.layers, req);
  r.approx = approximate_weights(*e, r.layers, r.problem, CostTable::unit_default());
  return r;
}

}  // namespace

TEST(SavedCircuits, ReevaluatingTheFinalGenomeGivesTheRunsWeightsErrorAndCosts) {
  for (auto [name, mux] : {std::pair<const char*, bool>{"layer-bypass", false}, {"no-input", true},
                           {"all-layers", false}}) {
    EvolvedRun r = evolve_small(name, mux);
    auto e = make_weight_experiment(name);
    // Through the statistics file: its final row always carries the chromosome.
    const std::string csv = temp_path(std::string(name) + ".csv");
    write_stats_csv(csv, r.approx.result.stats);
    auto top = top_circuits(csv, 1, CircuitOrder::Error);
    ASSERT_EQ(top.size(), 1u);
    check_fits(top[0], r.problem.data);
    check_grid(top[0], r.problem.options.rows(), r.problem.options.cols());
    auto again = reevaluate_weights(*e, r.layers, r.problem.data, top[0].genome,
                                    CostTable::unit_default(), Metric::SE);
    EXPECT_EQ(again.result.error, r.approx.result.error) << name;
    EXPECT_EQ(again.result.costs.q_energy, r.approx.result.costs.q_energy) << name;
    EXPECT_EQ(again.result.costs.gate_count, r.approx.result.costs.gate_count) << name;
    EXPECT_EQ(again.changed, r.approx.changed) << name;
    for (size_t l = 0; l < 2; ++l) EXPECT_EQ(again.weights[l].q, r.approx.weights[l].q) << name;
    std::filesystem::remove(csv);
  }
}

TEST(SavedCircuits, TopKIsDistinctAndOrderedByTheChosenKey) {
  EvolvedRun r = evolve_small("layer-bypass", false);
  auto rows = r.approx.result.stats;
  // Every row with a chromosome (as a run with a high logging threshold writes them).
  for (auto& row : rows) row.chromosome = r.approx.result.genome.to_string();
  rows[0].error = 1;  // a better error with another (same) chromosome: deduplicated
  const std::string csv = temp_path("top.csv");
  write_stats_csv(csv, rows);
  EXPECT_EQ(top_circuits(csv, 5, CircuitOrder::Error).size(), 1u);
  EXPECT_EQ(top_circuits(csv, 5, CircuitOrder::Error)[0].logged_error, 1);
  EXPECT_EQ(parse_circuit_order("energy"), CircuitOrder::Energy);
  EXPECT_THROW(parse_circuit_order("area"), nnc::Error);
  for (auto& row : rows) row.chromosome.clear();
  write_stats_csv(csv, rows);
  EXPECT_NE(circuit_error_of([&] { top_circuits(csv, 1, CircuitOrder::Error); }).find("no row holds a chromosome"),
            std::string::npos);
  nnc::write_file(csv, "generation,error\n1,2\n");
  EXPECT_NE(circuit_error_of([&] { top_circuits(csv, 1, CircuitOrder::Error); }).find("not a CGP statistics file"),
            std::string::npos);
  std::filesystem::remove(csv);
}

TEST(SavedCircuits, ACircuitOfOtherLayersOrAnotherGridIsRefused) {
  EvolvedRun r = evolve_small("layer-bypass", false);
  SavedCircuit c{r.approx.result.genome, "genome.txt"};
  auto other = make_weight_experiment("layer-bypass")->dataset(
      {saved_layer("a", {4, 1, 3, 3}, 3), saved_layer("b", {8, 4, 3, 3}, 4)});
  auto msg = circuit_error_of([&] { check_fits(c, other); });
  EXPECT_NE(msg.find("maps 150 inputs -> 2400 outputs x 1 item(s), but the selected layers pose 36 -> 288 x 1"),
            std::string::npos) << msg;
  check_fits(c, r.problem.data);
  check_grid(c, 0, 0);  // any grid
  check_grid(c, 8, 0);
  auto grid = circuit_error_of([&] { check_grid(c, 256, 31); });
  EXPECT_NE(grid.find("is a 8 x 6 grid, --rows/--cols ask for 256 x 31"), std::string::npos) << grid;
}
