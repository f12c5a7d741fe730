#pragma once
// The numeric side of TPE's Parzen estimators, for ordered parameters (SearchSpace's
// `ordered`): a choice is a point on an axis, an observation a truncated Gaussian kernel on
// that axis, and a choice's probability the kernel's mass over the choice's cell — the
// interval that rounds to it. This is Optuna 3.1's model of suggest_int / suggest_float with
// a step (there the cell is [x - step/2, x + step/2] inside [low - step/2, high + step/2]),
// generalised to uneven grids by putting cell borders half-way between neighbours.
//
// Bandwidths follow Optuna 3.1's _ParzenEstimator:
//  - univariate: each kernel's sigma is the larger gap to its sorted neighbours (the axis ends
//    count as neighbours; without consider_endpoints the outermost kernels use their inner gap);
//  - multivariate: sigma = 0.2 * n^(-1/(d+4)) * range (Scott's rule as in BOHB);
//  - "magic clip": sigma in [range / min(100, 1 + n_kernels), range];
//  - the prior kernel sits at the centre with sigma = range.
#include <vector>

#include "search/search_space.h"

namespace nnc::search {

/// Where an ordered parameter's choices lie: a coordinate per choice (its value, or its log
/// when the choices are positive and more evenly spread on a log scale, e.g. 2, 4, 8, 16) and
/// the cell that rounds to it.
/// A mixed parameter's strings ("NA") have no place on the axis: coordinate NaN, rank -1.
struct NumericAxis {
  std::vector<double> coord;  ///< per choice index (choices need not be sorted)
  std::vector<int> order;     ///< numeric choice indices by increasing coordinate
  std::vector<int> rank;      ///< inverse of order: position of each choice (-1: a string)
  /// Cell borders in increasing order: choice order[k] owns [borders[k], borders[k + 1]).
  std::vector<double> borders;
  double low = 0, high = 1;   ///< borders.front(), borders.back()
  bool log = false;
  bool mixed = false;         ///< some choices are strings

  /// The axis of an ordered or mixed parameter; fails for a categorical one.
  static NumericAxis of(const Parameter& p);
  double range() const { return high - low; }
};

/// One parameter's kernels under a mixture: observations first (in the order given), then the
/// prior kernel when `prior` is set.
struct NumericKernels {
  std::vector<double> mu, sigma;
};

struct BandwidthRule {
  bool prior = true;
  bool magic_clip = true;
  bool endpoints = false;
  /// > 0: multivariate, every observation kernel gets sigma0 * range; else the neighbour rule.
  double sigma0 = 0;
};

/// Kernels for observed coordinates `obs` on `axis` (see the header comment).
NumericKernels numeric_kernels(const NumericAxis& axis, const std::vector<double>& obs,
                               const BandwidthRule& rule);

/// Scott-like multivariate sigma0 of Optuna 3.1: 0.2 * max(n, 1)^(-1 / (n_params + 4)).
double multivariate_sigma0(int n_observations, int n_params);

/// Probability of each choice (by index) under one Gaussian kernel truncated to the axis.
/// Adds weight * mass to `out` (sized to the choice count).
void add_cell_masses(const NumericAxis& axis, double mu, double sigma, double weight,
                     std::vector<double>& out);

/// Probability of one choice under one kernel truncated to the axis (0 beyond 9 sigma): for
/// scoring a few candidates without integrating the kernel over every cell.
double cell_mass(const NumericAxis& axis, double mu, double sigma, int choice);

}  // namespace nnc::search
