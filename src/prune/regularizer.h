#pragma once
// A pruning regulariser: its gradient is ADDED to the data-loss gradient after backward;
// the penalty is never part of the loss value (docs/pruning.md#masks). The maths are plain
// loops over contiguous float32 memory, shared verbatim by the LibTorch path (a Trainer
// hook) and the fused small-MLP path.
#include <torch/types.h>

#include <string>
#include <vector>

#include "prune/mask.h"

namespace nnc::prune {

class Regularizer {
 public:
  explicit Regularizer(Masks& masks) : masks_(masks) {}
  virtual ~Regularizer() = default;
  virtual std::string name() const = 0;
  /// Adds the penalty's gradient to every parameter's grad (allocating zeros where
  /// undefined) and sets the gradients of extra_parameters().
  virtual void add_gradients() = 0;
  /// Extra tensors trained by the same optimizer (PMMP's w, pi, u).
  virtual std::vector<torch::Tensor> extra_parameters() { return {}; }
  /// After each optimizer step (PMMP clamps pi to [0, 1]).
  virtual void after_step() {}
  /// After a prune (PMMP: pi <- 0 where a = 0, m <- 0 where pi = 0).
  virtual void after_prune() {}
  /// Extra condition for convergence (PMMP: <= 1% of pi in (0.1, 0.9)).
  virtual bool allows_stop() const { return true; }
  /// Fine-tuning sets alpha = rho = 0.
  virtual void set_alpha_rho(double alpha, double rho) = 0;
  virtual std::string describe() const = 0;

 protected:
  Masks& masks_;
};

}  // namespace nnc::prune
