#include "search/parzen_numeric.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace nnc::search {
namespace {

/// max gap / min gap of sorted points: 1 for an even grid.
double unevenness(const std::vector<double>& sorted) {
  double lo = INFINITY, hi = 0;
  for (size_t i = 1; i < sorted.size(); ++i) {
    const double gap = sorted[i] - sorted[i - 1];
    lo = std::min(lo, gap);
    hi = std::max(hi, gap);
  }
  return hi / lo;
}

/// Tail of the standard normal on the near side of 0: Phi(z) for z < 0, 1 - Phi(z) otherwise.
/// Kept separately so masses far in a tail do not vanish in 1 - (1 - tiny).
double tail(double z) { return 0.5 * std::erfc(std::abs(z) / std::sqrt(2.0)); }

/// Standard normal mass of [a, b] from the tails at a and b.
double mass(double a, double ta, double b, double tb) {
  if (a >= 0) return ta - tb;       // both upper tails
  if (b <= 0) return tb - ta;       // both lower tails
  return 1.0 - ta - tb;             // straddles 0
}

/// Beyond 9 sigma a kernel's mass is below 1e-18: narrow kernels (most of them once there are
/// many observations) touch a few cells, which keeps a proposal cheap.
constexpr double kReach = 9;

/// Mass of a kernel inside the axis: what truncation divides by (1 when well inside).
double kept_mass(const NumericAxis& axis, double mu, double sigma) {
  if (mu - kReach * sigma > axis.low && mu + kReach * sigma < axis.high) return 1.0;
  const double za = (axis.low - mu) / sigma, zb = (axis.high - mu) / sigma;
  return mass(za, tail(za), zb, tail(zb));
}

}  // namespace

NumericAxis NumericAxis::of(const Parameter& p) {
  NNC_CHECK(p.ordered || p.mixed, "tpe: parameter '{}' is categorical, it has no numeric axis",
            p.name);
  NumericAxis axis;
  axis.mixed = p.mixed;
  axis.coord.assign(p.choices.size(), std::nan(""));
  std::vector<double> sorted;
  for (size_t i = 0; i < p.choices.size(); ++i) {
    if (std::holds_alternative<std::string>(p.choices[i])) continue;
    axis.coord[i] = numeric_value(p.choices[i]);
    axis.order.push_back(static_cast<int>(i));
    sorted.push_back(axis.coord[i]);
  }
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  // Geometric grids (2, 4, 8, 16; 1e-4 .. 1e-1) are even on a log scale: model them there, as
  // Optuna does for log=True distributions, so each choice gets a fair share of the prior.
  if (sorted.front() > 0) {
    std::vector<double> logs(n);
    for (size_t i = 0; i < n; ++i) logs[i] = std::log(sorted[i]);
    axis.log = unevenness(logs) < unevenness(sorted);
  }
  if (axis.log)
    for (int i : axis.order) axis.coord[i] = std::log(axis.coord[i]);
  std::sort(axis.order.begin(), axis.order.end(),
            [&](int a, int b) { return axis.coord[a] < axis.coord[b]; });
  axis.rank.assign(p.choices.size(), -1);
  for (size_t k = 0; k < n; ++k) axis.rank[axis.order[k]] = static_cast<int>(k);
  axis.borders.resize(n + 1);
  for (size_t k = 1; k < n; ++k)
    axis.borders[k] = 0.5 * (axis.coord[axis.order[k - 1]] + axis.coord[axis.order[k]]);
  // The end cells reach as far out as they reach in: half a gap, like Optuna's step / 2.
  axis.borders[0] = 2 * axis.coord[axis.order[0]] - axis.borders[1];
  axis.borders[n] = 2 * axis.coord[axis.order[n - 1]] - axis.borders[n - 1];
  axis.low = axis.borders.front();
  axis.high = axis.borders.back();
  return axis;
}

double multivariate_sigma0(int n_observations, int n_params) {
  return 0.2 * std::pow(std::max(n_observations, 1), -1.0 / (n_params + 4));
}

NumericKernels numeric_kernels(const NumericAxis& axis, const std::vector<double>& obs,
                               const BandwidthRule& rule) {
  const double range = axis.range();
  const bool prior = rule.prior || obs.empty();
  NumericKernels k;
  k.mu = obs;
  if (prior) k.mu.push_back(0.5 * (axis.low + axis.high));
  const size_t n = k.mu.size();
  k.sigma.assign(n, rule.sigma0 * range);
  if (rule.sigma0 <= 0) {
    std::vector<size_t> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return k.mu[a] < k.mu[b]; });
    std::vector<double> s(n + 2);  // low, sorted mus, high
    s[0] = axis.low;
    s[n + 1] = axis.high;
    for (size_t i = 0; i < n; ++i) s[i + 1] = k.mu[idx[i]];
    for (size_t i = 0; i < n; ++i) {
      double sigma = std::max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
      if (!rule.endpoints && n >= 2) {
        if (i == 0) sigma = s[2] - s[1];
        if (i == n - 1) sigma = s[n] - s[n - 1];
      }
      k.sigma[idx[i]] = sigma;
    }
  }
  const double min_sigma = rule.magic_clip ? range / std::min(100.0, 1.0 + n) : 1e-12 * range;
  for (double& s : k.sigma) s = std::clamp(s, min_sigma, range);
  if (prior) k.sigma.back() = range;
  return k;
}


double cell_mass(const NumericAxis& axis, double mu, double sigma, int choice) {
  const int k = axis.rank[choice];
  if (k < 0) return 0.0;  // a string of a mixed parameter
  const double lo = axis.borders[k], hi = axis.borders[k + 1];
  if (lo > mu + kReach * sigma || hi < mu - kReach * sigma) return 0.0;
  const double total = kept_mass(axis, mu, sigma);
  if (!(total > 0)) return 0.0;
  const double za = (lo - mu) / sigma, zb = (hi - mu) / sigma;
  return std::max(0.0, mass(za, tail(za), zb, tail(zb))) / total;
}

void add_cell_masses(const NumericAxis& axis, double mu, double sigma, double weight,
                     std::vector<double>& out) {
  const std::vector<double>& b = axis.borders;
  const double total = kept_mass(axis, mu, sigma);
  if (!(total > 0)) return;  // the kernel lies so far outside that it holds nothing
  const double scale = weight / total;
  const double reach = kReach * sigma;
  size_t k0 = std::upper_bound(b.begin(), b.end(), mu - reach) - b.begin();
  size_t k1 = std::lower_bound(b.begin(), b.end(), mu + reach) - b.begin();
  k0 = k0 > 0 ? k0 - 1 : 0;               // first border at or below the window
  k1 = std::min(k1, b.size() - 1);        // first border at or above it
  double z_prev = (b[k0] - mu) / sigma, t_prev = tail(z_prev);
  for (size_t k = k0; k < k1; ++k) {
    const double z = (b[k + 1] - mu) / sigma, t = tail(z);
    out[axis.order[k]] += scale * std::max(0.0, mass(z_prev, t_prev, z, t));
    z_prev = z;
    t_prev = t;
  }
}

}  // namespace nnc::search
