#include "models/jsc_tiny.h"

#include <torch/torch.h>

namespace nnc::models {

JSCTiny::JSCTiny(const ModelOptions& o) {
  int64_t in = o.layers_.empty() ? 16 : o.layers_.front();
  bn = register_module("bn", torch::nn::BatchNorm1d(in));
  fc = register_module("fc", torch::nn::Linear(in, o.num_classes_));
}

torch::Tensor JSCTiny::forward(torch::Tensor x) {
  return torch::relu(fc->forward(torch::relu(bn->forward(x.flatten(1)))));
}

ModelPtr make_jsc_tiny(const ModelOptions& o) { return std::make_shared<JSCTiny>(o); }

}  // namespace nnc::models
