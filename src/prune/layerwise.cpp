#include "prune/layerwise.h"

#include <torch/torch.h>

#include "core/error.h"
#include "prune/saturation.h"

namespace nnc::prune {

namespace {

/// The input of layer `li` and its current pre-activation y = Wx + b, with the first rows of
/// the pruning data `x0` through the current network.
std::pair<torch::Tensor, torch::Tensor> layer_io(models::MLP& mlp, const torch::Tensor& x0, size_t li) {
  torch::NoGradGuard g;
  const auto& lin = mlp.linears();
  auto x = x0;
  for (size_t j = 0; j < li; ++j)
    x = models::apply_activation(mlp.activations()[j], torch::nn::functional::linear(x, lin[j]->weight, lin[j]->bias));
  return {x, torch::nn::functional::linear(x, lin[li]->weight, lin[li]->bias)};
}

/// Appends the losses in `pending` (device scalars) to `log` with one host read.
void read_losses(std::vector<torch::Tensor>& pending, std::vector<double>& log) {
  if (pending.empty()) return;
  auto values = torch::stack(pending).to(torch::kCPU, torch::kFloat64).contiguous();
  const double* v = values.data_ptr<double>();
  log.insert(log.end(), v, v + values.numel());
  pending.clear();
}

/// Refits layer `li` to (x, y) and keeps the entries whose pi > 0.5; returns the epochs taken.
int64_t refit_layer(models::MLP& mlp, size_t li, const torch::Tensor& x, const torch::Tensor& y,
                    const LayerwiseOptions& o) {
  const auto& layer = mlp.linears()[li];
  auto W = layer->weight.detach().clone().requires_grad_(true);
  auto b = layer->bias.detach().clone().requires_grad_(true);
  auto piW = (W.detach().ne(0).to(torch::kFloat32) * o.mask_start_value).requires_grad_(true);
  auto pib = (b.detach().ne(0).to(torch::kFloat32) * o.mask_start_value).requires_grad_(true);
  auto zeroW = W.detach().eq(0), zerob = b.detach().eq(0);
  torch::optim::Adam opt({W, b, piW, pib}, torch::optim::AdamOptions(o.lr));
  auto x2 = x * x;
  std::vector<double> log;
  std::vector<torch::Tensor> pending;  // read at each convergence check, not every step
  int64_t epoch = 1;
  for (; epoch <= o.max_epochs; ++epoch) {
    opt.zero_grad();
    auto mean = torch::nn::functional::linear(x, W * piW, b * pib);
    auto var = torch::nn::functional::linear(x2, W * W * piW * (1 - piW), b * b * pib * (1 - pib));
    auto loss = (y - mean).pow(2).sum() + var.sum() + o.alpha * (piW.sum() + pib.sum());
    loss.backward();
    opt.step();
    {
      torch::NoGradGuard g;
      piW.clamp_(0, 1), pib.clamp_(0, 1);
      W.masked_fill_(zeroW, 0), b.masked_fill_(zerob, 0);
      piW.masked_fill_(zeroW, 0), pib.masked_fill_(zerob, 0);
    }
    pending.push_back(loss.detach());
    if (epoch % o.check_every != 0) continue;
    read_losses(pending, log);
    if (is_saturated(log, o.smoothing_window, 1e-10)) break;
  }
  torch::NoGradGuard g;
  layer->weight.copy_(W * piW.gt(0.5).to(torch::kFloat32));
  layer->bias.copy_(b * pib.gt(0.5).to(torch::kFloat32));
  return std::min(epoch, o.max_epochs);
}

}  // namespace

LayerwiseReport layerwise_prune(models::MLP& mlp, Masks& masks, const torch::Tensor& inputs,
                                const LayerwiseOptions& o, const std::function<void()>& after_layer) {
  NNC_CHECK(o.mask_start_value >= 0 && o.mask_start_value <= 1,
            "option 'layerwise_pruning_mask_start_value': must be in [0, 1], got {}", o.mask_start_value);
  torch::AutoGradMode grad_on(true);
  LayerwiseReport report;
  const auto& lin = mlp.linears();
  auto x0 = inputs.slice(0, 0, std::min<int64_t>(o.batch_size, inputs.size(0))).flatten(1).to(torch::kFloat32);
  report.kept.assign(lin.size(), 0);
  for (size_t li = lin.size(); li-- > 0;) {
    auto [x, y] = layer_io(mlp, x0, li);
    report.epochs += refit_layer(mlp, li, x, y, o);
    masks.update_from_nonzero();
    if (after_layer) after_layer();
    report.kept[li] = lin[li]->weight.ne(0).sum().item<int64_t>() + lin[li]->bias.ne(0).sum().item<int64_t>();
  }
  masks.update_from_nonzero();
  return report;
}

}  // namespace nnc::prune
