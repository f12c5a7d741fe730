#pragma once
// Dynamic loss scaling for fp16 training: fp16's narrow range flushes small gradients to zero,
// so the loss is multiplied by a large scale before backward and the gradients divided by it
// before the step. A step whose gradients overflowed (inf/NaN) is skipped and the scale halved;
// after `growth_interval` clean steps the scale doubles. Same algorithm and defaults as
// PyTorch's GradScaler (init 2^16, growth 2, backoff 0.5, interval 2000).
#include <torch/types.h>

#include <vector>

namespace nnc::train {

class LossScaler {
 public:
  explicit LossScaler(bool enabled, double init_scale = 65536.0, int64_t growth_interval = 2000);
  bool enabled() const { return enabled_; }
  double scale() const { return scale_; }
  /// loss x scale (the loss itself when disabled).
  torch::Tensor scale_loss(const torch::Tensor& loss) const;
  /// Divides every defined gradient by the scale; true when all are finite (the step may run).
  /// Reads one flag from the device: fp16 training waits for the device once per step.
  bool unscale(const std::vector<torch::Tensor>& params) const;
  /// Halves the scale after an overflow, doubles it after growth_interval clean steps.
  void update(bool finite);

 private:
  bool enabled_;
  double scale_;
  int64_t growth_interval_, clean_steps_ = 0;
};

}  // namespace nnc::train
