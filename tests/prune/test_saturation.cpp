// The saturation test on synthetic curves.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "prune/saturation.h"

using nnc::prune::is_saturated;
using nnc::prune::residual_std;
using nnc::prune::smooth_local_linear;

TEST(Saturation, TooShortIsNeverSaturated) {
  std::vector<double> flat(31, 1.0);
  EXPECT_FALSE(is_saturated(flat, 30, 1e-10));
  flat.push_back(1.0);
  EXPECT_TRUE(is_saturated(flat, 30, 1e-10));
}

TEST(Saturation, SteadilyFallingIsNotSaturated) {
  std::vector<double> log;
  for (int i = 0; i < 100; ++i) log.push_back(10.0 - 0.05 * i);
  EXPECT_FALSE(is_saturated(log, 30, 1e-10));
  EXPECT_FALSE(is_saturated(log, 30, 1e-2));
  EXPECT_TRUE(is_saturated(log, 30, 1.0));  // mean drop 0.75 per half-window < 1
}

TEST(Saturation, NoisyPlateauIsSaturated) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 0.01);
  std::vector<double> log;
  for (int i = 0; i < 200; ++i) log.push_back(0.5 + noise(rng));
  EXPECT_TRUE(is_saturated(log, 30, 1e-10));
}

TEST(Saturation, ExponentialDecaySaturatesLate) {
  std::vector<double> log;
  for (int i = 0; i < 400; ++i) log.push_back(std::exp(-i / 20.0));
  std::vector<double> early(log.begin(), log.begin() + 40);
  EXPECT_FALSE(is_saturated(early, 30, 1e-2));
  EXPECT_TRUE(is_saturated(log, 30, 1e-2));
  EXPECT_FALSE(is_saturated(log, 30, 1e-10));  // still strictly falling, smooth (s ~ 0)
}

TEST(Saturation, LocalLinearSmootherReproducesLines) {
  std::vector<double> line;
  for (int i = 0; i < 15; ++i) line.push_back(3.0 - 0.2 * i);
  auto s = smooth_local_linear(line);
  ASSERT_EQ(s.size(), line.size());
  for (size_t i = 0; i < s.size(); ++i) EXPECT_NEAR(s[i], line[i], 1e-9);
  EXPECT_NEAR(residual_std(line), 0.0, 1e-9);
  EXPECT_TRUE(smooth_local_linear({1.0, 2.0}).empty());  // h = 2: the fit fails, s = 0
  EXPECT_EQ(residual_std({1.0, 2.0}), 0.0);
}
