// Trainer features step by step against references written here from the published update
// rules (PyTorch's documented algorithms for SGD, Adam and AdamW; its label-smoothing and
// gradient-clipping formulas; CutMix as Yun et al. 2019 define it). Each test trains a
// 4 -> 3 linear layer for a few steps of one full batch and repeats the same steps by hand
// with plain tensor arithmetic; only autograd (for the gradients) is shared with the code
// under test.
//
// Tolerance 1e-6 absolute on weights of size ~0.5: the Trainer shuffles the batch, so its
// mean loss sums the same float32 terms in another order (rounding ~1e-7 relative), and
// Adam's division by sqrt(v) + eps can turn that into a few 1e-7 of the parameter.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <set>
#include <vector>

#include "core/progress.h"
#include "train/trainer.h"

using namespace nnc;
using namespace nnc::train;

namespace {

constexpr double kTolerance = 1e-6;

struct Params {
  torch::Tensor w, b;  // [3, 4], [3]
};

/// The starting weights every test uses (not PyTorch's default init: fixed, well scaled).
Params initial() {
  auto g = at::detail::createCPUGenerator(11);
  return {torch::randn({3, 4}, g) * 0.5, torch::randn({3}, g) * 0.1};
}

TensorSource data6() {
  auto g = at::detail::createCPUGenerator(12);
  auto x = torch::randn({6, 4}, g);
  auto y = torch::tensor({0, 1, 2, 0, 1, 2}, torch::kInt64);
  return TensorSource(x, y);
}

/// Trains a Linear layer starting from `start` with the Trainer and returns its weights.
Params train_linear(const TrainOptions& o, const Params& start, const TensorSource& data,
                    const std::function<torch::Tensor(torch::nn::Linear&, const torch::Tensor&)>& fwd =
                        nullptr) {
  Progress::set_quiet(true);
  torch::nn::Linear lin(4, 3);
  {
    torch::NoGradGuard no_grad;
    lin->weight.copy_(start.w);
    lin->bias.copy_(start.b);
  }
  auto forward = [&](const torch::Tensor& x) { return fwd ? fwd(lin, x) : lin->forward(x); };
  Trainer(o).fit(*lin, forward, data);
  return {lin->weight.detach().clone(), lin->bias.detach().clone()};
}

/// Cross-entropy with label smoothing eps over K classes, as PyTorch documents it:
/// (1 - eps) * NLL + eps * mean over classes of -log p.
torch::Tensor reference_ce(const torch::Tensor& out, const torch::Tensor& y, double eps = 0) {
  auto logp = torch::log_softmax(out, 1);
  auto nll = -logp.gather(1, y.unsqueeze(1)).squeeze(1);
  auto uniform = -logp.mean(1);
  return ((1 - eps) * nll + eps * uniform).mean();
}

using LossOf = std::function<torch::Tensor(const torch::Tensor& w, const torch::Tensor& b)>;

/// Gradients of loss(w, b) at p.
std::pair<torch::Tensor, torch::Tensor> grads(const Params& p, const LossOf& loss) {
  auto w = p.w.clone().requires_grad_(true), b = p.b.clone().requires_grad_(true);
  auto g = torch::autograd::grad({loss(w, b)}, {w, b});
  return {g[0], g[1]};
}

LossOf plain_loss(const TensorSource& d, double eps = 0) {
  auto x = d.inputs(), y = d.targets();
  return [x, y, eps](const torch::Tensor& w, const torch::Tensor& b) {
    return reference_ce(torch::matmul(x, w.t()) + b, y, eps);
  };
}

void expect_close(const Params& got, const Params& want, const std::string& what) {
  EXPECT_LE((got.w - want.w).abs().max().item<double>(), kTolerance) << what << " weight";
  EXPECT_LE((got.b - want.b).abs().max().item<double>(), kTolerance) << what << " bias";
  // Guard against a vacuous pass: the steps must have moved the weights.
  EXPECT_GT((got.w - initial().w).abs().max().item<double>(), 100 * kTolerance) << what;
}

/// SGD (PyTorch): g += wd * p; buf = g (first step) or momentum * buf + g; p -= lr * buf.
Params reference_sgd(Params p, const LossOf& loss, int steps, double lr, double momentum, double wd,
                     double clip = 0) {
  torch::Tensor bw, bb;
  for (int s = 0; s < steps; ++s) {
    auto [gw, gb] = grads(p, loss);
    if (clip > 0) {
      // clip_grad_norm_: one 2-norm over all gradients; scale by max / (norm + 1e-6) if < 1.
      double norm = std::sqrt(gw.pow(2).sum().item<double>() + gb.pow(2).sum().item<double>());
      EXPECT_GT(norm, clip) << "the clipping test needs gradients above the limit";
      double coef = clip / (norm + 1e-6);
      if (coef < 1) gw = gw * coef, gb = gb * coef;
    }
    gw = gw + wd * p.w, gb = gb + wd * p.b;
    bw = s == 0 ? gw : momentum * bw + gw;
    bb = s == 0 ? gb : momentum * bb + gb;
    p.w = p.w - lr * bw, p.b = p.b - lr * bb;
  }
  return p;
}

/// Adam (PyTorch), L2 weight decay added to the gradient, or AdamW's decoupled decay
/// p *= 1 - lr * wd before the Adam update (Loshchilov & Hutter).
Params reference_adam(Params p, const LossOf& loss, int steps, double lr, double wd, bool decoupled) {
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  std::vector<torch::Tensor> m = {torch::zeros_like(p.w), torch::zeros_like(p.b)};
  std::vector<torch::Tensor> v = m;
  for (int s = 1; s <= steps; ++s) {
    auto [gw, gb] = grads(p, loss);
    std::vector<torch::Tensor*> ps = {&p.w, &p.b};
    std::vector<torch::Tensor> gs = {gw, gb};
    for (size_t i = 0; i < 2; ++i) {
      auto& x = *ps[i];
      auto g = gs[i];
      if (decoupled) x = x * (1 - lr * wd);
      else g = g + wd * x;
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      auto m_hat = m[i] / (1 - std::pow(b1, s));
      auto v_hat = v[i] / (1 - std::pow(b2, s));
      x = x - lr * m_hat / (v_hat.sqrt() + eps);
    }
  }
  return p;
}

TrainOptions one_batch(int epochs) {
  return TrainOptions().epochs(epochs).batch_size(6).seed(3);
}

}  // namespace

