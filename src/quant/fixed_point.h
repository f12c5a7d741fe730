#pragma once
// Fixed-point quantizer (MASE's integer quantizer), with a straight-through gradient.
//
//   q(x; w, f) = clamp(round_half_even(x * 2^f), lo, hi) / 2^f
//   signed:   lo = -2^(w-1), hi = 2^(w-1) - 1        unsigned (ReLU inputs): lo = 0, hi = 2^w - 1
//   floor mode replaces round_half_even by floor.
//
// Rounding is torch::round (ties to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2). The gradient is
// passed unchanged everywhere, also where the value was clamped (MASE's my_round/my_clamp).
//
// Example:
//   auto q = fixed_point_quantize(x, FixedPoint(8, 4));             // Q8.4, signed
//   auto r = fixed_point_quantize(x, FixedPoint(4).unsigned_());     // frac = 4 / 2 = 2
#include <torch/types.h>

#include <optional>
#include <string>

namespace nnc::quant {

/// f when frac_width is "NA": width // 2 (integer floor), as MASE.
inline int default_frac_width(int width) { return width / 2; }

/// A fixed-point format: `width` bits of which `frac` are fractional.
struct FixedPoint {
  FixedPoint() = default;
  /// frac omitted = default_frac_width(width).
  explicit FixedPoint(int width, std::optional<int> frac = std::nullopt)
      : width(width), frac(frac ? *frac : default_frac_width(width)) {}

  int width = 8;          ///< total bits, 1..32
  int frac = 4;           ///< fractional bits, -32..64 (negative = coarser than integers)
  bool is_signed = true;  ///< false: [0, 2^w - 1] (ReLU inputs)
  bool floor = false;     ///< floor instead of round-half-to-even

  FixedPoint& unsigned_() { is_signed = false; return *this; }
  FixedPoint& floor_mode(bool on = true) { floor = on; return *this; }

  /// Smallest and largest integer codes.
  double int_min() const;
  double int_max() const;
  double scale() const;  ///< 2^frac
  /// Fails naming `what` (e.g. "fc1.weight") when width or frac is out of range.
  void validate(const std::string& what = "fixed-point format") const;
  /// "Q8.4", "UQ8.4", "Q8.4/floor".
  std::string describe() const;
  bool operator==(const FixedPoint&) const = default;
};

/// Quantized values (float, same dtype/shape as x), straight-through gradient w.r.t. x.
torch::Tensor fixed_point_quantize(const torch::Tensor& x, const FixedPoint& format);

}  // namespace nnc::quant
