#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "core/error.h"
#include "search/study.h"
#include "toy_problems.h"

using namespace nnc::search;
using namespace nnc::search::testing;

namespace {
ObjectiveSpec acc_and_bits(bool sum) {
  ObjectiveSpec spec;
  spec.metrics = {{"accuracy", 1.0, Direction::kMaximize},
                  {"average_bitwidth", 0.1, Direction::kMinimize}};
  spec.sum_scaled_metrics = sum;
  spec.direction = Direction::kMaximize;
  return spec;
}

// Accuracy grows with the width index; bits = 2^(index+1).
std::vector<double> acc_bits(const Trial& t) {
  const int w = t.index[0];
  return {0.5 + 0.1 * w, double(2 << w)};
}

SearchSpace widths() {
  SearchSpace s;
  s.add("width", {int64_t{2}, int64_t{4}, int64_t{8}, int64_t{16}});
  return s;
}
}  // namespace

TEST(Study, BestOfSignedSum) {
  StudyOptions opt;
  opt.sampler = "brute-force";
  auto r = optimize(widths(), acc_and_bits(true), acc_bits, opt);
  ASSERT_EQ(r.trials.size(), 4u);
  // objective = acc - 0.1 * bits: 0.3, 0.2, -0.1, -0.8 -> width index 0 is best.
  EXPECT_EQ(r.best().number, 0);
  EXPECT_DOUBLE_EQ(r.trials[1].objectives[0], 0.6 - 0.4);
  EXPECT_DOUBLE_EQ(r.trials[1].scaled[1], 0.4);
  EXPECT_EQ(r.trials[1].values, (std::vector<double>{0.6, 4.0}));
  EXPECT_EQ(r.pareto_front(), (std::vector<size_t>{0}));
  EXPECT_EQ(r.n_complete(), 4u);
}

TEST(Study, ParetoFrontForMultiObjective) {
  StudyOptions opt;
  opt.sampler = "brute-force";
  auto r = optimize(widths(), acc_and_bits(false), acc_bits, opt);
  EXPECT_EQ(r.pareto_front(), (std::vector<size_t>{0, 1, 2, 3}));  // a pure trade-off
  EXPECT_THROW(r.best(), nnc::Error);
}

TEST(Study, FailedTrialsAndErrors) {
  ObjectiveSpec spec;
  spec.metrics = {{"loss", 1.0, Direction::kMinimize}};
  StudyOptions opt;
  opt.sampler = "brute-force";
  opt.catch_errors = true;
  auto r = optimize(widths(), spec,
                    [](const Trial& t) -> std::vector<double> {
                      if (t.index[0] == 1) throw std::runtime_error("out of memory");
                      if (t.index[0] == 2) return {std::nan("")};
                      return {double(t.index[0])};
                    },
                    opt);
  EXPECT_EQ(r.trials[1].state, TrialState::kFailed);
  EXPECT_EQ(r.trials[1].error, "out of memory");
  EXPECT_EQ(r.trials[2].state, TrialState::kFailed);
  EXPECT_NE(r.trials[2].error.find("metric 'loss' is nan"), std::string::npos);
  EXPECT_EQ(r.best().number, 0);
  EXPECT_EQ(r.n_complete(), 2u);
  // Without catch_errors the exception reaches the caller.
  opt.catch_errors = false;
  EXPECT_THROW(optimize(widths(), spec,
                        [](const Trial&) -> std::vector<double> { throw std::runtime_error("x"); },
                        opt),
               std::runtime_error);
  // A wrong number of values is a programming error, always reported.
  EXPECT_THROW(optimize(widths(), spec, [](const Trial&) { return std::vector<double>{1, 2}; },
                        opt),
               nnc::Error);
}

TEST(Study, DedupPolicies) {
  SearchSpace space = grid_space(2, 2);  // 4 configurations
  ObjectiveSpec spec;
  spec.metrics = {{"loss", 1.0, Direction::kMinimize}};
  StudyOptions opt;
  opt.sampler = "random";
  opt.n_trials = 20;
  int calls = 0;
  auto fn = [&](const Trial& t) {
    ++calls;
    return std::vector<double>{double(t.index[0] + t.index[1])};
  };
  opt.dedup = Dedup::kAllow;
  auto r = optimize(space, spec, fn, opt);
  EXPECT_EQ(r.trials.size(), 20u);
  EXPECT_EQ(calls, 20);

  calls = 0;
  opt.dedup = Dedup::kCache;
  r = optimize(space, spec, fn, opt);
  EXPECT_EQ(r.trials.size(), 20u);
  EXPECT_LE(calls, 4);
  for (auto& t : r.trials)
    if (t.duplicate_of >= 0) {
      EXPECT_EQ(r.trials[t.duplicate_of].index, t.index);
      EXPECT_EQ(r.trials[t.duplicate_of].values, t.values);
    }

  calls = 0;
  opt.dedup = Dedup::kResample;
  r = optimize(space, spec, fn, opt);
  EXPECT_EQ(r.trials.size(), 4u);
  EXPECT_TRUE(r.exhausted);
  std::set<std::vector<int>> distinct;
  for (auto& t : r.trials) distinct.insert(t.index);
  EXPECT_EQ(distinct.size(), 4u);
  EXPECT_EQ(parse_dedup("resample"), Dedup::kResample);
  EXPECT_THROW(parse_dedup("skip"), nnc::Error);
}

TEST(Study, TimeoutAndProgress) {
  // No wall-clock bound is asserted: trials 0 and 1 return at once, trial 2 returns only
  // once the timeout has surely passed (timed from its own first call, after the study's
  // clock started), so the study must stop after exactly 3 trials.
  ObjectiveSpec spec;
  spec.metrics = {{"loss", 1.0, Direction::kMinimize}};
  StudyOptions opt;
  opt.sampler = "random";
  opt.n_trials = 1000;
  opt.timeout_s = 0.5;
  std::vector<int> seen;
  const Trial* last_best = nullptr;
  opt.on_trial = [&](const StudyProgress& p) {
    seen.push_back(p.n_done);
    EXPECT_EQ(p.n_planned, 1000);
    last_best = p.best;
    EXPECT_EQ(p.front_size, 1u);
  };
  std::chrono::steady_clock::time_point first_call;
  int calls = 0;
  auto r = optimize(grid_space(3, 4), spec,
                    [&](const Trial& t) {
                      if (calls++ == 0) first_call = std::chrono::steady_clock::now();
                      if (t.number == 2)
                        while (std::chrono::steady_clock::now() - first_call <
                               std::chrono::duration<double>(opt.timeout_s))
                          std::this_thread::sleep_for(std::chrono::milliseconds(10));
                      return std::vector<double>{double(t.index[0])};
                    },
                    opt);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.trials.size(), 3u);
  ASSERT_EQ(seen.size(), r.trials.size());
  EXPECT_EQ(seen.back(), static_cast<int>(r.trials.size()));
  ASSERT_NE(last_best, nullptr);
  EXPECT_EQ(last_best->number, r.best().number);
}

TEST(Study, OptionsValidate) {
  StudyOptions opt;
  opt.sampler = "grid";
  try {
    opt.validate();
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected one of brute-force"), std::string::npos);
  }
  opt.sampler = "tpe";
  opt.n_trials = 0;
  EXPECT_THROW(opt.validate(), nnc::Error);
}