TEST(TrainerSteps, SgdWithMomentumAndWeightDecay) {
  auto d = data6();
  auto got = train_linear(one_batch(3).lr(0.1).momentum(0.9).weight_decay(0.05), initial(), d);
  expect_close(got, reference_sgd(initial(), plain_loss(d), 3, 0.1, 0.9, 0.05), "sgd");
}

TEST(TrainerSteps, AdamWithL2WeightDecay) {
  auto d = data6();
  auto got = train_linear(one_batch(3).optimizer("adam").lr(0.01).weight_decay(0.1), initial(), d);
  expect_close(got, reference_adam(initial(), plain_loss(d), 3, 0.01, 0.1, false), "adam");
}

TEST(TrainerSteps, AdamWWithDecoupledWeightDecay) {
  auto d = data6();
  auto got = train_linear(one_batch(3).optimizer("adamw").lr(0.01).weight_decay(0.1), initial(), d);
  expect_close(got, reference_adam(initial(), plain_loss(d), 3, 0.01, 0.1, true), "adamw");
  // Decoupled decay is a different update from L2 decay: the test can tell them apart.
  auto l2 = reference_adam(initial(), plain_loss(d), 3, 0.01, 0.1, false);
  EXPECT_GT((got.w - l2.w).abs().max().item<double>(), 100 * kTolerance);
}

TEST(TrainerSteps, LabelSmoothing) {
  auto d = data6();
  auto got = train_linear(one_batch(2).lr(0.5).momentum(0).label_smoothing(0.2), initial(), d);
  expect_close(got, reference_sgd(initial(), plain_loss(d, 0.2), 2, 0.5, 0, 0), "label smoothing");
  auto unsmoothed = reference_sgd(initial(), plain_loss(d), 2, 0.5, 0, 0);
  EXPECT_GT((got.w - unsmoothed.w).abs().max().item<double>(), 100 * kTolerance);
}

TEST(TrainerSteps, GradientClipping) {
  auto d = data6();
  auto got = train_linear(one_batch(2).lr(0.5).momentum(0).clip_grad_norm(0.05), initial(), d);
  expect_close(got, reference_sgd(initial(), plain_loss(d), 2, 0.5, 0, 0, 0.05), "clipping");
}

