#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "search/pareto.h"

using namespace nnc::search;
using D = Direction;

TEST(Pareto, MixedDirections) {
  // (accuracy: max, memory: min)
  std::vector<Point> pts = {{0.90, 8}, {0.80, 4}, {0.70, 8}, {0.95, 16}, {0.80, 5}, {0.60, 2}};
  auto front = pareto_front(pts, {D::kMaximize, D::kMinimize});
  EXPECT_EQ(front, (std::vector<size_t>{0, 1, 3, 5}));
  // Flip both directions: the other corner wins.
  front = pareto_front(pts, {D::kMinimize, D::kMaximize});
  EXPECT_EQ(front, (std::vector<size_t>{2, 3, 5}));
}

TEST(Pareto, DuplicatesAreAllKept) {
  std::vector<Point> pts = {{1, 1}, {1, 1}, {2, 2}, {0, 3}, {0, 3}};
  auto front = pareto_front(pts, {D::kMinimize, D::kMinimize});
  EXPECT_EQ(front, (std::vector<size_t>{0, 1, 3, 4}));
  EXPECT_FALSE(dominates(pts[0], pts[1], {D::kMinimize, D::kMinimize}));
  EXPECT_TRUE(dominates(pts[0], pts[2], {D::kMinimize, D::kMinimize}));
}

TEST(Pareto, WeakDominationAndSingleObjective) {
  // Equal in one objective, better in the other: dominated.
  std::vector<Point> pts = {{1, 5}, {1, 4}};
  EXPECT_EQ(pareto_front(pts, {D::kMinimize, D::kMinimize}), (std::vector<size_t>{1}));
  // One objective: all ties at the best value.
  std::vector<Point> one = {{3}, {1}, {2}, {1}};
  EXPECT_EQ(pareto_front(one, {D::kMinimize}), (std::vector<size_t>{1, 3}));
  EXPECT_EQ(pareto_front(one, {D::kMaximize}), (std::vector<size_t>{0}));
  EXPECT_TRUE(pareto_front({}, {D::kMinimize}).empty());
}

TEST(Pareto, NanPointsNeverOnTheFront) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Point> pts = {{nan, 0}, {1, 1}, {2, 0}};
  EXPECT_EQ(pareto_front(pts, {D::kMinimize, D::kMinimize}), (std::vector<size_t>{1, 2}));
  auto ranks = non_dominated_sort(pts, {D::kMinimize, D::kMinimize});
  ASSERT_EQ(ranks.size(), 2u);
  EXPECT_EQ(ranks.back(), (std::vector<size_t>{0}));
}

TEST(Pareto, SizeMismatchFails) {
  EXPECT_THROW(pareto_front({{1, 2}, {1}}, {D::kMinimize, D::kMinimize}), nnc::Error);
  EXPECT_THROW(pareto_front({{1}}, {}), nnc::Error);
}

TEST(Pareto, NonDominatedSortRanks) {
  std::vector<Point> pts = {{1, 4}, {2, 3}, {3, 3}, {4, 1}, {4, 4}, {2, 2}};
  auto ranks = non_dominated_sort(pts, {D::kMinimize, D::kMinimize});
  ASSERT_EQ(ranks.size(), 4u);
  EXPECT_EQ(ranks[0], (std::vector<size_t>{0, 3, 5}));
  EXPECT_EQ(ranks[1], (std::vector<size_t>{1}));
  EXPECT_EQ(ranks[2], (std::vector<size_t>{2}));
  EXPECT_EQ(ranks[3], (std::vector<size_t>{4}));
}

TEST(Pareto, CrowdingDistance) {
  std::vector<Point> pts = {{0, 4}, {1, 3}, {3, 1}, {4, 0}};
  auto cd = crowding_distance(pts, {0, 1, 2, 3});
  EXPECT_TRUE(std::isinf(cd[0]));
  EXPECT_TRUE(std::isinf(cd[3]));
  // Inner points: (3-0)/4 per objective, two objectives.
  EXPECT_DOUBLE_EQ(cd[1], 1.5);
  EXPECT_DOUBLE_EQ(cd[2], (4.0 - 1.0) / 4 * 2);
  // An objective constant over the members adds nothing.
  auto flat = crowding_distance({{1, 5}, {1, 6}, {1, 7}}, {0, 1, 2});
  EXPECT_DOUBLE_EQ(flat[1], 1.0);
}

TEST(Pareto, Hypervolume2d) {
  std::vector<Point> pts = {{1, 3}, {2, 2}, {3, 1}, {3, 3}};
  EXPECT_DOUBLE_EQ(hypervolume_2d(pts, {D::kMinimize, D::kMinimize}, {4, 4}), 6.0);
  // Mixed directions: maximize the first coordinate with reference 0.
  std::vector<Point> acc = {{0.5, 2}, {1.0, 4}};
  EXPECT_DOUBLE_EQ(hypervolume_2d(acc, {D::kMaximize, D::kMinimize}, {0, 5}), 0.5 * 3 + 0.5 * 1);
}
