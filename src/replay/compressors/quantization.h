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

class QuantizationCompressor : public Compressor {
 public:
  QuantizationCompressor(const CompressorOptions& options, const Representation& rep);
  std::string name() const override { return "quantization"; }
  uint64_t fixed_bytes() const override { return transfer_ ? 8 : 0; }
  uint64_t item_bytes() const override;
  void fit(const torch::Tensor& reference) override;
  bool needs_fit() const override { return transfer_; }
  std::vector<Packed> compress(const torch::Tensor& batch) const override;
  torch::Tensor decompress(const std::vector<const Packed*>& items) const override;
  std::string describe() const override;
  std::map<std::string, torch::Tensor> state() const override;
  void load_state(const std::map<std::string, torch::Tensor>& state) override;

  int bits() const { return bits_; }
  /// The transfer range (after fit or load_state).
  std::pair<float, float> range() const { return {lo_, hi_}; }

 private:
  Representation rep_;
  int64_t n_states_;
  int bits_;
  bool transfer_;
  bool fitted_ = false;
  float lo_ = 0.f, hi_ = 0.f;
};

}  // namespace nnc::replay
