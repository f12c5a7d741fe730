#pragma once
// Baseline: global magnitude pruning (Han et al. 2015 style, one shot) + masked fine-tuning.
// Phase 1 trains without a regulariser, phase 2 keeps the floor(N / compression) largest
// |theta| over ALL arrays (the same accounting as the l0 / compression columns), phase 3
// fine-tunes with the mask fixed.
#include "prune/mask.h"
#include "prune/pruner.h"

namespace nnc::prune {

/// Zeroes all but the `keep` largest-magnitude parameters (ties broken by order); returns
/// how many were zeroed. Masks are left to the caller.
int64_t magnitude_prune_keep(Masks& masks, int64_t keep);
/// keep = floor(total / compression).
int64_t magnitude_prune(Masks& masks, double compression);

struct MagnitudeOptions {
  double magnitude_compression = 10;  ///< target parameters / nonzeros

  static const OptionFields<MagnitudeOptions>& fields();
  void validate() const;
};

/// The procedure `magnitude`: no regulariser; phase 2 is magnitude_prune.
class MagnitudePruner : public Pruner {
 public:
  using Options = MagnitudeOptions;
  explicit MagnitudePruner(const Options& options) : o_(options) {}
  std::unique_ptr<Regularizer> make_regularizer(Masks&) const override { return nullptr; }
  void final_prune(Procedure& procedure) const override;

 private:
  Options o_;
};

}  // namespace nnc::prune
