#pragma once
// `thinning` (compression_factor cf): keeps the k = floor(N * (1 - cf)) values of largest
// MAGNITUDE and their coordinates; decompression puts zeros elsewhere.
// (FETCH zeroed the n_del smallest SIGNED values: on its normalised images, negative below
// the mean, that deletes dark pixels however far from zero they are; keeping the largest
// magnitudes keeps the most energy.)
// Ties in magnitude keep the lower coordinate (stable sort), so results are deterministic.
//   item_bytes  = k * value_bytes + k * coord_bytes
//                 value_bytes = 1 (uint8 pixel) or 4 (float32 feature)
//                 coord_bytes = ceil(bits_for(N) / 8)   (2 for N <= 65536)
//   fixed_bytes = 0
// Layout: k values, then k little-endian coordinates in increasing order.
#include "replay/compressor.h"

namespace nnc::replay {

struct ThinningOptions {
  double compression_factor = 0.9;  ///< fraction of values dropped, in [0, 1)
  static const OptionFields<ThinningOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "thinning 0.9"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class ThinningCompressor : public Compressor {
 public:
  using Options = ThinningOptions;
  ThinningCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "thinning"; }
  uint64_t fixed_bytes() const override { return 0; }
  std::optional<uint64_t> item_bytes() const override;
  /// The notebooks: floor(B / (k * value_bytes + 2k)).
  std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const override;
  std::string describe() const override;

  int64_t kept() const { return k_; }
  int coord_bytes() const { return coord_bytes_; }

 protected:
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// values: the k kept values [N, k] (uint8 pixels or float32); index: their coordinates
  /// [N, k] (uint8 or int32), checked to lie inside the sample.
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  double cf_;
  int64_t k_;
  int coord_bytes_;
};

}  // namespace nnc::replay
