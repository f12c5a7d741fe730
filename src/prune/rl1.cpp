#include "prune/rl1.h"

#include "prune/pruner.h"
#include <fmt/format.h>

namespace nnc::prune {

Rl1Regularizer::Rl1Regularizer(Masks& masks, Rl1Options options) : Regularizer(masks), o_(options) {}

void Rl1Regularizer::add_gradients() {
  const float a = static_cast<float>(o_.alpha), r2 = static_cast<float>(2 * o_.rho);
  for (auto& e : masks_.entries()) {
    if (e.role == ParamRole::BnScale) continue;
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

namespace {

class Rl1Pruner : public Pruner {
 public:
  std::string name() const override { return "rl1"; }
  std::unique_ptr<Regularizer> make_regularizer(Masks& m, const PruneOptions& o) const override {
    return std::make_unique<Rl1Regularizer>(m, Rl1Options{o.alpha, o.rho});
  }
};

}  // namespace

std::shared_ptr<const Pruner> make_rl1_pruner() { return std::make_shared<Rl1Pruner>(); }

}  // namespace nnc::prune
