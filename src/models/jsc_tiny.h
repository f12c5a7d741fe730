#pragma once
// JSC-Tiny (MASE): BN1d(16), ReLU, Linear(16,5), ReLU: 117 trainable parameters.
// The final ReLU clips logits at 0 (an original quirk, kept for comparability).
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>

#include "models/model.h"

namespace nnc::models {

class JSCTiny : public Model {
 public:
  explicit JSCTiny(const ModelOptions& o);
  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override { return "JSC-Tiny(16-5)"; }
  torch::nn::BatchNorm1d bn{nullptr};
  torch::nn::Linear fc{nullptr};
};

ModelPtr make_jsc_tiny(const ModelOptions& o);

}  // namespace nnc::models
