// TPE on ordered parameters: the numeric Parzen model against Optuna 3.1's numbers, and its
// behaviour on a 1-D ordered quadratic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "search/parzen_numeric.h"
#include "search/study.h"
#include "search/tpe_sampler.h"
#include "toy_problems.h"

using namespace nnc::search;
using namespace nnc::search::testing;

namespace {

std::vector<Value> ints(int lo, int hi) {
  std::vector<Value> v;
  for (int k = lo; k <= hi; ++k) v.emplace_back(int64_t{k});
  return v;
}

/// The mixture pmf over an axis's choices: equal-weight observation kernels plus the prior.
std::vector<double> pmf(const NumericAxis& axis, const NumericKernels& k) {
  std::vector<double> out(axis.coord.size(), 0.0);
  for (size_t i = 0; i < k.mu.size(); ++i)
    add_cell_masses(axis, k.mu[i], k.sigma[i], 1.0 / k.mu.size(), out);
  return out;
}

ObjectiveSpec ordered_minimize() {
  ObjectiveSpec spec;
  spec.metrics = {{"cost", 1.0, Direction::kMinimize}};
  spec.direction = Direction::kMinimize;
  return spec;
}

/// One ordered parameter 0..40, cost (x - 13)^2.
StudyResult quadratic(const std::string& sampler, uint64_t seed, int n_trials,
                      const nnc::OptionValues& options = {}) {
  SearchSpace space;
  space.add("x", ints(0, 40));
  StudyOptions opt;
  opt.n_trials = n_trials;
  opt.sampler = sampler;
  opt.sampler_options = options;
  opt.seed = seed;
  return optimize(space, ordered_minimize(),
                  [](const Trial& t) {
                    const double x = numeric_value(t.params[0]);
                    return std::vector<double>{(x - 13) * (x - 13)};
                  },
                  opt);
}

double ordered_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

}  // namespace

TEST(SearchSpaceOrder, DeducedFromTheChoices) {
  SearchSpace s;
  s.add("bits", ints(2, 8))
      .add("lr", {0.1, 0.01, 0.001})
      .add("frac", {std::string("NA"), int64_t{2}, int64_t{4}})
      .add("same", {int64_t{4}, 4.0})
      .add("one", {int64_t{8}})
      .add("code", ints(0, 3), Order::kCategorical);
  EXPECT_TRUE(s[0].ordered);
  EXPECT_TRUE(s[1].ordered);
  EXPECT_FALSE(s[2].ordered);  // "NA" has no place on the axis,
  EXPECT_TRUE(s[2].mixed);     // but 2 and 4 keep their order
  EXPECT_FALSE(s[1].mixed);
  EXPECT_FALSE(s[3].ordered);  // two equal numbers
  EXPECT_FALSE(s[4].ordered);  // nothing to order
  EXPECT_FALSE(s[5].ordered);
  EXPECT_FALSE(s[5].mixed);
  s.set_categorical("bits").set_categorical("frac");
  EXPECT_FALSE(s[2].mixed);
  EXPECT_FALSE(s[0].ordered);
  std::ostringstream os;
  s.describe(os);
  EXPECT_NE(os.str().find("bits (categorical): [2, 3"), std::string::npos) << os.str();
  EXPECT_NE(os.str().find("lr: [0.1"), std::string::npos) << os.str();
}

TEST(SearchSpaceOrder, OrderedNeedsDistinctNumbers) {
  SearchSpace s;
  try {
    s.add("frac", {std::string("NA"), int64_t{2}}, Order::kOrdered);
    FAIL() << "expected an error";
  } catch (const nnc::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'frac' cannot be ordered"), std::string::npos) << msg;
    EXPECT_NE(msg.find("distinct numbers"), std::string::npos) << msg;
  }
  EXPECT_THROW(s.set_categorical("nope"), nnc::Error);
}

TEST(NumericAxis, LinearOrLogAndCells) {
  SearchSpace s;
  s.add("even", ints(1, 8)).add("geo", {int64_t{16}, int64_t{2}, int64_t{8}, int64_t{4}});
  const NumericAxis even = NumericAxis::of(s[0]);
  EXPECT_FALSE(even.log);
  EXPECT_DOUBLE_EQ(even.low, 0.5);  // Optuna: low - step / 2
  EXPECT_DOUBLE_EQ(even.high, 8.5);
  const NumericAxis geo = NumericAxis::of(s[1]);
  EXPECT_TRUE(geo.log);
  EXPECT_EQ(geo.order, (std::vector<int>{1, 3, 2, 0}));  // 2, 4, 8, 16
  EXPECT_NEAR(geo.borders[1], std::log(2.0) * 1.5, 1e-12);  // half-way between log 2 and log 4
  SearchSpace m;
  m.add("frac", {int64_t{4}, std::string("NA"), int64_t{2}});
  const NumericAxis mixed = NumericAxis::of(m[0]);
  EXPECT_TRUE(mixed.mixed);
  EXPECT_EQ(mixed.order, (std::vector<int>{2, 0}));
  EXPECT_EQ(mixed.rank[1], -1);
  EXPECT_EQ(cell_mass(mixed, 3.0, 1.0, 1), 0.0);  // "NA" holds no numeric mass
  SearchSpace c;
  c.add("cat", {std::string("a"), std::string("b")});
  EXPECT_THROW(NumericAxis::of(c[0]), nnc::Error);
}

