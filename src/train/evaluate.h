#pragma once
// Evaluation metrics computed from a model's outputs (metrics compute, loggers report).
#include <torch/types.h>

#include <functional>
#include <vector>

#include "train/batch_source.h"
#include "train/execution.h"

namespace nnc::train {

struct EvalResult {
  int64_t samples = 0;
  double loss = 0;            ///< mean cross-entropy (classification) or MSE (regression)
  double accuracy = 0;        ///< micro: correct / samples
  double macro_accuracy = 0;  ///< mean of per-class recalls (torchmetrics' default "accuracy")
  double top5 = 0;
  torch::Tensor confusion;    ///< int64 [C, C], rows = true class
};

/// Evaluation batch size where a kind has no option for it. On a CPU, small batches keep a
/// layer's activations in cache: GDumb's ResNet-18 on 32x32x3 inferred ~1.3x faster at batch
/// 64 than at 256-512 (fp32 and bf16, 2 cores); a GPU wants large batches.
int64_t default_eval_batch(const torch::Device& device);

/// Runs `forward` over `data` in inference mode and returns all outputs (fp32, CPU). Outputs
/// stay on the device until the end: one transfer, no wait per batch.
torch::Tensor predict(const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                      const BatchSource& data, int64_t batch_size, const ExecutionOptions& exec);

/// Metrics from outputs and targets; num_classes 0 = regression.
EvalResult metrics_from_outputs(const torch::Tensor& outputs, const torch::Tensor& targets,
                                int64_t num_classes);

template <typename M>
EvalResult evaluate(M& model, const BatchSource& data, int64_t num_classes,
                    int64_t batch_size = 512, const ExecutionOptions& exec = {}) {
  model.eval();
  auto out = predict([&](const torch::Tensor& x) { return model.forward(x); }, data, batch_size, exec);
  return metrics_from_outputs(out, data.targets(), num_classes);
}

}  // namespace nnc::train
