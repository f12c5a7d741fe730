// TAMADE returns the largest threshold satisfying its bound (brute force on a small net).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

#include "core/error.h"
#include "models/mlp.h"
#include "prune/magnitude_baseline.h"
#include "prune/tamade.h"

using namespace nnc::prune;

namespace {
struct Fixture {
  std::shared_ptr<nnc::models::MLP> net;
  torch::Tensor x, y;
  Fixture(uint64_t seed) {
    torch::manual_seed(seed);
    net = std::make_shared<nnc::models::MLP>(std::vector<int64_t>{3, 6, 1}, std::vector<std::string>{"tanh"});
    x = torch::randn({64, 3});
    y = net->forward(x).detach() + 0.05 * torch::randn({64, 1});
  }
  double loss() {
    torch::NoGradGuard g;
    return torch::mse_loss(net->forward(x), y).item<double>();
  }
};
}  // namespace

TEST(Tamade, FindsTheLargestFeasibleThreshold) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    for (double delta : {0.01, 0.1, 1.0}) {
      Fixture f(seed);
      Masks masks(*f.net);
      const double base = f.loss();
      // Brute force over the breakpoints: zeroing |theta| < t changes only at |theta| values.
      std::vector<double> mags;
      for (auto& e : masks.entries()) {
        auto a = e.param.detach().abs().flatten();
        for (int64_t i = 0; i < a.numel(); ++i) mags.push_back(a[i].item<double>());
      }
      std::sort(mags.begin(), mags.end());
      std::vector<torch::Tensor> saved;
      for (auto& e : masks.entries()) saved.push_back(e.param.detach().clone());
      auto restore = [&] {
        torch::NoGradGuard g;
        for (size_t i = 0; i < saved.size(); ++i) masks.entries()[i].param.copy_(saved[i]);
      };
      // feasible[k]: zeroing the k smallest magnitudes keeps loss <= (1+delta) base.
      std::vector<bool> feasible;
      for (size_t k = 0; k <= mags.size(); ++k) {
        // A threshold strictly between the k-th and (k+1)-th smallest magnitude.
        double t = k == 0 ? 0.0 : (k < mags.size() ? 0.5 * (mags[k - 1] + mags[k]) : 2 * mags.back() + 1);
        zero_below(masks, t);
        feasible.push_back(f.loss() <= (1 + delta) * base);
        restore();
      }
      auto result = tamade(masks, [&] { return f.loss(); }, TamadeOptions{delta, 1e-7, -1});
      int64_t zeroed = 0;
      for (auto& e : masks.entries()) zeroed += e.param.eq(0).sum().item<int64_t>();
      ASSERT_TRUE(feasible[static_cast<size_t>(zeroed)]) << "seed " << seed << " delta " << delta;
      EXPECT_LE(f.loss(), (1 + delta) * base * (1 + 1e-9));
      // The next breakpoint up is infeasible: no larger threshold within resolution works.
      if (static_cast<size_t>(zeroed) < mags.size()) {
        EXPECT_FALSE(feasible[static_cast<size_t>(zeroed) + 1]) << "seed " << seed;
        EXPECT_LT(result.threshold, mags[static_cast<size_t>(zeroed)] + 1e-6);
      }
      // When feasibility is monotone (the usual case), TAMADE's answer is the brute-force maximum.
      bool monotone = std::is_sorted(feasible.rbegin(), feasible.rend());
      if (monotone) {
        size_t best = 0;
        while (best + 1 < feasible.size() && feasible[best + 1]) ++best;
        EXPECT_EQ(static_cast<size_t>(zeroed), best) << "seed " << seed << " delta " << delta;
      }
    }
  }
}

TEST(Tamade, StrictRuleCoversBiasesAndReturnsZeroWhenNothingFits) {
  Fixture f(5);
  Masks masks(*f.net);
  // delta < 0 is invalid; with delta = 0 and a loss that rises on any zeroing, t may be 0.
  auto r = tamade(masks, [&] { return f.loss(); }, TamadeOptions{0.0, 1e-7, -1});
  EXPECT_GE(r.threshold, 0.0);
  EXPECT_LE(r.loss_after, r.loss_before * (1 + 1e-9));
  EXPECT_THROW(tamade(masks, [&] { return f.loss(); }, TamadeOptions{-0.1, 1e-7, -1}), nnc::Error);
  const int64_t nonzero = masks.nonzeros();
  EXPECT_EQ(zero_below(masks, 1e9), nonzero);
  EXPECT_EQ(masks.nonzeros(), 0);  // |theta| < t strict over every array, biases included
}

TEST(Tamade, AccuracyVariantBoundsTheDrop) {
  Fixture f(6);
  Masks masks(*f.net);
  auto acc = [&] {  // a toy "accuracy": fraction of signs predicted right
    torch::NoGradGuard g;
    return (f.net->forward(f.x).sign() == f.y.sign()).to(torch::kFloat64).mean().item<double>();
  };
  double before = acc();
  auto r = tamade(masks, acc, TamadeOptions{0.01, 1e-7, 0.05});
  EXPECT_GE(acc(), before - 0.05 - 1e-12);
  EXPECT_GT(r.threshold, 0.0);
}

TEST(Magnitude, KeepsExactlyTheLargest) {
  Fixture f(7);
  Masks masks(*f.net);
  int64_t total = masks.total();
  magnitude_prune(masks, 4.0);
  EXPECT_EQ(masks.nonzeros(), total / 4);
}
