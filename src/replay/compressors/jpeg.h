#pragma once
// `jpeg` (jpeg_quality q, 1..100; jpeg_tables shared | per_item): every raw image is coded
// as the baseline JPEG stream that libjpeg-turbo's TurboJPEG API writes (tjCompress2,
// accurate integer DCT, standard Huffman tables): grayscale for 1 channel, RGB for 3
// channels with 4:2:0 chroma subsampling (libjpeg's and PIL's default; "Memory Replay with
// Data Compression", Wang et al. 2022, stores JPEG at quality 50 this way). Raw images only:
// float feature maps are refused (use resize, quantization or pq for those).
//
// With fixed quality, size and subsampling, every stream starts with the same bytes: SOI,
// JFIF APP0, DQT, SOF0, DHT and the SOS header (the markers and tables, ~330 B for 28x28
// grayscale: more than half of a ~525 B Fashion-MNIST image at quality 50). So:
//   jpeg_tables = shared (default): the tables are stored ONCE, as JPEG's own abbreviated
//     format does (ITU-T T.81 B.4/B.5: a tables-only stream plus abbreviated images); an item
//     is the entropy-coded scan only (between the SOS header and EOI).
//       item_bytes = variable size, fixed_bytes = the shared header (~330 B)
//   jpeg_tables = per_item: an item IS the complete JPEG file (SOI .. EOI), as a folder of
//     .jpg files would store it.   item_bytes = variable size, fixed_bytes = 0
// The replay memory then runs in byte mode (per-item length header charged by the setup).
// Decompression: tjDecompress2 in batches (shared: header + scan + EOI reassembled in a
// scratch buffer), one TurboJPEG handle per worker, parallel over items with
// at::parallel_for (chunks of 64 items), on the CPU; only the uint8 -> float32 NCHW
// conversion runs on the target device. Deterministic (same bytes every run).
#include <span>

#include "replay/compressor.h"

namespace nnc::replay {

struct JpegOptions {
  int64_t jpeg_quality = 50;           ///< libjpeg quality 1..100
  std::string jpeg_tables = "shared";  ///< shared (headers stored once) | per_item
  static const OptionFields<JpegOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "jpeg q50" (+ " files" for per_item)
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class JpegCompressor : public Compressor {
 public:
  using Options = JpegOptions;
  JpegCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "jpeg"; }
  uint64_t fixed_bytes() const override { return shared_ ? header_.size() : 0; }
  std::optional<uint64_t> item_bytes() const override { return std::nullopt; }  ///< variable
  std::string describe() const override;

  int quality() const { return quality_; }
  /// The stream prefix every item shares (SOI .. end of the SOS header); stored once when
  /// jpeg_tables = shared.
  const std::vector<uint8_t>& shared_header() const { return header_; }

 protected:
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// values: the decoded uint8 images [N, H, W, C]. Entropy decoding is no tensor math: it
  /// runs here, on the CPU, and the uint8 pixels (a quarter of the floats) are what moves.
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  int quality_;
  bool shared_;
  int64_t c_, h_, w_;
  std::vector<uint8_t> header_;
  /// The complete stream of one HWC uint8 image, written by TurboJPEG into `buf` (a view of it).
  std::span<const unsigned char> encode_one(void* handle, const uint8_t* pixels,
                                            std::vector<unsigned char>& buf) const;
};

}  // namespace nnc::replay
