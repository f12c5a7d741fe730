#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "cgp/cost_table.h"
#include "cgp/dataset.h"
#include "core/error.h"
#include "support/expect_error.h"

using namespace nnc::cgp;
using nnc::testing::expect_error;

namespace {
std::string lines(int n, const std::string& line = "1 1.5 2 3 0.5") {
  std::string s;
  for (int i = 0; i < n; ++i) s += line + "\n";
  return s;
}
}  // namespace

TEST(CgpCostTable, ParsesTheOriginalFormat) {
  CostTable t = CostTable::parse("# header\n" + lines(27) + "\n  4 4 4 1 1 # mux\n", "c.txt");
  EXPECT_EQ(t.count(), 28);
  EXPECT_TRUE(t.has_mux());
  EXPECT_EQ(t[3].q_energy, 1);
  EXPECT_DOUBLE_EQ(t[3].energy, 1.5);
  EXPECT_EQ(t[27].q_energy, 4);
  EXPECT_EQ(t[100].q_energy, 0);  // ID is free
  EXPECT_FALSE(CostTable::parse(lines(27)).has_mux());
}

TEST(CgpCostTable, BadTablesNameFileAndLine) {
  expect_error([] { CostTable::parse(lines(26), "c.txt"); }, "c.txt: 26 cost lines");
  expect_error([] { CostTable::parse(lines(3) + "1 2 3 4\n" + lines(23), "c.txt"); },
               "c.txt:4: function 3 (a*b): expected 5 fields");
  expect_error([] { CostTable::parse(lines(2) + "1 nan 3 4 5\n" + lines(24), "c.txt"); },
               "c.txt:3: function 2 (a-b): energy must be a finite number");
  expect_error([] { CostTable::parse(lines(2) + "1 inf 3 4 5\n" + lines(24), "c.txt"); },
               "energy must be a finite");
  expect_error([] { CostTable::parse("1.5 1 1 1 1\n" + lines(26), "c.txt"); },
               "c.txt:1: function 0 (127-a): q_energy must be an integer");
  expect_error([] { CostTable::parse("1 1 -1 1 1\n" + lines(26), "c.txt"); }, "area");
  expect_error([] { CostTable::parse("1 1 1 x 1\n" + lines(26), "c.txt"); }, "q_delay");
  expect_error([] { CostTable::parse(lines(30), "c.txt"); }, "c.txt:30: more than 29");
  expect_error([] { CostTable::load("/nonexistent/costs.txt"); }, "/nonexistent/costs.txt");
}

TEST(CgpCostTable, ShippedDefaultMatchesBuiltIn) {
  const char* src = std::getenv("NNC_SOURCE_DIR");
  const std::string root = src ? src : NNC_TEST_SOURCE_DIR;
  CostTable file = CostTable::load(root + "/data/cgp/default_costs.txt");
  CostTable built = CostTable::unit_default();
  ASSERT_EQ(file.count(), built.count());
  for (int f = 0; f < built.count(); ++f) {
    EXPECT_EQ(file[f].q_energy, built[f].q_energy) << f;
    EXPECT_EQ(file[f].q_delay, built[f].q_delay) << f;
    EXPECT_DOUBLE_EQ(file[f].energy, built[f].energy) << f;
  }
}

TEST(CgpDataset, ParsesItemsAndScoredPrefix) {
  Dataset d = parse_dataset("# c\n1 2 3\n4 5 x 6\n\n-128 0 127\n7 8 9\n-1 -2 -3\n1 x\n", "d.txt");
  ASSERT_EQ(d.size(), 3);
  EXPECT_EQ(d.inputs, 3);
  EXPECT_EQ(d.outputs, 3);
  EXPECT_EQ(d.scored[0], 2);
  EXPECT_EQ(d.scored[1], 3);
  EXPECT_EQ(d.scored[2], 1);
  EXPECT_EQ(d.out[2], (std::vector<int8_t>{1, 0, 0}));
  EXPECT_EQ(d.in[1][0], -128);
  std::ostringstream os;
  write_dataset(os, d);
  Dataset back = parse_dataset(os.str());
  EXPECT_EQ(back.in, d.in);
  EXPECT_EQ(back.out, d.out);
  EXPECT_EQ(back.scored, d.scored);
}

TEST(CgpDataset, BadFilesNameFileAndLine) {
  expect_error([] { parse_dataset("1 2\n3\n1 2 3\n4\n", "d.txt"); },
               "d.txt:3: item 1 input line has 3 values, expected 2");
  expect_error([] { parse_dataset("1 2\n3 4\n1 2\n4\n", "d.txt"); },
               "d.txt:4: item 1 output line has 1 values, expected 2");
  expect_error([] { parse_dataset("1 2\n3 128\n", "d.txt"); }, "d.txt:2: expected an int8");
  expect_error([] { parse_dataset("1 2\n3 abc\n", "d.txt"); }, "d.txt:2:");
  expect_error([] { parse_dataset("1 x\n3 4\n", "d.txt"); }, "d.txt:1: 'x' in an input line");
  expect_error([] { parse_dataset("1 2\n3 x 4 x\n", "d.txt"); }, "d.txt:2: second 'x'");
  expect_error([] { parse_dataset("1 2\n", "d.txt"); }, "no output line");
  expect_error([] { parse_dataset("", "d.txt"); }, "no dataset items");
  expect_error([] { parse_dataset("1 2\n3 4\n", "d.txt", 3); }, "expected 3");
}

TEST(CgpDataset, ExperimentBuilders) {
  std::vector<int8_t> in(150, 1), out(2400, 2);
  Dataset lb = layer_bypass(in, out);
  EXPECT_EQ(lb.size(), 1);
  EXPECT_EQ(lb.inputs, 150);
  EXPECT_EQ(lb.outputs, 2400);

  Dataset ni = no_input({{1, 2, 3}, {4}});
  EXPECT_EQ(ni.size(), 2);
  EXPECT_EQ(ni.inputs, 1);
  EXPECT_EQ(ni.outputs, 3);
  EXPECT_EQ(ni.scored, (std::vector<int>{3, 1}));

  std::vector<int8_t> k1(50), k2(25);
  for (int i = 0; i < 50; ++i) k1[i] = int8_t(i);
  for (int i = 0; i < 25; ++i) k2[i] = int8_t(100 + i);
  Dataset al = all_layers({k1, k2});
  EXPECT_EQ(al.size(), 2);
  EXPECT_EQ(al.inputs, 18);
  EXPECT_EQ(al.outputs, 32);
  EXPECT_EQ(al.in[0][0], 6);  // inner 3x3 of the first kernel: 6 7 8 11 12 13 16 17 18
  EXPECT_EQ(al.in[0][8], 18);
  EXPECT_EQ(al.in[0][9], 31);
  EXPECT_EQ(al.out[0][0], 0);
  EXPECT_EQ(al.out[0][5], 5);
  EXPECT_EQ(al.out[0][6], 9);
  EXPECT_EQ(al.out[0][15], 24);
  EXPECT_EQ(al.scored, (std::vector<int>{32, 16}));
  EXPECT_EQ(al.in[1][9], 0);  // padding
  expect_error([] { all_layers({std::vector<int8_t>(24)}); }, "multiple of 25");
}
