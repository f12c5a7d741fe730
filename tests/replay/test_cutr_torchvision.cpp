// CutR encoders and the resnet18/resnet34 models against torchvision itself. The ctest
// fixture torchvision-reference (torchvision_reference.py) converts a random torchvision
// ResNet (random BatchNorm statistics too) with scripts/torchvision_to_safetensors.py and
// writes a fixed uint8 batch with torchvision's outputs at every cut and of the full network.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/safetensors.h"
#include "models/zoo.h"
#include "replay/encoder.h"

namespace fs = std::filesystem;
using namespace nnc;

namespace {

// Max |got - want| over max(1, max |want|): a deep random network's features reach ~100,
// where float32 rounding of a different summation order alone is ~1e-5 absolute.
constexpr double kTolerance = 1e-5;

double relative_max_diff(const torch::Tensor& got, const torch::Tensor& want) {
  double scale = std::max(1.0, want.abs().max().item<double>());
  return (got - want).abs().max().item<double>() / scale;
}

std::vector<float> as_vector(const torch::Tensor& t) {
  auto c = t.to(torch::kFloat32).contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

class TorchvisionReference : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("NNC_TORCHVISION_DIR");
    ASSERT_NE(dir, nullptr) << "NNC_TORCHVISION_DIR is not set: run through ctest, whose "
                               "torchvision-reference fixture writes the reference files";
    dir_ = dir;
    if (fs::exists(dir_ / "SKIPPED")) {
      std::ifstream in(dir_ / "SKIPPED");
      std::stringstream reason;
      reason << in.rdbuf();
      GTEST_SKIP() << reason.str();
    }
    arch_ = GetParam();
    weights_ = (dir_ / (arch_ + ".safetensors")).string();
    ref_ = models::load_safetensors((dir_ / (arch_ + "_reference.safetensors")).string());
  }
  void report(const std::string& what, double diff) {
    std::printf("[ measured ] %s %s: max |diff| / max(1, max |torchvision|) = %.3g\n", arch_.c_str(),
                what.c_str(), diff);
    EXPECT_LE(diff, kTolerance) << arch_ << " " << what;
  }

  fs::path dir_;
  std::string arch_, weights_;
  models::TensorMap ref_;
};

TEST_P(TorchvisionReference, CutREncoderMatchesEveryCut) {
  const auto& images = ref_.at("images");
  for (std::string cut : {"1", "2", "2.5", "3", "3.5", "4"}) {
    OptionValues o{{"encoder", std::string(arch_ == "resnet18" ? "cutr" : "cutr34")},
                   {"encoding_block", std::stod(cut)},
                   {"encoder_weights", weights_}};
    auto encoder = replay::make_encoder(
        o, replay::EncoderContext{as_vector(ref_.at("mean")), as_vector(ref_.at("std"))});
    const auto& want = ref_.at("features." + cut);
    auto shape = encoder->output(replay::Representation{images.sizes().slice(1).vec(), true}).shape;
    EXPECT_EQ(shape, want.sizes().slice(1).vec()) << "cut " << cut;
    auto got = encoder->encode(images);
    ASSERT_EQ(got.sizes(), want.sizes()) << "cut " << cut;
    report("cut " + cut, relative_max_diff(got, want));
  }
}

TEST_P(TorchvisionReference, FullModelMatchesLogits) {
  const auto& x = ref_.at("inputs");
  auto model = models::make_model(arch_, models::ModelOptions().input(3, x.size(2), x.size(3)).num_classes(1000));
  models::load_into(*model, models::load_safetensors(weights_), /*strict=*/true, weights_);
  model->eval();
  torch::NoGradGuard no_grad;
  auto got = model->forward(x);
  ASSERT_EQ(got.sizes(), ref_.at("logits").sizes());
  report("logits", relative_max_diff(got, ref_.at("logits")));
}

INSTANTIATE_TEST_SUITE_P(Arch, TorchvisionReference, ::testing::Values("resnet18", "resnet34"));

// The script's --random-init file (no download) holds exactly torchvision's tensors.
TEST(TorchvisionScript, RandomInitFileLoadsStrictly) {
  const char* dir = std::getenv("NNC_TORCHVISION_DIR");
  ASSERT_NE(dir, nullptr) << "NNC_TORCHVISION_DIR is not set: run through ctest";
  if (fs::exists(fs::path(dir) / "SKIPPED")) GTEST_SKIP() << "no Python with torchvision";
  auto path = (fs::path(dir) / "resnet18_random_init.safetensors").string();
  auto model = models::make_model("resnet18", models::ModelOptions().input(3, 32, 32).num_classes(1000));
  auto report = models::load_into(*model, models::load_safetensors(path), /*strict=*/true, path);
  EXPECT_EQ(report.loaded.size(), models::module_state(*model).size());
}

}  // namespace
