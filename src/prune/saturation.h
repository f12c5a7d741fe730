#pragma once
// The saturation test of the original (docs/pruning.md#saturation-test):
// is_saturated(log, W, min_dev) is false while len(log) < W + 2. With h = ceil(W/2), window
// A = log[end-2h+1 : end-h] and B = log[end-h+1 : end] are each smoothed by local-linear
// kernel regression over t = 1..h (Epanechnikov 0.75(1-u^2), u = ((t_i - t)/(h-1))/bw,
// bw = h^(-1/5) * h^(-3/35) * (ln h)^(-1/16), DiffEqFlux's collocate_data). m = mean of the
// RAW window, s = sample std (n-1) of raw - smoothed. Saturated iff m_A - m_B <= min(s_A, s_B)
// + min_dev. If the smoothing fails (singular fit, h < 2), s = 0.
#include <cstdint>
#include <vector>

namespace nnc::prune {

/// Local-linear Epanechnikov smoothing of `y` at t = 1..n; empty when it fails.
std::vector<double> smooth_local_linear(const std::vector<double>& y);
/// Sample std (n-1) of raw - smoothed (0 if the smoothing fails).
double residual_std(const std::vector<double>& window);
bool is_saturated(const std::vector<double>& log, int64_t window, double min_dev);

}  // namespace nnc::prune
