#include <gtest/gtest.h>

#include <sstream>

#include "cgp/evaluator.h"
#include "cgp/evolution.h"
#include "cgp/naive_evaluator.h"
#include "cgp/selection.h"
#include "core/error.h"
#include "core/progress.h"

using namespace nnc::cgp;

namespace {

Costs cost(int64_t qe, int64_t qd = 0, int gates = 0) {
  Costs c;
  c.q_energy = qe;
  c.q_delay = qd;
  c.gate_count = gates;
  return c;
}

Selection pick(int64_t parent_err, Costs parent, std::vector<int64_t> errs,
               std::vector<Costs> costs, int64_t T) {
  return select_child(parent_err, parent, errs, T, [&](int i) -> const Costs& { return costs[size_t(i)]; });
}

// Outputs are affine functions of the inputs: reachable exactly by a small grid.
Dataset affine_problem() {
  Dataset d;
  std::vector<int8_t> in = {3, -7, 12, 25};
  std::vector<int8_t> out;
  for (int8_t a : in) {
    out.push_back(int8_t(a + 1));
    out.push_back(int8_t(a * 2));
  }
  out.push_back(int8_t(in[0] + in[1]));
  out.push_back(int8_t(-in[2]));
  d.add(in, out);
  return d;
}

}  // namespace

TEST(CgpSelection, ErrorPhaseRules) {
  const Costs z = cost(0);
  // Strictly better replaces at once; later children face the new best.
  Selection s = pick(10, z, {8, 9, 8, 5, 6}, {z, z, z, z, z}, 0);
  EXPECT_EQ(s.winner, 3);
  EXPECT_TRUE(s.strict);
  // No strict gain: the LAST equal child is taken (neutral drift).
  s = pick(10, z, {10, 12, 10, 11}, {z, z, z, z}, 0);
  EXPECT_EQ(s.winner, 2);
  EXPECT_FALSE(s.strict);
  // Equal children after a strict gain do not displace it.
  s = pick(10, z, {7, 7, 10}, {z, z, z}, 0);
  EXPECT_EQ(s.winner, 0);
  // All worse: keep the parent.
  s = pick(10, z, {11, 12}, {z, z}, 0);
  EXPECT_EQ(s.winner, -1);
  // Energy is ignored while above the threshold.
  s = pick(10, cost(1), {10}, {cost(100)}, 5);
  EXPECT_EQ(s.winner, 0);
}

TEST(CgpSelection, EnergyPhaseRules) {
  const int64_t T = 5;
  // Within threshold: lower energy wins even with higher error.
  Selection s = pick(2, cost(10), {4}, {cost(9)}, T);
  EXPECT_EQ(s.winner, 0);
  EXPECT_TRUE(s.strict);
  // Child above threshold loses to a parent within it.
  s = pick(2, cost(10), {6}, {cost(0)}, T);
  EXPECT_EQ(s.winner, -1);
  // Lexicographic: energy, then error, then delay, then gate count.
  s = pick(2, cost(10, 3, 7), {1}, {cost(10, 9, 9)}, T);
  EXPECT_EQ(s.winner, 0);
  s = pick(2, cost(10, 3, 7), {2}, {cost(10, 2, 9)}, T);
  EXPECT_EQ(s.winner, 0);
  s = pick(2, cost(10, 3, 7), {2}, {cost(10, 3, 6)}, T);
  EXPECT_EQ(s.winner, 0);
  // A full tie is rejected (no drift in the energy phase).
  s = pick(2, cost(10, 3, 7), {2, 2}, {cost(10, 3, 7), cost(10, 3, 7)}, T);
  EXPECT_EQ(s.winner, -1);
  // A strict winner is the reference for later children.
  s = pick(2, cost(10), {2, 2, 2}, {cost(8), cost(9), cost(7)}, T);
  EXPECT_EQ(s.winner, 2);
  // Crossing into the threshold is a strict (error) improvement; later children then
  // compete on energy against it.
  s = pick(9, cost(0), {4, 3}, {cost(5), cost(6)}, T);
  EXPECT_EQ(s.winner, 0);
}

