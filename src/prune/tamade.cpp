#include "prune/tamade.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::prune {

int64_t zero_below(Masks& masks, double threshold) {
  torch::NoGradGuard g;
  int64_t n = 0;
  for (auto& e : masks.entries()) {
    auto below = e.param.abs().lt(threshold) & e.param.ne(0);
    n += below.sum().item<int64_t>();
    e.param.masked_fill_(below, 0.0);
  }
  return n;
}

TamadeResult tamade(Masks& masks, const ModelMetric& metric, const TamadeOptions& o) {
  NNC_CHECK(o.resolution > 0, "option 'binary_search_resolution': must be > 0, got {}", o.resolution);
  NNC_CHECK(o.delta >= 0, "option 'tolerated_relative_loss_increase': must be >= 0, got {}", o.delta);
  torch::NoGradGuard g;
  TamadeResult r;
  std::vector<torch::Tensor> saved;
  double max_abs = 0;
  for (auto& e : masks.entries()) {
    saved.push_back(e.param.detach().clone());
    if (e.param.numel()) max_abs = std::max(max_abs, e.param.abs().max().item<double>());
  }
  auto restore = [&] {
    for (size_t i = 0; i < saved.size(); ++i) masks.entries()[i].param.copy_(saved[i]);
  };
  const bool by_accuracy = o.accuracy_tolerance >= 0;
  r.loss_before = metric();
  auto feasible = [&](double t) {
    zero_below(masks, t);
    double v = metric();
    ++r.evaluations;
    restore();
    return by_accuracy ? (r.loss_before - v <= o.accuracy_tolerance) : (v <= (1 + o.delta) * r.loss_before);
  };
  double low = 0, high = 2 * max_abs, best = 0;
  while (high - low > o.resolution) {
    double mid = 0.5 * (low + high);
    if (feasible(mid)) {
      best = mid;
      low = mid;
    } else {
      high = mid;
    }
  }
  r.threshold = best;
  r.pruned = best > 0 ? zero_below(masks, best) : 0;
  r.loss_after = metric();
  return r;
}

}  // namespace nnc::prune
