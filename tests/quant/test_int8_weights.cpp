// Symmetric per-tensor int8 weights (quant/int8_weights.h): quantizing a tensor, a model's
// weights in place, and substituting weights back.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "core/error.h"
#include "models/zoo.h"
#include "quant/int8_weights.h"

using namespace nnc::quant;

TEST(Int8Weights, QuantizeInt8IsSymmetricPerTensor) {
  auto w = torch::tensor({-0.5f, 0.25f, 1.0f, -1.0f, 0.004f});
  auto q = quantize_int8(w, "w");
  EXPECT_DOUBLE_EQ(q.scale, 1.0 / 127);
  EXPECT_EQ(q.q, (std::vector<int8_t>{-64, 32, 127, -127, 1}));  // -63.5 rounds to even
  EXPECT_LE((q.dequantize() - w).abs().max().item<double>(), q.scale / 2 + 1e-7);
  auto z = quantize_int8(torch::zeros({3}));
  EXPECT_EQ(z.scale, 1.0);
  EXPECT_EQ(z.q, (std::vector<int8_t>{0, 0, 0}));
}

TEST(Int8Weights, AModelsWeightsLandOnTheirInt8GridAndComeBack) {
  torch::manual_seed(0);
  auto model = nnc::models::make_model("lenet5-classic", nnc::models::ModelOptions().input(1, 28, 28).num_classes(10));
  model->eval();
  auto bias_before = model->named_parameters()["conv1.bias"].clone();
  auto layers = quantize_model_weights(*model, {"conv1.weight", "conv2.weight"});
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].shape, (std::vector<int64_t>{6, 1, 5, 5}));
  EXPECT_EQ(layers[1].q.size(), 2400u);
  EXPECT_TRUE(torch::equal(model->named_parameters()["conv1.bias"], bias_before));  // biases float
  // Every weight tensor now lies on its int8 grid.
  for (auto& p : model->named_parameters()) {
    if (p.value().dim() < 2) continue;
    auto q = quantize_int8(p.value());
    EXPECT_TRUE(torch::allclose(q.dequantize(), p.value(), 0, 1e-7)) << p.key();
  }
  torch::NoGradGuard ng;
  auto x = torch::randn({8, 1, 28, 28});
  auto y_ref = model->forward(x);
  substitute(*model, layers);
  EXPECT_TRUE(torch::equal(model->forward(x), y_ref));
  auto changed = layers;
  for (auto& v : changed[1].q) v = int8_t(v / 2);
  substitute(*model, changed);
  EXPECT_FALSE(torch::equal(model->forward(x), y_ref));
  Int8Weights wrong = layers[0];
  wrong.name = "conv9.weight";
  EXPECT_THROW(substitute(*model, {wrong}), nnc::Error);
  EXPECT_THROW(quantize_model_weights(*model, {"conv9.weight"}), nnc::Error);
}
