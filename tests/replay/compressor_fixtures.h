#pragma once
// Fixtures shared by the compressor tests: representations, structured and random batches,
// option shortcuts and a checked round trip.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "replay/compressor.h"
#include "replay/packed.h"

namespace nnc::replay::testing {

inline Representation raw(std::vector<int64_t> shape) { return {std::move(shape), true}; }
inline Representation feat(std::vector<int64_t> shape) { return {std::move(shape), false}; }

/// Structured samples an autoencoder can learn. Raw images: random `grid` x `grid` fields
/// upsampled bilinearly, as integers 0..255 (grid^2 degrees of freedom per channel).
/// Features: points of a fixed random 8-dimensional linear subspace (like a frozen
/// encoder's maps, low rank).
inline torch::Tensor smooth(int64_t n, const Representation& rep, uint64_t seed, int64_t grid = 4) {
  if (!rep.raw_pixels) {
    torch::manual_seed(1234);  // the same subspace for every call
    auto basis = torch::randn({8, rep.numel()}) / std::sqrt(8.0);
    torch::manual_seed(seed);
    return (torch::randn({n, 8}).mm(basis) + 0.5).reshape(rep.batch_shape(n));
  }
  torch::manual_seed(seed);
  int64_t c = rep.shape[0], h = rep.shape[1], w = rep.shape[2];
  auto x = torch::nn::functional::interpolate(
      torch::randn({n, c, grid, grid}), torch::nn::functional::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{h, w})
                                            .mode(torch::kBilinear)
                                            .align_corners(true));
  return (x * 50 + 128).clamp(0, 255).round();
}

/// Unstructured samples: uniform pixels, or N(0, 3^2) features.
inline torch::Tensor random_batch(int64_t n, const Representation& rep, uint64_t seed) {
  torch::manual_seed(seed);
  if (rep.raw_pixels) return torch::randint(0, 256, rep.batch_shape(n)).to(torch::kFloat32);
  return torch::randn(rep.batch_shape(n)) * 3;
}

inline std::vector<const Packed*> ptrs(const std::vector<Packed>& items) {
  std::vector<const Packed*> out;
  for (auto& p : items) out.push_back(&p);
  return out;
}

/// A compressor as a run selects it: its name, its own options by key (as a config gives
/// them), and the run's seed.
struct CompressorSpec {
  std::string name = "none";
  OptionValues values;
  uint64_t seed = 0;
  template <typename T>
  CompressorSpec& set(const std::string& key, T v) {
    if constexpr (std::is_same_v<T, bool>) values[key] = v;
    else if constexpr (std::is_integral_v<T>) values[key] = static_cast<int64_t>(v);
    else if constexpr (std::is_floating_point_v<T>) values[key] = static_cast<double>(v);
    else values[key] = std::string(v);
    return *this;
  }
};

inline CompressorSpec opts(const std::string& name) {
  CompressorSpec o;
  o.name = name;
  return o;
}

/// The design, built through the registry as a run builds it.
inline CompressorDesign design(const CompressorSpec& s, const Representation& rep) {
  OptionValues values = s.values;
  values["compressor"] = s.name;
  return nnc::replay::make_compressor(values, CompressorContext{rep, s.seed, "cpu"});
}
/// A compressor that needs no fit, usable at once (error for one that needs a fit).
inline CompressorPtr make_compressor(const CompressorSpec& s, const Representation& rep) {
  return design(s, rep).ready();
}

/// Round trip; every item must have item_bytes() bytes when that is fixed.
inline torch::Tensor round_trip(const Compressor& c, const torch::Tensor& x) {
  auto items = c.compress(x);
  EXPECT_EQ(items.size(), static_cast<size_t>(x.size(0)));
  if (auto bytes = c.item_bytes())
    for (auto& p : items) EXPECT_EQ(p.size(), *bytes);
  auto y = c.decompress(ptrs(items));
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_EQ(y.scalar_type(), torch::kFloat32);
  return y;
}

inline double mse(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).pow(2).mean().item<double>();
}
inline double psnr(const torch::Tensor& a, const torch::Tensor& b) {
  return 10 * std::log10(255.0 * 255.0 / mse(a, b));
}

}  // namespace nnc::replay::testing
