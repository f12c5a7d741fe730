// Each regulariser's hand-written gradient against autograd of its penalty.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "prune/drr.h"
#include "prune/pmmp.h"
#include "prune/rl1.h"

using namespace nnc::prune;

namespace {

struct Tiny : torch::nn::Module {
  Tiny() {
    fc1 = register_module("fc1", torch::nn::Linear(3, 4));
    bn = register_module("bn", torch::nn::BatchNorm1d(4));
    fc2 = register_module("fc2", torch::nn::Linear(4, 2));
    torch::NoGradGuard g;
    bn->weight.uniform_(0.5, 1.5);
    bn->bias.uniform_(-0.5, 0.5);
    fc1->weight.index_put_({0, 0}, 0.0);  // an exact zero: sign(0) = 0
  }
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
};

/// Autograd gradient of `penalty(params)` w.r.t. every parameter.
std::vector<torch::Tensor> autograd_of(Masks& masks, const std::function<torch::Tensor(const ParamEntry&, const torch::Tensor&)>& term) {
  std::vector<torch::Tensor> leaves;
  torch::Tensor total = torch::zeros({}, torch::kFloat64);
  for (auto& e : masks.entries()) {
    auto leaf = e.param.detach().to(torch::kFloat64).requires_grad_(true);
    leaves.push_back(leaf);
    total = total + term(e, leaf);
  }
  auto grads = torch::autograd::grad({total}, leaves, {}, false, false, /*allow_unused=*/true);
  for (size_t i = 0; i < grads.size(); ++i)
    if (!grads[i].defined()) grads[i] = torch::zeros_like(leaves[i]);
  return grads;
}

void zero_grads(Masks& masks) {
  for (auto& e : masks.entries()) e.param.mutable_grad() = torch::zeros_like(e.param);
}

}  // namespace

