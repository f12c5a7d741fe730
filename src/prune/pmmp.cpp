#include "prune/pmmp.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "core/error.h"

namespace nnc::prune {

const OptionFields<PmmpOptions>& PmmpOptions::fields() {
  using O = PmmpOptions;
  static const auto f = OptionFields<O>()
      .add("alpha", &O::alpha, kAlphaHelp)
      .add("rho", &O::rho, kRhoHelp)
      .add("l1_alpha", &O::l1_alpha, "PMMP: extra L1 weight (L1_alpha)")
      .add("initial_p_value", &O::initial_p_value, "PMMP: initial pi")
      .add("initial_u_value", &O::initial_u_value, "PMMP: initial u")
      .add("u_value_multiply_factor", &O::u_value_multiply_factor, "PMMP: coupling factor c");
  return f;
}

void PmmpOptions::validate() const {
  require_nonnegative(alpha, "alpha");
  require_nonnegative(rho, "rho");
  require_nonnegative(l1_alpha, "l1_alpha");
  require_nonnegative(u_value_multiply_factor, "u_value_multiply_factor");
  NNC_CHECK(initial_p_value >= 0 && initial_p_value <= 1, "option 'initial_p_value': must be in [0, 1], got {}",
            initial_p_value);
}

PmmpRegularizer::PmmpRegularizer(Masks& masks, PmmpOptions options) : Regularizer(masks), o_(options) {
  o_.validate();
  torch::NoGradGuard g;
  for (auto& e : masks.entries()) {
    NNC_CHECK(e.companions.empty(), "pmmp: parameter '{}' already carries per-element state", e.name);
    e.companions.push_back(e.param.detach().clone().set_requires_grad(true));
    e.companions.push_back(torch::full_like(e.param, o_.initial_p_value).set_requires_grad(true));
    e.companions.push_back(torch::full_like(e.param, o_.initial_u_value).set_requires_grad(true));
  }
}

std::vector<torch::Tensor> PmmpRegularizer::extra_parameters() {
  std::vector<torch::Tensor> out;
  for (auto& e : masks_.entries())
    for (auto& c : e.companions) out.push_back(c);
  return out;
}

void PmmpRegularizer::add_gradients() {
  for (size_t k = 0; k < masks_.entries().size(); ++k) {
    if (tensor_ops_for(masks_.entries()[k])) add_gradients_tensors(k);
    else add_gradients_loops(k);
  }
}

void PmmpRegularizer::add_gradients_loops(size_t k) {
  const float alpha = static_cast<float>(o_.alpha), l1 = static_cast<float>(o_.l1_alpha);
  const float r2 = static_cast<float>(2 * o_.rho), c = static_cast<float>(o_.u_value_multiply_factor);
  const bool coupled = o_.alpha != 0;
  auto& e = masks_.entries()[k];
  const float* a = float_data(e.param, "pmmp a");
  float* ga = float_data(ensure_grad(e.param), "pmmp grad a");
  const float* w = float_data(this->w(k), "pmmp w");
  const float* p = float_data(pi(k), "pmmp pi");
  const float* u = float_data(this->u(k), "pmmp u");
  float* gw = float_data(ensure_grad(this->w(k)), "pmmp grad w");
  float* gp = float_data(ensure_grad(pi(k)), "pmmp grad pi");
  float* gu = float_data(ensure_grad(this->u(k)), "pmmp grad u");
  for (int64_t i = 0, n = e.param.numel(); i < n; ++i) {
    float sign = static_cast<float>((a[i] > 0) - (a[i] < 0));
    ga[i] += l1 * sign + r2 * a[i];
    if (!coupled) {
      gw[i] = gp[i] = gu[i] = 0.f;
      continue;
    }
    const float d = a[i] - w[i] * p[i];
    const float cu = c * u[i];
    ga[i] += cu * 2.f * d;
    gw[i] = cu * (-2.f * p[i] * d + 2.f * w[i] * p[i] * (1.f - p[i]));
    gp[i] = alpha + cu * (-2.f * w[i] * d + w[i] * w[i] * (1.f - 2.f * p[i]));
    gu[i] = -(c * (d * d + w[i] * w[i] * p[i] * (1.f - p[i])));  // ascent
  }
}

void PmmpRegularizer::add_gradients_tensors(size_t k) {
  const double alpha = static_cast<float>(o_.alpha), l1 = static_cast<float>(o_.l1_alpha);
  const double r2 = static_cast<float>(2 * o_.rho), c = static_cast<float>(o_.u_value_multiply_factor);
  torch::NoGradGuard g;
  auto a = masks_.entries()[k].param.detach();
  auto w = this->w(k).detach(), p = pi(k).detach(), u = this->u(k).detach();
  auto& ga = ensure_grad(masks_.entries()[k].param);
  auto &gw = ensure_grad(this->w(k)), &gp = ensure_grad(pi(k)), &gu = ensure_grad(this->u(k));
  ga.add_(a.sign().mul_(l1).add_(a, r2));
  if (o_.alpha == 0) {
    gw.zero_(), gp.zero_(), gu.zero_();
    return;
  }
  auto d = a - w * p;
  auto cu = u * c;
  ga.add_(cu * 2 * d);
  gw.copy_(cu * (-2 * p * d + 2 * w * p * (1 - p)));
  gp.copy_(cu * (-2 * w * d + w * w * (1 - 2 * p)) + alpha);
  gu.copy_(-(c * (d * d + w * w * p * (1 - p))));  // ascent
}

void PmmpRegularizer::after_step() {
  for (size_t k = 0; k < masks_.entries().size(); ++k) {
    if (tensor_ops_for(masks_.entries()[k])) {
      torch::NoGradGuard g;
      pi(k).clamp_(0, 1);
      continue;
    }
    float* p = float_data(pi(k), "pmmp pi");
    for (int64_t i = 0, n = pi(k).numel(); i < n; ++i) p[i] = std::min(1.f, std::max(0.f, p[i]));
  }
}

void PmmpRegularizer::after_prune() {
  torch::NoGradGuard g;
  auto& entries = masks_.entries();
  for (size_t k = 0; k < entries.size(); ++k) {
    pi(k).mul_(entries[k].param.ne(0).to(torch::kFloat32));
    entries[k].mask.mul_(pi(k).ne(0).to(torch::kFloat32));
    entries[k].param.mul_(entries[k].mask);
  }
}

double PmmpRegularizer::undecided_fraction() const {
  if (masks_.entries().empty()) return 0.0;
  // Counted on the parameters' device and read once.
  torch::Tensor inside;
  int64_t total = 0;
  for (const auto& e : masks_.entries()) {
    const auto& p = e.companions[1];
    auto n = (p.gt(0.1) & p.lt(0.9)).sum();
    inside = inside.defined() ? inside + n : n;
    total += p.numel();
  }
  return total ? static_cast<double>(inside.item<int64_t>()) / static_cast<double>(total) : 0.0;
}

bool PmmpRegularizer::allows_stop() const { return undecided_fraction() <= 0.01; }

std::string PmmpRegularizer::describe() const {
  return fmt::format("PMMP(alpha={}, L1_alpha={}, rho={}, p0={}, u0={}, u_factor={})", o_.alpha, o_.l1_alpha,
                     o_.rho, o_.initial_p_value, o_.initial_u_value, o_.u_value_multiply_factor);
}

}  // namespace nnc::prune
