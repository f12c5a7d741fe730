#pragma once
// TAMADE (threshold search): the largest t such that zeroing every |theta| < t (strict,
// over EVERY array: weights, biases, BN gamma/beta) keeps the pruning-data loss within
// (1 + delta) * T, T being the loss before. Binary search on [0, 2*max|theta|], stopped when
// high - low <= resolution (absolute); returns the last feasible mid (0 if none).
// Variant: an absolute accuracy drop <= tolerance instead of the loss bound.
#include <functional>

#include "prune/mask.h"

namespace nnc::prune {

struct TamadeOptions {
  double delta = 0.01;               ///< tolerated_relative_loss_increase
  double resolution = 1e-7;          ///< binary_search_resolution
  double accuracy_tolerance = -1;    ///< >= 0: use the accuracy-drop variant
};

struct TamadeResult {
  double threshold = 0;
  double loss_before = 0, loss_after = 0;     ///< or accuracies in the accuracy variant
  int64_t evaluations = 0;
  int64_t pruned = 0;                         ///< entries newly zeroed
};

/// A metric of the current model on the pruning data: loss (lower is better) or accuracy.
using ModelMetric = std::function<double()>;

/// Finds the threshold and zeroes |theta| < t in place (masks are left to the caller).
/// `metric` is the loss, or the accuracy when options.accuracy_tolerance >= 0.
TamadeResult tamade(Masks& masks, const ModelMetric& metric, const TamadeOptions& options);

/// Zeroes |theta| < t in every array; returns how many nonzeros were zeroed.
int64_t zero_below(Masks& masks, double threshold);

}  // namespace nnc::prune
