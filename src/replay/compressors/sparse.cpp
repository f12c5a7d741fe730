#include "replay/compressors/sparse.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include "core/error.h"
#include "core/seed.h"

namespace nnc::replay {

namespace {
constexpr int64_t kOmpRows = 512;    // rows per OMP pass (memory: rows x s x N floats)
constexpr double kRidge = 1e-6;      // keeps the normal equations positive definite

torch::Tensor omp_chunk(const torch::Tensor& y, const torch::Tensor& dict,
                        const torch::Tensor& dict_t, const torch::Tensor& gram, int64_t s,
                        torch::Tensor& coef_out) {
  int64_t b = y.size(0), n = y.size(1), k = dict.size(1);
  auto proj = y.mm(dict).to(torch::kFloat64);  // D^T y, [b, K]
  auto residual = y;
  auto used = torch::zeros({b, k}, y.options().dtype(torch::kBool));
  auto sel = torch::empty({b, 0}, y.options().dtype(torch::kInt64));
  torch::Tensor coef;
  for (int64_t t = 0; t < s; ++t) {
    auto corr = residual.mm(dict).abs().masked_fill(used, -1.0);
    auto idx = corr.argmax(1, /*keepdim=*/true);  // [b, 1]
    used.scatter_(1, idx, true);
    sel = torch::cat({sel, idx}, 1);
    auto g = gram.index({sel.unsqueeze(2), sel.unsqueeze(1)});  // [b, t+1, t+1]
    g = g + kRidge * torch::eye(t + 1, g.options());
    auto rhs = proj.gather(1, sel).unsqueeze(2);  // [b, t+1, 1]
    auto chol = torch::linalg_cholesky(g);
    coef = torch::cholesky_solve(rhs, chol).squeeze(2);  // [b, t+1] float64
    if (t + 1 < s) {
      auto atoms = dict_t.index_select(0, sel.reshape({-1})).view({b, t + 1, n});
      residual = y - torch::bmm(coef.to(torch::kFloat32).unsqueeze(1), atoms).squeeze(1);
    }
  }
  coef_out = coef.to(torch::kFloat32);
  return sel;
}
}  // namespace

std::pair<torch::Tensor, torch::Tensor> omp(const torch::Tensor& y, const torch::Tensor& dict,
                                            int64_t s) {
  NNC_CHECK(y.dim() == 2 && dict.dim() == 2 && y.size(1) == dict.size(0),
            "omp: expected y [B, N] and dict [N, K], got {} and {}",
            detail::shape_str(y.sizes().vec()), detail::shape_str(dict.sizes().vec()));
  NNC_CHECK(s >= 1 && s <= dict.size(1), "omp: nonzeros must be in [1, {}], got {}",
            dict.size(1), s);
  torch::NoGradGuard no_grad;
  auto d = dict.to(torch::kFloat32).contiguous();
  auto d_t = d.t().contiguous();
  auto gram = d.t().to(torch::kFloat64).mm(d.to(torch::kFloat64));
  auto yy = y.to(torch::kFloat32);
  std::vector<torch::Tensor> idx_parts, coef_parts;
  for (int64_t i = 0; i < yy.size(0); i += kOmpRows) {
    torch::Tensor coef;
    idx_parts.push_back(omp_chunk(yy.slice(0, i, i + kOmpRows), d, d_t, gram, s, coef));
    coef_parts.push_back(coef);
  }
  if (idx_parts.empty())
    return {torch::empty({0, s}, torch::kInt64), torch::empty({0, s}, torch::kFloat32)};
  return {torch::cat(idx_parts, 0), torch::cat(coef_parts, 0)};
}

const OptionFields<SparseOptions>& SparseOptions::fields() {
  static const auto f =
      OptionFields<SparseOptions>()
          .add("atoms", &SparseOptions::atoms, "sparse: dictionary atoms")
          .add("nonzeros", &SparseOptions::nonzeros, "sparse: OMP nonzeros per sample")
          .add("coefficient_bits", &SparseOptions::coefficient_bits,
               "sparse: bits per stored coefficient (16 or 32)")
          .add("pretrain_epochs", &SparseOptions::pretrain_epochs,
               "epochs/iterations fitting autoencoders and dictionaries");
  return f;
}

void SparseOptions::validate() const {
  NNC_CHECK(atoms >= 2, "compressor 'sparse': atoms must be >= 2, got {}", atoms);
  NNC_CHECK(nonzeros >= 1 && nonzeros <= atoms,
            "compressor 'sparse': nonzeros must be in [1, atoms = {}], got {}", atoms, nonzeros);
  NNC_CHECK(coefficient_bits == 16 || coefficient_bits == 32,
            "compressor 'sparse': coefficient_bits must be 16 (float16) or 32 (float32), got {}",
            coefficient_bits);
  NNC_CHECK(pretrain_epochs >= 1, "compressor 'sparse': pretrain_epochs must be >= 1, got {}",
            pretrain_epochs);
}

std::string SparseOptions::label() const {
  return fmt::format("sparse {}/{}", nonzeros, atoms);
}

std::map<std::string, std::string> SparseOptions::tags() const {
  return {{"line", "sparse"}, {"display", "Sparse Coding"},
          {"parameter", fmt::format("{}/{}{}", nonzeros, atoms,
                                    coefficient_bits == 16 ? "" : fmt::format(" f{}", coefficient_bits))}};
}

SparseCompressor::SparseCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), atoms_(o.atoms), s_(o.nonzeros), epochs_(o.pretrain_epochs), seed_(ctx.seed),
      device_(ctx.device) {
  o.validate();
  NNC_CHECK(s_ <= rep_.numel(),
            "compressor 'sparse': nonzeros must not exceed the {} values per sample, got {}",
            rep_.numel(), s_);
  coef_bytes_ = static_cast<int>(o.coefficient_bits / 8);
  index_bytes_ = (bits_for(static_cast<uint64_t>(atoms_)) + 7) / 8;
  norm_.stored = !rep_.raw_pixels;
}

