#pragma once
// `quantization` (n_states n, bits = ceil(log2 n)): every value becomes the index of one of
// n equal-width bins, bit-packed; decompression returns the bin MIDPOINT (a float, also for
// raw pixels: the decompressed batch is normalised for training anyway).
//   strategy local:    bins span each sample's own [min, max], stored with the item.
//     item_bytes  = 8 + ceil(N * bits / 8)     (min, max as float32, then the indices)
//     fixed_bytes = 0
//     (The seed notebook charged n centres per sample: 4n B for features, n B for raw
//      images; the range is all the decoder needs. That arithmetic is the memory's
//      `notebook` accounting mode, not these bytes.)
//   strategy transfer: one global [lo, hi] measured by fit() on ANOTHER dataset as its 5%
//     and 95% order statistics (the seeds used TinyImageNet); values outside are clipped.
//     item_bytes  = ceil(N * bits / 8)
//     fixed_bytes = 8                           (lo, hi as float32, stored once)
//   Order statistics of the M reference values sorted ascending (0-based ranks):
//     lo = value at rank floor(0.05 (M-1)),  hi = value at rank ceil(0.95 (M-1)).
// Error bound: |x - x'| <= (hi - lo) / (2n) for x inside [lo, hi] (every x for local).
// Index i of value x: floor((x - lo) / w) clamped to [0, n-1], w = (hi - lo) / n.
#include "replay/compressor.h"

namespace nnc::replay {

struct QuantizationOptions {
  int64_t n_states = 8;          ///< levels per value, 2..65536
  std::string strategy = "local";  ///< local | transfer (tiny_imagenet_transfer = transfer, the seeds' name)
  static const OptionFields<QuantizationOptions>& fields();
  void validate() const;
  bool transfer() const { return strategy == "transfer" || strategy == "tiny_imagenet_transfer"; }
  std::string label() const;  ///< "quantization local 8"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class QuantizationCompressor : public Compressor {
 public:
  using Options = QuantizationOptions;
  QuantizationCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "quantization"; }
  uint64_t fixed_bytes() const override { return transfer_ ? 8 : 0; }
  std::optional<uint64_t> item_bytes() const override;
  /// The notebooks: local charged n centres per sample (4n B for features, n B for raw
  /// images) + the packed indices; transfer subtracts 4n B once.
  std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const override;
  bool needs_fit() const override { return transfer_; }
  std::string describe() const override;
  std::map<std::string, torch::Tensor> state() const override;

  int bits() const { return bits_; }
  /// The transfer range (after fit or load_state).
  std::pair<float, float> range() const { return {lo_, hi_}; }

 protected:
  void learn(const torch::Tensor& reference) override;
  void restore(const StateMap& state) override;
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// index: the bin indices [N, numel] (uint8 up to 8 bits, int32 beyond); range: the
  /// per-item [lo, hi] (local; transfer uses the fitted range).
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  int64_t n_states_;
  int bits_;
  bool transfer_;
  float lo_ = 0.f, hi_ = 0.f;
};

}  // namespace nnc::replay
