#include "prune/drr.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

namespace nnc::prune {

const OptionFields<DrrOptions>& DrrOptions::fields() {
  static const auto f = OptionFields<DrrOptions>()
      .add("alpha", &DrrOptions::alpha, kAlphaHelp)
      .add("beta", &DrrOptions::beta, "DRR sharpness (the original's default 0 disables DRR)")
      .add("rho", &DrrOptions::rho, kRhoHelp)
      .add("norm", &DrrOptions::norm, "DRR: layerwise normalisation of alpha and rho (NORM)")
      .add("layer_norm", &DrrOptions::layer_norm, "DRR NORM by layer (true) or by conv block (false) (layer_NORM)");
  return f;
}

void DrrOptions::validate() const {
  require_nonnegative(alpha, "alpha");
  require_nonnegative(beta, "beta");
  require_nonnegative(rho, "rho");
}

DrrRegularizer::DrrRegularizer(Masks& masks, DrrOptions options) : Regularizer(masks), o_(options) {
  o_.validate();
  const double total = static_cast<double>(masks.total());
  for (const auto& e : masks.entries()) {
    if (!o_.norm) {
      scale_.push_back(1.0);
    } else if (o_.layer_norm) {
      scale_.push_back(total / static_cast<double>(e.layer_numel) / static_cast<double>(masks.num_layers()));
    } else {
      scale_.push_back(total / static_cast<double>(e.block_numel) /
                       static_cast<double>(masks.num_weight_arrays()));
    }
  }
}

void DrrRegularizer::add_gradients() {
  auto& entries = masks_.entries();
  for (size_t k = 0; k < entries.size(); ++k) {
    auto& e = entries[k];
    const float ab = static_cast<float>(scale_[k] * o_.alpha * o_.beta);
    const float beta = static_cast<float>(o_.beta);
    const float r2 = e.role == ParamRole::BnScale ? 0.f : static_cast<float>(2 * scale_[k] * o_.rho);
    if (tensor_ops_for(e)) {
      torch::NoGradGuard g;
      auto th = e.param.detach();
      ensure_grad(e.param).add_(th.sign().mul_(th.abs().mul_(-beta).exp_()).mul_(ab).add_(th, r2));
      continue;
    }
    const float* th = float_data(e.param, "drr parameter");
    float* g = float_data(ensure_grad(e.param), "drr gradient");
    for (int64_t i = 0, n = e.param.numel(); i < n; ++i) {
      float sign = static_cast<float>((th[i] > 0) - (th[i] < 0));
      g[i] += ab * sign * std::exp(-beta * std::fabs(th[i])) + r2 * th[i];
    }
  }
}

std::string DrrRegularizer::describe() const {
  return fmt::format("DRR(alpha={}, beta={}, rho={}, norm={}, layer_norm={})", o_.alpha, o_.beta, o_.rho,
                     o_.norm, o_.layer_norm);
}

}  // namespace nnc::prune
