#pragma once
// Evaluation metrics computed from a model's outputs (metrics compute, loggers report).
#include <torch/types.h>

#include <functional>
#include <vector>

#include "train/batch_source.h"

namespace nnc::train {

struct EvalResult {
  int64_t samples = 0;
  double loss = 0;            ///< mean cross-entropy (classification) or MSE (regression)
  double accuracy = 0;        ///< micro: correct / samples
  double macro_accuracy = 0;  ///< mean of per-class recalls (torchmetrics' default "accuracy")
  double top5 = 0;
  torch::Tensor confusion;    ///< int64 [C, C], rows = true class
};

/// Runs `forward` over `data` in eval mode, no grad, and returns all outputs (CPU).
torch::Tensor predict(const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                      const BatchSource& data, int64_t batch_size, const torch::Device& device);

/// Metrics from outputs and targets; num_classes 0 = regression.
EvalResult metrics_from_outputs(const torch::Tensor& outputs, const torch::Tensor& targets,
                                int64_t num_classes);

template <typename M>
EvalResult evaluate(M& model, const BatchSource& data, int64_t num_classes,
                    int64_t batch_size = 512, const torch::Device& device = torch::kCPU) {
  model.eval();
  auto out = predict([&](const torch::Tensor& x) { return model.forward(x); }, data, batch_size, device);
  return metrics_from_outputs(out, data.targets(), num_classes);
}

}  // namespace nnc::train
