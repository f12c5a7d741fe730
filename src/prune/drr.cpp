#include "prune/drr.h"

#include "prune/pruner.h"
#include <fmt/format.h>

#include <cmath>

#include "core/error.h"

namespace nnc::prune {

DrrRegularizer::DrrRegularizer(Masks& masks, DrrOptions options) : Regularizer(masks), o_(options) {
  NNC_CHECK(o_.beta >= 0, "option 'beta': must be >= 0, got {}", o_.beta);
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

namespace {

class DrrPruner : public Pruner {
 public:
  std::string name() const override { return "drr"; }
  std::unique_ptr<Regularizer> make_regularizer(Masks& m, const PruneOptions& o) const override {
    return std::make_unique<DrrRegularizer>(m, DrrOptions{o.alpha, o.beta, o.rho, o.norm, o.layer_norm});
  }
};

}  // namespace

std::shared_ptr<const Pruner> make_drr_pruner() { return std::make_shared<DrrPruner>(); }

}  // namespace nnc::prune
