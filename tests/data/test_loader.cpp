// load_dataset by name: registry contents, unknown names, limits.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

#include "data/loader.h"
#include "test_util.h"

using namespace nnc::data;
using nnc::data::testing::expect_error;

TEST(Loader, NamesCoverEveryDataset) {
  auto names = dataset_names();
  for (const char* n : {"fashion-mnist", "mnist", "mnist-digits", "cifar10", "cifar100",
                        "teacher-student", "jsc", "blobs", "blobs-image"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST(Loader, UnknownNameListsValidOnes) {
  expect_error([] { load_dataset({.name = "cifar-11"}); },
               {"unknown dataset 'cifar-11'", "cifar10", "fashion-mnist", "teacher-student"});
}

TEST(Loader, LimitsKeepTheFirstSamples) {
  auto [tr, te] = load_dataset({.name = "blobs", .seed = 2});
  auto [tr2, te2] = load_dataset({.name = "blobs", .seed = 2, .limit_train = 10, .limit_test = 3});
  EXPECT_EQ(tr2.size(), 10);
  EXPECT_EQ(te2.size(), 3);
  EXPECT_TRUE(torch::equal(tr2.inputs, tr.inputs.narrow(0, 0, 10)));
  auto [tr3, te3] = load_dataset({.name = "blobs", .limit_train = 1000000});
  EXPECT_EQ(tr3.size(), tr.size());
  expect_error([] { load_dataset({.name = "blobs", .limit_train = -1}); }, {"limit_train -1"});
}
