#pragma once
// FNV-1a (64 bit): the one stable string hash of the project (run ids, cache keys, seed
// streams). Stable across runs, machines and compilers, unlike std::hash.
#include <cstdint>
#include <string_view>

namespace nnc {

inline uint64_t fnv1a64(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace nnc