TEST(CgpEvolution, SmallAffineProblemReachesZeroError) {
  nnc::Progress::set_quiet(true);
  const auto opt = Options(4, 8).lambda(4).mutation_max(0.05).seed(11).generations(60000)
                       .patience(20000);
  const Result r = evolve(affine_problem(), CostTable::unit_default(), opt);
  EXPECT_EQ(r.error, 0) << r.genome.to_string();
  EXPECT_TRUE(r.reached_threshold);
  const auto outs = naive_outputs(r.genome, affine_problem().in);
  EXPECT_EQ(outs, affine_problem().out[0]);
  ASSERT_FALSE(r.stats.empty());
  EXPECT_EQ(r.stats.back().error, 0);
  EXPECT_FALSE(r.stats.back().chromosome.empty());
  // Stats rows: errors never increase, first row is generation 0.
  EXPECT_EQ(r.stats.front().generation, 0u);
  for (size_t i = 1; i < r.stats.size(); ++i) EXPECT_LE(r.stats[i].error, r.stats[i - 1].error);
  std::ostringstream csv;
  write_stats_csv(csv, r.stats);
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')),
            "run,generation,timestamp,error,quantized_energy,energy,area,quantized_delay,delay,"
            "depth,gate_count,chromosome");
}

TEST(CgpEvolution, DeterministicForASeedAndIndependentOfThreads) {
  auto opt = Options(4, 6).lambda(5).mutation_max(0.05).seed(3).generations(3000);
  const Result a = evolve(affine_problem(), CostTable::unit_default(), opt);
  const Result b = evolve(affine_problem(), CostTable::unit_default(), opt);
  EXPECT_EQ(a.genome.to_string(), b.genome.to_string());
  EXPECT_EQ(a.stats.size(), b.stats.size());
  const Result c = evolve(affine_problem(), CostTable::unit_default(), Options(opt).threads(2));
  EXPECT_EQ(a.genome.to_string(), c.genome.to_string());
  const Result d = evolve(affine_problem(), CostTable::unit_default(), Options(opt).seed(4));
  EXPECT_NE(a.genome.to_string(), d.genome.to_string());
}

TEST(CgpEvolution, FastTrajectoryMatchesNaiveInPhaseOne) {
  Rng rng(5);
  std::vector<int8_t> in(20), out(200);
  for (auto& v : in) v = int8_t(rng.below(256) - 128);
  for (auto& v : out) v = int8_t(rng.below(256) - 128);
  const Dataset data = layer_bypass(in, out);
  const auto opt = Options(16, 8).lambda(4).mutation_max(0.02).seed(9).generations(400)
                       .threshold(0).dynamic_threshold(false).patience(1'000'000);
  const Problem p(data, problem_shape(data, opt), Metric::SE, false, true);
  Rng init(123);
  const Genome start = p.random_genome(init);
  const Result fast = evolve(data, CostTable::unit_default(), opt, &start);
  ASSERT_GT(fast.error, 0);  // stayed in phase 1
  NaiveEvolver naive(p, start, 0.02, 4, 9, 1);
  naive.run(400);
  EXPECT_EQ(naive.error(), fast.error);
  EXPECT_EQ(naive.parent().to_string(), fast.genome.to_string());
  EXPECT_GT(fast.neutral_children, 0u);
}

