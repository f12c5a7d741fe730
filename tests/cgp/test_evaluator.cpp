#include <gtest/gtest.h>

#include "cgp/evaluator.h"
#include "cgp/naive_evaluator.h"
#include "cgp/problem.h"

using namespace nnc::cgp;

namespace {

// Inputs x0 = 3, x1 = 4. Gates (pins 2..5):
//   [2] x0 + x1   [3] const 1   [4] [2] * [3]   [5] ~x1 (inactive)
// Outputs: ([4], [2]).
struct HandBuilt {
  Dataset data;
  Problem problem;
  Genome genome;
  HandBuilt()
      : data(make_data()), problem(data, grid(), Metric::SE, false, true), genome(problem.shape()) {
    genome.set_gate(0, 0, 1, 1);
    genome.set_gate(1, 0, 0, 22);
    genome.set_gate(2, 2, 3, 3);
    genome.set_gate(3, 1, 1, 11);
    genome.set_out(0, 4);
    genome.set_out(1, 2);
    genome.validate();
  }
  static Dataset make_data() {
    Dataset d;
    d.add({3, 4}, {7, 9});
    return d;
  }
  static Shape grid() {
    Shape s;
    s.rows = 1;
    s.cols = 4;
    s.lookback = 4;
    return s;
  }
};

// A cost line with non-integer real figures (f 22..26, the constants, keep delay 0.7).
std::string fmt_cost(int f) {
  const double e = 0.1 * (f % 7) + 0.013 * f, a = 0.37 * (f % 5) + 0.001, dl = 0.3 * (f % 4) + 0.7;
  return std::to_string(f % 9) + " " + std::to_string(e) + " " + std::to_string(a) + " " +
         std::to_string(f % 4 + 1) + " " + std::to_string(dl) + "\n";
}

}  // namespace

TEST(CgpEvaluator, ActiveGatesAndCosts) {
  HandBuilt h;
  const CostTable table = CostTable::unit_default();
  FastEvaluator ev(h.problem, table, h.genome);
  EXPECT_EQ(ev.active(), (std::vector<uint8_t>{1, 1, 1, 0}));
  EXPECT_EQ(ev.value(0, 4), 7);
  EXPECT_EQ(ev.error(), 0 + 4);  // outputs (7, 7) vs targets (7, 9)
  const Costs& c = ev.costs();
  EXPECT_EQ(c.q_energy, 2 + 0 + 8);
  EXPECT_EQ(c.gate_count, 3);
  EXPECT_EQ(c.q_delay, 2 + 4);
  EXPECT_EQ(c.depth, 2);

  // A constant's delay is counted once (the original doubled it).
  std::string text;
  for (int f = 0; f < 27; ++f) text += f == 22 ? "0 0 0 5 5\n" : (f == 1 ? "2 2 2 2 2\n" : "8 8 8 4 4\n");
  const CostTable slow_const = CostTable::parse(text);
  FastEvaluator ev2(h.problem, slow_const, h.genome);
  EXPECT_EQ(ev2.costs().q_delay, 5 + 4);
  EXPECT_DOUBLE_EQ(ev2.costs().delay, 9.0);
}

TEST(CgpEvaluator, SharedGateCountedOnce) {
  HandBuilt h;
  h.genome.set_out(1, 4);  // both outputs read [4]
  const auto table = CostTable::unit_default();  // the evaluator keeps a reference
  FastEvaluator ev(h.problem, table, h.genome);
  EXPECT_EQ(ev.costs().gate_count, 3);
  EXPECT_EQ(ev.costs().q_energy, 10);
}

