#include "prune/random_gradient_pruning.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace nnc::prune {

int64_t random_gradient_pruning(torch::nn::Module& model,
                                const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                                Masks& masks, const train::LossFn& loss, const RgpInput& in,
                                uint64_t seed) {
  torch::AutoGradMode grad_on(true);  // callers may run under NoGradGuard
  auto gen = at::detail::createCPUGenerator(seed);
  auto x = torch::randn(in.input_shape, gen, torch::kFloat32);
  torch::Tensor y;
  if (in.num_classes > 0)
    y = torch::randint(in.num_classes, in.target_shape, gen, torch::TensorOptions().dtype(torch::kInt64));
  else
    y = torch::randn(in.target_shape, gen, torch::kFloat32);
  auto device = masks.entries().empty() ? torch::Device(torch::kCPU) : masks.entries()[0].param.device();
  bool was_training = model.is_training();
  model.eval();
  auto params = masks.parameters();
  auto value = loss(forward(x.to(device)), y.to(device));
  auto grads = torch::autograd::grad({value}, params, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                     /*allow_unused=*/true);
  model.train(was_training);
  torch::NoGradGuard g;
  int64_t zeroed = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    auto dead = grads[i].defined() ? grads[i].eq(0) : torch::ones_like(params[i], torch::kBool);
    dead = dead & params[i].ne(0);
    zeroed += dead.sum().item<int64_t>();
    params[i].masked_fill_(dead, 0.0);
  }
  return zeroed;
}

}  // namespace nnc::prune
