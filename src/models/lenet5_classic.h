#pragma once
// LeNet-5 as LeCun drew it (the CGP original's model): conv5(6) - maxpool2 - conv5(16) -
// maxpool2 - fc120 - fc84 - fc(classes). conv1 has 150 weights and conv2 2,400: the
// layer-bypass CGP problem maps one onto the other. 44,426 parameters on 28x28x1.
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "models/model.h"

namespace nnc::models {

class LeNet5Classic : public Model {
 public:
  explicit LeNet5Classic(const ModelOptions& o);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};

 private:
  ModelOptions options_;
};

ModelPtr make_lenet5_classic(const ModelOptions& o);

}  // namespace nnc::models
