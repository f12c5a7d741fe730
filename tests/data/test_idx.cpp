// IDX reader: round trips (plain and gzip), and every malformed header or payload
// fails with the file's name, before any large allocation.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <fstream>

#include "data/fixtures.h"
#include "data/idx.h"
#include "data/loader.h"
#include "data/mnist.h"
#include "test_util.h"

using namespace nnc::data;
using nnc::data::testing::expect_error;
using nnc::data::testing::mean_pixel;
using nnc::data::testing::TempDir;

namespace {
std::string be32(uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}
torch::Tensor random_images(int64_t n, int64_t h, int64_t w) {
  return torch::randint(0, 256, {n, 1, h, w}, torch::kUInt8);
}
}  // namespace

class IdxRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(IdxRoundTrip, ImagesAndLabels) {
  const bool gz = GetParam();
  TempDir tmp;
  torch::manual_seed(1);
  auto x = random_images(7, 5, 4);
  auto y = torch::randint(0, 10, {7}, torch::kLong);
  write_idx_images(tmp / "img", x, gz);
  write_idx_labels(tmp / "lab", y, gz);
  auto x2 = read_idx_images(tmp / "img");
  auto y2 = read_idx_labels(tmp / "lab");
  EXPECT_EQ(x2.sizes(), x.sizes());
  EXPECT_EQ(x2.scalar_type(), torch::kUInt8);
  EXPECT_TRUE(torch::equal(x2, x));
  EXPECT_EQ(y2.scalar_type(), torch::kLong);
  EXPECT_TRUE(torch::equal(y2, y));
}
INSTANTIATE_TEST_SUITE_P(PlainAndGzip, IdxRoundTrip, ::testing::Bool());

TEST(Idx, MnistDirectoryThroughLoader) {
  TempDir tmp;
  Dataset train, test;
  train.inputs = random_images(12, 28, 28);
  train.targets = torch::arange(12, torch::kLong).remainder(10);
  test.inputs = random_images(3, 28, 28);
  test.targets = torch::tensor({9, 0, 4}, torch::kLong);
  write_mnist_idx_dir(tmp.str(), train, test, /*gzip=*/true);
  auto [tr, te] = load_dataset({.name = "mnist", .data_dir = tmp.str(), .limit_test = 2});
  EXPECT_EQ(tr.size(), 12);
  EXPECT_EQ(te.size(), 2);
  EXPECT_EQ(tr.num_classes, 10);
  EXPECT_TRUE(torch::equal(tr.inputs, train.inputs));
  EXPECT_TRUE(torch::equal(te.targets, test.targets.narrow(0, 0, 2)));
  ASSERT_EQ(tr.mean.size(), 1u);
  EXPECT_FLOAT_EQ(tr.mean[0], 0.1307f);
}

TEST(Idx, TruncatedPayloadNamesFileAndSizes) {
  TempDir tmp;
  const std::string path = tmp / "train-images-idx3-ubyte.gz";
  write_bytes(path, be32(0x803) + be32(60000) + be32(28) + be32(28) + std::string(1234, 'x'), true);
  expect_error([&] { read_idx_images(path); },
               {path, "truncated", "60000 images of 28x28", "47040000 bytes", "only 1234 bytes"});
}

TEST(Idx, TruncatedHeader) {
  TempDir tmp;
  write_bytes(tmp / "h", be32(0x803) + be32(10));
  expect_error([&] { read_idx_images(tmp / "h"); }, {tmp / "h", "truncated", "header"});
}

TEST(Idx, WrongMagic) {
  TempDir tmp;
  write_bytes(tmp / "l", be32(0x801) + be32(1) + "a");
  expect_error([&] { read_idx_images(tmp / "l"); }, {tmp / "l", "bad magic 0x00000801", "0x00000803"});
  write_bytes(tmp / "i", "<html>not idx</html>");
  expect_error([&] { read_idx_labels(tmp / "i"); }, {tmp / "i", "bad magic", "0x00000801"});
}

TEST(Idx, TrailingBytesRejected) {
  TempDir tmp;
  write_bytes(tmp / "l", be32(0x801) + be32(2) + "abc");
  expect_error([&] { read_idx_labels(tmp / "l"); }, {tmp / "l", "trailing"});
}

TEST(Idx, ImplausibleDimensions) {
  TempDir tmp;
  write_bytes(tmp / "i", be32(0x803) + be32(1) + be32(0) + be32(28));
  expect_error([&] { read_idx_images(tmp / "i"); }, {tmp / "i", "0x28"});
}

