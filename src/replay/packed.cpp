#include "replay/packed.h"

#include "core/error.h"

namespace nnc::replay {

void BitWriter::write(uint32_t value, int bits) {
  acc_ |= static_cast<uint64_t>(value & (bits == 32 ? 0xffffffffu : ((1u << bits) - 1))) << n_;
  n_ += bits;
  while (n_ >= 8) {
    out_.push_back(static_cast<uint8_t>(acc_ & 0xff));
    acc_ >>= 8;
    n_ -= 8;
  }
}

void BitWriter::flush() {
  if (n_ > 0) out_.push_back(static_cast<uint8_t>(acc_ & 0xff));
  acc_ = 0;
  n_ = 0;
}

uint32_t BitReader::read(int bits) {
  while (n_ < bits) {
    NNC_CHECK(pos_ < size_, "packed item is truncated: needed {} more bits", bits - n_);
    acc_ |= static_cast<uint64_t>(data_[pos_++]) << n_;
    n_ += 8;
  }
  uint32_t v = static_cast<uint32_t>(acc_ & (bits == 32 ? 0xffffffffull : ((1ull << bits) - 1)));
  acc_ >>= bits;
  n_ -= bits;
  return v;
}

int bits_for(uint64_t n) {
  int b = 1;
  while ((1ull << b) < n) ++b;
  return b;
}

}  // namespace nnc::replay
