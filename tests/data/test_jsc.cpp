// Jet-substructure CSV: label layouts, de-duplication, split, train-only standardisation,
// and errors naming file, line and column.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fmt/format.h>

#include "core/seed.h"
#include "data/fixtures.h"
#include "data/jsc.h"
#include "data/loader.h"
#include "test_util.h"

using namespace nnc::data;
using nnc::data::testing::expect_error;
using nnc::data::testing::TempDir;

namespace {
const char* kLetters[] = {"g", "q", "W", "Z", "t"};

std::string header16() {
  std::string h;
  for (int f = 0; f < 16; ++f) h += fmt::format("{}f{}", f ? "," : "", f);
  return h;
}
/// n rows: feature f of row i = i*(f+1) mod 97 + 0.25*f, class i % 5.
std::string rows(int n, bool one_hot, bool letters) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    for (int f = 0; f < 16; ++f) s += fmt::format("{}{}", f ? "," : "", (i * (f + 1)) % 97 + 0.25 * f);
    if (one_hot)
      for (int k = 0; k < 5; ++k) s += k == i % 5 ? ",1" : ",0";
    else
      s += letters ? fmt::format(",{}", kLetters[i % 5]) : fmt::format(",{}", i % 5);
    s += "\n";
  }
  return s;
}
}  // namespace

TEST(Jsc, LetterLabelsAndDuplicatesDropped) {
  TempDir tmp;
  std::string body = rows(50, false, true);
  body += rows(3, false, true);  // rows 0..2 again: exact duplicates
  write_bytes(tmp / "jsc.csv", header16() + ",class\n" + body);
  auto t = read_jsc_csv(tmp / "jsc.csv");
  EXPECT_EQ(t.duplicates_dropped, 3);
  EXPECT_EQ(t.labels.size(0), 50);
  EXPECT_EQ(t.labels[3].item<int64_t>(), 3);  // W
  EXPECT_EQ(t.features.size(1), 16);
}

TEST(Jsc, OneHotColumnsAndCanonicalNamesWithExtraColumns) {
  TempDir tmp;
  const char* names[] = {"j_zlogz", "j_c1_b0_mmdt", "j_c1_b1_mmdt", "j_c1_b2_mmdt", "j_c2_b1_mmdt",
                         "j_c2_b2_mmdt", "j_d2_b1_mmdt", "j_d2_b2_mmdt", "j_d2_a1_b1_mmdt",
                         "j_d2_a1_b2_mmdt", "j_m2_b1_mmdt", "j_m2_b2_mmdt", "j_n2_b1_mmdt",
                         "j_n2_b2_mmdt", "j_mass_mmdt", "j_multiplicity"};
  // Columns in a scrambled order, plus an index column and an unrelated one (j_pt).
  std::string h = ",j_pt";
  for (int f = 15; f >= 0; --f) h += fmt::format(",{}", names[f]);
  h += ",j_g,j_q,j_w,j_z,j_t\n";
  std::string body;
  for (int i = 0; i < 10; ++i) {
    body += fmt::format("{},999", i);
    for (int f = 15; f >= 0; --f) body += fmt::format(",{}", 100 * i + f);
    for (int k = 0; k < 5; ++k) body += k == (i * 3) % 5 ? ",1" : ",0";
    body += "\r\n";
  }
  write_bytes(tmp / "jsc.csv", h + body);
  auto t = read_jsc_csv(tmp / "jsc.csv");
  ASSERT_EQ(t.labels.size(0), 10);
  EXPECT_EQ(t.feature_names.front(), "j_zlogz");
  EXPECT_EQ(t.features[2][0].item<double>(), 200.0);  // zlogz of row 2, canonical order
  EXPECT_EQ(t.features[2][15].item<double>(), 215.0);
  EXPECT_EQ(t.labels[2].item<int64_t>(), 1);
}

