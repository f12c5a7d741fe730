#include "replay/compressors/pq.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <torch/torch.h>

#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/error.h"
#include "core/seed.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

namespace {
constexpr int64_t kLanes = 8;  // centroids per block of the nearest-centroid kernel

/// Nearest centroid per sub-vector: x [M, V, d], c [M, K, d] -> [M, V] (int64), by exact
/// squared Euclidean distance sum_j (x_j - c_j)^2 (ties: the lower index). A fused loop:
/// the [V, K] distance matrix is never materialised (with d = 8 a batched GEMM spends its
/// time writing it), and every result is computed in one fixed order, so codes do not depend
/// on the thread count. Centroids are laid out [M][K/8][d][8] so the 8 lanes vectorise.
torch::Tensor nearest(const torch::Tensor& x, const torch::Tensor& c) {
  const int64_t m = x.size(0), v = x.size(1), d = x.size(2), k = c.size(1);
  const int64_t blocks = (k + kLanes - 1) / kLanes;
  auto padded = c;
  if (blocks * kLanes != k)  // far-away padding centroids are never the nearest
    padded = torch::cat({c, torch::full({m, blocks * kLanes - k, d}, 1e30f)}, 1);
  auto cb = padded.view({m, blocks, kLanes, d}).transpose(2, 3).contiguous();
  auto xs = x.contiguous();
  auto out = torch::empty({m, v}, torch::kInt64);
  const float* xp = xs.data_ptr<float>();
  const float* cp = cb.data_ptr<float>();
  int64_t* op = out.data_ptr<int64_t>();
  at::parallel_for(0, m * v, 256, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const float* xi = xp + i * d;
      const float* cm = cp + (i / v) * blocks * d * kLanes;
      // Per-lane running minimum (strict <: the lowest block wins a tie), then across lanes.
      alignas(16) float lane_best[kLanes];
      alignas(16) int32_t lane_block[kLanes];
#if defined(__SSE2__)
      __m128 best0 = _mm_set1_ps(std::numeric_limits<float>::infinity()), best1 = best0;
      __m128i blk0 = _mm_setzero_si128(), blk1 = blk0;
      for (int32_t b = 0; b < static_cast<int32_t>(blocks); ++b) {
        const float* row = cm + b * d * kLanes;
        __m128 s0 = _mm_setzero_ps(), s1 = s0;
        for (int64_t j = 0; j < d; ++j, row += kLanes) {
          __m128 xj = _mm_set1_ps(xi[j]);
          __m128 d0 = _mm_sub_ps(xj, _mm_loadu_ps(row)), d1 = _mm_sub_ps(xj, _mm_loadu_ps(row + 4));
          s0 = _mm_add_ps(s0, _mm_mul_ps(d0, d0));
          s1 = _mm_add_ps(s1, _mm_mul_ps(d1, d1));
        }
        __m128i bv = _mm_set1_epi32(b);
        __m128 lt0 = _mm_cmplt_ps(s0, best0), lt1 = _mm_cmplt_ps(s1, best1);
        best0 = _mm_or_ps(_mm_and_ps(lt0, s0), _mm_andnot_ps(lt0, best0));
        best1 = _mm_or_ps(_mm_and_ps(lt1, s1), _mm_andnot_ps(lt1, best1));
        __m128i m0 = _mm_castps_si128(lt0), m1 = _mm_castps_si128(lt1);
        blk0 = _mm_or_si128(_mm_and_si128(m0, bv), _mm_andnot_si128(m0, blk0));
        blk1 = _mm_or_si128(_mm_and_si128(m1, bv), _mm_andnot_si128(m1, blk1));
      }
      _mm_store_ps(lane_best, best0);
      _mm_store_ps(lane_best + 4, best1);
      _mm_store_si128(reinterpret_cast<__m128i*>(lane_block), blk0);
      _mm_store_si128(reinterpret_cast<__m128i*>(lane_block + 4), blk1);
#else
      for (int64_t t = 0; t < kLanes; ++t) lane_best[t] = std::numeric_limits<float>::infinity();
      for (int64_t t = 0; t < kLanes; ++t) lane_block[t] = 0;
      for (int32_t b = 0; b < static_cast<int32_t>(blocks); ++b) {
        const float* cbk = cm + b * d * kLanes;
        float s[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int64_t j = 0; j < d; ++j) {
          const float xj = xi[j];
          const float* row = cbk + j * kLanes;
          for (int64_t t = 0; t < kLanes; ++t) {
            float diff = xj - row[t];
            s[t] += diff * diff;
          }
        }
        for (int64_t t = 0; t < kLanes; ++t) {
          if (s[t] < lane_best[t]) lane_best[t] = s[t], lane_block[t] = b;
        }
      }
#endif
      float best = lane_best[0];
      int64_t best_k = static_cast<int64_t>(lane_block[0]) * kLanes;
      for (int64_t t = 1; t < kLanes; ++t) {
        int64_t kt = static_cast<int64_t>(lane_block[t]) * kLanes + t;
        if (lane_best[t] < best || (lane_best[t] == best && kt < best_k)) best = lane_best[t], best_k = kt;
      }
      op[i] = best_k;
    }
  });
  return out;
}

