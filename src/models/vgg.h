#pragma once
// VGG-16 with BatchNorm for CIFAR-sized inputs (classifier: fc 512, dropout 0.4).
// Pools use ceil mode so 28x28 inputs also reach 1x1.
#include <torch/nn/modules/container/sequential.h>

#include "models/model.h"

namespace nnc::models {

class VGG16 : public Model {
 public:
  explicit VGG16(const ModelOptions& o);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;

 private:
  ModelOptions options_;
  torch::nn::Sequential features{nullptr}, classifier{nullptr};
};

ModelPtr make_vgg16(const ModelOptions& o);

}  // namespace nnc::models