std::optional<uint64_t> SparseCompressor::item_bytes() const {
  return static_cast<uint64_t>(s_ * (coef_bytes_ + index_bytes_));
}

uint64_t SparseCompressor::fixed_bytes() const {
  return static_cast<uint64_t>(rep_.numel() * atoms_ * coef_bytes_) + norm_.bytes();
}

torch::Tensor SparseCompressor::round_stored(const torch::Tensor& x) const {
  if (coef_bytes_ == 4) return x.to(torch::kFloat32);
  return x.to(torch::kFloat32).clamp(-detail::kFloat16Max, detail::kFloat16Max).to(torch::kFloat16).to(torch::kFloat32);
}

void SparseCompressor::learn(const torch::Tensor& reference) {
  detail::check_reference(name(), reference, rep_, 1);
  torch::NoGradGuard no_grad;
  int64_t n = rep_.numel(), k = atoms_;
  auto gen = at::detail::createCPUGenerator(derive_seed(seed_, "sparse"));
  auto ref = reference.reshape({reference.size(0), n});
  if (ref.size(0) > kMaxFitVectors) {
    auto pick = torch::randperm(ref.size(0), gen, torch::kInt64).slice(0, 0, kMaxFitVectors);
    ref = ref.index_select(0, std::get<0>(pick.sort()));
  }
  ref = ref.to(torch::kFloat32).contiguous();
  norm_ = detail::Normalizer::for_representation(rep_, ref);
  // Learned on the run's device; the random draws stay on the CPU generator (the same
  // numbers whatever the device).
  auto y = norm_.to_model(ref).to(device_);  // [M, N]
  int64_t m = y.size(0);
  const auto f64 = y.options().dtype(torch::kFloat64);

  // Init: K random reference vectors (plus a little noise so equal vectors differ).
  auto d_t = torch::randn({k, n}, gen, torch::kFloat32).to(device_);
  int64_t from_data = std::min(k, m);
  auto rows = torch::randperm(m, gen, torch::kInt64).slice(0, 0, from_data).to(device_);
  d_t.slice(0, 0, from_data).mul_(1e-3).add_(y.index_select(0, rows));
  d_t = d_t / d_t.norm(2, 1, true).clamp_min(1e-12);

  for (int64_t it = 0; it < epochs_; ++it) {
    auto [idx, coef] = omp(y, d_t.t(), s_);
    auto x = torch::zeros({m, k}, f64).scatter_(1, idx, coef.to(torch::kFloat64));
    auto a = x.t().mm(x) + kRidge * torch::eye(k, f64);
    auto rhs = x.t().mm(y.to(torch::kFloat64));  // [K, N]
    auto next = torch::linalg_solve(a, rhs);      // D^T = (X^T X)^-1 X^T Y
    auto usage = x.ne(0).sum(0);                  // vectors using each atom
    auto norms = next.norm(2, 1);
    auto dead = (usage.eq(0) | norms.lt(1e-8)).nonzero().reshape({-1});
    if (dead.numel() > 0) {
      // Replace unused atoms by the residuals of the worst-reconstructed vectors.
      auto residual = y.to(torch::kFloat64) - x.mm(next);
      auto err = residual.norm(2, 1);
      auto worst = std::get<1>(err.sort(/*stable=*/true, 0, /*descending=*/true));
      // A zero residual (perfect fit) gives no direction, nor do missing vectors when
      // K > M: those atoms restart from random directions.
      auto fresh = torch::randn({dead.numel(), n}, gen, torch::kFloat64).to(device_);
      int64_t r = std::min(dead.numel(), m);
      auto rows_r = residual.index_select(0, worst.slice(0, 0, r));
      auto head = fresh.slice(0, 0, r);
      head.copy_(torch::where(rows_r.norm(2, 1, true) > 1e-8, rows_r, head));
      next.index_copy_(0, dead, fresh);
    }
    next = next / next.norm(2, 1, true).clamp_min(1e-12);
    d_t = next.to(torch::kFloat32);
  }
  dict_ = round_stored(d_t.t().contiguous()).to(torch::kCPU).contiguous();  // [N, K] as stored
  device_dict_.clear();
}

