#pragma once
// Bit-level packing helpers shared by compressors: what a replay memory stores are
// real bytes, so every compressor writes its item into a std::vector<uint8_t>.
#include <cstdint>
#include <cstring>
#include <vector>

namespace nnc::replay {

using Packed = std::vector<uint8_t>;

/// Appends values of `bits` bits each (1..32), little-endian bit order.
class BitWriter {
 public:
  explicit BitWriter(Packed& out) : out_(out) {}
  void write(uint32_t value, int bits);
  void flush();  ///< pads the last byte with zeros

 private:
  Packed& out_;
  uint64_t acc_ = 0;
  int n_ = 0;
};

class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint32_t read(int bits);  ///< throws nnc::Error past the end

 private:
  const uint8_t* data_;
  size_t size_, pos_ = 0;
  uint64_t acc_ = 0;
  int n_ = 0;
};

/// Bits needed to index n distinct values: ceil(log2 n), at least 1.
int bits_for(uint64_t n);

template <typename T>
void append_pod(Packed& out, const T& v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}
template <typename T>
T read_pod(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

}  // namespace nnc::replay
