#pragma once
// Rng: a small, platform-stable generator (xoshiro256**, seeded by splitmix64).
// The std:: distributions are implementation-defined; samplers use these instead so a
// seed gives the same trials on every compiler and platform.
#include <cstddef>
#include <cstdint>

#include "core/seed.h"

namespace nnc::search {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    for (auto& s : s_) s = seed = splitmix64(seed);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n must be > 0.
  uint64_t below(uint64_t n) {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = -n % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  /// Index drawn with probability weights[i] / total (weights >= 0, total > 0).
  size_t categorical(const double* weights, size_t n, double total) {
    double u = uniform() * total;
    for (size_t i = 0; i + 1 < n; ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    // Rounding can leave u marginally above the last weight; land on the last nonzero one.
    for (size_t i = n; i-- > 0;)
      if (weights[i] > 0) return i;
    return n - 1;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace nnc::search
