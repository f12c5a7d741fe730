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

class ThinningCompressor : public Compressor {
 public:
  ThinningCompressor(const CompressorOptions& options, const Representation& rep);
  std::string name() const override { return "thinning"; }
  uint64_t fixed_bytes() const override { return 0; }
  uint64_t item_bytes() const override;
  std::vector<Packed> compress(const torch::Tensor& batch) const override;
  torch::Tensor decompress(const std::vector<const Packed*>& items) const override;
  std::string describe() const override;

  int64_t kept() const { return k_; }
  int coord_bytes() const { return coord_bytes_; }

 private:
  Representation rep_;
  double cf_;
  int64_t k_;
  int coord_bytes_;
};

}  // namespace nnc::replay