TEST(CgpEvaluator, NeutralDetection) {
  HandBuilt h;
  const auto table = CostTable::unit_default();
  FastEvaluator ev(h.problem, table, h.genome);
  auto c = ev.make_child();
  auto check = [&](std::initializer_list<std::pair<size_t, int32_t>> genes, bool neutral) {
    ev.begin(c);
    for (auto [i, v] : genes) ev.set_gene(c, i, v);
    ev.end(c);
    EXPECT_EQ(c.neutral, neutral);
    ev.evaluate(c);
    const Genome child = ev.materialize(c);
    EXPECT_EQ(c.error, naive_error(h.problem, child));
    if (neutral) EXPECT_EQ(naive_outputs(child, h.data.in), naive_outputs(h.genome, h.data.in));
  };
  check({{9, 0}, {10, 0}, {11, 3}}, true);   // inactive gate 3 rewritten
  check({{3 * 1 + 0, 1}, {3 * 1 + 1, 1}}, true);  // constant gate: inputs unused
  check({{3 * 2 + 1, 2}}, false);            // active binary gate input
  check({{3 * 0 + 2, 2}}, false);            // active function
  check({{12, 5}}, false);                   // output 0 moved to the inactive gate
  check({{3 * 0 + 0, 0}}, true);             // unchanged value: no change at all
}

namespace {

void cross_check(bool multiplex, uint64_t seed) {
  Rng data_rng(seed);
  Dataset d;
  const int items = multiplex ? 2 : 3;
  for (int i = 0; i < items; ++i) {
    std::vector<int8_t> in(5), out(multiplex ? 40 : 7);
    for (auto& v : in) v = int8_t(data_rng.below(256) - 128);
    for (auto& v : out) v = int8_t(data_rng.below(16) - 8);
    d.add(in, out, int(out.size()) - (i == 1 ? 2 : 0));
  }
  Shape grid;
  grid.rows = multiplex ? 64 : 4;
  grid.cols = multiplex ? 6 : 7;
  grid.lookback = 3;
  for (Metric m : {Metric::SE, Metric::MSE, Metric::AE}) {
    Problem p(d, grid, m, multiplex, seed % 2 == 0);
    const CostTable table = CostTable::unit_default();
    Rng rng(seed * 7 + 1);
    FastEvaluator ev(p, table, p.random_genome(rng));
    std::vector<FastEvaluator::Child> kids;
    for (int i = 0; i < 3; ++i) kids.push_back(ev.make_child());
    for (int step = 0; step < 400; ++step) {
      for (auto& c : kids) {
        ev.mutate(c, rng, 1 + int(rng.below(12)));
        ev.evaluate(c);
        const Genome child = ev.materialize(c);
        ASSERT_EQ(c.error, naive_error(p, child)) << "step " << step;
        ev.compute_costs(c);
        TraceScratch s;
        const Costs ref = trace_phenotype(p, table, [&](size_t i) { return child.genes()[i]; }, s);
        ASSERT_EQ(c.costs.q_energy, ref.q_energy);
        ASSERT_EQ(c.costs.q_delay, ref.q_delay);
        ASSERT_EQ(c.costs.gate_count, ref.gate_count);
      }
      auto& chosen = kids[rng.below(3)];
      if (rng.below(2)) {
        const Genome expect = ev.materialize(chosen);
        ev.accept(chosen);
        ASSERT_EQ(ev.parent(), expect);
        std::vector<int8_t> vals;
        ASSERT_EQ(ev.error(), naive_error(p, ev.parent(), &vals));
        for (int item = 0; item < p.shape().dataset_size; ++item)
          for (int pin = 0; pin < p.shape().pins(); ++pin)
            ASSERT_EQ(ev.value(item, pin), vals[size_t(item) * p.shape().pins() + pin]);
      }
    }
  }
}

}  // namespace

TEST(CgpEvaluator, FastMatchesNaiveOnRandomGenomes) {
  for (uint64_t seed = 1; seed <= 4; ++seed) cross_check(false, seed);
}

TEST(CgpEvaluator, FastMatchesNaiveWithMultiplexing) {
  for (uint64_t seed = 1; seed <= 2; ++seed) cross_check(true, seed);
}

