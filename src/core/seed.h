#pragma once
// Deterministic seed derivation: one user seed fans out into independent streams
// (data split, model init, sampler, ...) without the streams colliding.
#include <cstdint>
#include <string_view>

#include "core/hash.h"

namespace nnc {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// derive_seed(seed, "split") != derive_seed(seed, "init"), stable across runs and platforms.
inline uint64_t derive_seed(uint64_t seed, std::string_view stream) {
  return splitmix64(seed ^ splitmix64(fnv1a64(stream)));
}

}  // namespace nnc
