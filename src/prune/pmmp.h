#pragma once
// PMMP (probabilistic minimax pruning). Per weight a (the parameter), w (starts as a copy
// of a), pi in [0,1] (init initial_p_value = 1), u (init initial_u_value = 0):
//   L = data(a*m) + alpha*sum(pi) + L1*sum|a| + rho*sum a^2
//       + c*sum u*[(a - w*pi)^2 + w^2*pi*(1 - pi)],      c = u_value_multiply_factor.
// Gradient DESCENT on a, w, pi and ASCENT on u (-dL/du goes to the same Adam); pi is
// clamped to [0,1] after every step. The coupling and alpha terms are skipped when
// alpha = 0. Every array is covered (biases and BN too).
#include "prune/pruner.h"
#include "prune/regularizer.h"

namespace nnc::prune {

struct PmmpOptions {
  double alpha = 10;
  double l1_alpha = 0;                 ///< the original's L1_alpha
  double rho = 0;
  double initial_p_value = 1;          ///< pi init
  double initial_u_value = 0;          ///< u init
  double u_value_multiply_factor = 1;  ///< c

  static const OptionFields<PmmpOptions>& fields();
  void validate() const;
};

class PmmpRegularizer : public Regularizer {
 public:
  PmmpRegularizer(Masks& masks, PmmpOptions options);
  std::string name() const override { return "pmmp"; }
  void add_gradients() override;
  std::vector<torch::Tensor> extra_parameters() override;
  void after_step() override;
  void after_prune() override;
  bool allows_stop() const override;
  void set_alpha_rho(double alpha, double rho) override { o_.alpha = alpha, o_.rho = rho; }
  std::string describe() const override;
  /// Fraction of pi strictly inside (0.1, 0.9).
  double undecided_fraction() const;
  /// Companion tensors of entry i: w, pi, u.
  torch::Tensor& w(size_t i) { return masks_.entries()[i].companions[0]; }
  torch::Tensor& pi(size_t i) { return masks_.entries()[i].companions[1]; }
  torch::Tensor& u(size_t i) { return masks_.entries()[i].companions[2]; }

 private:
  void add_gradients_loops(size_t k);
  void add_gradients_tensors(size_t k);
  PmmpOptions o_;
};

/// The procedure `pmmp`: PMMP in phase 1, then the default final prune.
using PmmpPruner = RegularizingPruner<PmmpRegularizer, PmmpOptions>;

}  // namespace nnc::prune
