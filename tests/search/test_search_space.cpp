#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"
#include "search/objective.h"
#include "search/search_space.h"

using namespace nnc::search;

TEST(SearchSpace, AddDecodeCardinality) {
  SearchSpace s;
  s.add("w", {int64_t{2}, int64_t{4}, int64_t{8}}).add("f", {std::string("NA"), 0.5});
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.cardinality(), 6u);
  EXPECT_EQ(s.index_of("f"), 1u);
  auto v = s.decode({2, 0});
  EXPECT_EQ(std::get<int64_t>(v[0]), 8);
  EXPECT_EQ(std::get<std::string>(v[1]), "NA");
  EXPECT_EQ(to_string(v[1]), "\"NA\"");
  EXPECT_EQ(to_string(Value{0.5}), "0.5");
  std::ostringstream os;
  s.describe(os);
  EXPECT_NE(os.str().find("w: [2, 4, 8]"), std::string::npos);
  EXPECT_NE(os.str().find("cardinality: 6"), std::string::npos);
}

TEST(SearchSpace, ErrorsNameTheParameter) {
  SearchSpace s;
  s.add("w", {int64_t{1}});
  EXPECT_THROW(s.add("w", {int64_t{2}}), nnc::Error);
  try {
    s.add("empty", {});
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'empty' has no choices"), std::string::npos);
  }
  try {
    s.index_of("x");
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected one of w"), std::string::npos);
  }
  EXPECT_THROW(s.decode({1}), nnc::Error);     // out of range
  EXPECT_THROW(s.decode({0, 0}), nnc::Error);  // wrong arity
}

TEST(SearchSpace, CardinalitySaturates) {
  SearchSpace s;
  std::vector<Value> ten(10, Value{int64_t{0}});
  for (int i = 0; i < 25; ++i) s.add("p" + std::to_string(i), ten);
  EXPECT_EQ(s.cardinality(), UINT64_MAX);
}

TEST(Objective, SumSignsEachTermByItsDirection) {
  ObjectiveSpec spec;
  spec.metrics = {{"accuracy", 1.0, Direction::kMaximize},
                  {"average_bitwidth", 0.2, Direction::kMinimize}};
  spec.sum_scaled_metrics = true;
  spec.direction = Direction::kMaximize;
  auto obj = spec.objectives({0.7, 8.0});
  ASSERT_EQ(obj.size(), 1u);
  EXPECT_DOUBLE_EQ(obj[0], 0.7 - 0.2 * 8.0);  // the original would give 0.7 + 1.6
  EXPECT_DOUBLE_EQ(spec.losses(obj)[0], -(0.7 - 1.6));
  // Minimizing the sum flips every sign but keeps the same optimum.
  spec.direction = Direction::kMinimize;
  EXPECT_DOUBLE_EQ(spec.objectives({0.7, 8.0})[0], -0.7 + 1.6);
  EXPECT_DOUBLE_EQ(spec.losses(spec.objectives({0.7, 8.0}))[0], -0.7 + 1.6);
  // Same direction everywhere: the original's plain scaled sum.
  spec.metrics[0].direction = Direction::kMinimize;
  EXPECT_DOUBLE_EQ(spec.objectives({0.7, 8.0})[0], 0.7 + 1.6);
}

TEST(Objective, MultiObjectiveKeepsScaledMetrics) {
  ObjectiveSpec spec;
  spec.metrics = {{"accuracy", 2.0, Direction::kMaximize}, {"bits", 0.5, Direction::kMinimize}};
  spec.sum_scaled_metrics = false;
  EXPECT_TRUE(spec.multi_objective());
  auto obj = spec.objectives({0.5, 8.0});
  EXPECT_EQ(obj, (std::vector<double>{1.0, 4.0}));
  EXPECT_EQ(spec.losses(obj), (std::vector<double>{-1.0, 4.0}));
  EXPECT_THROW(spec.objectives({1.0}), nnc::Error);
}

TEST(Objective, ValidateAndParseDirection) {
  ObjectiveSpec spec;
  EXPECT_THROW(spec.validate(), nnc::Error);
  spec.metrics = {{"a", 0.0, Direction::kMinimize}};
  EXPECT_THROW(spec.validate(), nnc::Error);
  spec.metrics = {{"a", 1.0, Direction::kMinimize}, {"a", 1.0, Direction::kMinimize}};
  EXPECT_THROW(spec.validate(), nnc::Error);
  EXPECT_EQ(parse_direction("maximize"), Direction::kMaximize);
  EXPECT_EQ(parse_direction("min"), Direction::kMinimize);
  EXPECT_THROW(parse_direction("up"), nnc::Error);
}
