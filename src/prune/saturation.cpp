#include "prune/saturation.h"

#include <cmath>
#include <numeric>

namespace nnc::prune {

std::vector<double> smooth_local_linear(const std::vector<double>& y) {
  const size_t n = y.size();
  if (n < 2) return {};
  const double h = static_cast<double>(n);
  const double bw = std::pow(h, -0.2) * std::pow(h, -3.0 / 35.0) * std::pow(std::log(h), -1.0 / 16.0);
  std::vector<double> out(n);
  for (size_t j = 0; j < n; ++j) {
    // Weighted least squares of y_i ~ b0 + b1 (t_i - t_j), kernel K(u), u = ((t_i-t_j)/(n-1))/bw.
    double s0 = 0, s1 = 0, s2 = 0, r0 = 0, r1 = 0;
    for (size_t i = 0; i < n; ++i) {
      const double d = static_cast<double>(i) - static_cast<double>(j);
      const double u = (d / (h - 1)) / bw;
      const double k = std::fabs(u) <= 1 ? 0.75 * (1 - u * u) : 0.0;
      s0 += k, s1 += k * d, s2 += k * d * d, r0 += k * y[i], r1 += k * d * y[i];
    }
    const double det = s0 * s2 - s1 * s1;
    if (!(std::fabs(det) > 1e-300) || !std::isfinite(det)) return {};
    out[j] = (s2 * r0 - s1 * r1) / det;
    if (!std::isfinite(out[j])) return {};
  }
  return out;
}

double residual_std(const std::vector<double>& window) {
  auto smooth = smooth_local_linear(window);
  if (smooth.empty() || window.size() < 2) return 0.0;
  const size_t n = window.size();
  std::vector<double> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = window[i] - smooth[i];
  double mean = std::accumulate(r.begin(), r.end(), 0.0) / static_cast<double>(n);
  double ss = 0;
  for (double v : r) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(n - 1));
}

bool is_saturated(const std::vector<double>& log, int64_t window, double min_dev) {
  if (window < 1 || static_cast<int64_t>(log.size()) < window + 2) return false;
  const size_t h = static_cast<size_t>((window + 1) / 2), end = log.size();
  std::vector<double> a(log.begin() + static_cast<long>(end - 2 * h), log.begin() + static_cast<long>(end - h));
  std::vector<double> b(log.begin() + static_cast<long>(end - h), log.end());
  auto mean = [](const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  };
  return mean(a) - mean(b) <= std::min(residual_std(a), residual_std(b)) + min_dev;
}

}  // namespace nnc::prune
