// CIFAR-10/100 binary files: round trips through the fixture writers, folder layouts,
// and malformed files.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "data/cifar.h"
#include "data/fixtures.h"
#include "data/loader.h"
#include "test_util.h"

using namespace nnc::data;
using nnc::data::testing::expect_error;
using nnc::data::testing::TempDir;

namespace {
Dataset tiny(int64_t n, int64_t classes, uint64_t seed) {
  torch::manual_seed(seed);
  Dataset d;
  d.inputs = torch::randint(0, 256, {n, 3, 32, 32}, torch::kUInt8);
  d.targets = torch::randint(0, classes, {n}, torch::kLong);
  return d;
}
}  // namespace

TEST(Cifar, Cifar10RoundTripPixelsAreChw) {
  TempDir tmp;
  auto train = tiny(11, 10, 1), test = tiny(4, 10, 2);
  write_cifar10_dir(tmp.str(), train, test);
  EXPECT_EQ(std::filesystem::file_size(tmp / "test_batch.bin"), 4u * 3073u);
  auto [tr, te] = load_dataset({.name = "cifar10", .data_dir = tmp.str()});
  EXPECT_EQ(tr.size(), 11);
  EXPECT_EQ(te.size(), 4);
  EXPECT_EQ(tr.num_classes, 10);
  EXPECT_TRUE(torch::equal(tr.inputs, train.inputs));
  EXPECT_TRUE(torch::equal(tr.targets, train.targets));
  EXPECT_TRUE(torch::equal(te.inputs, test.inputs));
  EXPECT_FALSE(tr.coarse_targets.defined());
  EXPECT_EQ(tr.mean, (std::vector<float>{0.4914f, 0.4822f, 0.4465f}));
  EXPECT_EQ(tr.std, (std::vector<float>{0.2023f, 0.1994f, 0.2010f}));
}

TEST(Cifar, RecordLayoutByteExact) {
  // Record = label byte, then 1024 R, 1024 G, 1024 B, row-major.
  TempDir tmp;
  std::string rec(3073, '\0');
  rec[0] = 7;
  rec[1 + 0] = 10;                 // R(0,0)
  rec[1 + 1024 + 33] = 20;         // G(1,1)
  rec[1 + 2048 + 1023] = char(200);  // B(31,31)
  write_bytes(tmp / "one.bin", rec);
  auto d = read_cifar_bin(tmp / "one.bin", CifarVariant::kCifar10);
  EXPECT_EQ(d.targets[0].item<int64_t>(), 7);
  EXPECT_EQ(d.inputs[0][0][0][0].item<int>(), 10);
  EXPECT_EQ(d.inputs[0][1][1][1].item<int>(), 20);
  EXPECT_EQ(d.inputs[0][2][31][31].item<int>(), 200);
}

TEST(Cifar, Cifar100FineAndCoarseInStandardSubfolder) {
  TempDir tmp;
  auto train = tiny(9, 100, 3), test = tiny(5, 100, 4);
  write_cifar100_dir(tmp / "cifar-100-binary", train, test);
  auto [tr, te] = load_dataset({.name = "cifar100", .data_dir = tmp.str()});
  EXPECT_EQ(tr.num_classes, 100);
  EXPECT_TRUE(torch::equal(tr.targets, train.targets));
  ASSERT_TRUE(tr.coarse_targets.defined());
  EXPECT_TRUE(torch::equal(tr.coarse_targets, train.targets.div(5, "floor")));
  EXPECT_TRUE(torch::equal(te.inputs, test.inputs));
  // subset keeps coarse labels aligned.
  auto s = tr.subset(torch::tensor({4, 1}, torch::kLong));
  EXPECT_EQ(s.coarse_targets[0].item<int64_t>(), train.targets[4].item<int64_t>() / 5);
  EXPECT_FLOAT_EQ(tr.std[2], 0.2761f);
}

TEST(Cifar, Cifar10StandardSubfolder) {
  TempDir tmp;
  write_cifar10_dir(tmp / "cifar-10-batches-bin", tiny(10, 10, 5), tiny(2, 10, 6));
  auto [tr, te] = load_dataset({.name = "cifar10", .data_dir = tmp.str()});
  EXPECT_EQ(tr.size(), 10);
}

TEST(Cifar, SeedSpellingsAreAliases) {
  TempDir tmp;
  write_cifar10_dir(tmp / "cifar-10-batches-bin", tiny(10, 10, 5), tiny(2, 10, 6));
  write_cifar100_dir(tmp / "cifar-100-binary", tiny(9, 100, 3), tiny(5, 100, 4));
  // The seed notebooks write --dataset CIFAR10 / CIFAR100; any letter case is the same set.
  for (const char* name : {"CIFAR10", "Cifar-10"}) {
    auto [tr, te] = load_dataset({.name = name, .data_dir = tmp.str()});
    EXPECT_EQ(tr.name, "cifar10") << name;
    EXPECT_EQ(tr.size(), 10) << name;
  }
  auto [tr100, te100] = load_dataset({.name = "CIFAR100", .data_dir = tmp.str()});
  EXPECT_EQ(tr100.num_classes, 100);
  EXPECT_EQ(canonical_dataset_name("CIFAR100"), "cifar100");
  EXPECT_EQ(canonical_dataset_name("cifar10"), "cifar10");
  EXPECT_EQ(canonical_dataset_name("cifar-11"), "cifar-11");  // unknown: left for the loader to refuse
}

TEST(Cifar, LengthNotMultipleOfRecord) {
  TempDir tmp;
  write_bytes(tmp / "test_batch.bin", std::string(3073 * 2 + 100, '\1'));
  expect_error([&] { read_cifar_bin(tmp / "test_batch.bin", CifarVariant::kCifar10); },
               {tmp / "test_batch.bin", "6246 bytes", "not a multiple", "3073"});
  write_bytes(tmp / "train.bin", std::string(3073 * 2, '\1'));
  expect_error([&] { read_cifar_bin(tmp / "train.bin", CifarVariant::kCifar100); },
               {tmp / "train.bin", "3074"});
}

TEST(Cifar, LabelOutOfRange) {
  TempDir tmp;
  std::string rec(3073, '\0');
  rec[0] = 10;
  write_bytes(tmp / "b.bin", rec);
  expect_error([&] { read_cifar_bin(tmp / "b.bin", CifarVariant::kCifar10); },
               {tmp / "b.bin", "label 10"});
}

TEST(Cifar, MissingFilesSayWhereToDownload) {
  TempDir tmp;
  expect_error([&] { load_dataset({.name = "cifar10", .data_dir = tmp.str()}); },
               {tmp / "data_batch_1.bin", "cifar-10-batches-bin", "cifar-10-binary.tar.gz"});
  expect_error([&] { load_dataset({.name = "cifar100", .data_dir = tmp.str()}); },
               {tmp / "train.bin", "cifar-100-binary.tar.gz"});
}
