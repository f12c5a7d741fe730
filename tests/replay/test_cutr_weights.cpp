// Weights that do not fit the requested CutR encoder: one error line naming the file and
// the tensor, never a silently half-loaded network.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "core/error.h"
#include "models/resnet.h"
#include "models/safetensors.h"
#include "replay/encoder.h"

namespace fs = std::filesystem;
using namespace nnc;

namespace {

std::string saved_resnet(int64_t depth, int64_t channels, const std::string& name) {
  auto dir = fs::temp_directory_path() / "nnc-test-replay";
  fs::create_directories(dir);
  auto path = (dir / name).string();
  torch::manual_seed(0);
  auto model = models::make_resnet(models::ModelOptions().input(channels, 32, 32).depth(depth));
  models::save_safetensors(models::module_state(*model), path);
  return path;
}

/// A CutR encoder's options (as a config gives them), cut after block 3.
OptionValues cutr(const std::string& name, const std::string& weights) {
  return {{"encoder", name}, {"encoding_block", 3.0}, {"encoder_weights", weights}};
}

/// The message of the error make_encoder throws, or "" when it accepts the weights.
std::string encoder_error(const OptionValues& o) {
  try {
    replay::make_encoder(o, replay::EncoderContext{{0.5f, 0.5f, 0.5f}, {0.25f, 0.25f, 0.25f}});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

void expect_one_line_naming(const std::string& message, const std::string& file,
                            const std::string& tensor) {
  ASSERT_FALSE(message.empty()) << "the weights were accepted";
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_NE(message.find(tensor), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

}  // namespace

TEST(CutRWeights, MatchingWeightsLoad) {
  EXPECT_EQ(encoder_error(cutr("cutr", saved_resnet(18, 3, "r18.safetensors"))), "");
}

// Every ResNet-18 tensor is in a ResNet-34 file with the same shape: only the extra blocks
// (layer1.2, ...) show that the file is of the wrong depth.
TEST(CutRWeights, ResNet34WeightsForResNet18AreRefused) {
  auto path = saved_resnet(34, 3, "r34.safetensors");
  expect_one_line_naming(encoder_error(cutr("cutr", path)), path, "'layer1.2.");
}

TEST(CutRWeights, ResNet18WeightsForResNet34AreRefused) {
  auto path = saved_resnet(18, 3, "r18-for-34.safetensors");
  expect_one_line_naming(encoder_error(cutr("cutr34", path)), path, "'layer1.2.");
}

TEST(CutRWeights, GreyscaleWeightsForColourImagesAreRefused) {
  auto path = saved_resnet(18, 1, "r18-grey.safetensors");
  expect_one_line_naming(encoder_error(cutr("cutr", path)), path, "conv1.weight");
}

TEST(CutRWeights, TruncatedFileIsRefused) {
  auto path = saved_resnet(18, 3, "r18-truncated.safetensors");
  fs::resize_file(path, fs::file_size(path) / 2);
  expect_one_line_naming(encoder_error(cutr("cutr", path)), path, "tensor '");
}
