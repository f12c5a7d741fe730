#include "prune/gauss_loss.h"

#include <torch/torch.h>

#include <cmath>

namespace nnc::prune {

torch::Tensor gauss_loss(const torch::Tensor& out, const torch::Tensor& target, const torch::Tensor& sigma) {
  auto mse = torch::mse_loss(out, target.view_as(out));
  auto s2 = sigma * sigma;
  return mse / (2 * s2 * std::log(2.0)) + 0.5 * torch::log2(s2);
}

double gauss_dloss_dmse(double sigma) { return 1.0 / (2 * sigma * sigma * std::log(2.0)); }

double gauss_dloss_dsigma(double mse, double sigma) {
  // d/dsigma [mse/(2 s^2 ln2) + log2(s)] = -mse/(s^3 ln2) + 1/(s ln2)
  return (-mse / (sigma * sigma * sigma) + 1.0 / sigma) / std::log(2.0);
}

}  // namespace nnc::prune
