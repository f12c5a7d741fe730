// QuantizedModel: float config reproduces the zoo model; quantized layers compute what the
// formats say; the source model is never touched.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/safetensors.h"
#include "models/zoo.h"
#include "quant/quantize.h"
#include "quant/quantized_model.h"
#include "train/batch_source.h"

using namespace nnc;
using namespace nnc::quant;

namespace {

models::ModelPtr zoo(const std::string& name, std::vector<int64_t> layers = {}) {
  torch::manual_seed(3);
  auto o = models::ModelOptions().input(1, 28, 28).num_classes(10);
  if (name == "jsc-tiny") o = models::ModelOptions().input(1, 1, 16).num_classes(5);
  if (!layers.empty()) o.layers(layers);
  auto m = models::make_model(name, o);
  m->eval();
  return m;
}

}  // namespace

TEST(QuantizedModel, FloatConfigReproducesZooModels) {
  struct Case { std::string name; std::vector<int64_t> shape; };
  for (auto& c : std::vector<Case>{{"lenet5", {1, 28, 28}}, {"lenet300100", {1, 28, 28}},
                                  {"mlp", {1, 28, 28}}, {"jsc-tiny", {16}}}) {
    auto m = zoo(c.name);
    if (c.name == "jsc-tiny") {  // non-trivial BN statistics
      auto bn = std::dynamic_pointer_cast<torch::nn::Module>(m)->named_buffers();
      torch::NoGradGuard g;
      bn["bn.running_mean"].uniform_(-1, 1);
      bn["bn.running_var"].uniform_(0.5, 2);
    }
    auto q = QuantizedModel::from_model(*m, c.shape);
    std::vector<int64_t> batch{3};
    batch.insert(batch.end(), c.shape.begin(), c.shape.end());
    auto x = torch::randn(batch);
    torch::NoGradGuard g;
    EXPECT_TRUE(torch::equal(m->forward(x), q->forward(x))) << c.name;
  }
}

TEST(QuantizedModel, LinearQuantizesInputWeightBiasNotOutput) {
  auto m = zoo("mlp", {4, 3, 2});
  LayerQuantConfig lc = LayerQuantConfig::integer(8, 4, 6);
  auto q = QuantizedModel::from_model(*m, {4}, QuantConfig().set("linear", lc));
  auto x = torch::randn({5, 4});
  torch::NoGradGuard g;
  auto state = q->named_parameters();
  auto lin = [&](const torch::Tensor& in, const std::string& n) {
    return torch::linear(fixed_point_quantize(in, FixedPoint(8, 4)),
                         fixed_point_quantize(state[n + ".weight"], FixedPoint(4, 2)),
                         fixed_point_quantize(state[n + ".bias"], FixedPoint(6, 3)));
  };
  auto expected = lin(torch::relu(lin(x, "fc1")), "fc2");  // relu: default NA = float
  EXPECT_TRUE(torch::allclose(q->forward(x), expected, 0, 0));
  // The output is float: not on the Q8.4 grid in general.
  auto y = q->forward(x);
  EXPECT_FALSE(torch::equal(y, fixed_point_quantize(y, FixedPoint(8, 4))));
  lc.data_out = FixedPoint(8, 4);
  q->apply(QuantConfig().set("linear", lc));
  y = q->forward(x);
  EXPECT_TRUE(torch::equal(y, fixed_point_quantize(y, FixedPoint(8, 4))));
}

TEST(QuantizedModel, ReluQuantizesItsInputUnsigned) {
  auto m = zoo("mlp", {4, 3, 2});
  LayerQuantConfig rc;
  rc.name = "integer";
  rc.data_in = FixedPoint(2, 0);  // signed would be [-2, 1]; unsigned is [0, 3]
  auto q = QuantizedModel::from_model(*m, {4}, QuantConfig().set("relu", rc));
  EXPECT_FALSE(q->layers()[2].config.data_in->is_signed);
  auto x = torch::randn({6, 4}) * 5;
  torch::NoGradGuard g;
  auto p = q->named_parameters();
  auto h = torch::linear(x, p["fc1.weight"], p["fc1.bias"]);
  auto expected = torch::linear(torch::clamp(torch::round(h), 0, 3), p["fc2.weight"], p["fc2.bias"]);
  EXPECT_TRUE(torch::allclose(q->forward(x), expected, 0, 0));
}

TEST(QuantizedModel, ConvAndCopiesAreIndependent) {
  auto m = zoo("lenet5");
  auto before = models::module_state(*m);
  // Q8.7 weights: with frac = width // 2 = 4 (resolution 1/16) every fc1 weight of a freshly
  // initialised LeNet-5 (|w| < 0.036) rounds to zero and no gradient reaches the convolutions.
  LayerQuantConfig lc = LayerQuantConfig::integer(8, 8, 8);
  lc.weight = FixedPoint(8, 7);
  lc.bias = FixedPoint(8, 7);
  QuantConfig c;
  c.set("conv2d", lc).set("linear", lc);
  auto q = post_training_quantize(*m, {1, 28, 28}, c);
  EXPECT_EQ(q->layers()[0].config_key, "conv2d");
  auto copy = q->copy();
  copy->apply(QuantConfig());  // back to float: must not change q
  EXPECT_TRUE(q->layers()[0].config.quantized());
  EXPECT_FALSE(copy->layers()[0].config.quantized());
  // QAT on the quantized copy leaves the zoo model's tensors untouched.
  torch::manual_seed(0);
  train::TensorSource data(torch::randn({32, 1, 28, 28}), torch::randint(0, 10, {32}));
  quantization_aware_finetune(*q, data, train::TrainOptions().epochs(1).batch_size(16).lr(0.1));
  for (auto& [k, v] : models::module_state(*m)) EXPECT_TRUE(torch::equal(v, before.at(k))) << k;
  EXPECT_FALSE(torch::equal(models::module_state(*q).at("conv1.weight"), before.at("conv1.weight")));
  // Its state loads back into a zoo LeNet-5 (same names).
  auto back = zoo("lenet5");
  auto report = models::load_into(*back, models::module_state(*q), true);
  EXPECT_TRUE(report.missing.empty());
}

TEST(QuantizedModel, UnsupportedModelNamesTheSupportedOnes) {
  auto m = models::make_model("vgg16", models::ModelOptions().input(3, 32, 32));
  try {
    QuantizedModel::from_model(*m, {3, 32, 32});
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("lenet5, mlp"), std::string::npos);
  }
}
