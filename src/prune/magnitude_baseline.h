#pragma once
// Baseline: global magnitude pruning (Han et al. 2015 style, one shot) + masked fine-tuning.
// Phase 1 trains without a regulariser, phase 2 keeps the floor(N / compression) largest
// |theta| over ALL arrays (the same accounting as the l0 / compression columns), phase 3
// fine-tunes with the mask fixed.
#include "prune/mask.h"

namespace nnc::prune {

/// Zeroes all but the `keep` largest-magnitude parameters (ties broken by order); returns
/// how many were zeroed. Masks are left to the caller.
int64_t magnitude_prune_keep(Masks& masks, int64_t keep);
/// keep = floor(total / compression).
int64_t magnitude_prune(Masks& masks, double compression);

}  // namespace nnc::prune
