#pragma once
// `resize` (resize_factor f | resize_to s, resize_bits b): area-downsamples every sample
// [C,H,W] to [C,h,w] and stores the small map; decompression upsamples it bilinearly
// (align_corners false, i.e. pixel centres; a constant map comes back exactly).
// "Smaller Is Better" (Pelosin & Torsello 2021) stores CIFAR images at 8x8 this way.
//   target: resize_to > 0: h = w = resize_to (at most min(H, W)); otherwise
//           h = floor(H / f), w = floor(W / f), f >= 1 (real; non-divisors use torch's
//           adaptive average pooling windows, an approximation of the exact area).
//   raw pixels (b in 1..8): the area average is stored as index round(v * L / 255),
//     L = 2^b - 1 levels above zero (b = 8: the rounded uint8 pixel); decoded as i * 255 / L.
//     item_bytes  = ceil(C * h * w * b / 8)
//   features, b in 1..8: per-sample [min, max] (2 x float32) + round((v - min) / (max - min) * L)
//     item_bytes  = 8 + ceil(C * h * w * b / 8)
//   features, b = 16: the small map as float16 (values beyond +-65504 are clamped)
//     item_bytes  = C * h * w * 2
//   fixed_bytes = 0
// Feature maps are usable when their spatial size allows (CutR block 3 on 28x28 is 2x2:
// factor 2 stores 1x1, the per-channel mean). Decompressed raw pixels are not rounded.
#include "replay/compressor.h"

namespace nnc::replay {

struct ResizeOptions {
  double resize_factor = 2.0;  ///< side divisor (H' = floor(H / f), >= 1)
  int64_t resize_to = 0;       ///< target side H' = W' (0 = use resize_factor)
  int64_t resize_bits = 8;     ///< bits per stored value (1..8; 16 = float16 features)
  static const OptionFields<ResizeOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "resize /2 8b" or "resize to 14 8b"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class ResizeCompressor : public Compressor {
 public:
  using Options = ResizeOptions;
  ResizeCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "resize"; }
  uint64_t fixed_bytes() const override { return 0; }
  std::optional<uint64_t> item_bytes() const override;
  std::string describe() const override;

  /// The stored spatial size (h, w).
  std::pair<int64_t, int64_t> stored_size() const { return {h_, w_}; }

 protected:
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// The small maps [N, C*h*w]: values (float16 features) or index (uint8 codes) with range
  /// (per-item [min, max] of features).
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  /// Codes -> values, then the bilinear upsampling.
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  bool float16() const { return !rep_.raw_pixels && bits_ == 16; }
  bool has_range() const { return !rep_.raw_pixels && bits_ != 16; }
  int64_t stored_values() const { return rep_.shape[0] * h_ * w_; }
  double factor_;
  int64_t to_;
  int bits_;
  int64_t h_ = 0, w_ = 0;
};

}  // namespace nnc::replay
