#include "replay/compressors/thinning.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

const OptionFields<ThinningOptions>& ThinningOptions::fields() {
  static const auto f = OptionFields<ThinningOptions>().add(
      "compression_factor", &ThinningOptions::compression_factor, "thinning: fraction of values dropped");
  return f;
}

void ThinningOptions::validate() const {
  NNC_CHECK(compression_factor >= 0 && compression_factor < 1,
            "compressor 'thinning': compression_factor must be in [0, 1), got {}", compression_factor);
}

std::string ThinningOptions::label() const { return fmt::format("thinning {}", compression_factor); }

std::map<std::string, std::string> ThinningOptions::tags() const {
  return {{"line", "thinning"}, {"display", "Thinning"}, {"parameter", fmt::format("{}", compression_factor)}};
}

ThinningCompressor::ThinningCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), cf_(o.compression_factor) {
  o.validate();
  int64_t n = rep_.numel();
  // Same expression as the seed notebook: floor(N * (1 - cf)) in double precision.
  k_ = static_cast<int64_t>(std::floor(static_cast<double>(n) * (1.0 - cf_)));
  NNC_CHECK(k_ >= 1,
            "compressor 'thinning': compression_factor {} keeps floor({} * (1 - {})) = 0 values "
            "per sample; use a compression_factor below {}",
            cf_, n, cf_, 1.0 - 1.0 / static_cast<double>(n));
  coord_bytes_ = (bits_for(static_cast<uint64_t>(n)) + 7) / 8;
}

std::optional<uint64_t> ThinningCompressor::item_bytes() const {
  return static_cast<uint64_t>(k_ * (rep_.value_bytes() + coord_bytes_));
}

std::optional<int64_t> ThinningCompressor::notebook_slots(uint64_t budget_bytes) const {
  // The notebook's k (same expression as k_) with 2-byte coordinates whatever N.
  return detail::floor_div(static_cast<double>(budget_bytes),
                           static_cast<double>(k_ * rep_.value_bytes() + k_ * 2));
}

std::vector<Packed> ThinningCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0), m = rep_.numel();
  auto out = empty_items(n);
  auto flat = batch.reshape({n, m}).to(torch::kFloat32);
  if (rep_.raw_pixels) flat = flat.round();
  // Stable descending sort by magnitude: ties keep the lower coordinate.
  auto order = std::get<1>(flat.abs().sort(/*stable=*/true, /*dim=*/1, /*descending=*/true));
  auto coords = std::get<0>(order.slice(1, 0, k_).sort(1));  // increasing coordinates
  auto values = flat.gather(1, coords);
  if (rep_.raw_pixels) {
    auto v = values.clamp(0, 255).to(torch::kUInt8).contiguous();
    const uint8_t* p = v.data_ptr<uint8_t>();
    for (int64_t i = 0; i < n; ++i) out[i].assign(p + i * k_, p + (i + 1) * k_);
  } else {
    detail::append_floats(out, values, 4);
  }
  detail::append_uints(out, coords, coord_bytes_);
  return out;
}

ParsedItems ThinningCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.values = detail::read_stored(items, 0, k_, rep_.raw_pixels ? torch::kUInt8 : torch::kFloat32);
  p.index = detail::read_uints(items, static_cast<size_t>(k_ * rep_.value_bytes()), k_, coord_bytes_);
  // Checked here, on the CPU: a scatter out of range on a device is not an error message.
  NNC_CHECK(p.index.max().item<int64_t>() < rep_.numel(),
            "compressor 'thinning': a stored coordinate is out of range (corrupt item?)");
  return p;
}

torch::Tensor ThinningCompressor::reconstruct(const ParsedItems& p) const {
  auto out = torch::zeros({p.n, rep_.numel()}, p.values.options().dtype(torch::kFloat32))
                 .scatter_(1, p.index.to(torch::kInt64), p.values.to(torch::kFloat32));
  return out.reshape(rep_.batch_shape(p.n));
}

std::string ThinningCompressor::describe() const {
  return fmt::format(
      "thinning(compression_factor={}, keeps {} of {} values by magnitude; {}; item {} = {} x "
      "({} B value + {} B coordinate); fixed 0 B)",
      cf_, k_, rep_.numel(), rep_.describe(), detail::bytes_str(*item_bytes()), k_,
      rep_.value_bytes(), coord_bytes_);
}

}  // namespace nnc::replay
