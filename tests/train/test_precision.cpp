// Mixed precision (autocast), channels-last and loss scaling in the Trainer and in evaluation.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/progress.h"
#include "models/zoo.h"
#include "support/expect_error.h"
#include "train/evaluate.h"
#include "train/loss_scaler.h"
#include "train/precision.h"
#include "train/trainer.h"

using namespace nnc;
using namespace nnc::train;

namespace {
// Eight classes of 8x8 single-channel images: class k has a bright row k.
TensorSource stripes(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  auto y = torch::randint(0, 8, {n}, torch::kInt64);
  auto x = torch::randn({n, 1, 8, 8}) * 0.3;
  for (int64_t i = 0; i < n; ++i) x[i][0][y[i].item<int64_t>()] += 2.0;
  return TensorSource(x, y);
}
struct TinyConv : torch::nn::Module {
  torch::nn::Conv2d conv{nullptr}, conv2{nullptr};
  torch::nn::Linear fc{nullptr};
  TinyConv() {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 3).padding(1)));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 8, 3).padding(1)));
    fc = register_module("fc", torch::nn::Linear(8 * 8 * 8, 8));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return fc(torch::relu(conv2(torch::relu(conv(x)))).flatten(1));
  }
};
}  // namespace

TEST(Precision, ParsesNamesAndRefusesOthersByOption) {
  EXPECT_EQ(parse_precision("bf16"), Precision::bf16);
  EXPECT_EQ(to_string(parse_precision("fp16")), "fp16");
  nnc::testing::expect_error([&] { parse_precision("fp64"); }, "option 'precision': 'fp64'");
  nnc::testing::expect_error([&] { TrainOptions().precision("half").validate(); }, "precision");
}

TEST(Precision, Fp16NeedsAGpuAndBf16NeedsBf16Units) {
  nnc::testing::expect_error([&] { check_precision(Precision::fp16, torch::kCPU); }, "fp16 runs on CUDA devices only");
  if (cpu_has_bf16()) EXPECT_NO_THROW(check_precision(Precision::bf16, torch::kCPU));
  else nnc::testing::expect_error([&] { check_precision(Precision::bf16, torch::kCPU); }, "no bf16 units");
  EXPECT_NO_THROW(check_precision(Precision::fp32, torch::kCPU));
}

TEST(Precision, AutocastScopeLowersMatmulsOnlyInsideAndRestores) {
  auto lin = torch::nn::Linear(4, 3);
  auto x = torch::randn({2, 4});
  {
    AutocastScope scope(Precision::bf16, torch::kCPU);
    EXPECT_EQ(lin(x).scalar_type(), torch::kBFloat16);
    {
      AutocastScope off(Precision::fp32, torch::kCPU);  // fp32 leaves the outer scope alone
      EXPECT_EQ(lin(x).scalar_type(), torch::kBFloat16);
    }
  }
  EXPECT_EQ(lin(x).scalar_type(), torch::kFloat32);
}

TEST(Precision, Bf16TrainingMatchesFp32Accuracy) {
  if (!cpu_has_bf16()) GTEST_SKIP() << "this CPU has no bf16 units: bf16 is refused here";
  Progress::set_quiet(true);
  auto train = stripes(512, 1), test = stripes(256, 2);
  auto run = [&](const std::string& precision, bool nhwc) {
    torch::manual_seed(3);
    auto m = std::make_shared<TinyConv>();
    auto o = TrainOptions().epochs(4).lr(0.05).batch_size(32).precision(precision).channels_last(nhwc);
    auto r = Trainer(o).fit(*m, train);
    EXPECT_TRUE(std::isfinite(r.history.back().loss));
    return evaluate(*m, test, 8, 64, ExecutionOptions(torch::kCPU, parse_precision(precision), nhwc)).accuracy;
  };
  double fp32 = run("fp32", false), bf16 = run("bf16", true);
  EXPECT_GT(fp32, 0.9);
  EXPECT_NEAR(bf16, fp32, 0.05);
}

TEST(Precision, ChannelsLastKeepsResultsAndLayout) {
  Progress::set_quiet(true);
  auto train = stripes(128, 4);
  auto run = [&](bool nhwc) {
    torch::manual_seed(5);
    auto m = std::make_shared<TinyConv>();
    Trainer(TrainOptions().epochs(2).batch_size(32).channels_last(nhwc)).fit(*m, train);
    EXPECT_EQ(m->conv2->weight.stride(1) == 1, nhwc);  // NHWC: channels innermost
    return predict([&](const torch::Tensor& x) { return m->forward(x); }, train, 50,
                   ExecutionOptions(torch::kCPU, Precision::fp32, nhwc));
  };
  auto a = run(false), b = run(true);
  EXPECT_EQ(a.sizes(), b.sizes());
  EXPECT_LT((a - b).abs().max().item<double>(), 1e-3);  // same maths, other summation order
}

TEST(Precision, ChannelsLastLeavesVectorInputsAlone) {
  Progress::set_quiet(true);
  auto x = torch::randn({64, 2});
  TensorSource data(x, (x.select(1, 0) > 0).to(torch::kInt64));
  auto m = models::make_model("mlp", models::ModelOptions().layers({2, 8, 2}));
  auto r = Trainer(TrainOptions().epochs(1).batch_size(16).channels_last(true)).fit(*m, data);
  EXPECT_EQ(r.samples, 64);
  EXPECT_EQ(predict([&](const torch::Tensor& in) { return m->forward(in); }, data, 16,
                    ExecutionOptions(torch::kCPU, Precision::fp32, true)).size(0), 64);
}

TEST(Precision, PredictReturnsFp32OnTheCpuUnderAutocast) {
  auto data = stripes(70, 6);
  auto m = std::make_shared<TinyConv>();
  m->eval();
  auto f = [&](const torch::Tensor& x) { return m->forward(x); };
  auto ref = predict(f, data, 32, torch::Device(torch::kCPU));
  auto low = predict(f, data, 32, ExecutionOptions(torch::kCPU, Precision::bf16, false));
  EXPECT_EQ(low.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(low.device().is_cpu());
  EXPECT_EQ(low.size(0), 70);
  EXPECT_LT((low - ref).abs().max().item<double>(), 0.1 * ref.abs().max().item<double>());
}

TEST(LossScaler, UnscalesGradientsAndSkipsOverflows) {
  LossScaler s(true, 1024.0, 2);
  auto w = torch::ones({3}, torch::requires_grad());
  s.scale_loss((w * 2).sum()).backward();
  EXPECT_TRUE(s.unscale({w}));
  EXPECT_TRUE(torch::allclose(w.grad(), torch::full({3}, 2.0)));
  s.update(true);
  EXPECT_EQ(s.scale(), 1024.0);
  s.update(true);
  EXPECT_EQ(s.scale(), 2048.0);  // two clean steps: growth
  w.mutable_grad() = torch::tensor({1.0f, std::numeric_limits<float>::infinity(), 0.0f});
  EXPECT_FALSE(s.unscale({w}));
  s.update(false);
  EXPECT_EQ(s.scale(), 1024.0);  // overflow: backoff
}

TEST(LossScaler, DisabledIsTheIdentity) {
  LossScaler s(false);
  auto loss = torch::tensor(3.0);
  EXPECT_TRUE(torch::equal(s.scale_loss(loss), loss));
  EXPECT_TRUE(s.unscale({}));
  EXPECT_EQ(s.scale(), 1.0);
}
