#include "prune/fused_mlp.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "core/progress.h"
#include "core/seed.h"
#include "prune/gauss_loss.h"
#include "train/trainer.h"

namespace nnc::prune {

namespace {
using RowMat = FusedMlpEngine::RowMat;
using MapMat = Eigen::Map<RowMat>;
using CMapMat = Eigen::Map<const RowMat>;

int activation_code(const std::string& a) {
  if (a == "identity") return 0;
  if (a == "tanh") return 1;
  if (a == "relu") return 2;
  if (a == "sigmoid") return 3;
  return -1;
}

size_t entry_of(Masks& masks, const torch::Tensor& p) {
  for (size_t i = 0; i < masks.entries().size(); ++i)
    if (masks.entries()[i].param.is_same(p)) return i;
  nnc::fail("fused MLP: a layer parameter has no mask entry (masks built on another model?)");
}
}  // namespace

std::string FusedMlpEngine::unsupported_reason(const models::Model& model, const DataLoss& loss,
                                               const std::string& optimizer) {
  auto* mlp = dynamic_cast<const models::MLP*>(&model);
  if (!mlp) return "the model is not an MLP";
  if (loss.classification) return "classification (the fused path covers regression only)";
  if (optimizer != "adam") return "optimizer '" + optimizer + "' (the fused path implements adam)";
  for (const auto& a : mlp->activations())
    if (activation_code(a) < 0) return "activation '" + a + "'";
  for (const auto& p : mlp->parameters())
    if (!p.device().is_cpu()) return "parameters are not on the CPU";
  return "";
}

FusedMlpEngine::FusedMlpEngine(models::MLP& mlp, Masks& masks, Regularizer* regularizer, const DataLoss& loss,
                               const train::TensorSource& train_data, FusedMlpOptions options)
    : mlp_(mlp), masks_(masks), reg_(regularizer), loss_(loss), train_(train_data), o_(options) {
  auto why = unsupported_reason(mlp, loss, "adam");
  NNC_CHECK(why.empty(), "fused MLP path unavailable: {}", why);
  for (const auto& lin : mlp.linears()) {
    w_entry_.push_back(entry_of(masks, lin->weight));
    b_entry_.push_back(entry_of(masks, lin->bias));
  }
  for (const auto& a : mlp.activations()) act_.push_back(activation_code(a));
  size_t L = w_entry_.size();
  z_.resize(L), a_.resize(L), we_.resize(L), be_.resize(L);
}

FusedMlpEngine::~FusedMlpEngine() { reset_optimizer(); }

const char* FusedMlpEngine::isa() {
#if defined(__AVX2__) && defined(__FMA__)
  return "avx2+fma";
#else
  return "sse2";
#endif
}

void FusedMlpEngine::reset_optimizer() {
  for (auto& e : masks_.entries()) e.optimizer_state.clear();
  steps_ = 0;
  sigma_m_ = sigma_v_ = 0;
  state_ready_ = false;
}

void FusedMlpEngine::ensure_state() {
  if (state_ready_) return;
  extras_per_entry_ = masks_.entries().empty() ? 0 : masks_.entries()[0].companions.size();
  for (auto& e : masks_.entries()) {
    NNC_CHECK(e.companions.size() == extras_per_entry_, "fused MLP: uneven per-element state on '{}'", e.name);
    e.optimizer_state.clear();
    for (size_t j = 0; j <= extras_per_entry_; ++j) {
      e.optimizer_state.push_back(torch::zeros_like(e.param, torch::TensorOptions().requires_grad(false)));
      e.optimizer_state.push_back(torch::zeros_like(e.param, torch::TensorOptions().requires_grad(false)));
    }
  }
  state_ready_ = true;
}

double FusedMlpEngine::forward(const float* x, int64_t n) {
  const size_t L = w_entry_.size();
  auto& entries = masks_.entries();
  for (size_t l = 0; l < L; ++l) {
    auto& W = entries[w_entry_[l]];
    auto& B = entries[b_entry_[l]];
    const int64_t out = W.param.size(0), in = W.param.size(1);
    CMapMat w(float_data(W.param, "fused weight"), out, in), m(float_data(W.mask, "fused mask"), out, in);
    we_[l] = w.cwiseProduct(m);
    Eigen::Map<const Eigen::VectorXf> b(float_data(B.param, "fused bias"), out), mb(float_data(B.mask, "mask"), out);
    be_[l] = b.cwiseProduct(mb);
    if (l == 0) {
      CMapMat X(x, n, in);
      z_[l].noalias() = X * we_[l].transpose();
    } else {
      z_[l].noalias() = a_[l] * we_[l].transpose();
    }
    z_[l].rowwise() += be_[l].transpose();
    if (l + 1 < L) {
      auto& next = a_[l + 1];
      switch (act_[l]) {
        case 0: next = z_[l]; break;
        case 1: next = z_[l].array().tanh().matrix(); break;
        case 2: next = z_[l].cwiseMax(0.f); break;
        default: next = (1.f / (1.f + (-z_[l].array()).exp())).matrix(); break;
      }
    }
  }
  return 0;
}

double FusedMlpEngine::step(const torch::Tensor& x_t, const torch::Tensor& y_t) {
  ensure_state();
  const size_t L = w_entry_.size();
  const int64_t n = x_t.size(0);
  const float* x = float_data(x_t, "fused input");
  forward(x, n);
  const int64_t out_dim = z_[L - 1].cols();
  CMapMat Y(float_data(y_t, "fused target"), n, out_dim);
  RowMat dz = z_[L - 1] - Y;
  const double count = static_cast<double>(n * out_dim);
  const double mse = static_cast<double>(dz.squaredNorm()) / count;
  double loss = mse, dscale = 2.0 / count;
  double sigma = 0;
  if (loss_.gauss) {
    sigma = static_cast<double>(*float_data(loss_.sigma, "sigma"));
    loss = mse / (2 * sigma * sigma * std::log(2.0)) + 0.5 * std::log2(sigma * sigma);
    dscale *= gauss_dloss_dmse(sigma);
  }
  dz *= static_cast<float>(dscale);
  backward(x, n, std::move(dz));
  if (reg_) reg_->add_gradients();
  adam_step(mse, sigma);
  if (reg_) reg_->after_step();
  if (o_.multiply_mask_after_each_batch) {
    for (auto& e : masks_.entries()) {
      float* p = float_data(e.param, "p");
      const float* m = float_data(e.mask, "m");
      for (int64_t i = 0, k = e.param.numel(); i < k; ++i) p[i] *= m[i];
    }
  }
  return loss;
}

void FusedMlpEngine::backward(const float* x, int64_t n, RowMat dz) {
  auto& entries = masks_.entries();
  for (size_t li = w_entry_.size(); li-- > 0;) {
    auto& W = entries[w_entry_[li]];
    auto& B = entries[b_entry_[li]];
    const int64_t out = W.param.size(0), in = W.param.size(1);
    MapMat gw(float_data(ensure_grad(W.param), "fused grad"), out, in);
    CMapMat mw(float_data(W.mask, "mask"), out, in);
    if (li == 0) {
      CMapMat X(x, n, in);
      gw.noalias() = dz.transpose() * X;
    } else {
      gw.noalias() = dz.transpose() * a_[li];
    }
    gw = gw.cwiseProduct(mw);
    Eigen::Map<Eigen::VectorXf> gb(float_data(ensure_grad(B.param), "fused grad"), out);
    Eigen::Map<const Eigen::VectorXf> mb(float_data(B.mask, "mask"), out);
    gb = dz.colwise().sum().transpose().cwiseProduct(mb);
    if (li > 0) {
      RowMat da = dz * we_[li];
      const auto& a = a_[li];
      switch (act_[li - 1]) {
        case 0: dz = da; break;
        case 1: dz = da.array() * (1.f - a.array().square()); break;
        case 2: dz = (z_[li - 1].array() > 0.f).select(da.array(), 0.f).matrix(); break;
        default: dz = da.array() * a.array() * (1.f - a.array()); break;
      }
    }
  }
}

void FusedMlpEngine::adam_step(double mse, double sigma) {
  // Adam, exactly as torch::optim::Adam (1.13) computes it.
  ++steps_;
  const double bc1 = 1 - std::pow(o_.beta1, static_cast<double>(steps_));
  const double bc2 = 1 - std::pow(o_.beta2, static_cast<double>(steps_));
  const double step_size = o_.lr / bc1, bc2_sqrt = std::sqrt(bc2);
  for (auto& e : masks_.entries()) {
    adam(float_data(e.param, "p"), float_data(e.param.grad(), "g"), float_data(e.optimizer_state[0], "m"),
         float_data(e.optimizer_state[1], "v"), e.param.numel(), step_size, bc2_sqrt);
    for (size_t j = 0; j < extras_per_entry_; ++j) {
      auto& c = e.companions[j];
      adam(float_data(c, "p"), float_data(c.grad(), "g"), float_data(e.optimizer_state[2 + 2 * j], "m"),
           float_data(e.optimizer_state[3 + 2 * j], "v"), c.numel(), step_size, bc2_sqrt);
    }
  }
  if (loss_.gauss) {
    float g = static_cast<float>(gauss_dloss_dsigma(mse, sigma));
    float* s = float_data(loss_.sigma, "sigma");
    adam(s, &g, &sigma_m_, &sigma_v_, 1, step_size, bc2_sqrt);
  }
}

void FusedMlpEngine::adam(float* p, const float* g, float* m, float* v, int64_t n, double step_size,
                          double bc2_sqrt) {
  const float b1 = static_cast<float>(o_.beta1), b2 = static_cast<float>(o_.beta2);
  const float ss = static_cast<float>(step_size), bs = static_cast<float>(bc2_sqrt), eps = static_cast<float>(o_.eps);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = m[i] * b1 + (1.f - b1) * g[i];
    v[i] = v[i] * b2 + (1.f - b2) * g[i] * g[i];
    p[i] -= ss * m[i] / (std::sqrt(v[i]) / bs + eps);
  }
}

