#pragma once
// Generic MLP from a layer list; LeNet-300-100 and teacher-student nets are MLPs.
#include <torch/nn/modules/linear.h>

#include "models/model.h"

namespace nnc::models {

class MLP : public Model {
 public:
  /// layers = {in, hidden..., out}; activations one per hidden layer (or one for all).
  MLP(std::vector<int64_t> layers, std::vector<std::string> activations);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;
  const std::vector<torch::nn::Linear>& linears() const { return linears_; }
  const std::vector<std::string>& activations() const { return activations_; }

 private:
  std::vector<int64_t> widths_;
  std::vector<std::string> activations_;
  std::vector<torch::nn::Linear> linears_;
};

/// LeNet-300-100: 784-300-100-10 ReLU (266,610 parameters on 28x28x1).
ModelPtr make_lenet300100(const ModelOptions& o);
/// MLP from options.layers (input width must equal C*H*W when images are fed).
ModelPtr make_mlp(const ModelOptions& o);

}  // namespace nnc::models
