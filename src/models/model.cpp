#include "models/model.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::models {

int64_t count_parameters(const torch::nn::Module& module) {
  int64_t n = 0;
  for (const auto& p : module.parameters())
    if (p.requires_grad()) n += p.numel();
  return n;
}

void check_activation(const std::string& name) {
  NNC_CHECK(name == "relu" || name == "tanh" || name == "sigmoid" || name == "identity",
            "unknown activation '{}': expected relu, tanh, sigmoid or identity", name);
}

torch::Tensor apply_activation(const std::string& name, const torch::Tensor& x) {
  if (name == "relu") return torch::relu(x);
  if (name == "tanh") return torch::tanh(x);
  if (name == "sigmoid") return torch::sigmoid(x);
  if (name == "identity") return x;
  check_activation(name);
  return x;
}

}  // namespace nnc::models