void FusedMlpEngine::fit(int64_t max_epochs, const EpochCallback& after_epoch) {
  reset_optimizer();
  ensure_state();
  {
    torch::NoGradGuard g;
    masks_.apply();
  }
  auto x_all = train_.inputs().flatten(1).contiguous().to(torch::kFloat32);
  auto y_all = train_.targets().contiguous().to(torch::kFloat32);
  if (y_all.dim() == 1) y_all = y_all.unsqueeze(1);
  const int64_t n = x_all.size(0);
  auto gen = at::detail::createCPUGenerator(derive_seed(o_.seed, "shuffle"));
  Progress progress("fused " + mlp_.describe(), max_epochs);
  for (int64_t epoch = 1; epoch <= max_epochs; ++epoch) {
    double sum = 0;
    if (o_.batch_size >= n) {
      sum = step(x_all, y_all) * static_cast<double>(n);
    } else {
      auto perm = torch::randperm(n, gen, torch::TensorOptions().dtype(torch::kInt64));
      for (const auto& index : train::make_batches(perm, o_.batch_size)) {
        auto xb = x_all.index_select(0, index).contiguous(), yb = y_all.index_select(0, index).contiguous();
        sum += step(xb, yb) * static_cast<double>(index.size(0));
      }
    }
    EpochReport r{epoch, sum / static_cast<double>(n), 0.0};
    NNC_CHECK(std::isfinite(r.train_loss), "fused MLP: training diverged: loss is {} at epoch {} (lower the lr?)",
              r.train_loss, epoch);
    if (epoch % 100 == 0 || epoch == max_epochs) progress.update(epoch, {{"loss", r.train_loss}});
    if (after_epoch(r)) break;
  }
  reset_optimizer();
}

EvalSummary FusedMlpEngine::evaluate(const train::TensorSource& data) {
  auto x = data.inputs().flatten(1).contiguous().to(torch::kFloat32);
  auto y = data.targets().contiguous().to(torch::kFloat32);
  const int64_t n = x.size(0);
  forward(x.data_ptr<float>(), n);
  const auto& out = z_.back();
  CMapMat Y(y.data_ptr<float>(), n, out.cols());
  EvalSummary s;
  s.plain_loss = static_cast<double>((out - Y).squaredNorm()) / static_cast<double>(n * out.cols());
  s.loss = s.plain_loss;
  if (loss_.gauss) {
    double sigma = loss_.sigma.item<double>();
    s.loss = s.plain_loss / (2 * sigma * sigma * std::log(2.0)) + 0.5 * std::log2(sigma * sigma);
  }
  return s;
}

}  // namespace nnc::prune