TEST(CgpEvaluator, MultiplexedFinalGenomeScoresTheTable) {
  Dataset d;
  d.add({5, -3}, {5, 5, -3, 0, 17});
  Shape grid;
  grid.rows = 256;
  grid.cols = 2;
  grid.lookback = 2;
  Problem mux(d, grid, Metric::SE, true, true);
  Rng rng(3);
  Genome g = mux.random_genome(rng);
  // Table entries of input values are wired to the inputs and locked.
  EXPECT_EQ(g.in(256 + 128 + 5, 0), 0);
  EXPECT_EQ(g.in(256 + 128 - 3, 0), 1);
  EXPECT_EQ(g.fn(256 + 128 + 17), kFnId);
  EXPECT_TRUE(mux.locked(size_t(256 + 128 + 5) * 3));
  EXPECT_FALSE(mux.locked(size_t(256 + 128 + 17) * 3));
  const Problem plain(d, grid, Metric::SE, false, true);
  EXPECT_EQ(naive_error(mux, g), naive_error(plain, mux.finalize(g)));
  EXPECT_EQ(mux.finalize(g).out(0), mux.table_pin(5));
}

TEST(CgpEvaluator, IncrementalActiveSetTracksAccepts) {
  // The reference-counted active set, the active-gate cost pass and the exact values of
  // active gates, after every accept, against a from-scratch trace and evaluation. Heavy
  // mutations (many function changes that grow or shrink arity, rewired outputs) make
  // children activate and deactivate whole inactive cones; several slots fall behind
  // the parent and must resynchronise.
  for (uint64_t seed = 11; seed <= 14; ++seed) {
    Rng data_rng(seed);
    Dataset d;
    const int items = seed % 2 ? 1 : 3;
    for (int i = 0; i < items; ++i) {
      std::vector<int8_t> in(4), out(9);
      for (auto& v : in) v = int8_t(data_rng.below(256) - 128);
      for (auto& v : out) v = int8_t(data_rng.below(256) - 128);
      d.add(in, out, i == 0 ? 9 : 6);
    }
    Shape grid;
    grid.rows = 5;
    grid.cols = 9;
    grid.lookback = seed % 3 + 1;
    const Problem p(d, grid, Metric::SE, false, seed % 2 == 0);
    const CostTable table = CostTable::unit_default();
    Rng rng(seed * 31);
    FastEvaluator ev(p, table, p.random_genome(rng));
    std::vector<FastEvaluator::Child> kids;
    for (int i = 0; i < 4; ++i) kids.push_back(ev.make_child());
    int accepts = 0;
    for (int step = 0; step < 300; ++step) {
      for (auto& c : kids) {
        ev.mutate(c, rng, 1 + int(rng.below(40)));
        ev.evaluate(c);
        ASSERT_EQ(c.error, naive_error(p, ev.materialize(c))) << "seed " << seed << " step " << step;
      }
      auto& chosen = kids[rng.below(4)];
      if (rng.below(3) == 0) continue;
      const Genome expect = ev.materialize(chosen);
      ev.accept(chosen);
      ++accepts;
      ASSERT_EQ(ev.parent(), expect);
      TraceScratch s;
      std::vector<uint8_t> active;
      const auto& genes = ev.parent().genes();
      const Costs ref = trace_phenotype(p, table, [&](size_t i) { return genes[i]; }, s, &active);
      ASSERT_EQ(ev.active(), active) << "seed " << seed << " step " << step;
      const Costs& got = ev.costs();
      EXPECT_EQ(got.q_energy, ref.q_energy);
      EXPECT_EQ(got.q_delay, ref.q_delay);
      EXPECT_EQ(got.gate_count, ref.gate_count);
      EXPECT_EQ(got.depth, ref.depth);
      EXPECT_DOUBLE_EQ(got.energy, ref.energy);
      EXPECT_DOUBLE_EQ(got.delay, ref.delay);
      // Reference counts: terms + used slots of active gates.
      std::vector<int32_t> refs(size_t(p.shape().pins()), 0);
      for (const Term& t : p.terms()) ++refs[size_t(t.gene >= 0 ? genes[size_t(t.gene)] : t.pin)];
      for (int g = 0; g < p.shape().gates(); ++g)
        if (active[size_t(g)])
          for (int k = 0; k < function_arity(ev.parent().fn(g)); ++k) ++refs[size_t(ev.parent().in(g, k))];
      for (int pin = 0; pin < p.shape().pins(); ++pin) ASSERT_EQ(ev.refs(pin), refs[size_t(pin)]);
      std::vector<int8_t> vals;
      ASSERT_EQ(ev.error(), naive_error(p, ev.parent(), &vals));
      for (int item = 0; item < p.shape().dataset_size; ++item)
        for (int pin = 0; pin < p.shape().pins(); ++pin)
          ASSERT_EQ(ev.value(item, pin), vals[size_t(item) * p.shape().pins() + pin]);
    }
    EXPECT_GT(accepts, 100);
  }
}

