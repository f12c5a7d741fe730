#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/error.h"
#include "search/brute_force_sampler.h"
#include "search/nsga2_sampler.h"
#include "search/pareto.h"
#include "search/study.h"
#include "search/tpe_sampler.h"
#include "toy_problems.h"

using namespace nnc::search;
using namespace nnc::search::testing;

namespace {

ObjectiveSpec minimize_cost() {
  ObjectiveSpec spec;
  spec.metrics = {{"cost", 1.0, Direction::kMinimize}};
  spec.direction = Direction::kMinimize;
  return spec;
}

double best_after(const StudyResult& r, int n) {
  double best = 1e300;
  for (int i = 0; i < n && i < static_cast<int>(r.trials.size()); ++i)
    best = std::min(best, r.trials[i].values[0]);
  return best;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

StudyResult run_cost(const std::string& sampler, uint64_t seed, int n_trials,
                     const nnc::OptionValues& sampler_options = {}) {
  SearchSpace space = grid_space(6, 8);
  StudyOptions opt;
  opt.n_trials = n_trials;
  opt.sampler = sampler;
  opt.sampler_options = sampler_options;
  opt.seed = seed;
  return optimize(space, minimize_cost(),
                  [](const Trial& t) { return std::vector<double>{separable_cost(t.index)}; },
                  opt);
}

}  // namespace

TEST(Registry, KnownNamesAndUnknownListsThem) {
  auto names = sampler_registry().names();
  for (auto n : {"brute-force", "random", "tpe", "nsga2", "nsgaii"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  EXPECT_EQ(make_sampler("nsgaii")->name(), "nsga2");
  try {
    make_sampler("qmc");
    FAIL();
  } catch (const nnc::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("unknown sampler 'qmc'"), std::string::npos);
    EXPECT_NE(msg.find("brute-force, nsga2, nsgaii, random, tpe"), std::string::npos) << msg;
  }
  for (auto& n : names) {
    std::ostringstream os;
    make_sampler(n)->describe(os);
    EXPECT_NE(os.str().find("sampler: "), std::string::npos);
  }
}

TEST(Registry, EachSamplerOwnsItsOptions) {
  auto specs = sampler_registry().option_specs();
  auto find = [&](const std::string& key) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](auto& s) { return s.key == key; });
    EXPECT_NE(it, specs.end()) << key;
    return *it;
  };
  const nnc::OptionSpec startup = find("tpe_n_startup_trials"), pop = find("nsga2_population_size");
  EXPECT_EQ(startup.default_value, nnc::OptionValue(int64_t{10}));
  EXPECT_EQ(pop.default_value, nnc::OptionValue(int64_t{50}));
  const nnc::OptionValues tpe{{"sampler", std::string("tpe")}}, mase{{"sampler", std::string("nsgaii")}};
  EXPECT_TRUE(startup.in_effect(tpe));
  EXPECT_FALSE(pop.in_effect(tpe));
  EXPECT_TRUE(pop.in_effect(mase));  // the MASE spelling reads nsga2's options too
  EXPECT_TRUE(sampler_registry().option_specs("random").empty());
  // Options from values reach the sampler (and are validated, naming the option).
  std::ostringstream os;
  make_sampler("tpe", 3, {{"tpe_n_startup_trials", int64_t{4}}})->describe(os);
  EXPECT_NE(os.str().find("n_startup_trials: 4"), std::string::npos) << os.str();
  try {
    make_sampler("nsga2", 0, {{"nsga2_population_size", int64_t{1}}});
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("option 'nsga2_population_size'"), std::string::npos) << e.what();
  }
}

TEST(Registry, AnOptionOfAnotherSamplerIsRefusedByName) {
  const nnc::OptionValues changed{{"nsga2_population_size", int64_t{8}}, {"epochs", int64_t{3}}};
  EXPECT_NO_THROW(check_sampler_options_apply("nsga2", changed));
  EXPECT_NO_THROW(check_sampler_options_apply("nsgaii", changed));
  EXPECT_NO_THROW(check_sampler_options_apply("tpe", {{"nsga2_population_size", int64_t{50}}}));  // default
  for (std::string name : {"tpe", ""}) {
    try {
      check_sampler_options_apply(name, changed);
      FAIL() << name;
    } catch (const nnc::Error& e) {
      EXPECT_NE(std::string(e.what()).find("option 'nsga2_population_size' applies to sampler nsga2"),
                std::string::npos) << e.what();
    }
  }
}

