#include "replay/compressors/none.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "replay/compressors/util.h"

namespace nnc::replay {

std::map<std::string, std::string> NoneOptions::tags() const {
  return {{"line", "none"}, {"display", "No Compression"}, {"parameter", ""}};
}

const OptionFields<NoneOptions>& NoneOptions::fields() {
  static const OptionFields<NoneOptions> f;
  return f;
}

NoneCompressor::NoneCompressor(const Options&, const CompressorContext& ctx) : Compressor(ctx) {}

std::optional<uint64_t> NoneCompressor::item_bytes() const {
  return static_cast<uint64_t>(rep_.numel() * rep_.value_bytes());
}

std::optional<int64_t> NoneCompressor::notebook_slots(uint64_t budget_bytes) const {
  return detail::floor_div(static_cast<double>(budget_bytes), static_cast<double>(*item_bytes()));
}

std::vector<Packed> NoneCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0), m = rep_.numel();
  auto out = empty_items(n);
  auto flat = batch.reshape({n, m});
  if (rep_.raw_pixels) {
    auto bytes = flat.round().clamp(0, 255).to(torch::kUInt8).contiguous();
    const uint8_t* p = bytes.data_ptr<uint8_t>();
    for (int64_t i = 0; i < n; ++i) out[i].assign(p + i * m, p + (i + 1) * m);
  } else {
    detail::append_floats(out, flat, 4);
  }
  return out;
}

ParsedItems NoneCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.values = detail::read_stored(items, 0, rep_.numel(), rep_.raw_pixels ? torch::kUInt8 : torch::kFloat32);
  return p;
}

torch::Tensor NoneCompressor::reconstruct(const ParsedItems& p) const {
  return p.values.to(torch::kFloat32).reshape(rep_.batch_shape(p.n));
}

std::string NoneCompressor::describe() const {
  return fmt::format("none({}; item {} = {} x {} B; fixed 0 B)", rep_.describe(),
                     detail::bytes_str(*item_bytes()), rep_.numel(), rep_.value_bytes());
}

}  // namespace nnc::replay
