#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "core/error.h"
#include "models/safetensors.h"
#include "models/zoo.h"

using namespace nnc::models;
namespace fs = std::filesystem;

namespace {
std::string temp_path(const std::string& name) {
  auto dir = fs::temp_directory_path() / "nnc-test-models";
  fs::create_directories(dir);
  return (dir / name).string();
}
}  // namespace

TEST(Safetensors, RoundTripsEveryDtype) {
  TensorMap t = {{"a", torch::randn({3, 4})},
                 {"b", torch::arange(10, torch::kInt64)},
                 {"c", torch::randint(0, 255, {5}, torch::kUInt8)},
                 {"d", torch::randn({2}, torch::kFloat64)}};
  auto p = temp_path("rt.safetensors");
  save_safetensors(t, p, {{"format", "pt"}});
  auto back = load_safetensors(p);
  ASSERT_EQ(back.size(), t.size());
  for (auto& [k, v] : t) EXPECT_TRUE(torch::equal(v, back.at(k))) << k;
}

TEST(Safetensors, ModelWeightsRoundTrip) {
  auto a = make_model("lenet5", ModelOptions());
  auto b = make_model("lenet5", ModelOptions());
  auto p = temp_path("lenet5.safetensors");
  save_safetensors(module_state(*a), p);
  auto report = load_into(*b, load_safetensors(p), true, p);
  EXPECT_TRUE(report.missing.empty());
  auto x = torch::randn({2, 1, 28, 28});
  EXPECT_TRUE(torch::allclose(a->forward(x), b->forward(x)));
}

TEST(Safetensors, ShapeMismatchNamesEveryTensor) {
  auto a = make_model("lenet5", ModelOptions().num_classes(5));
  auto b = make_model("lenet5", ModelOptions().num_classes(10));
  try {
    load_into(*b, module_state(*a), false, "w.safetensors");
    FAIL();
  } catch (const nnc::Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("fc2.weight"), std::string::npos) << m;
    EXPECT_NE(m.find("fc2.bias"), std::string::npos) << m;
    EXPECT_NE(m.find("w.safetensors"), std::string::npos) << m;
  }
}

TEST(Safetensors, CorruptFilesGiveClearErrors) {
  auto p = temp_path("bad.safetensors");
  auto write = [&](const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  };
  write("abc");
  EXPECT_THROW(load_safetensors(p), nnc::Error);
  std::string huge("\xff\xff\xff\xff\x00\x00\x00\x00{}", 10);
  write(huge);
  EXPECT_THROW(load_safetensors(p), nnc::Error);
  auto hdr = [](const std::string& json) {
    std::string s(8, '\0');
    s[0] = static_cast<char>(json.size());
    return s + json;
  };
  write(hdr(R"({"x":{"dtype":"F32","shape":[1000000],"data_offsets":[0,4000000]}})"));
  EXPECT_THROW(load_safetensors(p), nnc::Error);
  write(hdr(R"({"x":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}})") + "abcd");
  EXPECT_THROW(load_safetensors(p), nnc::Error);
  write(hdr(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})") + "abcd");
  EXPECT_THROW(load_safetensors(p), nnc::Error);
  EXPECT_THROW(load_safetensors(temp_path("missing.safetensors")), nnc::Error);
}

TEST(Safetensors, NonFiniteWeightsAreRefusedNamingFileAndTensor) {
  auto p = temp_path("nan.safetensors");
  auto w = torch::ones({3, 4});
  w[1][2] = std::numeric_limits<float>::quiet_NaN();
  w[2][0] = std::numeric_limits<float>::infinity();
  save_safetensors({{"fc.weight", w}, {"steps", torch::arange(3, torch::kInt64)}}, p);
  try {
    load_safetensors(p);
    FAIL() << "NaN weights were loaded";
  } catch (const nnc::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(p), std::string::npos) << m;
    EXPECT_NE(m.find("tensor 'fc.weight' holds 2 non-finite value(s) (the first is nan)"),
              std::string::npos) << m;
  }
}

TEST(Safetensors, SaveToAFullDeviceFailsAndLeavesNoFile) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  try {
    save_safetensors({{"w", torch::ones({64})}}, "/dev/full");
    FAIL() << "a write to /dev/full succeeded";
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write '/dev/full': No space left on device"),
              std::string::npos) << e.what();
  }
}
