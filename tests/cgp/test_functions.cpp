#include <gtest/gtest.h>

#include <vector>

#include "cgp/functions.h"

using namespace nnc::cgp;

namespace {
int8_t F(int f, int a, int b = 0) { return apply_function(f, int8_t(a), int8_t(b)); }
}  // namespace

TEST(CgpFunctions, ArithmeticWrapsAsInt8) {
  EXPECT_EQ(F(0, 0), 127);
  EXPECT_EQ(F(0, -128), -1);  // 127 - (-128) = 255 -> -1
  EXPECT_EQ(F(0, 127), 0);
  EXPECT_EQ(F(1, 127, 1), -128);
  EXPECT_EQ(F(1, -128, -1), 127);
  EXPECT_EQ(F(1, -1, 1), 0);
  EXPECT_EQ(F(2, -128, 1), 127);
  EXPECT_EQ(F(2, 127, -1), -128);
  EXPECT_EQ(F(2, 0, -128), -128);
  EXPECT_EQ(F(3, -128, -1), -128);
  EXPECT_EQ(F(3, 127, 127), 1);  // 16129 mod 256 = 1
  EXPECT_EQ(F(3, -1, -1), 1);
  EXPECT_EQ(F(3, 16, 8), -128);
  EXPECT_EQ(F(4, -128), -128);
  EXPECT_EQ(F(4, 127), -127);
  EXPECT_EQ(F(4, -1), 1);
  EXPECT_EQ(F(4, 0), 0);
  EXPECT_EQ(F(5, 0), -128);
  EXPECT_EQ(F(5, 127), -1);
  EXPECT_EQ(F(5, -128), 0);
  EXPECT_EQ(F(5, -1), 127);
  EXPECT_EQ(F(13, 127), -128);
  EXPECT_EQ(F(13, -1), 0);
  EXPECT_EQ(F(14, -128), 127);
  EXPECT_EQ(F(14, 0), -1);
}

TEST(CgpFunctions, ShiftsAreArithmeticAndTruncating) {
  EXPECT_EQ(F(7, -1), -1);
  EXPECT_EQ(F(7, -128), -64);
  EXPECT_EQ(F(7, 127), 63);
  EXPECT_EQ(F(7, 1), 0);
  EXPECT_EQ(F(6, -128), -32);
  EXPECT_EQ(F(6, -1), -1);
  EXPECT_EQ(F(15, -128), -16);
  EXPECT_EQ(F(16, 127), 7);
  EXPECT_EQ(F(17, -128), -4);
  EXPECT_EQ(F(17, 127), 3);
  EXPECT_EQ(F(12, 127), -2);  // 254 -> -2
  EXPECT_EQ(F(12, -128), 0);
  EXPECT_EQ(F(12, -1), -2);
  EXPECT_EQ(F(12, 64), -128);
  EXPECT_EQ(F(18, 127), -4);
  EXPECT_EQ(F(19, 1), 8);
  EXPECT_EQ(F(19, 127), -8);
  EXPECT_EQ(F(20, 8), -128);
  EXPECT_EQ(F(20, -1), -16);
  EXPECT_EQ(F(21, 1), 32);
  EXPECT_EQ(F(21, 4), -128);
  EXPECT_EQ(F(21, 127), -32);
  EXPECT_EQ(F(21, -128), 0);
}

TEST(CgpFunctions, BitwiseAndConstants) {
  EXPECT_EQ(F(8, -1, 127), 127);
  EXPECT_EQ(F(8, -128, 127), 0);
  EXPECT_EQ(F(9, -128, 127), -1);
  EXPECT_EQ(F(9, 0, 1), 1);
  EXPECT_EQ(F(10, -1, 127), -128);
  EXPECT_EQ(F(10, 1, 1), 0);
  EXPECT_EQ(F(11, 0), -1);
  EXPECT_EQ(F(11, -128), 127);
  EXPECT_EQ(F(11, 127), -128);
  for (int a : {-128, -1, 0, 1, 127}) {
    EXPECT_EQ(F(22, a, a), 1);
    EXPECT_EQ(F(23, a, a), -1);
    EXPECT_EQ(F(24, a, a), 0);
    EXPECT_EQ(F(25, a, a), -128);
    EXPECT_EQ(F(26, a, a), 127);
    EXPECT_EQ(F(kFnId, a, 5), a);
  }
}

TEST(CgpFunctions, ArityAndNames) {
  EXPECT_EQ(function_arity(1), 2);
  EXPECT_EQ(function_arity(0), 1);
  EXPECT_EQ(function_arity(kFnId), 1);
  EXPECT_EQ(function_arity(22), 0);
  EXPECT_EQ(function_name(3), "a*b");
  EXPECT_EQ(function_name(kFnId), "ID");
  EXPECT_TRUE(is_genome_function(26));
  EXPECT_FALSE(is_genome_function(27));
  EXPECT_TRUE(is_valid_function(28));
  EXPECT_FALSE(is_valid_function(29));
  // Binary ops read b; unary ops ignore it.
  for (int f = 0; f < kEvolvableFunctions; ++f) {
    if (function_arity(f) < 2) EXPECT_EQ(F(f, 37, 5), F(f, 37, -99)) << f;
    if (function_arity(f) == 0) EXPECT_EQ(F(f, 37, 5), F(f, -3, 5)) << f;
  }
}

TEST(CgpFunctions, BranchFreeFormMatchesTheReference) {
  // apply_function_fast (the incremental evaluator's) == apply_function for every id a
  // genome may hold, ids it may not, and every pair of operands.
  std::vector<int> ids;
  for (int f = 0; f <= 30; ++f) ids.push_back(f);
  for (int f : {kFnId, 99, 101, 127, 128, 255, -1}) ids.push_back(f);
  for (int f : ids)
    for (int a = -128; a < 128; ++a)
      for (int b = -128; b < 128; ++b)
        ASSERT_EQ(apply_function_fast(f, int8_t(a), int8_t(b)), apply_function(f, int8_t(a), int8_t(b)))
            << "f " << f << " a " << a << " b " << b;
}
