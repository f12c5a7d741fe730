#include "prune/rl1.h"

#include <fmt/format.h>
#include <torch/torch.h>

namespace nnc::prune {

const OptionFields<Rl1Options>& Rl1Options::fields() {
  static const auto f = OptionFields<Rl1Options>()
      .add("alpha", &Rl1Options::alpha, kAlphaHelp)
      .add("rho", &Rl1Options::rho, kRhoHelp);
  return f;
}

void Rl1Options::validate() const {
  require_nonnegative(alpha, "alpha");
  require_nonnegative(rho, "rho");
}

Rl1Regularizer::Rl1Regularizer(Masks& masks, Rl1Options options) : Regularizer(masks), o_(options) {
  o_.validate();
}

void Rl1Regularizer::add_gradients() {
  const float a = static_cast<float>(o_.alpha), r2 = static_cast<float>(2 * o_.rho);
  for (auto& e : masks_.entries()) {
    if (e.role == ParamRole::BnScale) continue;
    if (tensor_ops_for(e)) {
      torch::NoGradGuard g;
      auto th = e.param.detach();
      ensure_grad(e.param).add_(th.sign().mul_(a).add_(th, r2));
      continue;
    }
    const float* th = float_data(e.param, "rl1 parameter");
    float* g = float_data(ensure_grad(e.param), "rl1 gradient");
    for (int64_t i = 0, n = e.param.numel(); i < n; ++i) {
      float sign = static_cast<float>((th[i] > 0) - (th[i] < 0));
      g[i] += a * sign + r2 * th[i];
    }
  }
}

std::string Rl1Regularizer::describe() const {
  return fmt::format("RL1(alpha={}, rho={})", o_.alpha, o_.rho);
}

}  // namespace nnc::prune
