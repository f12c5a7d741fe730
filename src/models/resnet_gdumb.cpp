#include "models/resnet_gdumb.h"

#include <torch/torch.h>

#include <cmath>

#include "core/error.h"

namespace nnc::models {
namespace {

constexpr double kBnEps = 1e-6;  // GDumb's bn_eps, for every BatchNorm of the network

struct ConvBlockImpl : torch::nn::Module {
  ConvBlockImpl(int64_t in, int64_t out, int64_t k, int64_t stride) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k)
                                                         .stride(stride).padding(k / 2).bias(false)));
    bn = register_module("bn", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(out).eps(kBnEps)));
  }
  torch::Tensor forward(torch::Tensor x) { return torch::relu(bn->forward(conv->forward(x))); }
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
};
TORCH_MODULE(ConvBlock);

struct BasicBlockImpl : torch::nn::Module {
  BasicBlockImpl(int64_t in, int64_t out, int64_t stride) {
    conv1 = register_module("conv1", ConvBlock(in, out, 3, stride));
    conv2 = register_module("conv2", ConvBlock(out, out, 3, 1));
    if (stride != 1 || in != out) shortcut = register_module("shortcut", ConvBlock(in, out, 1, stride));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto y = conv2->forward(conv1->forward(x));
    return y + (shortcut ? shortcut->forward(x) : x);  // no ReLU after the add (GDumb)
  }
  ConvBlock conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(BasicBlock);

bool valid_block(double b) {
  for (double v : {0.0, 1.0, 2.0, 2.5, 3.0, 3.5, 4.0})
    if (b == v) return true;
  return false;
}

}  // namespace

int64_t resnet_channels_after(double block) {
  NNC_CHECK(block >= 1 && block <= 4 && valid_block(block),
            "encoding block {} is not one of 1, 2, 2.5, 3, 3.5, 4", block);
  // x.5 cuts after the first BasicBlock of the next group.
  const int64_t widths[] = {64, 128, 256, 512};
  int64_t group = static_cast<int64_t>(std::ceil(block));  // 2.5 -> group 3
  return widths[group - 1];
}

GDumbResNet::GDumbResNet(const ModelOptions& o) : options_(o) {
  double b = o.backbone_block_;
  NNC_CHECK(valid_block(b), "backbone_block {} is not one of 0, 1, 2, 2.5, 3, 3.5, 4", b);
  NNC_CHECK(o.width_ > 0 && o.width_ <= 4, "backbone width multiplier must be in (0, 4], got {}", o.width_);
  int64_t widths[4];
  for (int g = 0; g < 4; ++g)
    widths[g] = std::max<int64_t>(4, static_cast<int64_t>(std::lround((64 << g) * o.width_)));
  const int64_t strides[] = {1, 2, 2, 2};
  int64_t full_groups = static_cast<int64_t>(std::floor(b));
  bool half = b != std::floor(b);
  torch::nn::Sequential seq;
  int64_t c;
  if (b == 0) {
    input_channels_ = o.in_channels_;
    seq->push_back(ConvBlock(o.in_channels_, widths[0], 3, 1));
    c = widths[0];
  } else {
    input_channels_ = resnet_channels_after(b);
    c = input_channels_;
  }
  for (int64_t g = full_groups; g < 4; ++g) {
    for (int blk = 0; blk < 2; ++blk) {
      if (half && g == full_groups && blk == 0) continue;  // x.5: keep the second block only
      int64_t stride = blk == 0 ? strides[g] : 1;
      seq->push_back(BasicBlock(c, widths[g], stride));
      c = widths[g];
    }
  }
  body = register_module("body", seq);
  // c: the channels of the last kept layer (the encoder's at block 4, where no group is kept).
  final_linear = register_module("final_linear", torch::nn::Linear(torch::nn::LinearOptions(c, o.num_classes_).bias(false)));
  // GDumb's FinalBlock: Linear without bias + BatchNorm1d with its bn_eps (1e-6), like
  // every other BatchNorm of the network.
  final_bn = register_module("final_bn", torch::nn::BatchNorm1d(
                                             torch::nn::BatchNorm1dOptions(o.num_classes_).eps(kBnEps)));
  for (auto& m : modules(false)) {
    if (auto* conv = m->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    }
  }
}

torch::Tensor GDumbResNet::forward(torch::Tensor x) {
  if (body->size() > 0) x = body->forward(x);
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  x = final_linear->forward(x);
  // A training batch of one sample has no batch statistics: normalise it with the
  // running ones instead of crashing (the original's BatchNorm1d does).
  if (is_training() && x.size(0) == 1) {
    return torch::batch_norm(x, final_bn->weight, final_bn->bias, final_bn->running_mean,
                             final_bn->running_var, false, 0.1, kBnEps, false);
  }
  return final_bn->forward(x);
}

std::string GDumbResNet::describe() const {
  return fmt::format("GDumb-ResNet-18(backbone_block {}, width x{}, input channels {}, classes {})",
                     options_.backbone_block_, options_.width_, input_channels_, options_.num_classes_);
}

ModelPtr make_gdumb_resnet18(const ModelOptions& o) { return std::make_shared<GDumbResNet>(o); }

}  // namespace nnc::models