TEST(ParzenNumeric, UnivariateMatchesOptuna) {
  // Optuna 3.1 _ParzenEstimator, IntDistribution(1, 8), observations 2, 5, 5, 7, default
  // parameters (prior, magic clip, no endpoints): exp(log_pdf) at 1..8.
  SearchSpace s;
  s.add("x", ints(1, 8));
  const NumericAxis axis = NumericAxis::of(s[0]);
  const auto k = numeric_kernels(axis, {2, 5, 5, 7}, BandwidthRule{});
  const std::vector<double> want = {0.071578093, 0.090228587, 0.119013417, 0.156793911,
                                    0.179297846, 0.164991383, 0.127594173, 0.09050259};
  const auto got = pmf(axis, k);
  for (int c = 0; c < 8; ++c) EXPECT_NEAR(got[c], want[c], 1e-8) << c;

  // FloatDistribution(-2, 2, step=0.5), observations -1, 0.5, 1.5.
  SearchSpace f;
  std::vector<Value> grid;
  for (int i = 0; i <= 8; ++i) grid.emplace_back(-2 + 0.5 * i);
  f.add("x", grid);
  const NumericAxis fa = NumericAxis::of(f[0]);
  const std::vector<double> fwant = {0.062619337, 0.08426814,  0.103562884,
                                     0.118206919, 0.129599494, 0.137777963,
                                     0.138105264, 0.125376552, 0.100483447};
  const auto fgot = pmf(fa, numeric_kernels(fa, {-1, 0.5, 1.5}, BandwidthRule{}));
  for (int c = 0; c < 9; ++c) EXPECT_NEAR(fgot[c], fwant[c], 1e-8) << c;
}

TEST(ParzenNumeric, MultivariateBandwidthMatchesOptuna) {
  // Optuna 3.1, multivariate, x in 1..8 observed 2, 5, 5, 7 and y in 1..4 observed 1, 1, 3, 4:
  // every observation sigma is the magic-clip floor (x: 8 / 6, y: 4 / 6), the prior's the range;
  // the joint density at (2, 1), (5, 3), (8, 4).
  SearchSpace s;
  s.add("x", ints(1, 8)).add("y", ints(1, 4));
  const NumericAxis ax = NumericAxis::of(s[0]), ay = NumericAxis::of(s[1]);
  BandwidthRule rule;
  rule.sigma0 = multivariate_sigma0(4, 2);
  const auto kx = numeric_kernels(ax, {2, 5, 5, 7}, rule);
  const auto ky = numeric_kernels(ay, {1, 1, 3, 4}, rule);
  EXPECT_NEAR(kx.sigma[0], 8.0 / 6, 1e-12);
  EXPECT_NEAR(ky.sigma[3], 4.0 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(kx.sigma[4], 8.0);
  const std::vector<std::pair<int, int>> at = {{2, 1}, {5, 3}, {8, 4}};
  const std::vector<double> want = {0.05729906, 0.046599488, 0.04320913};
  for (size_t q = 0; q < at.size(); ++q) {
    double joint = 0;
    for (size_t i = 0; i < kx.mu.size(); ++i) {
      std::vector<double> mx(8, 0.0), my(4, 0.0);
      add_cell_masses(ax, kx.mu[i], kx.sigma[i], 1.0, mx);
      add_cell_masses(ay, ky.mu[i], ky.sigma[i], 1.0, my);
      joint += 0.2 * mx[at[q].first - 1] * my[at[q].second - 1];
    }
    EXPECT_NEAR(joint, want[q], 1e-8) << q;
  }
}

TEST(TpeOrdered, DeterministicGivenSeed) {
  const std::vector<nnc::OptionValues> modes = {
      {{"tpe_multivariate", false}},
      {{"tpe_multivariate", true}},
      {{"tpe_multivariate", true}, {"tpe_multivariate_scott", true}}};
  for (const auto& o : modes) {
    auto a = quadratic("tpe", 5, 40, o), b = quadratic("tpe", 5, 40, o);
    for (int i = 0; i < 40; ++i) EXPECT_EQ(a.trials[i].index, b.trials[i].index) << i;
    EXPECT_LE(a.best().values[0], 4.0);  // within 2 of the optimum after 40 trials
  }
}

TEST(TpeOrdered, ConcentratesNearTheOptimumFasterThanRandom) {
  // 41 ordered choices, optimum 13. Random search puts 7 / 41 of its trials within 3 of the
  // optimum; the model should, after its 10 start-up trials, put clearly more there (at least
  // twice that share, median over 20 seeds) and stay closer on average: random's mean
  // distance |x - 13| is (0 + ... + 13 + 1 + ... + 27) / 41 = 469 / 41.
  const double random_share = 7.0 / 41.0, random_distance = 469.0 / 41.0;
  std::vector<double> share, share_mv, distance;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    for (bool mv : {false, true}) {
      auto r = quadratic("tpe", seed, 40, {{"tpe_multivariate", mv}});
      int near = 0;
      double d = 0;
      for (int i = 10; i < 40; ++i) {
        near += r.trials[i].values[0] <= 9;
        d += std::sqrt(r.trials[i].values[0]) / 30;
      }
      (mv ? share_mv : share).push_back(near / 30.0);
      if (!mv) distance.push_back(d);
    }
  }
  RecordProperty("median_share_near", std::to_string(ordered_median(share)));
  EXPECT_GE(ordered_median(share), 2 * random_share) << ordered_median(share);
  EXPECT_GE(ordered_median(share_mv), 2 * random_share) << ordered_median(share_mv);
  EXPECT_LT(ordered_median(distance), random_distance / 2);
}

