#include "train/cutmix.h"

#include <torch/torch.h>

#include <cmath>

namespace nnc::train {

CutMixResult cutmix(const torch::Tensor& inputs, const torch::Tensor& targets, double alpha,
                    std::mt19937_64& rng) {
  CutMixResult r{inputs, targets, 1.0, false};
  if (inputs.dim() != 4 || inputs.size(2) < 4 || inputs.size(3) < 4 || inputs.size(0) < 2) return r;
  std::gamma_distribution<double> ga(alpha, 1.0), gb(alpha, 1.0);
  double a = ga(rng), b = gb(rng);
  double lam = a / (a + b);  // Beta(alpha, alpha)
  int64_t H = inputs.size(2), W = inputs.size(3);
  double cut = std::sqrt(1.0 - lam);
  int64_t cw = static_cast<int64_t>(W * cut), ch = static_cast<int64_t>(H * cut);
  std::uniform_int_distribution<int64_t> ux(0, W - 1), uy(0, H - 1);
  int64_t cx = ux(rng), cy = uy(rng);
  int64_t x1 = std::clamp<int64_t>(cx - cw / 2, 0, W), x2 = std::clamp<int64_t>(cx + cw / 2, 0, W);
  int64_t y1 = std::clamp<int64_t>(cy - ch / 2, 0, H), y2 = std::clamp<int64_t>(cy + ch / 2, 0, H);
  if (x2 <= x1 || y2 <= y1) return r;
  std::vector<int64_t> perm(static_cast<size_t>(inputs.size(0)));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  auto index = torch::tensor(perm, torch::kInt64).to(inputs.device());
  using torch::indexing::Slice;
  auto mixed = inputs.clone();
  mixed.index_put_({Slice(), Slice(), Slice(y1, y2), Slice(x1, x2)},
                   inputs.index_select(0, index).index({Slice(), Slice(), Slice(y1, y2), Slice(x1, x2)}));
  r.inputs = mixed;
  r.targets_b = targets.index_select(0, index);
  r.lambda = 1.0 - static_cast<double>((x2 - x1) * (y2 - y1)) / static_cast<double>(W * H);
  r.applied = true;
  return r;
}

}  // namespace nnc::train
