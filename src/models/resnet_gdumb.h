#pragma once
// GDumb's CIFAR ResNet-18 and its "SplitR" cuts (docs/replay.md#encoders-and-backbone).
//
// ConvBlock = conv (no bias) + BN(eps 1e-6) + ReLU; BasicBlock adds the shortcut with
// no ReLU after the add; the head is Linear (no bias) + BatchNorm1d(eps 1e-6). Checked
// against an independent PyTorch definition by the ctest models-torch-reference. backbone_block b drops the stem and the first b groups; b = 2.5
// or 3.5 also drops the first BasicBlock of the next group. Convs get kaiming_normal
// (fan_out), as GDumb intends (its own init loop runs too early and never applies it).
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/batchnorm.h>

#include "models/model.h"

namespace nnc::models {

class GDumbResNet : public Model {
 public:
  explicit GDumbResNet(const ModelOptions& o);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;
  /// Channels the first kept layer expects (image channels when backbone_block = 0).
  int64_t input_channels() const { return input_channels_; }

 private:
  ModelOptions options_;
  int64_t input_channels_;
  torch::nn::Sequential body{nullptr};
  torch::nn::Linear final_linear{nullptr};
  torch::nn::BatchNorm1d final_bn{nullptr};
};

/// Channel count produced by GDumb/torchvision ResNet-18 after block k (1..4, or 2.5/3.5).
int64_t resnet_channels_after(double block);

ModelPtr make_gdumb_resnet18(const ModelOptions& o);

}  // namespace nnc::models
