#include "replay/compressors/resize.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

namespace {
namespace F = torch::nn::functional;
}  // namespace

const OptionFields<ResizeOptions>& ResizeOptions::fields() {
  static const auto f =
      OptionFields<ResizeOptions>()
          .add("resize_factor", &ResizeOptions::resize_factor,
               "resize: divide each side by this factor (>= 1; 2 = 28x28 -> 14x14)")
          .add("resize_to", &ResizeOptions::resize_to, "resize: target side in pixels (0 = use resize_factor)")
          .add("resize_bits", &ResizeOptions::resize_bits,
               "resize: bits per stored value (1..8; 16 = float16, features only)");
  return f;
}

void ResizeOptions::validate() const {}  // every limit depends on the samples: checked when built

std::string ResizeOptions::label() const {
  return resize_to > 0 ? fmt::format("resize to {} {}b", resize_to, resize_bits)
                       : fmt::format("resize /{} {}b", resize_factor, resize_bits);
}

std::map<std::string, std::string> ResizeOptions::tags() const {
  const std::string side = resize_to > 0 ? fmt::format("{}px", resize_to) : fmt::format("/{}", resize_factor);
  return {{"line", "resize"}, {"display", "Resize"}, {"parameter", fmt::format("{} {}b", side, resize_bits)}};
}

ResizeCompressor::ResizeCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), factor_(o.resize_factor), to_(o.resize_to), bits_(static_cast<int>(o.resize_bits)) {
  NNC_CHECK(rep_.shape.size() == 3,
            "compressor 'resize': needs samples [C,H,W] (images or feature maps), got {}",
            rep_.describe());
  int64_t H = rep_.shape[1], W = rep_.shape[2];
  if (rep_.raw_pixels) {
    NNC_CHECK(o.resize_bits >= 1 && o.resize_bits <= 8,
              "compressor 'resize': resize_bits must be in 1..8 for raw pixels, got {}",
              o.resize_bits);
  } else {
    NNC_CHECK((o.resize_bits >= 1 && o.resize_bits <= 8) || o.resize_bits == 16,
              "compressor 'resize': resize_bits must be in 1..8 (per-sample range + codes) or 16 "
              "(float16) for features, got {}",
              o.resize_bits);
  }
  NNC_CHECK(to_ >= 0, "compressor 'resize': resize_to must be >= 1 (a target side) or 0 (use "
            "resize_factor), got {}", to_);
  if (to_ > 0) {
    NNC_CHECK(to_ <= std::min(H, W),
              "compressor 'resize': resize_to must be in [1, {}] (the samples are {}x{}; resize "
              "only shrinks), got {}",
              std::min(H, W), H, W, to_);
    h_ = w_ = to_;
  } else {
    NNC_CHECK(std::isfinite(factor_) && factor_ >= 1,
              "compressor 'resize': resize_factor must be >= 1 (the side is divided by it), got {}",
              factor_);
    h_ = static_cast<int64_t>(std::floor(static_cast<double>(H) / factor_));
    w_ = static_cast<int64_t>(std::floor(static_cast<double>(W) / factor_));
    NNC_CHECK(h_ >= 1 && w_ >= 1,
              "compressor 'resize': resize_factor {} leaves {}x{} pixels of the {}x{} samples; it "
              "must be at most {} to keep >= 1 pixel per side",
              factor_, h_, w_, H, W, std::min(H, W));
  }
}

std::optional<uint64_t> ResizeCompressor::item_bytes() const {
  auto n = static_cast<uint64_t>(stored_values());
  if (float16()) return n * 2;
  return (n * static_cast<uint64_t>(bits_) + 7) / 8 + (has_range() ? 8 : 0);
}

std::vector<Packed> ResizeCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0), m = stored_values();
  auto out = empty_items(n);
  torch::NoGradGuard no_grad;
  auto x = batch.to(torch::kFloat32);
  if (rep_.raw_pixels) x = x.round();
  auto small = (h_ == rep_.shape[1] && w_ == rep_.shape[2])
                   ? x
                   : F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({h_, w_}));
  auto flat = small.reshape({n, m});
  if (float16()) {
    detail::append_floats(out, flat.clamp(-detail::kFloat16Max, detail::kFloat16Max), 2);
    return out;
  }
  const double levels = static_cast<double>((1 << bits_) - 1);
  torch::Tensor codes;
  if (rep_.raw_pixels) {
    codes = (flat * (levels / 255.0)).round().clamp(0, levels);
  } else {
    auto mm = torch::aminmax(flat, 1, /*keepdim=*/true);
    auto lo = std::get<0>(mm), hi = std::get<1>(mm);
    detail::append_floats(out, torch::cat({lo, hi}, 1), 4);
    auto width = hi - lo;
    auto safe = torch::where(width > 0, width, torch::ones_like(width));
    codes = ((flat - lo) / safe * levels).round().clamp(0, levels);
  }
  detail::append_codes(out, codes.to(torch::kInt32), bits_);
  return out;
}

ParsedItems ResizeCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  if (float16()) {
    p.values = detail::read_stored(items, 0, stored_values(), torch::kFloat16);
    return p;
  }
  p.index = detail::read_codes(items, has_range() ? 8 : 0, stored_values(), bits_);
  if (has_range()) p.range = detail::read_stored(items, 0, 2, torch::kFloat32);
  return p;
}

torch::Tensor ResizeCompressor::reconstruct(const ParsedItems& p) const {
  auto shape = rep_.batch_shape(p.n);
  torch::Tensor small;
  if (float16()) {
    small = p.values.to(torch::kFloat32);
  } else {
    const double levels = static_cast<double>((1 << bits_) - 1);
    auto codes = p.index.to(torch::kFloat32);
    if (rep_.raw_pixels) {
      small = codes * static_cast<float>(255.0 / levels);
    } else {
      auto lo = p.range.slice(1, 0, 1), hi = p.range.slice(1, 1, 2);
      small = lo + codes * ((hi - lo) / static_cast<float>(levels));
    }
  }
  small = small.reshape({p.n, rep_.shape[0], h_, w_});
  if (h_ == rep_.shape[1] && w_ == rep_.shape[2]) return small.reshape(shape);
  auto up = F::interpolate(small, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{rep_.shape[1], rep_.shape[2]})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
  if (rep_.raw_pixels) up = up.clamp(0, 255);
  return up.reshape(shape);
}

std::string ResizeCompressor::describe() const {
  std::string storage =
      float16() ? std::string("float16 values")
                : fmt::format("{} bits per value{}", bits_,
                              has_range() ? " + per-sample [min, max]" : " (levels over 0..255)");
  std::string formula =
      float16() ? fmt::format("{} x 2 B", stored_values())
                : fmt::format("{}ceil({} x {} / 8) B", has_range() ? "8 B range + " : "",
                              stored_values(), bits_);
  return fmt::format(
      "resize({}, {}x{} -> {}x{} by area, bilinear back; {}; {}; item {} = {}; fixed 0 B)",
      to_ > 0 ? fmt::format("resize_to={}", to_) : fmt::format("resize_factor={}", factor_),
      rep_.shape[1], rep_.shape[2], h_, w_, storage, rep_.describe(),
      detail::bytes_str(*item_bytes()), formula);
}

}  // namespace nnc::replay
