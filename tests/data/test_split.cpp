// Dataset views and split_train_val: determinism, stratification, normalisation.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/error.h"
#include "data/dataset.h"

using namespace nnc::data;

namespace {
Dataset labelled(int64_t n, int64_t classes) {
  Dataset d;
  d.name = "toy";
  d.inputs = torch::arange(n, torch::kFloat32).view({n, 1});
  // Unbalanced: class c has about twice as many samples as class c+1.
  std::vector<int64_t> y;
  for (int64_t i = 0; i < n; ++i) y.push_back(i % 3 == 0 ? 0 : (i % 7) % classes);
  d.targets = torch::tensor(y, torch::kLong);
  d.num_classes = classes;
  return d;
}
}  // namespace

TEST(Split, DeterministicFromSeed) {
  auto d = labelled(500, 4);
  auto a = split_train_val(d, d, 0.2, 1), b = split_train_val(d, d, 0.2, 1);
  auto c = split_train_val(d, d, 0.2, 2);
  EXPECT_TRUE(torch::equal(a.val.inputs, b.val.inputs));
  EXPECT_TRUE(torch::equal(a.train.inputs, b.train.inputs));
  EXPECT_FALSE(torch::equal(a.val.inputs, c.val.inputs));
  EXPECT_EQ(a.test.size(), 500);
}

TEST(Split, PartitionAndStratified) {
  auto d = labelled(1000, 4);
  auto s = split_train_val(d, d, 0.1, 9);
  EXPECT_EQ(s.train.size() + s.val.size(), 1000);
  // Disjoint and complete: inputs are the row ids.
  auto ids = torch::cat({s.train.inputs, s.val.inputs}).flatten().sort();
  EXPECT_TRUE(torch::equal(std::get<0>(ids), torch::arange(1000, torch::kFloat32)));
  // Each class contributes round(n_c * 0.1) to val.
  auto all = torch::bincount(d.targets), val = torch::bincount(s.val.targets, {}, 4);
  for (int64_t c = 0; c < 4; ++c)
    EXPECT_EQ(val[c].item<int64_t>(), std::llround(all[c].item<int64_t>() * 0.1)) << c;
  // Both parts keep the original order.
  auto v = s.val.inputs.flatten();
  EXPECT_TRUE(torch::equal(v, std::get<0>(v.sort())));
}

TEST(Split, RegressionIsPlainShuffle) {
  Dataset d;
  d.inputs = torch::arange(100, torch::kFloat32).view({100, 1});
  d.targets = torch::zeros({100, 1});
  auto s = split_train_val(d, d, 0.25, 3);
  EXPECT_EQ(s.val.size(), 25);
  EXPECT_EQ(s.train.size(), 75);
  EXPECT_THROW(split_train_val(d, d, 1.0, 3), nnc::Error);
}

TEST(Split, PermutationIsStable) {
  // Pinned values: the permutation must not change across platforms or releases
  // (splits and shuffles of saved experiments depend on it).
  auto p = permutation(8, 123);
  EXPECT_EQ(p, (std::vector<int64_t>{6, 3, 2, 4, 7, 1, 5, 0}));
  std::vector<int64_t> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_NE(permutation(8, 124), p);
}

TEST(DatasetViews, NormalizedImagesPerChannel) {
  Dataset d;
  d.inputs = torch::full({2, 3, 2, 2}, 255, torch::kUInt8);
  d.inputs[1].fill_(0);
  d.targets = torch::tensor({0, 1}, torch::kLong);
  d.num_classes = 2;
  d.mean = {0.5f, 0.25f, 0.0f};
  d.std = {0.5f, 0.25f, 1.0f};
  auto x = d.normalized();
  EXPECT_EQ(x.scalar_type(), torch::kFloat32);
  EXPECT_FLOAT_EQ(x[0][0][0][0].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(x[0][1][1][1].item<float>(), 3.0f);
  EXPECT_FLOAT_EQ(x[1][0][0][0].item<float>(), -1.0f);
  EXPECT_FLOAT_EQ(x[1][2][0][0].item<float>(), 0.0f);
  auto one = d.normalized(torch::tensor({1}, torch::kLong));
  EXPECT_EQ(one.size(0), 1);
  EXPECT_FLOAT_EQ(one[0][1][0][0].item<float>(), -1.0f);
  d.mean.clear();
  d.std.clear();
  EXPECT_FLOAT_EQ(d.normalized()[0][0][0][0].item<float>(), 1.0f);  // just [0,1]
}

TEST(DatasetViews, SubsetAndFilterClasses) {
  auto d = labelled(30, 4);
  auto f = d.filter_classes({1, 3});
  EXPECT_GT(f.size(), 0);
  EXPECT_TRUE(torch::logical_or(f.targets.eq(1), f.targets.eq(3)).all().item<bool>());
  EXPECT_EQ(f.num_classes, 4);
  EXPECT_EQ(f.name, "toy");
  EXPECT_EQ(d.sample_shape(), (std::vector<int64_t>{1}));
  auto s = d.subset(torch::tensor({5, 2}, torch::kLong));
  EXPECT_EQ(s.inputs[0][0].item<float>(), 5.0f);
  EXPECT_EQ(s.targets[1].item<int64_t>(), d.targets[2].item<int64_t>());
}