std::vector<Packed> SparseCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0);
  auto out = empty_items(n);
  auto y = norm_.to_model(batch.reshape({n, -1}));
  auto [idx, coef] = omp(y, dict_, s_);
  detail::append_floats(out, coef.clamp(-detail::kFloat16Max, detail::kFloat16Max), coef_bytes_);
  detail::append_uints(out, idx, index_bytes_);
  return out;
}

ParsedItems SparseCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.values = detail::read_stored(items, 0, s_, coef_bytes_ == 2 ? torch::kFloat16 : torch::kFloat32);
  p.index = detail::read_uints(items, static_cast<size_t>(s_ * coef_bytes_), s_, index_bytes_);
  // Checked here, on the CPU: a scatter out of range on a device is not an error message.
  NNC_CHECK(p.index.max().item<int64_t>() < atoms_,
            "compressor 'sparse': a stored atom index is out of range (corrupt item?)");
  return p;
}

torch::Tensor SparseCompressor::reconstruct(const ParsedItems& p) const {
  const auto& dict = device_dict_.of(dict_, p.values.device());
  auto coef = p.values.to(torch::kFloat32);
  auto idx = p.index.to(torch::kInt64);
  auto x = detail::chunked(torch::arange(p.n, idx.options()), 4096, [&](const torch::Tensor& rows) {
    auto codes = torch::zeros({rows.size(0), atoms_}, coef.options())
                     .scatter_add_(1, idx.index_select(0, rows), coef.index_select(0, rows));
    return norm_.to_storage(codes.mm(dict.t()), rep_.raw_pixels);
  });
  return x.reshape(rep_.batch_shape(p.n));
}

std::string SparseCompressor::describe() const {
  return fmt::format(
      "sparse(atoms={}, nonzeros={}, coefficient_bits={}, pretrain_epochs={} (MOD + OMP), "
      "seed={}; {}; item {} = {} x ({} B coefficient + {} B atom index); fixed {} = "
      "dictionary {}x{} x {} B{})",
      atoms_, s_, coef_bytes_ * 8, epochs_, seed_,
      rep_.describe(), detail::bytes_str(*item_bytes()), s_, coef_bytes_, index_bytes_,
      detail::bytes_str(fixed_bytes()), rep_.numel(), atoms_, coef_bytes_,
      norm_.stored ? " + 8 B mean/std" : "");
}

std::map<std::string, torch::Tensor> SparseCompressor::state() const {
  return {{"dictionary", dict_.clone()}, {"normalization", norm_.as_tensor()}};
}

void SparseCompressor::restore(const StateMap& state) {
  auto d = detail::state_tensor(name(), state, "dictionary", {rep_.numel(), atoms_});
  norm_.load(detail::state_tensor(name(), state, "normalization", {2}), rep_.raw_pixels);
  dict_ = round_stored(d).contiguous();
  device_dict_.clear();
}

}  // namespace nnc::replay