TEST(BruteForce, EnumeratesExactlyTheProductSpace) {
  SearchSpace space;
  space.add("a", {int64_t{1}, int64_t{2}, int64_t{3}})
      .add("b", {std::string("NA"), int64_t{4}})
      .add("c", {0.5, 1.5, 2.5, 3.5});
  StudyOptions opt;
  opt.sampler = "brute-force";
  opt.n_trials = 1000;  // capped at the space size
  int calls = 0;
  auto r = optimize(space, minimize_cost(),
                    [&](const Trial& t) { return std::vector<double>{double(++calls)}; }, opt);
  ASSERT_EQ(r.trials.size(), 3u * 2u * 4u);
  EXPECT_EQ(calls, 24);
  std::set<std::vector<int>> distinct;
  for (auto& t : r.trials) distinct.insert(t.index);
  EXPECT_EQ(distinct.size(), 24u);
  // Mixed-radix order: the last parameter varies fastest.
  EXPECT_EQ(r.trials[0].index, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(r.trials[1].index, (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(r.trials[4].index, (std::vector<int>{0, 1, 0}));
  EXPECT_EQ(r.trials[8].index, (std::vector<int>{1, 0, 0}));
  EXPECT_EQ(r.trials[23].index, (std::vector<int>{2, 1, 3}));
  for (uint64_t k = 0; k < 24; ++k)
    EXPECT_EQ(BruteForceSampler::rank(space, BruteForceSampler::unrank(space, k)), k);
}

TEST(BruteForce, SkipsHistoryAndFailsPastTheEnd) {
  SearchSpace space = grid_space(2, 2);
  BruteForceSampler s;
  std::vector<Trial> history;
  Trial done;
  done.index = {0, 1};  // resumed: already tried
  history.push_back(done);
  std::vector<std::vector<int>> got;
  for (int i = 0; i < 3; ++i) {
    got.push_back(s.ask(space, history));
    Trial t;
    t.number = static_cast<int>(history.size());
    t.index = got.back();
    history.push_back(t);
  }
  EXPECT_EQ(got, (std::vector<std::vector<int>>{{0, 0}, {1, 0}, {1, 1}}));
  EXPECT_THROW(s.ask(space, history), nnc::Error);
}

TEST(Random, SeededDeterministic) {
  auto a = run_cost("random", 3, 30), b = run_cost("random", 3, 30), c = run_cost("random", 4, 30);
  int same = 0;
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(a.trials[i].index, b.trials[i].index);
    same += a.trials[i].index == c.trials[i].index;
  }
  EXPECT_LT(same, 3);
  // Every choice of every parameter shows up over enough trials.
  auto big = run_cost("random", 5, 400);
  for (size_t p = 0; p < 6; ++p) {
    std::set<int> seen;
    for (auto& t : big.trials) seen.insert(t.index[p]);
    EXPECT_EQ(seen.size(), 8u);
  }
}

TEST(Tpe, OptunaDefaults) {
  TpeSampler tpe;
  EXPECT_EQ(tpe.n_below(1), 1);
  EXPECT_EQ(tpe.n_below(10), 1);
  EXPECT_EQ(tpe.n_below(11), 2);
  EXPECT_EQ(tpe.n_below(50), 5);
  EXPECT_EQ(tpe.n_below(1000), 25);
  EXPECT_EQ(tpe.observation_weights(25), std::vector<double>(25, 1.0));
  auto w = tpe.observation_weights(30);  // linspace(1/30, 1, 5) then 25 ones
  ASSERT_EQ(w.size(), 30u);
  EXPECT_DOUBLE_EQ(w[0], 1.0 / 30);
  EXPECT_DOUBLE_EQ(w[4], 1.0);
  EXPECT_DOUBLE_EQ(w[2], (1.0 / 30 + 1.0) / 2);
  TpeOptions bad;
  bad.n_ei_candidates = 0;
  EXPECT_THROW(TpeSampler{bad}, nnc::Error);
}

TEST(Tpe, ModelMatchesOptuna) {
  // 40 random configurations (Python random.seed(0)) scored by separable_cost; the expected
  // l/g distributions were computed with Optuna 3.1's _ParzenEstimator (default weights,
  // prior_weight 1, default_gamma -> 4 good trials; 36 bad ones, so the weight ramp is used).
  const std::vector<std::vector<int>> configs = {
      {6, 6, 0, 4, 7, 6},
      {4, 7, 5, 3, 2, 4},
      {2, 1, 4, 2, 4, 1},
      {1, 5, 7, 1, 5, 6},
      {5, 3, 7, 7, 4, 0},
      {0, 1, 6, 0, 7, 5},
      {3, 5, 1, 3, 3, 3},
      {2, 7, 1, 1, 5, 7},
      {1, 4, 4, 1, 5, 3},
      {4, 7, 1, 6, 5, 3},
      {4, 2, 3, 2, 0, 4},
      {7, 1, 1, 2, 2, 0},
      {1, 6, 4, 3, 3, 6},
      {4, 7, 7, 5, 1, 5},
      {1, 7, 5, 3, 3, 0},
      {4, 1, 3, 5, 2, 5},
      {6, 0, 1, 2, 3, 0},
      {1, 0, 1, 3, 1, 6},
      {1, 5, 1, 0, 0, 3},
      {2, 1, 7, 3, 0, 0},
      {6, 1, 4, 1, 3, 1},
      {4, 5, 6, 2, 0, 7},
      {0, 1, 6, 3, 4, 5},
      {7, 2, 3, 0, 2, 2},
      {5, 4, 1, 7, 2, 0},
      {7, 6, 4, 5, 6, 4},
      {2, 0, 7, 1, 5, 0},
      {4, 2, 3, 7, 5, 4},
      {5, 2, 4, 6, 6, 1},
      {0, 3, 5, 2, 3, 3},
      {7, 6, 6, 0, 6, 6},
      {0, 2, 7, 1, 4, 2},
      {7, 7, 0, 0, 7, 5},
      {4, 7, 0, 6, 3, 1},
      {2, 0, 6, 6, 5, 0},
      {3, 0, 0, 1, 3, 1},
      {3, 4, 4, 2, 1, 7},
      {6, 1, 0, 4, 7, 1},
      {4, 2, 5, 1, 2, 4},
      {0, 0, 0, 3, 4, 5}};
  std::vector<Trial> history;
  for (auto& c : configs) {
    Trial t;
    t.number = static_cast<int>(history.size());
    t.index = c;
    t.values = t.objectives = t.losses = {separable_cost(c)};
    history.push_back(t);
  }
  // The cost is a permutation of the choices, so they are modelled as categories.
  TpeOptions categorical;
  categorical.ordered = false;
  auto m = TpeSampler(categorical).model(grid_space(6, 8), history);
  ASSERT_EQ(m.l.size(), 6u);
  const std::vector<double> l0 = {0.317308, 0.086538, 0.163462, 0.086538,
                                  0.086538, 0.086538, 0.086538, 0.086538};
  const std::vector<double> g0 = {0.077422, 0.151021, 0.116747, 0.088245,
                                  0.223899, 0.085720, 0.104120, 0.152825};
  const std::vector<double> g2 = {0.130096, 0.195398, 0.025469, 0.124324,
                                  0.171225, 0.106645, 0.103398, 0.143445};
  for (int c = 0; c < 8; ++c) {
    EXPECT_NEAR(m.l[0][c], l0[c], 1e-6) << c;
    EXPECT_NEAR(m.g[0][c], g0[c], 1e-6) << c;
    EXPECT_NEAR(m.g[2][c], g2[c], 1e-6) << c;
  }
  history.resize(9);  // fewer than n_startup_trials: no model yet
  EXPECT_TRUE(TpeSampler().model(grid_space(6, 8), history).l.empty());
}

TEST(Tpe, DeterministicAndStartsRandom) {
  auto a = run_cost("tpe", 11, 40), b = run_cost("tpe", 11, 40);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(a.trials[i].index, b.trials[i].index);
}

TEST(Tpe, BeatsRandomOnSeparableObjective) {
  // 6 parameters x 8 choices, unique optimum 0; median best after 50 trials over 15 seeds.
  std::vector<double> tpe, rnd, tpe_mv;
  const nnc::OptionValues mv{{"tpe_multivariate", true}};
  for (uint64_t seed = 0; seed < 15; ++seed) {
    tpe.push_back(best_after(run_cost("tpe", seed, 50), 50));
    rnd.push_back(best_after(run_cost("random", seed, 50), 50));
    tpe_mv.push_back(best_after(run_cost("tpe", seed, 50, mv), 50));
  }
  const double mt = median(tpe), mr = median(rnd), mm = median(tpe_mv);
  RecordProperty("tpe_median", std::to_string(mt));
  RecordProperty("random_median", std::to_string(mr));
  EXPECT_LT(mt, mr) << "tpe " << mt << " random " << mr;
  EXPECT_LT(mm, mr) << "multivariate tpe " << mm << " random " << mr;
}

TEST(Tpe, MultiObjectiveRuns) {
  SearchSpace space = grid_space(4, 8);
  ObjectiveSpec spec;
  spec.metrics = {{"f1", 1.0, Direction::kMinimize}, {"f2", 1.0, Direction::kMinimize}};
  spec.sum_scaled_metrics = false;
  StudyOptions opt;
  opt.n_trials = 40;
  auto r = optimize(space, spec, [](const Trial& t) { return two_objective_toy(t.index); }, opt);
  EXPECT_EQ(r.trials.size(), 40u);
  EXPECT_FALSE(r.pareto_front().empty());
}

namespace {

/// Hypervolume of the study's front; `on_true_front` = share of it with f1 + f2 = 42.
double nsga_or_random_hv(const std::string& sampler, uint64_t seed, int budget,
                         double* on_true_front = nullptr) {
  SearchSpace space = grid_space(6, 8);
  ObjectiveSpec spec;
  spec.metrics = {{"f1", 1.0, Direction::kMinimize}, {"f2", 1.0, Direction::kMinimize}};
  spec.sum_scaled_metrics = false;
  StudyOptions opt;
  opt.n_trials = budget;
  opt.sampler = sampler;
  opt.seed = seed;
  opt.sampler_options = {{"nsga2_population_size", int64_t{20}}};
  auto r = optimize(space, spec, [](const Trial& t) { return two_objective_toy(t.index); }, opt);
  std::vector<Point> pts;
  int on = 0;
  for (size_t i : r.pareto_front()) {
    pts.push_back(r.trials[i].objectives);
    on += pts.back()[0] + pts.back()[1] == 42.0;
  }
  if (on_true_front) *on_true_front = double(on) / pts.size();
  return hypervolume_2d(pts, spec.directions(), {43.0, 67.0});
}

}  // namespace

TEST(Nsga2, FrontDominatesRandomAtEqualBudget) {
  std::vector<double> nsga, rnd, nsga_true, rnd_true;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    double a, b;
    nsga.push_back(nsga_or_random_hv("nsga2", seed, 300, &a));
    rnd.push_back(nsga_or_random_hv("random", seed, 300, &b));
    nsga_true.push_back(a);
    rnd_true.push_back(b);
  }
  // Hypervolume (the true front f1 + f2 = 42 gives at most ~1978 with this reference).
  const double mn = median(nsga), mr = median(rnd);
  EXPECT_GT(mn, mr) << "nsga2 " << mn << " random " << mr;
  // Close to the true front: most of NSGA-II's front lies on it (random: about a quarter).
  EXPECT_GT(median(nsga_true), 0.8);
  EXPECT_GT(median(nsga_true), median(rnd_true));
}

TEST(Nsga2, GenerationsFollowOptuna) {
  Nsga2Options s;
  s.population_size = 5;
  Nsga2Sampler nsga(s);
  SearchSpace space = grid_space(3, 4);
  ObjectiveSpec spec;
  spec.metrics = {{"f1", 1.0, Direction::kMinimize}, {"f2", 1.0, Direction::kMinimize}};
  spec.sum_scaled_metrics = false;
  StudyOptions opt;
  opt.n_trials = 17;
  int calls = 0;
  auto r = optimize(space, spec,
                    [&](const Trial& t) -> std::vector<double> {
                      // Trial 2 fails: generation 0 then needs a sixth trial to fill up.
                      if (calls++ == 2) return {std::nan(""), 0.0};
                      return {double(t.index[0]), double(t.index[1])};
                    },
                    nsga, opt);
  EXPECT_EQ(r.trials[2].state, TrialState::kFailed);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(nsga.generation_of(i), 0) << i;
  for (int i = 6; i < 11; ++i) EXPECT_EQ(nsga.generation_of(i), 1) << i;
  for (int i = 11; i < 16; ++i) EXPECT_EQ(nsga.generation_of(i), 2) << i;
  EXPECT_EQ(nsga.generation_of(16), 3);
  Nsga2Options bad;
  bad.population_size = 1;
  EXPECT_THROW(Nsga2Sampler{bad}, nnc::Error);
}
