#pragma once
// `none`: stores the sample as it is. Raw pixels as uint8 (1 byte per value), features
// as float32 (4 bytes per value). Exact round trip.
//   item_bytes  = N * value_bytes   (N = values per sample; value_bytes 1 or 4)
//   fixed_bytes = 0
#include "replay/compressor.h"

namespace nnc::replay {

class NoneCompressor : public Compressor {
 public:
  NoneCompressor(const CompressorOptions& options, const Representation& rep);
  std::string name() const override { return "none"; }
  uint64_t fixed_bytes() const override { return 0; }
  uint64_t item_bytes() const override;
  std::vector<Packed> compress(const torch::Tensor& batch) const override;
  torch::Tensor decompress(const std::vector<const Packed*>& items) const override;
  std::string describe() const override;

 private:
  Representation rep_;
};

}  // namespace nnc::replay
