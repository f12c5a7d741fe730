#pragma once
// DRR (differentiable relaxation of L0): penalty alpha*sum(1 - exp(-beta|theta|)).
// g += s*alpha*beta*sign(theta)*exp(-beta|theta|) on ALL arrays (BN scale included) and
// + 2*s*rho*theta on all but BN scale. NORM: s = N_total / N_layer / L with N_layer the
// owning layer's parameter count and L the number of layers (layer_norm = true), or the
// layer's block (conv/linear + the BatchNorms right after it) and L = number of weight
// arrays (layer_norm = false); s = 1 without NORM. (The original applies NORM to alpha
// and rho alike.)
#include "prune/pruner.h"
#include "prune/regularizer.h"

namespace nnc::prune {

struct DrrOptions {
  double alpha = 10;
  double beta = 5;         ///< the original defaults to 0, which disables DRR (fixed)
  double rho = 0;
  bool norm = false;       ///< the original's NORM
  bool layer_norm = true;  ///< the original's layer_NORM

  static const OptionFields<DrrOptions>& fields();
  void validate() const;
};

class DrrRegularizer : public Regularizer {
 public:
  DrrRegularizer(Masks& masks, DrrOptions options);
  std::string name() const override { return "drr"; }
  void add_gradients() override;
  void set_alpha_rho(double alpha, double rho) override { o_.alpha = alpha, o_.rho = rho; }
  std::string describe() const override;
  /// The NORM factor s of entry i.
  double scale(size_t i) const { return scale_.at(i); }

 private:
  DrrOptions o_;
  std::vector<double> scale_;
};

/// The procedure `drr`: DRR in phase 1, then the default final prune.
using DrrPruner = RegularizingPruner<DrrRegularizer, DrrOptions>;

}  // namespace nnc::prune