TEST(CgpEvolution, PatienceRaisesTheThresholdThenMinimisesEnergy) {
  Rng rng(8);
  std::vector<int8_t> in(6), out(60);
  for (auto& v : in) v = int8_t(rng.below(256) - 128);
  for (auto& v : out) v = int8_t(rng.below(256) - 128);
  const auto opt = Options(4, 4).mutation_max(0.05).seed(2).patience(300).generations(20000);
  const Result r = evolve(layer_bypass(in, out), CostTable::unit_default(), opt);
  EXPECT_GT(r.threshold, 0);  // raised to the best error
  EXPECT_TRUE(r.reached_threshold);
  EXPECT_EQ(r.stop_reason, "patience");
  EXPECT_LT(r.generations, 20000u);
  const Result fixed = evolve(layer_bypass(in, out), CostTable::unit_default(),
                              Options(opt).dynamic_threshold(false));
  EXPECT_EQ(fixed.threshold, 0);
  EXPECT_FALSE(fixed.reached_threshold);
}

TEST(CgpEvolution, MultiplexedLayersShareOneGrid) {
  const Dataset d = no_input({{1, 2, 3, 3, -5}, {7, 7, 1}});
  const auto opt = Options(256, 5).multiplex(true).mutation_max(0.02).seed(4).generations(200000)
                       .patience(100000);
  const Result r = evolve(d, CostTable::unit_default(), opt);
  EXPECT_EQ(r.error, 0) << r.stop_reason << " after " << r.generations << " generations, "
                        << r.children << " children, " << r.neutral_children << " neutral";
  EXPECT_EQ(r.genome.shape().dataset_size, 2);
  const auto outs = naive_outputs(r.genome, d.in);
  EXPECT_EQ(std::vector<int8_t>(outs.begin(), outs.begin() + 5), (std::vector<int8_t>{1, 2, 3, 3, -5}));
  EXPECT_EQ(std::vector<int8_t>(outs.begin() + 5, outs.begin() + 8), (std::vector<int8_t>{7, 7, 1}));
  EXPECT_GE(r.costs.gate_count, 5);  // a MUX per output
}

TEST(CgpEvolution, GivenValuesAreTheMostFrequentAndEveryValueGivenIsPureWiring) {
  const Dataset d = no_input({{5, 5, 5, -3, -3, 9, 0}});
  const Dataset two = with_given_values(d, 2);
  ASSERT_EQ(two.inputs, 3);  // the grounded input, then 5 (3 times), -3 (twice)
  EXPECT_EQ(two.in[0], (std::vector<int8_t>{0, 5, -3}));
  EXPECT_EQ(with_given_values(d, 0).inputs, 1);
  EXPECT_EQ(with_given_values(d, 256).inputs, 1 + 4);  // only the 4 distinct values exist
  EXPECT_EQ(with_given_values(d, 256).in[0], (std::vector<int8_t>{0, 5, -3, 0, 9}));  // ties: smaller first
  // Every value given: the table entries are wired to the inputs, nothing to evolve or pay.
  const Result r = evolve(with_given_values(d, 256), CostTable::unit_default(),
                          Options(256, 5).multiplex(true).seed(1).generations(1000).patience(500));
  EXPECT_EQ(r.error, 0);
  EXPECT_EQ(r.costs.energy, 0);
  // Some given: an exact circuit is found and is no dearer than with none.
  const auto opt = Options(256, 5).multiplex(true).mutation_max(0.02).seed(4).generations(200000).patience(50000);
  const Result none = evolve(d, CostTable::unit_default(), opt);
  const Result some = evolve(two, CostTable::unit_default(), opt);
  EXPECT_EQ(some.error, 0);
  EXPECT_LE(some.costs.energy, none.costs.energy);
}

TEST(CgpEvolution, OptionsValidate) {
  EXPECT_THROW(Options(4, 4).lambda(0).validate(), nnc::Error);
  EXPECT_THROW(Options(4, 4).mutation_max(0).validate(), nnc::Error);
  EXPECT_THROW(Options(4, 4).lookback(5).validate(), nnc::Error);
  EXPECT_NO_THROW(Options(4, 4).validate());
  EXPECT_NE(Options(256, 31).describe().find("256 rows x 31 cols"), std::string::npos);
}
