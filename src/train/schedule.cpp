#include "train/schedule.h"

#include <cmath>

#include "core/error.h"

namespace nnc::train {

void validate(const ScheduleOptions& o) {
  NNC_CHECK(o.name == "none" || o.name == "cosine" || o.name == "cosine-warm-restarts" ||
                o.name == "step",
            "unknown schedule '{}': expected none, cosine, cosine-warm-restarts or step", o.name);
  NNC_CHECK(std::isfinite(o.lr) && o.lr > 0, "lr must be a positive number, got {}", o.lr);
  NNC_CHECK(o.t0 >= 1 && o.t_mult >= 1, "cosine-warm-restarts needs t0 >= 1 and t_mult >= 1");
  NNC_CHECK(o.step_size >= 1, "step schedule needs step_size >= 1");
}

double learning_rate(const ScheduleOptions& o, int64_t epoch) {
  bool warm = o.first_epoch_scale != 1.0;
  if (warm && epoch == 0) return o.lr * o.first_epoch_scale;
  int64_t e = warm ? epoch - 1 : epoch;  // the scheduler's own epoch counter
  const double pi = std::acos(-1.0);
  auto cosine = [&](double t, double period) {
    return o.eta_min + (o.lr - o.eta_min) * (1 + std::cos(pi * t / period)) / 2;
  };
  if (o.name == "cosine") {
    int64_t total = std::max<int64_t>(1, o.epochs - (warm ? 1 : 0));
    return cosine(static_cast<double>(std::min(e, total)), static_cast<double>(total));
  }
  if (o.name == "cosine-warm-restarts") {
    int64_t period = o.t0, t = e;
    while (t >= period) t -= period, period *= o.t_mult;  // PyTorch's CosineAnnealingWarmRestarts
    return cosine(static_cast<double>(t), static_cast<double>(period));
  }
  if (o.name == "step") return o.lr * std::pow(o.gamma, static_cast<double>(e / o.step_size));
  return o.lr;
}

}  // namespace nnc::train
