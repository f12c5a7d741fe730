#pragma once
// RL1 (relaxed L1): g += alpha*sign(theta) + 2*rho*theta on every array except BN scale
// (biases and BN shift ARE regularised).
#include "prune/pruner.h"
#include "prune/regularizer.h"

namespace nnc::prune {

struct Rl1Options {
  double alpha = 10;  ///< L1 weight
  double rho = 0;     ///< L2 weight

  static const OptionFields<Rl1Options>& fields();
  void validate() const;
};

class Rl1Regularizer : public Regularizer {
 public:
  Rl1Regularizer(Masks& masks, Rl1Options options);
  std::string name() const override { return "rl1"; }
  void add_gradients() override;
  void set_alpha_rho(double alpha, double rho) override { o_.alpha = alpha, o_.rho = rho; }
  std::string describe() const override;

 private:
  Rl1Options o_;
};

/// The procedure `rl1`: RL1 in phase 1, then the default final prune.
using Rl1Pruner = RegularizingPruner<Rl1Regularizer, Rl1Options>;

}  // namespace nnc::prune