TEST(Regularizers, Rl1MatchesAutograd) {
  torch::manual_seed(1);
  Tiny t;
  Masks masks(t);
  Rl1Regularizer reg(masks, {0.7, 0.3});
  zero_grads(masks);
  reg.add_gradients();
  auto want = autograd_of(masks, [](const ParamEntry& e, const torch::Tensor& x) {
    if (e.role == ParamRole::BnScale) return torch::zeros({}, torch::kFloat64);
    return 0.7 * x.abs().sum() + 0.3 * x.pow(2).sum();
  });
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_TRUE(torch::allclose(masks.entries()[i].param.grad().to(torch::kFloat64), want[i], 1e-5, 1e-6))
        << masks.entries()[i].name;
  // BN scale untouched, BN shift and biases regularised.
  for (auto& e : masks.entries()) {
    if (e.role == ParamRole::BnScale) EXPECT_EQ(e.param.grad().abs().sum().item<double>(), 0.0);
    if (e.role == ParamRole::BnShift || e.role == ParamRole::Bias) EXPECT_GT(e.param.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST(Regularizers, DrrMatchesAutogradWithAndWithoutNorm) {
  for (int mode = 0; mode < 3; ++mode) {
    torch::manual_seed(2);
    Tiny t;
    Masks masks(t);
    DrrOptions o{2.0, 5.0, 0.25, mode > 0, mode == 1};
    DrrRegularizer reg(masks, o);
    zero_grads(masks);
    reg.add_gradients();
    double total = static_cast<double>(masks.total());
    auto want = autograd_of(masks, [&](const ParamEntry& e, const torch::Tensor& x) {
      double s = 1;
      if (mode == 1) s = total / e.layer_numel / masks.num_layers();
      if (mode == 2) s = total / e.block_numel / masks.num_weight_arrays();
      auto p = s * o.alpha * (1 - torch::exp(-o.beta * x.abs())).sum();
      if (e.role != ParamRole::BnScale) p = p + s * o.rho * x.pow(2).sum();
      return p;
    });
    for (size_t i = 0; i < want.size(); ++i)
      EXPECT_TRUE(torch::allclose(masks.entries()[i].param.grad().to(torch::kFloat64), want[i], 1e-4, 1e-5))
          << "mode " << mode << " " << masks.entries()[i].name;
  }
}

TEST(Regularizers, DrrNormFactors) {
  Tiny t;
  Masks masks(t);
  DrrRegularizer layer(masks, {1, 1, 0, true, true});
  DrrRegularizer block(masks, {1, 1, 0, true, false});
  // fc1 (16 params), bn (8), fc2 (10): 34 total, 3 layers; blocks fc1+bn (24), fc2 (10), 2 weight arrays.
  EXPECT_NEAR(layer.scale(0), 34.0 / 16 / 3, 1e-12);
  EXPECT_NEAR(layer.scale(2), 34.0 / 8 / 3, 1e-12);
  EXPECT_NEAR(block.scale(2), 34.0 / 24 / 2, 1e-12);
  EXPECT_NEAR(block.scale(4), 34.0 / 10 / 2, 1e-12);
}

TEST(Regularizers, PmmpMatchesAutogradIncludingAscentOnU) {
  torch::manual_seed(3);
  Tiny t;
  Masks masks(t);
  PmmpOptions o{1.5, 0.2, 0.1, 0.7, 0.4, 2.0};
  PmmpRegularizer reg(masks, o);
  {
    torch::NoGradGuard g;
    for (size_t k = 0; k < masks.entries().size(); ++k) {
      reg.w(k).add_(torch::randn_like(reg.w(k)) * 0.1);
      reg.pi(k).uniform_(0.1, 0.9);
      reg.u(k).uniform_(0.0, 1.0);
    }
  }
  zero_grads(masks);
  reg.add_gradients();
  for (size_t k = 0; k < masks.entries().size(); ++k) {
    auto a = masks.entries()[k].param.detach().to(torch::kFloat64).requires_grad_(true);
    auto w = reg.w(k).detach().to(torch::kFloat64).requires_grad_(true);
    auto p = reg.pi(k).detach().to(torch::kFloat64).requires_grad_(true);
    auto u = reg.u(k).detach().to(torch::kFloat64).requires_grad_(true);
    auto L = o.alpha * p.sum() + o.l1_alpha * a.abs().sum() + o.rho * a.pow(2).sum() +
             o.u_value_multiply_factor * (u * ((a - w * p).pow(2) + w.pow(2) * p * (1 - p))).sum();
    auto g = torch::autograd::grad({L}, {a, w, p, u});
    auto name = masks.entries()[k].name;
    EXPECT_TRUE(torch::allclose(masks.entries()[k].param.grad().to(torch::kFloat64), g[0], 1e-4, 1e-5)) << name;
    EXPECT_TRUE(torch::allclose(reg.w(k).grad().to(torch::kFloat64), g[1], 1e-4, 1e-5)) << name;
    EXPECT_TRUE(torch::allclose(reg.pi(k).grad().to(torch::kFloat64), g[2], 1e-4, 1e-5)) << name;
    EXPECT_TRUE(torch::allclose(reg.u(k).grad().to(torch::kFloat64), -g[3], 1e-4, 1e-5)) << name;  // ascent
  }
}

TEST(Regularizers, PmmpAlphaZeroSkipsCoupling) {
  Tiny t;
  Masks masks(t);
  PmmpRegularizer reg(masks, {0.0, 0.0, 0.0, 0.5, 1.0, 1.0});
  zero_grads(masks);
  reg.add_gradients();
  for (size_t k = 0; k < masks.entries().size(); ++k) {
    EXPECT_EQ(masks.entries()[k].param.grad().abs().sum().item<double>(), 0.0);
    EXPECT_EQ(reg.pi(k).grad().abs().sum().item<double>(), 0.0);
    EXPECT_EQ(reg.u(k).grad().abs().sum().item<double>(), 0.0);
  }
}

namespace {

/// Every gradient the regulariser writes (parameters, then companions), after one
/// add_gradients() and after_step() from zero gradients.
std::vector<torch::Tensor> gradients_of(Regularizer& reg, Masks& masks) {
  zero_grads(masks);
  for (auto& e : masks.entries())
    for (auto& c : e.companions) c.mutable_grad() = torch::zeros_like(c);
  reg.add_gradients();
  reg.after_step();
  std::vector<torch::Tensor> out;
  for (auto& e : masks.entries()) {
    out.push_back(e.param.grad().clone());
    for (auto& c : e.companions) out.push_back(c.grad().clone()), out.push_back(c.detach().clone());
  }
  return out;
}

/// The torch-op form (what a GPU runs) against the CPU loops, on the same state.
void expect_tensor_ops_match_loops(Regularizer& reg, Masks& masks) {
  std::vector<torch::Tensor> start;  // after_step changes pi: both forms start from the same state
  for (auto& e : masks.entries())
    for (auto& c : e.companions) start.push_back(c.detach().clone());
  auto loops = gradients_of(reg, masks);
  {
    torch::NoGradGuard g;
    size_t i = 0;
    for (auto& e : masks.entries())
      for (auto& c : e.companions) c.copy_(start[i++]);
  }
  reg.use_tensor_ops(true);
  auto tensors = gradients_of(reg, masks);
  reg.use_tensor_ops(false);
  ASSERT_EQ(loops.size(), tensors.size());
  for (size_t i = 0; i < loops.size(); ++i)
    EXPECT_TRUE(torch::allclose(tensors[i], loops[i], 1e-5, 1e-6)) << reg.name() << " tensor " << i;
}

}  // namespace

TEST(Regularizers, TensorOpsMatchTheCpuLoops) {
  torch::manual_seed(4);
  for (int which = 0; which < 4; ++which) {
    Tiny t;
    Masks masks(t);
    std::unique_ptr<Regularizer> reg;
    if (which == 0) reg = std::make_unique<Rl1Regularizer>(masks, Rl1Options{0.7, 0.3});
    if (which == 1) reg = std::make_unique<DrrRegularizer>(masks, DrrOptions{2.0, 5.0, 0.25, true, false});
    if (which >= 2) {
      auto pmmp = std::make_unique<PmmpRegularizer>(masks, PmmpOptions{which == 2 ? 1.5 : 0.0, 0.2, 0.1, 0.7, 0.4, 2.0});
      torch::NoGradGuard g;
      for (size_t k = 0; k < masks.entries().size(); ++k) {
        pmmp->w(k).add_(torch::randn_like(pmmp->w(k)) * 0.1);
        pmmp->pi(k).uniform_(-0.2, 1.2);  // after_step clamps these into [0, 1]
        pmmp->u(k).uniform_(0.0, 1.0);
      }
      reg = std::move(pmmp);
    }
    expect_tensor_ops_match_loops(*reg, masks);
  }
}
