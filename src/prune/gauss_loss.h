#pragma once
// Gaussian loss (teacher-student only): MSE (mean over elements) / (2 sigma^2 ln 2)
// + 0.5 * log2(sigma^2), sigma trainable (init 0.1) by the same optimizer.
#include <torch/types.h>

namespace nnc::prune {

inline constexpr double kGaussSigmaInit = 0.1;

/// The loss value (differentiable in out and sigma).
torch::Tensor gauss_loss(const torch::Tensor& out, const torch::Tensor& target, const torch::Tensor& sigma);
/// d loss / d mse and d loss / d sigma for a given mse (used by the fused path).
double gauss_dloss_dmse(double sigma);
double gauss_dloss_dsigma(double mse, double sigma);

}  // namespace nnc::prune