// CutMix on [N,1,6,8] images whose pixel (h, w) of sample i holds i * 100 + h * 8 + w: the
// input the model receives tells which sample every pixel came from. From it the test
// reads the box and each row's partner, checks them against the definition (one rectangle
// shared by the batch, pasted at the same place from a permutation of the batch, never the
// whole image), and repeats the step with loss lam * CE(y) + (1 - lam) * CE(y_partner),
// lam = 1 - box area / image area (the adjusted lambda of Yun et al.).
TEST(TrainerSteps, CutMixMixesOneBoxAndWeightsTheLossByItsArea) {
  const int64_t N = 4, H = 6, W = 8;
  auto pos = torch::arange(H * W, torch::kFloat32).view({1, 1, H, W});
  auto x = torch::arange(N, torch::kFloat32).view({N, 1, 1, 1}) * 100 + pos;
  auto y = torch::tensor({0, 1, 2, 0}, torch::kInt64);
  TensorSource data(x, y);
  // The model sees pixel values scaled to ~1 (flatten + linear over 48 inputs).
  Params start{torch::randn({3, H * W}, at::detail::createCPUGenerator(5)) * 0.1, torch::zeros({3})};
  int mixed_seeds = 0;
  for (uint64_t seed = 0; seed < 8; ++seed) {
    std::vector<torch::Tensor> seen;
    auto fwd = [&](torch::nn::Linear& lin, const torch::Tensor& in) {
      seen.push_back(in.detach().clone());
      return lin->forward(in.flatten(1) * 0.01);
    };
    Progress::set_quiet(true);
    torch::nn::Linear lin(H * W, 3);
    {
      torch::NoGradGuard no_grad;
      lin->weight.copy_(start.w);
      lin->bias.copy_(start.b);
    }
    auto o = TrainOptions().epochs(1).batch_size(N).lr(0.5).momentum(0).seed(seed).cutmix_alpha(1.0)
                 .cutmix_prob(1.0);
    Trainer(o).fit(*lin, [&](const torch::Tensor& t) { return fwd(lin, t); }, data);
    ASSERT_EQ(seen.size(), 1u);
    auto in = seen[0];
    auto source = torch::floor(in / 100).to(torch::kInt64);  // [N,1,H,W] sample of each pixel
    ASSERT_TRUE(torch::equal(in - source.to(torch::kFloat32) * 100, pos.expand_as(in)))
        << "pixels moved within the image";
    // Each row's own sample: the box's sides are W * sqrt(1 - lam) < W and H * sqrt(1 - lam)
    // < H, so it holds at most one corner and 3 of the 4 corners show the row's own sample
    // (the middle two of the sorted corners). Partner: the other source, if any.
    std::vector<int64_t> self(N), partner(N);
    torch::Tensor box;  // bool [H,W]: pixels that came from the partner
    for (int64_t r = 0; r < N; ++r) {
      auto s = source[r][0];
      auto corners = torch::stack({s[0][0], s[0][W - 1], s[H - 1][0], s[H - 1][W - 1]});
      auto sorted = std::get<0>(corners.sort());
      ASSERT_EQ(sorted[1].item<int64_t>(), sorted[2].item<int64_t>()) << "the box spans the image";
      self[r] = sorted[1].item<int64_t>();
      auto other = s.ne(self[r]);
      partner[r] = self[r];
      if (other.any().item<bool>()) {
        auto ids = s.masked_select(other);
        partner[r] = ids[0].item<int64_t>();
        EXPECT_TRUE(ids.eq(partner[r]).all().item<bool>()) << "one partner per row";
        if (box.defined()) EXPECT_TRUE(torch::equal(box, other)) << "one box for the batch";
        box = other;
      }
    }
    EXPECT_EQ(std::set<int64_t>(self.begin(), self.end()).size(), size_t(N)) << "every sample once";
    EXPECT_EQ(std::set<int64_t>(partner.begin(), partner.end()).size(), size_t(N)) << "a permutation";
    double lam = 1.0;
    if (box.defined()) {
      ++mixed_seeds;
      auto rows = box.any(1).nonzero().view(-1), cols = box.any(0).nonzero().view(-1);
      int64_t h = rows.size(0), w = cols.size(0);
      EXPECT_EQ(box.sum().item<int64_t>(), h * w) << "the box is a rectangle";
      lam = 1.0 - static_cast<double>(h * w) / static_cast<double>(H * W);
    }
    auto ys = y.index_select(0, torch::tensor(self)), yb = y.index_select(0, torch::tensor(partner));
    auto loss = [&](const torch::Tensor& w, const torch::Tensor& b) {
      auto out = torch::matmul(in.flatten(1) * 0.01, w.t()) + b;
      return lam * reference_ce(out, ys) + (1 - lam) * reference_ce(out, yb);
    };
    auto want = reference_sgd(start, loss, 1, 0.5, 0, 0);
    EXPECT_LE((lin->weight - want.w).abs().max().item<double>(), kTolerance) << "seed " << seed;
    EXPECT_LE((lin->bias - want.b).abs().max().item<double>(), kTolerance) << "seed " << seed;
  }
  // Some seeds may draw the identity permutation; most must show a pasted box.
  EXPECT_GE(mixed_seeds, 4);
}
