#include "quant/fixed_point.h"

#include <torch/torch.h>

#include <cmath>

#include "core/error.h"

namespace nnc::quant {

double FixedPoint::int_min() const { return is_signed ? -std::ldexp(1.0, width - 1) : 0.0; }
double FixedPoint::int_max() const {
  return is_signed ? std::ldexp(1.0, width - 1) - 1.0 : std::ldexp(1.0, width) - 1.0;
}
double FixedPoint::scale() const { return std::ldexp(1.0, frac); }

void FixedPoint::validate(const std::string& what) const {
  NNC_CHECK(width >= 1 && width <= 32, "{}: width {} out of range: expected 1..32 bits", what,
            width);
  NNC_CHECK(frac >= -32 && frac <= 64,
            "{}: frac_width {} out of range: expected -32..64 (or \"NA\" for width // 2)", what,
            frac);
}

std::string FixedPoint::describe() const {
  return fmt::format("{}Q{}.{}{}", is_signed ? "" : "U", width, frac, floor ? "/floor" : "");
}

namespace {

torch::Tensor quantize_values(const torch::Tensor& x, double scale, double lo, double hi,
                              bool floor) {
  // Scaling by a power of two is exact in floating point: the only rounding is the one asked for.
  auto scaled = x * scale;
  scaled = floor ? scaled.floor_() : scaled.round_();
  return scaled.clamp_(lo, hi).div_(scale);
}

/// Value q(x), gradient passed unchanged (clamped region included). A custom Function rather
/// than x + (q - x).detach(), whose value can differ from q by a rounding error.
struct StraightThrough : torch::autograd::Function<StraightThrough> {
  static torch::Tensor forward(torch::autograd::AutogradContext*, const torch::Tensor& x,
                               double scale, double lo, double hi, bool floor) {
    return quantize_values(x, scale, lo, hi, floor);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext*,
                                                 torch::autograd::variable_list grad) {
    return {grad[0], torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor fixed_point_quantize(const torch::Tensor& x, const FixedPoint& format) {
  NNC_CHECK(x.is_floating_point(), "fixed_point_quantize: expected a float tensor, got {}",
            c10::toString(x.scalar_type()));
  const double s = format.scale(), lo = format.int_min(), hi = format.int_max();
  if (!x.requires_grad() || !torch::GradMode::is_enabled())
    return quantize_values(x, s, lo, hi, format.floor);
  return StraightThrough::apply(x, s, lo, hi, format.floor);
}

}  // namespace nnc::quant
