#pragma once
// LeNet-5-Caffe: conv5(20) - maxpool2 - conv5(50) - maxpool2 - fc500 - fc(classes).
// 431,080 parameters on 28x28x1.
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "models/model.h"

namespace nnc::models {

class LeNet5 : public Model {
 public:
  explicit LeNet5(const ModelOptions& o);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};

 private:
  ModelOptions options_;
};

ModelPtr make_lenet5(const ModelOptions& o);

}  // namespace nnc::models
