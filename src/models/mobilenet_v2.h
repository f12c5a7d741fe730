#pragma once
// MobileNetV2 (Sandler et al. 2018) for small images, the CIFAR-10 adaptation the CGP
// thesis's MobileNetV2 experiments used: the stem convolution and the second stage keep
// stride 1 (32x32 inputs end at 4x4 instead of 1x1), everything else as torchvision's.
// Parameter names follow torchvision (features.0.0.weight, features.1.conv.0.0.weight,
// classifier.1.weight, ...) so converted weights load as they are. 2,236,682 parameters
// for 10 classes at width 1 (torchvision's 3,504,872 with a 10-class head).
//
// Example:
//   auto m = make_mobilenet_v2(ModelOptions().input(3, 32, 32).num_classes(10).width(0.5));
#include <torch/nn/modules/container/sequential.h>

#include "models/model.h"

namespace nnc::models {

class MobileNetV2 : public Model {
 public:
  /// Channels scale by options.width_ (rounded to multiples of 8, as torchvision does).
  explicit MobileNetV2(const ModelOptions& o);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;

 private:
  ModelOptions options_;
  torch::nn::Sequential features{nullptr}, classifier{nullptr};
};

ModelPtr make_mobilenet_v2(const ModelOptions& o);

}  // namespace nnc::models
