#include "replay/compressors/quantization.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

namespace {
constexpr int64_t kMaxStates = 65536;  // 16 bits; more is no compression of a float32
}

const OptionFields<QuantizationOptions>& QuantizationOptions::fields() {
  static const auto f =
      OptionFields<QuantizationOptions>()
          .add("n_states", &QuantizationOptions::n_states, "quantization levels")
          .add("strategy", &QuantizationOptions::strategy,
               "quantization: local | transfer (tiny_imagenet_transfer = transfer)",
               {"local", "transfer", "tiny_imagenet_transfer"})
          .canonical("strategy", [](const std::string& s) {
            return s == "tiny_imagenet_transfer" ? std::string("transfer") : s;
          });
  return f;
}

void QuantizationOptions::validate() const {
  NNC_CHECK(n_states >= 2 && n_states <= kMaxStates,
            "compressor 'quantization': n_states must be in [2, {}], got {}", kMaxStates, n_states);
  NNC_CHECK(strategy == "local" || transfer(),
            "compressor 'quantization': strategy must be 'local' or 'transfer', got '{}'", strategy);
}

std::string QuantizationOptions::label() const {
  return fmt::format("quantization {} {}", transfer() ? "transfer" : "local", n_states);
}

std::map<std::string, std::string> QuantizationOptions::tags() const {
  const std::string s = transfer() ? "transfer" : "local";
  return {{"line", "quantization " + s}, {"display", "Quantization (" + s + ")"},
          {"parameter", std::to_string(n_states)}};
}

QuantizationCompressor::QuantizationCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), n_states_(o.n_states) {
  o.validate();
  bits_ = bits_for(static_cast<uint64_t>(n_states_));
  transfer_ = o.transfer();
}

std::optional<uint64_t> QuantizationCompressor::item_bytes() const {
  uint64_t packed = (static_cast<uint64_t>(rep_.numel()) * bits_ + 7) / 8;
  return packed + (transfer_ ? 0 : 8);
}

std::optional<int64_t> QuantizationCompressor::notebook_slots(uint64_t budget_bytes) const {
  const double B = static_cast<double>(budget_bytes), n = static_cast<double>(n_states_);
  const int bits = static_cast<int>(std::ceil(std::log2(n)));  // the notebook's expression
  const double packed = std::ceil(static_cast<double>(rep_.numel() * bits) / 8.0);
  if (!transfer_) return detail::floor_div(B, packed + n * (rep_.raw_pixels ? 1 : 4));
  return detail::floor_div(B - 4.0 * n, packed);
}


void QuantizationCompressor::learn(const torch::Tensor& reference) {
  NNC_CHECK(reference.defined() && reference.numel() > 0,
            "compressor 'quantization' (transfer): fit() needs a non-empty reference set");
  auto v = reference.reshape({-1}).to(torch::kFloat32);
  NNC_CHECK(torch::isfinite(v).all().item<bool>(),
            "compressor 'quantization' (transfer): the reference set holds NaN or inf values");
  int64_t m = v.numel();
  auto rank_lo = static_cast<int64_t>(std::floor(0.05 * static_cast<double>(m - 1)));
  auto rank_hi = static_cast<int64_t>(std::ceil(0.95 * static_cast<double>(m - 1)));
  float lo = std::get<0>(v.kthvalue(rank_lo + 1)).item<float>();
  float hi = std::get<0>(v.kthvalue(rank_hi + 1)).item<float>();
  NNC_CHECK(hi > lo,
            "compressor 'quantization' (transfer): the reference set's 5% and 95% values are "
            "equal ({}); its range is empty (use strategy local or another reference set)",
            lo);
  lo_ = lo;
  hi_ = hi;
}

std::vector<Packed> QuantizationCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0), m = rep_.numel();
  auto out = empty_items(n);
  auto flat = batch.reshape({n, m}).to(torch::kFloat32);
  torch::Tensor lo, hi;
  if (transfer_) {
    lo = torch::full({n, 1}, lo_, torch::kFloat32);
    hi = torch::full({n, 1}, hi_, torch::kFloat32);
  } else {
    auto mm = torch::aminmax(flat, 1, /*keepdim=*/true);
    lo = std::get<0>(mm);
    hi = std::get<1>(mm);
    detail::append_floats(out, torch::cat({lo, hi}, 1), 4);
  }
  // Bin arithmetic in float64 from the float32 range that decompress() will see.
  auto lo64 = lo.to(torch::kFloat64), hi64 = hi.to(torch::kFloat64);
  auto width = (hi64 - lo64) / static_cast<double>(n_states_);
  auto safe = torch::where(width > 0, width, torch::ones_like(width));
  auto index = ((flat.to(torch::kFloat64) - lo64) / safe)
                   .floor()
                   .clamp(0, static_cast<double>(n_states_ - 1))
                   .to(torch::kInt32)
                   .contiguous();
  const int32_t* p = index.data_ptr<int32_t>();
  for (int64_t i = 0; i < n; ++i) {
    BitWriter w(out[i]);
    const int32_t* row = p + i * m;
    for (int64_t j = 0; j < m; ++j) w.write(static_cast<uint32_t>(row[j]), bits_);
    w.flush();
  }
  return out;
}

ParsedItems QuantizationCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.index = detail::read_codes(items, transfer_ ? 0 : 8, rep_.numel(), bits_);
  if (!transfer_) p.range = detail::read_stored(items, 0, 2, torch::kFloat32);
  return p;
}

torch::Tensor QuantizationCompressor::reconstruct(const ParsedItems& p) const {
  // Bin midpoints in float64 (as pack() computed the bins), rounded to float32 once.
  const auto f64 = p.index.options().dtype(torch::kFloat64);
  torch::Tensor lo, hi;
  if (transfer_) {
    lo = torch::full({p.n, 1}, static_cast<double>(lo_), f64);
    hi = torch::full({p.n, 1}, static_cast<double>(hi_), f64);
  } else {
    auto range = p.range.to(torch::kFloat64);
    lo = range.slice(1, 0, 1);
    hi = range.slice(1, 1, 2);
  }
  auto width = (hi - lo) / static_cast<double>(n_states_);
  auto out = (lo + (p.index.to(torch::kFloat64) + 0.5) * width).to(torch::kFloat32);
  return out.reshape(rep_.batch_shape(p.n));
}

std::string QuantizationCompressor::describe() const {
  // A fitted range is never empty (learn() and restore() check it).
  std::string range = transfer_ && hi_ > lo_ ? fmt::format(", range [{}, {}]", lo_, hi_) : std::string();
  return fmt::format(
      "quantization(strategy={}, n_states={}, {} bits per value{}; {}; item {} = {}ceil({} x {} "
      "/ 8) B; fixed {})",
      transfer_ ? "transfer" : "local", n_states_, bits_, range, rep_.describe(),
      detail::bytes_str(*item_bytes()), transfer_ ? "" : "8 B range + ", rep_.numel(), bits_,
      detail::bytes_str(fixed_bytes()));
}

std::map<std::string, torch::Tensor> QuantizationCompressor::state() const {
  if (!transfer_) return {};
  return {{"range", torch::tensor({lo_, hi_})}};
}

void QuantizationCompressor::restore(const StateMap& state) {
  auto r = detail::state_tensor("quantization", state, "range", {2});
  float lo = r[0].item<float>(), hi = r[1].item<float>();
  NNC_CHECK(hi > lo, "compressor 'quantization': saved range [{}, {}] is empty", lo, hi);
  lo_ = lo;
  hi_ = hi;
}

}  // namespace nnc::replay
