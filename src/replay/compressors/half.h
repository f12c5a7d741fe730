#pragma once
// `half`: every value stored as an IEEE float16 (2 bytes, little-endian), the smallest
// change of `none` for features. Raw pixels (integers 0..255) come back exactly; features
// are rounded to float16 (relative error <= 2^-11) after clamping to +-65504.
//   item_bytes  = 2 * N   (N = values per sample)
//   fixed_bytes = 0
// Header-only: a compressor this small is one file plus its line in compressor_registry.cpp.
#include <fmt/format.h>

#include "replay/compressor.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

/// `half` has no options.
struct HalfOptions {
  static const OptionFields<HalfOptions>& fields() {
    static const OptionFields<HalfOptions> f;
    return f;
  }
  void validate() const {}
  std::map<std::string, std::string> tags() const {
    return {{"line", "half"}, {"display", "Half Precision"}, {"parameter", ""}};
  }
};

class HalfCompressor : public Compressor {
 public:
  using Options = HalfOptions;
  HalfCompressor(const Options&, const CompressorContext& ctx) : Compressor(ctx) {}
  std::string name() const override { return "half"; }
  uint64_t fixed_bytes() const override { return 0; }
  std::optional<uint64_t> item_bytes() const override { return 2 * static_cast<uint64_t>(rep_.numel()); }
  std::string describe() const override {
    return fmt::format("half({}; item {} = {} x float16; fixed 0 B)", rep_.describe(),
                       detail::bytes_str(*item_bytes()), rep_.numel());
  }

 protected:
  std::vector<Packed> pack(const torch::Tensor& batch) const override {
    auto out = empty_items(batch.size(0));
    auto flat = batch.reshape({batch.size(0), rep_.numel()}).to(torch::kFloat32);
    detail::append_floats(out, flat.clamp(-detail::kFloat16Max, detail::kFloat16Max), 2);
    return out;
  }
  /// values: the stored float16 [N, numel].
  ParsedItems parse(const std::vector<const Packed*>& items) const override {
    ParsedItems p;
    p.values = detail::read_stored(items, 0, rep_.numel(), torch::kFloat16);
    return p;
  }
  torch::Tensor reconstruct(const ParsedItems& p) const override {
    return p.values.to(torch::kFloat32).reshape(rep_.batch_shape(p.n));
  }
};

}  // namespace nnc::replay
