#pragma once
// torchvision-style ResNet-18/34 (7x7/2 stem, BN, ReLU, 3x3/2 max-pool, layer1..4),
// with torchvision parameter names (conv1.weight, layer1.0.bn1.running_mean, ...) so
// converted ImageNet weights load as they are.
//
// A cut after block k splits it into the frozen CutR *encoder* (stem + layer1..k) and
// the *remainder* (layers after k + avgpool + GDumb FinalBlock) trained as a replay
// backbone. k may be x.5: the cut falls after the first block of layer ceil(k).
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "models/model.h"
#include "models/safetensors.h"

namespace nnc::models {

enum class ResNetPart { Full, Encoder, Remainder };

class TVResNet : public Model {
 public:
  /// depth 18 or 34; cut in {0,1,2,2.5,3,3.5,4} (0 = no cut: Full, or a Remainder with the stem).
  TVResNet(const ModelOptions& o, ResNetPart part, double cut);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;
  ResNetPart part() const { return part_; }

 private:
  ModelOptions options_;
  ResNetPart part_;
  double cut_;
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  std::vector<std::shared_ptr<torch::nn::Module>> layers_;  // kept layer containers in order
  torch::nn::Linear fc{nullptr};                 // Full: torchvision head
  torch::nn::Linear final_linear{nullptr};       // Remainder: GDumb FinalBlock
  torch::nn::BatchNorm1d final_bn{nullptr};
};

/// Full torchvision ResNet (head fc with bias), e.g. for pre-training a CutR encoder.
ModelPtr make_resnet(const ModelOptions& o);
/// Encoder = stem + layers up to `cut`.
std::shared_ptr<TVResNet> make_resnet_encoder(const ModelOptions& o, double cut);
/// Remainder after `cut` with GDumb's FinalBlock; input channels = resnet_channels_after(cut).
/// Cut 0 = the whole network (stem included) with that head, for raw images.
ModelPtr make_resnet_remainder(const ModelOptions& o, double cut);

/// Blocks in layer1..layer4: {2,2,2,2} for ResNet-18, {3,4,6,3} for ResNet-34.
std::vector<int64_t> resnet_blocks_per_layer(int64_t depth);
/// Fails, naming `source` and the tensor, when `tensors` holds a block a ResNet of `depth`
/// lacks. Loading only a prefix cannot tell otherwise: ResNet-34 weights hold every
/// ResNet-18 tensor with the same shape.
void check_resnet_depth(const TensorMap& tensors, int64_t depth, const std::string& source);

}  // namespace nnc::models
