#pragma once
// What a compressor is given: one sample in the "storage domain".
//   raw images  -> float32 [C,H,W] holding integer pixel values 0..255 (uint8 data)
//   encoded     -> float32 feature map [C,H,W] (or [F]) from a frozen encoder
#include <cstdint>
#include <string>
#include <vector>

namespace nnc::replay {

struct Representation {
  std::vector<int64_t> shape;  ///< per-sample shape
  bool raw_pixels = true;      ///< true: values are uint8 pixels; false: float features
  int64_t numel() const {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
  /// The shape of a batch of n samples: [n, ...shape].
  std::vector<int64_t> batch_shape(int64_t n) const {
    std::vector<int64_t> out = {n};
    out.insert(out.end(), shape.begin(), shape.end());
    return out;
  }
  /// Bytes of one uncompressed value (1 for pixels, 4 for float features).
  int64_t value_bytes() const { return raw_pixels ? 1 : 4; }
  std::string describe() const;
};

}  // namespace nnc::replay
