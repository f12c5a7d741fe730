#include "models/mobilenet_v2.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::models {
namespace {

namespace nn = torch::nn;

/// torchvision's rounding of scaled channel counts: to a multiple of 8, never below 90%.
int64_t divisible_by_8(double v) {
  int64_t r = std::max<int64_t>(8, int64_t(v + 4) / 8 * 8);
  return r < 0.9 * v ? r + 8 : r;
}

/// Conv (no bias) + BN + ReLU6 as torchvision's Conv2dNormActivation (children 0, 1, 2); a
/// Sequential with a plain forward, so it can sit inside another Sequential.
struct ConvBNReLU6Impl : nn::SequentialImpl {
  ConvBNReLU6Impl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups) {
    push_back(nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding((kernel - 1) / 2)
                             .groups(groups).bias(false)));
    push_back(nn::BatchNorm2d(out));
    push_back(nn::ReLU6());
  }
  torch::Tensor forward(torch::Tensor x) { return nn::SequentialImpl::forward(x); }
};
TORCH_MODULE(ConvBNReLU6);

/// Expand 1x1 (skipped at expansion 1) -> depthwise 3x3 -> linear 1x1; residual when the
/// shape is kept. The layers sit in `conv` so the names match torchvision's.
struct InvertedResidualImpl : nn::Module {
  InvertedResidualImpl(int64_t in, int64_t out, int64_t stride, int64_t expansion)
      : residual(stride == 1 && in == out) {
    const int64_t hidden = in * expansion;
    nn::Sequential seq;
    if (expansion != 1) seq->push_back(ConvBNReLU6(in, hidden, 1, 1, 1));
    seq->push_back(ConvBNReLU6(hidden, hidden, 3, stride, hidden));
    seq->push_back(nn::Conv2d(nn::Conv2dOptions(hidden, out, 1).bias(false)));
    seq->push_back(nn::BatchNorm2d(out));
    conv = register_module("conv", seq);
  }
  torch::Tensor forward(torch::Tensor x) { return residual ? x + conv->forward(x) : conv->forward(x); }
  bool residual;
  nn::Sequential conv{nullptr};
};
TORCH_MODULE(InvertedResidual);

struct Stage {
  int64_t expansion, channels, blocks, stride;
};
// The paper's table 2, with stage 2's stride 2 -> 1 for 32x32 inputs.
constexpr Stage kStages[] = {{1, 16, 1, 1},  {6, 24, 2, 1},  {6, 32, 3, 2}, {6, 64, 4, 2},
                             {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};

void init_like_torchvision(nn::Module& root) {
  for (auto& m : root.modules(false)) {
    if (auto* conv = m->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut);
    } else if (auto* bn = m->as<nn::BatchNorm2d>()) {
      nn::init::ones_(bn->weight);
      nn::init::zeros_(bn->bias);
    } else if (auto* fc = m->as<nn::Linear>()) {
      nn::init::normal_(fc->weight, 0, 0.01);
      nn::init::zeros_(fc->bias);
    }
  }
}

}  // namespace

MobileNetV2::MobileNetV2(const ModelOptions& o) : options_(o) {
  NNC_CHECK(o.width_ > 0, "mobilenetv2: width multiplier must be > 0, got {}", o.width_);
  int64_t c = divisible_by_8(32 * o.width_);
  const int64_t last = divisible_by_8(1280 * std::max(1.0, o.width_));
  nn::Sequential f;
  f->push_back(ConvBNReLU6(o.in_channels_, c, 3, 1, 1));
  for (const Stage& s : kStages) {
    const int64_t out = divisible_by_8(double(s.channels) * o.width_);
    for (int64_t i = 0; i < s.blocks; ++i, c = out)
      f->push_back(InvertedResidual(c, out, i == 0 ? s.stride : 1, s.expansion));
  }
  f->push_back(ConvBNReLU6(c, last, 1, 1, 1));
  features = register_module("features", f);
  classifier = register_module("classifier", nn::Sequential(nn::Dropout(0.2), nn::Linear(last, o.num_classes_)));
  init_like_torchvision(*this);
}

torch::Tensor MobileNetV2::forward(torch::Tensor x) {
  x = torch::adaptive_avg_pool2d(features->forward(x), {1, 1}).flatten(1);
  return classifier->forward(x);
}

std::string MobileNetV2::describe() const {
  return fmt::format("MobileNetV2-CIFAR(input {}x{}x{}, width {}, classes {})", options_.in_channels_,
                     options_.in_height_, options_.in_width_, options_.width_, options_.num_classes_);
}

ModelPtr make_mobilenet_v2(const ModelOptions& o) { return std::make_shared<MobileNetV2>(o); }

}  // namespace nnc::models