TEST(TpeOrdered, MixedParameterKeepsTheOrderOfItsNumbers) {
  // "NA" (costing as much as the worst number) beside 0..40, optimum 13: after the start-up
  // trials most proposals land within 3 of the optimum, as on the purely ordered axis, in
  // both modes; a probability model: the mixed pmf sums to 1 and the NA row is a category.
  SearchSpace space;
  std::vector<Value> choices{std::string("NA")};
  for (int k = 0; k <= 40; ++k) choices.emplace_back(int64_t{k});
  space.add("x", choices);
  ASSERT_TRUE(space[0].mixed);
  auto cost = [](const Trial& t) {
    if (std::holds_alternative<std::string>(t.params[0])) return std::vector<double>{729.0};
    const double x = numeric_value(t.params[0]);
    return std::vector<double>{(x - 13) * (x - 13)};
  };
  for (bool mv : {false, true}) {
    std::vector<double> share;
    for (uint64_t seed = 0; seed < 20; ++seed) {
      StudyOptions opt;
      opt.n_trials = 40;
      opt.seed = seed;
      opt.sampler_options = {{"tpe_multivariate", mv}};
      auto r = optimize(space, ordered_minimize(), cost, opt);
      int near = 0;
      for (int i = 10; i < 40; ++i) near += r.trials[i].values[0] <= 9;
      share.push_back(near / 30.0);
    }
    EXPECT_GE(ordered_median(share), 2 * 7.0 / 42.0) << "multivariate " << mv;
  }
  std::vector<Trial> history;
  for (int i = 0; i < 12; ++i) {
    Trial t;
    t.number = i;
    t.index = {i % 3 == 0 ? 0 : 1 + (i * 7) % 41};
    t.values = t.objectives = t.losses = {double(i)};
    history.push_back(t);
  }
  const auto model = TpeSampler().model(space, history);
  ASSERT_EQ(model.l.size(), 1u);
  EXPECT_NEAR(std::accumulate(model.l[0].begin(), model.l[0].end(), 0.0), 1.0, 1e-9);
  EXPECT_NEAR(std::accumulate(model.g[0].begin(), model.g[0].end(), 0.0), 1.0, 1e-9);
  // The good set is trial 0 alone, which chose "NA": l peaks there.
  EXPECT_EQ(std::max_element(model.l[0].begin(), model.l[0].end()) - model.l[0].begin(), 0);
}

TEST(TpeOrdered, OrderedOffIsTheCategoricalModel) {
  // tpe_ordered = false on integer choices proposes exactly what TPE proposes when the same
  // choices are strings (categorical by nature): the categorical path is unchanged.
  SearchSpace ints_space = grid_space(4, 6), names;
  for (int p = 0; p < 4; ++p) {
    std::vector<Value> c;
    for (int k = 0; k < 6; ++k) c.emplace_back("c" + std::to_string(k));
    names.add("p" + std::to_string(p), c);
  }
  for (bool mv : {false, true}) {
    StudyOptions opt;
    opt.n_trials = 30;
    opt.seed = 3;
    opt.sampler_options = {{"tpe_ordered", false}, {"tpe_multivariate", mv}};
    auto cost = [](const Trial& t) { return std::vector<double>{separable_cost(t.index)}; };
    auto a = optimize(ints_space, ordered_minimize(), cost, opt);
    opt.sampler_options = {{"tpe_multivariate", mv}};
    auto b = optimize(names, ordered_minimize(), cost, opt);
    for (int i = 0; i < 30; ++i) EXPECT_EQ(a.trials[i].index, b.trials[i].index) << i;
  }
}

TEST(TpeOrdered, OptionsAreDescribedAndChecked) {
  std::ostringstream os;
  make_sampler("tpe", 1, {{"tpe_ordered", false}})->describe(os);
  EXPECT_NE(os.str().find("ordered: all categorical"), std::string::npos) << os.str();
  try {
    make_sampler("tpe", 1, {{"tpe_ordered", std::string("sometimes")}});
    FAIL() << "expected an error";
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("tpe_ordered"), std::string::npos) << e.what();
  }
}
