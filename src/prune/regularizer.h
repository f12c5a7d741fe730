#pragma once
// A pruning regulariser: its gradient is ADDED to the data-loss gradient after backward;
// the penalty is never part of the loss value (docs/pruning.md#masks). Each regulariser
// writes its maths twice over one formula: plain loops over contiguous float32 CPU memory
// (shared verbatim by the LibTorch path and the fused small-MLP path, where per-op overhead
// would dominate, and bit-for-bit what earlier versions computed), and torch ops, which run
// wherever the parameters live (a GPU) without a host round trip. Tests check the two equal.
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
  /// Computes with torch ops on the CPU too (off the CPU they are always used): lets tests
  /// compare the two forms of the maths.
  void use_tensor_ops(bool on) { tensor_ops_ = on; }

 protected:
  /// Whether entry `e` takes the torch-op form (its parameter is off the CPU, or forced).
  bool tensor_ops_for(const ParamEntry& e) const { return tensor_ops_ || !e.param.device().is_cpu(); }

  Masks& masks_;

 private:
  bool tensor_ops_ = false;
};

}  // namespace nnc::prune
