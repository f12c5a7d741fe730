// The quantizer against hand-computed values.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/error.h"
#include "quant/fixed_point.h"

using namespace nnc::quant;

namespace {

std::vector<float> q(std::vector<float> x, FixedPoint f) {
  auto t = fixed_point_quantize(torch::tensor(x), f);
  return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

}  // namespace

TEST(FixedPoint, TiesRoundToEven) {
  FixedPoint f(8, 0);
  EXPECT_EQ(q({0.5f, 1.5f, 2.5f, 3.5f, -0.5f, -1.5f, -2.5f}, f),
            (std::vector<float>{0, 2, 2, 4, 0, -2, -2}));
  // Ties at a fractional resolution: f = 2 -> steps of 0.25; 0.125 is half a step.
  EXPECT_EQ(q({0.125f, 0.375f, -0.375f}, FixedPoint(8, 2)),
            (std::vector<float>{0.0f, 0.5f, -0.5f}));
}

TEST(FixedPoint, SaturatesSigned) {
  EXPECT_EQ(q({100.f, -100.f, 7.f, -8.f}, FixedPoint(4, 0)),
            (std::vector<float>{7, -8, 7, -8}));
  // Q4.2: codes -8..7 -> [-2, 1.75].
  EXPECT_EQ(q({1.9f, 1.75f, -3.f, -2.f}, FixedPoint(4, 2)),
            (std::vector<float>{1.75f, 1.75f, -2.f, -2.f}));
}

TEST(FixedPoint, Negatives) {
  // Q8.2: -0.3 * 4 = -1.2 -> -1 -> -0.25; -0.4 * 4 = -1.6 -> -2 -> -0.5.
  EXPECT_EQ(q({-0.3f, -0.4f, -1.0f}, FixedPoint(8, 2)),
            (std::vector<float>{-0.25f, -0.5f, -1.0f}));
}

TEST(FixedPoint, Unsigned) {
  FixedPoint f = FixedPoint(4, 0).unsigned_();
  EXPECT_EQ(q({-3.f, 20.f, 3.5f, 2.5f, 15.f}, f), (std::vector<float>{0, 15, 4, 2, 15}));
  EXPECT_EQ(f.int_min(), 0);
  EXPECT_EQ(f.int_max(), 15);
}

TEST(FixedPoint, FloorMode) {
  FixedPoint f = FixedPoint(8, 1).floor_mode();
  // 0.74 * 2 = 1.48 -> 1 -> 0.5; -0.26 * 2 = -0.52 -> -1 -> -0.5; 0.5 exact.
  EXPECT_EQ(q({0.74f, -0.26f, 0.5f}, f), (std::vector<float>{0.5f, -0.5f, 0.5f}));
}

TEST(FixedPoint, DefaultFracIsHalfWidth) {
  EXPECT_EQ(FixedPoint(8).frac, 4);
  EXPECT_EQ(FixedPoint(5).frac, 2);
  EXPECT_EQ(FixedPoint(1).frac, 0);
  EXPECT_EQ(default_frac_width(7), 3);
  EXPECT_EQ(FixedPoint(6, 1).frac, 1);
  EXPECT_EQ(FixedPoint(8, 4).describe(), "Q8.4");
  EXPECT_EQ(FixedPoint(4).unsigned_().describe(), "UQ4.2");
}

TEST(FixedPoint, ValidateNamesTheTensor) {
  try {
    FixedPoint(0, 0).validate("fc1.weight");
    FAIL() << "expected an error";
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("fc1.weight"), std::string::npos);
  }
}

TEST(FixedPoint, StraightThroughGradientIsOneEverywhere) {
  auto x = torch::tensor({-100.f, -0.3f, 0.5f, 1.26f, 100.f}).requires_grad_();
  auto y = fixed_point_quantize(x, FixedPoint(4, 2));
  // Values equal the no-grad computation exactly (no x + (q - x) rounding).
  auto ref = fixed_point_quantize(x.detach(), FixedPoint(4, 2));
  EXPECT_TRUE(torch::equal(y.detach(), ref));
  (y * torch::tensor({1.f, 2.f, 3.f, 4.f, 5.f})).sum().backward();
  EXPECT_TRUE(torch::equal(x.grad(), torch::tensor({1.f, 2.f, 3.f, 4.f, 5.f})));
}
