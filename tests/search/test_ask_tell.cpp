// AskTell: the study driven one trial at a time (what the Python module's Study uses).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "search/ask_tell.h"
#include "search/study.h"
#include "toy_problems.h"

using namespace nnc::search;
using namespace nnc::search::testing;

namespace {
ObjectiveSpec cost_spec() {
  ObjectiveSpec spec;
  spec.metrics = {{"cost", 1.0, Direction::kMinimize}};
  spec.direction = Direction::kMinimize;
  return spec;
}
}  // namespace

TEST(AskTell, SameTrialsAsOptimize) {
  // optimize() is a loop over AskTell: driving it by hand must give the very same study.
  const SearchSpace space = grid_space(4, 6);
  const ObjectiveSpec spec = cost_spec();
  StudyOptions opt;
  opt.n_trials = 40;
  opt.sampler = "tpe";
  opt.seed = 11;
  const StudyResult ref = optimize(space, spec, [](const Trial& t) {
    return std::vector<double>{separable_cost(t.index)};
  }, opt);

  auto sampler = make_sampler("tpe", 11);
  AskTell study(space, spec, *sampler);
  for (int n = 0; n < 40; ++n) {
    auto t = study.ask();
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->number, n);
    study.tell(t->number, {separable_cost(t->index)});
  }
  ASSERT_EQ(study.trials().size(), ref.trials.size());
  for (size_t i = 0; i < ref.trials.size(); ++i) EXPECT_EQ(study.trials()[i].index, ref.trials[i].index) << i;
  ASSERT_NE(study.best(), nullptr);
  EXPECT_EQ(study.best()->number, ref.best().number);
}

TEST(AskTell, OnePendingTrialAtATime) {
  const SearchSpace space = grid_space(2, 3);
  auto sampler = make_sampler("random", 1);
  AskTell study(space, cost_spec(), *sampler);
  auto t = study.ask();
  ASSERT_TRUE(t);
  EXPECT_EQ(study.pending(), 0);
  EXPECT_THROW(study.ask(), nnc::Error);                    // trial 0 still pending
  EXPECT_THROW(study.tell(1, {1.0}), nnc::Error);           // not the pending trial
  EXPECT_THROW(study.tell(0, {1.0, 2.0}), nnc::Error);      // one value per metric
  EXPECT_EQ(study.pending(), 0);                            // a refused tell keeps it pending
  study.tell(0, {1.0});
  EXPECT_FALSE(study.pending());
  EXPECT_THROW(study.tell(0, {1.0}), nnc::Error);           // told already
}

TEST(AskTell, NonFiniteValuesAndErrorsFailTheTrial) {
  const SearchSpace space = grid_space(2, 3);
  auto sampler = make_sampler("random", 2);
  AskTell study(space, cost_spec(), *sampler);
  auto a = study.ask();
  const Trial& nan = study.tell(a->number, {std::nan("")});
  EXPECT_FALSE(nan.complete());
  EXPECT_NE(nan.error.find("metric 'cost'"), std::string::npos);
  auto b = study.ask();
  const Trial& raised = study.tell_failed(b->number, "objective raised ValueError: boom");
  EXPECT_FALSE(raised.complete());
  EXPECT_EQ(raised.error, "objective raised ValueError: boom");
  EXPECT_EQ(study.best(), nullptr);
  auto c = study.ask();
  study.tell(c->number, {3.0});
  ASSERT_NE(study.best(), nullptr);
  EXPECT_EQ(study.best()->number, 2);
}

TEST(AskTell, BruteForceEndsWithTheSpace) {
  const SearchSpace space = grid_space(2, 3);  // 9 configurations
  auto sampler = make_sampler("brute-force", 0);
  AskTell study(space, cost_spec(), *sampler);
  int n = 0;
  while (auto t = study.ask()) study.tell(t->number, {separable_cost(t->index)}), ++n;
  EXPECT_EQ(n, 9);
  EXPECT_EQ(study.max_trials(), 9u);
}

TEST(AskTell, CachePolicyHandsBackEarlierValues) {
  SearchSpace space;
  space.add("only", {int64_t{1}});  // every ask repeats the one configuration
  auto sampler = make_sampler("random", 3);
  AskTell study(space, cost_spec(), *sampler, Dedup::kCache);
  auto first = study.ask();
  EXPECT_EQ(first->duplicate_of, -1);
  study.tell(first->number, {5.0});
  auto again = study.ask();
  EXPECT_EQ(again->duplicate_of, 0);
  ASSERT_EQ(again->values.size(), 1u);
  EXPECT_EQ(again->values[0], 5.0);
  EXPECT_EQ(study.tell(again->number, again->values).duplicate_of, 0);
}

TEST(AskTell, MultiObjectiveFront) {
  const SearchSpace space = grid_space(3, 8);
  ObjectiveSpec spec;
  spec.metrics = {{"f1", 1.0, Direction::kMinimize}, {"f2", 1.0, Direction::kMinimize}};
  spec.sum_scaled_metrics = false;
  auto sampler = make_sampler("nsga2", 4);
  AskTell study(space, spec, *sampler);
  for (int n = 0; n < 60; ++n) {
    auto t = study.ask();
    study.tell(t->number, two_objective_toy(t->index));
  }
  StudyResult& r = study.result();
  std::vector<size_t> incremental = study.front();
  std::sort(incremental.begin(), incremental.end());
  EXPECT_EQ(incremental, r.pareto_front());
  EXPECT_FALSE(incremental.empty());
}