TEST(CgpEvaluator, FastGeneDrawsMatchTheReference) {
  // Mutation draws genes through Problem::draw_gene_fast; the naive engine (and the
  // whole-run equality test) through draw_gene: same values, same RNG consumption.
  Dataset d;
  d.add({1, 2, 3}, {4, 5, 6, 7});
  for (int rows : {1, 3, 7}) {
    Shape grid;
    grid.rows = rows;
    grid.cols = 6;
    grid.lookback = 2;
    for (bool read_inputs : {false, true}) {
      const Problem p(d, grid, Metric::SE, false, read_inputs);
      for (int32_t idx : p.mutable_genes()) {
        Rng a(uint64_t(idx) * 7 + 1), b(uint64_t(idx) * 7 + 1);
        for (int k = 0; k < 50; ++k) ASSERT_EQ(p.draw_gene(size_t(idx), a), p.draw_gene_fast(uint32_t(idx), b));
        ASSERT_EQ(a.next(), b.next());
      }
    }
  }
}

TEST(CgpEvaluator, IncrementalCostsMatchAFullTraceBitForBit) {
  // The parent's costs are updated from the gates touched since the last costs() call
  // (few small accepts between calls keep it on the incremental path), with costs that
  // are not integers: energy, area and delay must equal a from-scratch trace exactly.
  std::string text;
  for (int f = 0; f < 29; ++f)
    text += fmt_cost(f);
  const CostTable table = CostTable::parse(text);
  for (uint64_t seed = 21; seed <= 24; ++seed) {
    Rng data_rng(seed);
    Dataset d;
    const int items = seed % 2 ? 1 : 2;
    for (int i = 0; i < items; ++i) {
      std::vector<int8_t> in(6), out(40);
      for (auto& v : in) v = int8_t(data_rng.below(256) - 128);
      for (auto& v : out) v = int8_t(data_rng.below(256) - 128);
      d.add(in, out, i == 0 ? 40 : 25);
    }
    Shape grid;
    grid.rows = 12;
    grid.cols = 20;
    grid.lookback = 1 + int(seed % 5);
    const Problem p(d, grid, Metric::SE, false, true);
    Rng rng(seed * 7);
    FastEvaluator ev(p, table, p.random_genome(rng));
    auto kid = ev.make_child();
    int checks = 0;
    for (int step = 0; step < 600; ++step) {
      ev.mutate(kid, rng, 1 + int(rng.below(4)));
      ev.evaluate(kid);
      ev.accept(kid);
      if (rng.below(3) != 0) continue;  // let touched gates pile up between checks
      TraceScratch s;
      const auto& genes = ev.parent().genes();
      const Costs ref = trace_phenotype(p, table, [&](size_t i) { return genes[i]; }, s);
      const Costs& got = ev.costs();
      ASSERT_EQ(got.q_energy, ref.q_energy) << "seed " << seed << " step " << step;
      ASSERT_EQ(got.energy, ref.energy) << "seed " << seed << " step " << step;
      ASSERT_EQ(got.area, ref.area);
      ASSERT_EQ(got.q_delay, ref.q_delay) << "seed " << seed << " step " << step;
      ASSERT_EQ(got.delay, ref.delay) << "seed " << seed << " step " << step;
      ASSERT_EQ(got.depth, ref.depth);
      ASSERT_EQ(got.gate_count, ref.gate_count);
      ++checks;
    }
    EXPECT_GT(checks, 150);
  }
}
