#include "train/evaluate.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::train {

int64_t default_eval_batch(const torch::Device& device) { return device.is_cpu() ? 64 : 1024; }

namespace {
torch::Tensor predict_on_device(const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                                const BatchSource& data, int64_t batch_size, const ExecutionOptions& exec) {
  c10::InferenceMode inference;
  std::vector<torch::Tensor> outs;
  auto index_options = torch::TensorOptions().dtype(torch::kInt64).device(data.index_device(exec.device));
  for (int64_t s = 0; s < data.size(); s += batch_size) {
    auto index = torch::arange(s, std::min(data.size(), s + batch_size), index_options);
    auto x = exec.prepare_input(data.get(index).inputs);
    AutocastScope autocast(exec.precision, exec.device);
    outs.push_back(forward(x).to(torch::kFloat32));
  }
  NNC_CHECK(!outs.empty(), "evaluation set is empty");
  return torch::cat(outs).to(torch::kCPU);
}
}  // namespace

torch::Tensor predict(const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                      const BatchSource& data, int64_t batch_size, const ExecutionOptions& exec) {
  try {
    return predict_on_device(forward, data, batch_size, exec);
  } catch (const c10::OutOfMemoryError&) {
    fail("evaluation: out of memory on device '{}' at batch size {} ({} samples)", exec.device.str(),
         batch_size, data.size());
  }
}

EvalResult metrics_from_outputs(const torch::Tensor& outputs, const torch::Tensor& targets,
                                int64_t num_classes) {
  EvalResult r;
  r.samples = outputs.size(0);
  if (num_classes == 0) {
    r.loss = torch::mse_loss(outputs, targets.view_as(outputs)).item<double>();
    return r;
  }
  NNC_CHECK(outputs.dim() == 2 && outputs.size(1) == num_classes,
            "model outputs {} columns but the dataset has {} classes", outputs.size(-1), num_classes);
  r.loss = torch::nn::functional::cross_entropy(outputs, targets).item<double>();
  auto pred = outputs.argmax(1);
  r.accuracy = pred.eq(targets).to(torch::kFloat64).mean().item<double>();
  int64_t k = std::min<int64_t>(5, num_classes);
  auto topk = std::get<1>(outputs.topk(k, 1));
  r.top5 = topk.eq(targets.unsqueeze(1)).any(1).to(torch::kFloat64).mean().item<double>();
  r.confusion = torch::zeros({num_classes * num_classes}, torch::kInt64)
                    .index_add_(0, targets * num_classes + pred, torch::ones_like(targets))
                    .view({num_classes, num_classes});
  auto per_class = r.confusion.sum(1);
  auto hits = r.confusion.diagonal();
  auto present = per_class.gt(0);
  r.macro_accuracy = present.any().item<bool>()
                         ? (hits.index({present}).to(torch::kFloat64) /
                            per_class.index({present}).to(torch::kFloat64)).mean().item<double>()
                         : 0.0;
  return r;
}

}  // namespace nnc::train