TEST(Jsc, SplitIs80_20AndScalerFittedOnTrainOnly) {
  TempDir tmp;
  write_bytes(tmp / "jsc.csv", header16() + ",label\n" + rows(101, false, false));
  auto [tr, te] = load_dataset({.name = "jsc", .data_dir = tmp.str(), .seed = 42});
  EXPECT_EQ(te.size(), 21);  // ceil(0.2 * 101), as sklearn
  EXPECT_EQ(tr.size(), 80);
  EXPECT_EQ(tr.inputs.scalar_type(), torch::kFloat32);
  EXPECT_EQ(tr.targets.scalar_type(), torch::kLong);
  EXPECT_EQ(tr.num_classes, 5);
  // Train part: exactly zero mean, unit (population) std per feature.
  EXPECT_LT(tr.inputs.mean(0).abs().max().item<float>(), 1e-5);
  EXPECT_LT((tr.inputs.std(0, false) - 1).abs().max().item<float>(), 1e-4);
  // Test part: transformed with the TRAIN statistics, so not exactly standardised.
  auto t = read_jsc_csv(tmp / "jsc.csv");
  auto [tr2, te2] = split_jsc(t, 42);
  EXPECT_TRUE(torch::equal(te2.inputs, te.inputs));
  EXPECT_GT(te.inputs.mean(0).abs().max().item<float>(), 1e-3);
  // Same seed -> same split; different seed -> different split.
  auto [tr3, te3] = load_dataset({.name = "jsc", .data_dir = tmp.str(), .seed = 43});
  EXPECT_FALSE(torch::equal(te3.targets, te.targets) && torch::equal(te3.inputs, te.inputs));
}

TEST(Jsc, TestStatisticsUseTrainScaler) {
  JscTable t;
  const int64_t n = 10;
  t.features = torch::zeros({n, 16}, torch::kFloat64);
  for (int64_t i = 0; i < n; ++i) t.features[i][0] = double(i * i);
  t.labels = torch::arange(n, torch::kLong).remainder(5);
  auto [tr, te] = split_jsc(t, 7);
  ASSERT_EQ(te.size(), 2);
  // The documented split: permutation(n, derive_seed(seed, "jsc-split")), test = the tail.
  auto order = torch::tensor(permutation(n, nnc::derive_seed(7, "jsc-split")), torch::kLong);
  auto raw_tr = t.features.index_select(0, order.narrow(0, 0, 8)).select(1, 0);
  auto raw_te = t.features.index_select(0, order.narrow(0, 8, 2)).select(1, 0);
  const double m = raw_tr.mean().item<double>(), sd = raw_tr.std(false).item<double>();
  EXPECT_TRUE(torch::allclose(te.inputs.select(1, 0), ((raw_te - m) / sd).to(torch::kFloat32)));
  EXPECT_TRUE(torch::allclose(tr.inputs.select(1, 0), ((raw_tr - m) / sd).to(torch::kFloat32)));
  // A constant feature has std 0, replaced by 1 (as sklearn): it stays 0.
  EXPECT_EQ(tr.inputs.select(1, 3).abs().max().item<float>(), 0.0f);
}

TEST(Jsc, ErrorsNameFileLineAndColumn) {
  TempDir tmp;
  const std::string p = tmp / "jsc.csv";
  write_bytes(p, header16() + ",class\n" + rows(3, false, true) + "1,2,3\n");
  expect_error([&] { read_jsc_csv(p); }, {p + ":5", "3 columns", "expected 17"});
  std::string bad = rows(4, false, true);
  bad.replace(bad.find("\n") + 1, 1, "abc");  // line 3, column 1
  write_bytes(p, header16() + ",class\n" + bad);
  expect_error([&] { read_jsc_csv(p); }, {p + ":3", "column 1", "'f0'", "abc", "not a finite number"});
  write_bytes(p, header16() + ",class\n" + rows(2, false, true) + rows(1, false, false).substr(0, 60) + "\n");
  EXPECT_THROW(read_jsc_csv(p), nnc::Error);
  std::string unknown = rows(2, false, true);
  unknown.replace(unknown.rfind(",q") + 1, 1, "x");  // row 1 (line 3): q -> x
  write_bytes(p, header16() + ",class\n" + unknown);
  expect_error([&] { read_jsc_csv(p); }, {p + ":3", "column 17", "'x'", "g,q,W,Z,t"});
  write_bytes(p, "a,b,c\n1,2,g\n");
  expect_error([&] { read_jsc_csv(p); }, {p + ":1", "2 feature columns", "expected 16"});
  std::string two_hot = rows(2, true, false);
  two_hot.replace(two_hot.size() - 2, 1, "1");  // last row: classes 1 and 4 both 1
  write_bytes(p, header16() + ",j_g,j_q,j_w,j_z,j_t\n" + two_hot);
  expect_error([&] { read_jsc_csv(p); }, {p + ":3", "exactly one"});
}

TEST(Jsc, MissingFileSaysHowToGetIt) {
  TempDir tmp;
  expect_error([&] { load_dataset({.name = "jsc", .data_dir = tmp.str()}); },
               {tmp / "jsc.csv", "hls4ml", "data_dir"});
}