TEST(Idx, HugeDeclaredSizeDoesNotAllocate) {
  TempDir tmp;
  // 2^31 images of 4096x4096 (~3.6e16 bytes) in a 100-byte file.
  const std::string path = tmp / "huge";
  write_bytes(path, be32(0x803) + be32(0x80000000u) + be32(4096) + be32(4096) + std::string(84, '\0'));
  // Cap the address space: a reader trusting the header would fail to allocate (bad_alloc),
  // not raise nnc::Error.
  // (Not under AddressSanitizer, which reserves terabytes of shadow address space.)
  rlimit old{};
  getrlimit(RLIMIT_AS, &old);
#if !defined(__SANITIZE_ADDRESS__)
  rlimit capped = old;
  capped.rlim_cur = std::min<rlim_t>(old.rlim_max, rlim_t(8) << 30);
  setrlimit(RLIMIT_AS, &capped);
#endif
  expect_error([&] { read_idx_images(path); }, {path, "truncated", "2147483648 images", "only 84 bytes"});
  write_bytes(tmp / "hl", be32(0x801) + be32(0xffffffffu) + "abc", true);
  expect_error([&] { read_idx_labels(tmp / "hl"); }, {tmp / "hl", "4294967295 labels", "only 3 bytes"});
  setrlimit(RLIMIT_AS, &old);
}

TEST(Idx, LimitedReadTakesTheFirstRecordsOnly) {
  TempDir tmp;
  torch::manual_seed(2);
  auto x = random_images(50, 6, 5);
  write_idx_images(tmp / "img.gz", x, true);
  uint32_t declared = 0;
  auto first = read_idx_images(tmp / "img.gz", 7, &declared);
  EXPECT_EQ(declared, 50u);
  EXPECT_TRUE(torch::equal(first, x.slice(0, 0, 7)));
  EXPECT_EQ(read_idx_images(tmp / "img.gz", 500).size(0), 50);  // a limit above N reads N
  // The remainder is not read: trailing junk after the limit goes unnoticed, a short file not.
  write_bytes(tmp / "lab", be32(0x801) + be32(4) + std::string("\1\2\3\4junk"));
  EXPECT_TRUE(torch::equal(read_idx_labels(tmp / "lab", 2), torch::tensor({1, 2}, torch::kLong)));
  write_bytes(tmp / "short", be32(0x801) + be32(400) + std::string("\1\2"));
  expect_error([&] { read_idx_labels(tmp / "short", 300); }, {tmp / "short", "400 labels", "only 2 bytes"});
}

TEST(Idx, LimitsThroughTheLoaderReadOnlyWhatTheRunUses) {
  TempDir tmp;
  Dataset train, test;
  train.inputs = random_images(40, 28, 28);
  train.targets = torch::arange(40, torch::kLong).remainder(10);
  test.inputs = random_images(9, 28, 28);
  test.targets = torch::arange(9, torch::kLong);
  write_mnist_idx_dir(tmp.str(), train, test, /*gzip=*/true);
  auto [tr, te] = load_dataset({.name = "mnist", .data_dir = tmp.str(), .limit_train = 30, .limit_test = 4});
  EXPECT_EQ(tr.size(), 30);
  EXPECT_TRUE(torch::equal(tr.inputs, train.inputs.slice(0, 0, 30)));
  EXPECT_TRUE(torch::equal(te.targets, test.targets.slice(0, 0, 4)));
}

TEST(Idx, CorruptGzip) {
  TempDir tmp;
  std::string gz;
  {
    write_bytes(tmp / "ok.gz", be32(0x801) + be32(3) + "abc", true);
    std::ifstream in(tmp / "ok.gz", std::ios::binary);
    gz.assign(std::istreambuf_iterator<char>(in), {});
  }
  gz[gz.size() / 2 + 2] ^= 0x5a;
  gz.resize(gz.size() - 4);  // also break the trailer
  write_bytes(tmp / "bad.gz", gz);
  EXPECT_THROW(read_idx_labels(tmp / "bad.gz"), nnc::Error);
}

TEST(Idx, MissingFileSaysHowToGetIt) {
  TempDir tmp;
  expect_error([&] { load_dataset({.name = "fashion-mnist", .data_dir = tmp.str()}); },
               {tmp.str(), "train-images-idx3-ubyte", "apt-get install dataset-fashion-mnist", "data_dir"});
  expect_error([&] { load_dataset({.name = "mnist", .data_dir = tmp.str()}); },
               {tmp.str(), "train-images-idx3-ubyte", "data_dir"});
}

TEST(Idx, RealFashionMnist) {
  const std::string dir = kFashionMnistDefaultDir;
  if (!std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << dir << " absent (apt-get install dataset-fashion-mnist)";
  auto [tr, te] = load_dataset({.name = "fashion-mnist"});
  EXPECT_EQ(tr.size(), 60000);
  EXPECT_EQ(te.size(), 10000);
  EXPECT_EQ(tr.sample_shape(), (std::vector<int64_t>{1, 28, 28}));
  EXPECT_EQ(tr.targets.min().item<int64_t>(), 0);
  EXPECT_EQ(tr.targets.max().item<int64_t>(), 9);
  // Fashion-MNIST is balanced: 6000 / 1000 per class.
  EXPECT_TRUE(torch::equal(torch::bincount(tr.targets), torch::full({10}, 6000, torch::kLong)));
  EXPECT_TRUE(torch::equal(torch::bincount(te.targets), torch::full({10}, 1000, torch::kLong)));
  // Mean pixel matches the published normalisation constant.
  EXPECT_NEAR(mean_pixel(tr.inputs), 0.2860, 1e-3);
}