/// Squared distances of x [M, V, d] (norms xx [M, V]) to one centroid per sub-space c [M, 1, d].
torch::Tensor distance_to(const torch::Tensor& x, const torch::Tensor& xx, const torch::Tensor& c) {
  auto dot = torch::bmm(x, c.transpose(1, 2)).squeeze(2);  // [M, V]
  return (xx - 2 * dot + c.pow(2).sum(-1)).clamp_min(0);
}

std::string divisors(int64_t c) {
  std::vector<int64_t> out;
  for (int64_t i = 1; i <= c && out.size() < 12; ++i)
    if (c % i == 0) out.push_back(i);
  return fmt::format("{}{}", fmt::join(out, ", "), out.size() == 12 && out.back() != c ? ", ..." : "");
}
}  // namespace

const OptionFields<PqOptions>& PqOptions::fields() {
  static const auto f =
      OptionFields<PqOptions>()
          .add("pq_subvectors", &PqOptions::pq_subvectors,
               "pq: sub-vectors per channel vector (must divide the channels)")
          .add("pq_bits", &PqOptions::pq_bits,
               "pq: bits per code, 2^bits k-means centroids per sub-space (1..16)");
  return f;
}

void PqOptions::validate() const {
  NNC_CHECK(pq_bits >= 1 && pq_bits <= 16,
            "compressor 'pq': pq_bits must be in 1..16 (2^pq_bits centroids per sub-space), got {}",
            pq_bits);
}

std::string PqOptions::label() const { return fmt::format("pq {}x{}b", pq_subvectors, pq_bits); }

std::map<std::string, std::string> PqOptions::tags() const {
  return {{"line", "pq"}, {"display", "Product Quantization"}, {"parameter", fmt::format("{}x{}b", pq_subvectors, pq_bits)}};
}

PqCompressor::PqCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), m_(o.pq_subvectors), bits_(o.pq_bits), seed_(ctx.seed) {
  o.validate();
  c_ = rep_.shape.at(0);
  p_ = rep_.numel() / c_;
  NNC_CHECK(m_ >= 1 && c_ % m_ == 0,
            "compressor 'pq': pq_subvectors must divide the {} channels of the samples ({}), i.e. be "
            "one of {}; got {}",
            c_, rep_.describe(), divisors(c_), m_);
  k_ = int64_t{1} << bits_;
  d_ = c_ / m_;
}

std::optional<uint64_t> PqCompressor::item_bytes() const {
  return (static_cast<uint64_t>(p_ * m_ * bits_) + 7) / 8;
}

uint64_t PqCompressor::fixed_bytes() const { return static_cast<uint64_t>(m_ * k_ * d_ * 4); }

torch::Tensor PqCompressor::sub_vectors(const torch::Tensor& batch) const {
  int64_t n = batch.size(0);
  auto x = batch.to(torch::kFloat32);
  if (rep_.raw_pixels) x = x.round();
  return x.reshape({n, c_, p_})
      .permute({0, 2, 1})
      .reshape({n * p_, m_, d_})
      .permute({1, 0, 2})
      .contiguous();
}

