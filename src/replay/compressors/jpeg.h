#pragma once
// `jpeg` (jpeg_quality q, 1..100): every raw image is stored as the baseline JPEG stream
// that libjpeg-turbo's TurboJPEG API writes (tjCompress2, accurate integer DCT, standard
// Huffman tables): grayscale for 1 channel, RGB for 3 channels with 4:2:0 chroma
// subsampling (libjpeg's and PIL's default; "Memory Replay with Data Compression",
// Wang et al. 2022, stores JPEG at quality 50 this way). Raw images only: float feature maps
// are refused (use resize, quantization or pq for those).
//   item_bytes  = 0 (variable size): an item IS the complete JPEG stream (SOI .. EOI,
//                 quantisation and Huffman tables included: for 28x28 grayscale the markers
//                 and tables are about 330 B of each item, e.g. ~525 B per Fashion-MNIST
//                 image at quality 50, against 784 B raw)
//   fixed_bytes = 0
// The replay memory then runs in byte mode (per-item length header charged by the setup).
// Decompression: tjDecompress2 in batches, one TurboJPEG handle per worker, parallel over
// items with at::parallel_for (chunks of 64 items). Deterministic (same bytes every run).
#include "replay/compressor.h"

namespace nnc::replay {

class JpegCompressor : public Compressor {
 public:
  JpegCompressor(const CompressorOptions& options, const Representation& rep);
  std::string name() const override { return "jpeg"; }
  uint64_t fixed_bytes() const override { return 0; }
  uint64_t item_bytes() const override { return 0; }
  std::vector<Packed> compress(const torch::Tensor& batch) const override;
  torch::Tensor decompress(const std::vector<const Packed*>& items) const override;
  std::string describe() const override;

  int quality() const { return quality_; }

 private:
  Representation rep_;
  int quality_;
  int64_t c_, h_, w_;
};

}  // namespace nnc::replay
