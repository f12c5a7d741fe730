#include "models/mlp.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::models {

MLP::MLP(std::vector<int64_t> layers, std::vector<std::string> activations)
    : widths_(std::move(layers)), activations_(std::move(activations)) {
  NNC_CHECK(widths_.size() >= 2, "mlp: expected at least 2 layer widths (input, output), got {}",
            widths_.size());
  for (auto w : widths_) NNC_CHECK(w > 0, "mlp: layer widths must be positive, got {}", w);
  size_t hidden = widths_.size() - 2;
  if (activations_.empty()) activations_ = {"relu"};
  if (activations_.size() == 1) activations_.assign(hidden, activations_[0]);
  NNC_CHECK(activations_.size() == hidden, "mlp: {} activations given for {} hidden layers",
            activations_.size(), hidden);
  for (auto& a : activations_) check_activation(a);
  for (size_t i = 0; i + 1 < widths_.size(); ++i)
    linears_.push_back(register_module("fc" + std::to_string(i + 1),
                                       torch::nn::Linear(widths_[i], widths_[i + 1])));
}

torch::Tensor MLP::forward(torch::Tensor x) {
  x = x.flatten(1);
  for (size_t i = 0; i < linears_.size(); ++i) {
    x = linears_[i]->forward(x);
    if (i + 1 < linears_.size()) x = apply_activation(activations_[i], x);
  }
  return x;
}

std::string MLP::describe() const {
  std::string s = "MLP(";
  for (size_t i = 0; i < widths_.size(); ++i) s += (i ? "-" : "") + std::to_string(widths_[i]);
  return s + ", " + (activations_.empty() ? "" : activations_[0]) + ")";
}

ModelPtr make_lenet300100(const ModelOptions& o) {
  int64_t in = o.in_channels_ * o.in_height_ * o.in_width_;
  return std::make_shared<MLP>(std::vector<int64_t>{in, 300, 100, o.num_classes_},
                               std::vector<std::string>{"relu"});
}

ModelPtr make_mlp(const ModelOptions& o) {
  auto layers = o.layers_;
  if (layers.empty()) layers = {o.in_channels_ * o.in_height_ * o.in_width_, 128, o.num_classes_};
  return std::make_shared<MLP>(layers, std::vector<std::string>{o.activation_});
}

}  // namespace nnc::models