void PqCompressor::learn(const torch::Tensor& reference) {
  detail::check_reference(name(), reference, rep_, 1);
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(derive_seed(seed_, "pq"));
  auto x = sub_vectors(reference);  // [M, V, d]
  int64_t v = x.size(1);
  if (v > kMaxFitVectors) {
    auto pick = torch::randperm(v, gen, torch::kInt64).slice(0, 0, kMaxFitVectors);
    x = x.index_select(1, std::get<0>(pick.sort())).contiguous();
    v = kMaxFitVectors;
  }
  auto xx = x.pow(2).sum(-1);  // [M, V]
  auto rows_of = [&](const torch::Tensor& idx) {  // idx [M, r] -> vectors [M, r, d]
    return x.gather(1, idx.unsqueeze(2).expand({m_, idx.size(1), d_}));
  };

  torch::Tensor cent;  // [M, K, d]
  if (k_ <= kPlusPlusMaxK) {
    // k-means++: each next centroid drawn with probability proportional to D^2.
    cent = torch::empty({m_, k_, d_}, torch::kFloat32);
    auto c0 = rows_of(torch::randint(v, {m_, 1}, gen, torch::kInt64));
    cent.slice(1, 0, 1).copy_(c0);
    auto dist = distance_to(x, xx, c0);
    for (int64_t j = 1; j < k_; ++j) {
      // Inverse-CDF draw (cheaper than torch::multinomial); all vectors already chosen
      // (fewer distinct vectors than K): draw uniformly.
      auto w = dist.to(torch::kFloat64);
      w = torch::where(w.sum(1, true) > 0, w, torch::ones_like(w));
      auto cdf = w.cumsum(1);
      auto u = torch::rand({m_, 1}, gen, torch::kFloat64) * cdf.slice(1, v - 1, v);
      auto pick = torch::searchsorted(cdf, u, /*out_int32=*/false, /*right=*/true).clamp_max(v - 1);
      auto cj = rows_of(pick);
      cent.slice(1, j, j + 1).copy_(cj);
      dist = torch::minimum(dist, distance_to(x, xx, cj));
    }
  } else {
    // K distinct random vectors per sub-space (cycled when there are fewer than K).
    auto order = torch::rand({m_, v}, gen).argsort(/*stable=*/true, /*dim=*/1, /*descending=*/false);
    auto idx = order.index_select(1, torch::arange(k_, torch::kInt64).remainder(v));
    cent = rows_of(idx).contiguous();
  }

  // Lloyd iterations.
  auto offsets = (torch::arange(m_, torch::kInt64) * k_).unsqueeze(1);  // [M, 1]
  auto flat_x = x.reshape({m_ * v, d_}).to(torch::kFloat64);
  torch::Tensor assign;
  iterations_run_ = 0;
  for (int it = 0; it < kIterations; ++it) {
    auto a = nearest(x, cent);
    if (assign.defined() && a.equal(assign)) break;
    assign = a;
    auto flat = (a + offsets).reshape({-1});
    auto sums = torch::zeros({m_ * k_, d_}, torch::kFloat64)
                    .scatter_add_(0, flat.unsqueeze(1).expand({m_ * v, d_}), flat_x);
    auto counts = torch::bincount(flat, {}, m_ * k_).to(torch::kFloat64).unsqueeze(1);
    auto mean = (sums / counts.clamp_min(1)).to(torch::kFloat32).view({m_, k_, d_});
    cent = torch::where(counts.view({m_, k_, 1}) > 0, mean, cent);
    ++iterations_run_;
  }
  codebooks_ = cent.contiguous();
  device_codebooks_.clear();
}

torch::Tensor PqCompressor::encode(const torch::Tensor& batch) const {
  detail::check_input(name(), batch, rep_);
  if (batch.size(0) == 0) return torch::empty({0, p_, m_}, torch::kInt64);
  return codes_of(batch);
}

torch::Tensor PqCompressor::codes_of(const torch::Tensor& batch) const {
  torch::NoGradGuard no_grad;
  return nearest(sub_vectors(batch), codebooks_).t().reshape({batch.size(0), p_, m_});
}

std::vector<Packed> PqCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0);
  auto out = empty_items(n);
  detail::append_codes(out, codes_of(batch).reshape({n, p_ * m_}), static_cast<int>(bits_));
  return out;
}

ParsedItems PqCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.index = detail::read_codes(items, 0, p_ * m_, static_cast<int>(bits_));  // < 2^bits = K
  return p;
}

torch::Tensor PqCompressor::reconstruct(const ParsedItems& p) const {
  const auto& books = device_codebooks_.of(codebooks_, p.index.device());
  auto sub_space = torch::arange(m_, p.index.options().dtype(torch::kInt64)) * k_;
  auto flat = (p.index.to(torch::kInt64).view({p.n * p_, m_}) + sub_space).reshape({-1});
  auto values = books.view({m_ * k_, d_}).index_select(0, flat);  // [N*P*M, d]
  auto x = values.view({p.n, p_, c_}).permute({0, 2, 1}).reshape(rep_.batch_shape(p.n));
  return rep_.raw_pixels ? x.clamp(0, 255) : x.contiguous();
}

std::string PqCompressor::describe() const {
  return fmt::format(
      "pq(pq_subvectors={}, pq_bits={}: {} centroids of {} values per sub-space, k-means ({} "
      "init, <= {} Lloyd iterations{}) on <= {} reference vectors, seed={}; {}; item {} = "
      "ceil({} positions x {} codes x {} bits / 8); fixed {} = {} codebooks x {} x {} x 4 B)",
      m_, bits_, k_, d_, k_ <= kPlusPlusMaxK ? "k-means++" : "random",
      kIterations, iterations_run_ > 0 ? fmt::format(", ran {}", iterations_run_) : std::string(),
      kMaxFitVectors, seed_, rep_.describe(),
      detail::bytes_str(*item_bytes()), p_, m_, bits_, detail::bytes_str(fixed_bytes()), m_, k_,
      d_);
}

std::map<std::string, torch::Tensor> PqCompressor::state() const {
  return {{"codebooks", codebooks_.clone()}};
}

void PqCompressor::restore(const StateMap& state) {
  device_codebooks_.clear();
  codebooks_ = detail::state_tensor(name(), state, "codebooks", {m_, k_, d_}).contiguous();
  NNC_CHECK(torch::isfinite(codebooks_).all().item<bool>(),
            "compressor 'pq': the saved codebooks hold NaN or inf values");
}

}  // namespace nnc::replay
