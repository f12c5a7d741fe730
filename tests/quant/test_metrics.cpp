// Size, FLOPs and BitOPs against hand-counted small models; metrics never accumulate.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sstream>

#include "models/zoo.h"
#include "quant/metrics.h"
#include "quant/quantized_model.h"
#include "train/batch_source.h"

using namespace nnc;
using namespace nnc::quant;

namespace {

QuantizedModelPtr tiny_mlp(const QuantConfig& c = {}) {
  torch::manual_seed(1);
  auto m = models::make_model("mlp", models::ModelOptions().num_classes(2).layers({4, 3, 2}));
  return QuantizedModel::from_model(*m, {4}, c);
}

/// conv(1->2, k3) on 6x6, relu, pool 2, flatten, linear(8->3).
QuantizedModelPtr tiny_conv(const QuantConfig& c = {}) {
  NetSpec s;
  s.arch = "tiny-conv";
  s.input_shape = {1, 6, 6};
  LayerSpec conv{"conv1", "conv2d", {}, 1, 2, 3};
  LayerSpec relu{"relu1", "relu"}, pool{"pool1", "max_pool2d", {}, 0, 0, 2};
  LayerSpec flat{"flatten1", "flatten"}, fc{"fc1", "linear", {}, 8, 3};
  s.layers = {conv, relu, pool, flat, fc};
  auto q = std::make_shared<QuantizedModel>(s);
  q->apply(c);
  return q;
}

/// BN1d(4), linear(4->3), relu, linear(3->2): JSC-Tiny's shape, small enough to count by hand.
QuantizedModelPtr tiny_bn_mlp(const QuantConfig& c) {
  NetSpec s;
  s.arch = "tiny-bn-mlp";
  s.input_shape = {4};
  LayerSpec bn{"bn1", "batch_norm1d", {}, 4, 4};
  LayerSpec fc1{"fc1", "linear", {}, 4, 3}, relu{"relu1", "relu"}, fc2{"fc2", "linear", {}, 3, 2};
  s.layers = {bn, fc1, relu, fc2};
  auto q = std::make_shared<QuantizedModel>(s);
  q->apply(c);
  return q;
}

}  // namespace

TEST(Metrics, NncompressAndLabFormulasByHand) {
  // data_in 6 bits, weights 8, biases 4 on both Linear layers.
  auto q = tiny_bn_mlp(QuantConfig().set("linear", LayerQuantConfig::integer(6, 8, 4)));
  auto ours = model_cost(*q, MetricFormulas::kNncompress);
  // Size: fc1 12*8 + 3*4 = 108, fc2 6*8 + 2*4 = 56, BN 4 vectors of 4 floats = 512 bits.
  EXPECT_EQ(ours.size_bits, 108 + 56 + 512);
  EXPECT_DOUBLE_EQ(ours.size_bytes(), 84.5);
  // BitOPs: MACs * weight bits * input bits = (12 + 6) * 8 * 6.
  EXPECT_EQ(ours.bitops, 864);

  auto lab = model_cost(*q, MetricFormulas::kLab);
  // Size: the same Linear bits; BN gamma 4*8, beta 4*4, statistics (4 + 1) * 6 at fc1's widths.
  EXPECT_EQ(lab.layers[0].size_bits, 32 + 16 + 30);
  EXPECT_EQ(lab.size_bits, 108 + 56 + 78);
  EXPECT_DOUBLE_EQ(lab.size_bytes(), 30.25);
  // BitOPs: out * (in products + (in - 1) sums, each 6*8 = 48, + a 4-bit bias addition):
  // fc1 3 * (4*48 + 3*48 + 4) = 1020, fc2 2 * (3*48 + 2*48 + 4) = 488.
  EXPECT_EQ(lab.layers[1].bitops, 1020);
  EXPECT_EQ(lab.layers[3].bitops, 488);
  EXPECT_EQ(lab.bitops, 1508);
  // What the lab did not redefine stays the same.
  EXPECT_EQ(lab.flops, ours.flops);
  EXPECT_DOUBLE_EQ(lab.average_bitwidth, ours.average_bitwidth);
}

TEST(Metrics, LabFormulasOnJscTinyMatchTheLabsExpression) {
  // The lab's model_storage_size on JSC-Tiny with one width w for everything:
  // (weights incl. BN gamma) * w + (biases incl. BN beta) * w + w * (1*16 + 1).
  auto jsc = models::make_model("jsc-tiny", models::ModelOptions().num_classes(5));
  const int w = 8;
  auto q = QuantizedModel::from_model(*jsc, {16}, QuantConfig().set("linear", LayerQuantConfig::integer(w, w, w)));
  auto lab = model_cost(*q, MetricFormulas::kLab);
  EXPECT_EQ(lab.size_bits, (80 + 16) * w + (5 + 16) * w + w * (1 * 16 + 1));
  // calculate_bitwise_ops_for_linear, batch 1: out * (in*w*w + (in-1)*w*w + bias width).
  EXPECT_EQ(lab.bitops, 5 * (16 * w * w + 15 * w * w + w));
}

TEST(Metrics, LabLatencyIsTheMeanOverBatches) {
  torch::manual_seed(5);
  train::TensorSource data(torch::randn({64, 4}), torch::randint(0, 2, {64}));
  auto q = tiny_mlp();
  MeasureOptions o;
  o.batch_size = 16;
  o.formulas = MetricFormulas::kLab;
  auto m = measure(*q, data, 2, o);
  EXPECT_GT(m.latency_ms, 0);
  EXPECT_EQ(m.cost.bitops, model_cost(*q, MetricFormulas::kLab).bitops);
  EXPECT_EQ(parse_metric_formulas("lab", "t"), MetricFormulas::kLab);
  EXPECT_EQ(to_string(MetricFormulas::kNncompress), "nncompress");
  EXPECT_THROW(parse_metric_formulas("mase", "option metric_formulas"), nnc::Error);
}

TEST(Metrics, MetricFormulasOptionKeepsRunIdsAtItsDefault) {
  auto o = metric_formulas_option();
  EXPECT_EQ(o.key, "metric_formulas");
  EXPECT_EQ(std::get<std::string>(o.default_value), "nncompress");
  EXPECT_FALSE(o.hashed_at_default);
}

TEST(Metrics, HandCountedMlpFloat) {
  auto r = model_cost(*tiny_mlp());
  ASSERT_EQ(r.layers.size(), 4u);  // flatten1 fc1 relu1 fc2
  EXPECT_EQ(r.layers[1].macs, 12);
  EXPECT_EQ(r.layers[2].flops, 3);
  EXPECT_EQ(r.macs, 18);
  EXPECT_EQ(r.flops, 12 + 3 + 6);
  EXPECT_EQ(r.bitops, 18 * 32 * 32);
  EXPECT_EQ(r.size_bits, (12 + 3 + 6 + 2) * 32);
  EXPECT_DOUBLE_EQ(r.size_bytes(), 92);
  EXPECT_DOUBLE_EQ(r.average_bitwidth, 32);
  EXPECT_DOUBLE_EQ(r.memory_density, 1);
  std::ostringstream csv;
  r.write_csv(csv);
  std::istringstream in(csv.str());
  std::string header, flatten, fc1;
  std::getline(in, header);
  std::getline(in, flatten);
  std::getline(in, fc1);
  EXPECT_EQ(header.rfind("layer,op,format,out_shape,weights,", 0), 0u) << header;
  EXPECT_EQ(fc1.rfind("fc1,", 0), 0u) << fc1;
  EXPECT_NE(fc1.find(",12,"), std::string::npos) << fc1;  // MACs
}

TEST(Metrics, HandCountedMlpQuantized) {
  auto r = model_cost(*tiny_mlp(QuantConfig().set("linear", LayerQuantConfig::integer(8, 4, 6))));
  EXPECT_EQ(r.layers[1].size_bits, 12 * 4 + 3 * 6);
  EXPECT_EQ(r.layers[3].size_bits, 6 * 4 + 2 * 6);
  EXPECT_DOUBLE_EQ(r.size_bytes(), (66 + 36) / 8.0);
  EXPECT_EQ(r.bitops, 12 * 4 * 8 + 6 * 4 * 8);
  EXPECT_EQ(r.flops, 21);  // FLOPs do not depend on the bit widths
  EXPECT_DOUBLE_EQ(r.average_bitwidth, 4);
  EXPECT_DOUBLE_EQ(r.memory_density, 8);
}

TEST(Metrics, AverageBitwidthMaseVersusAll) {
  QuantConfig c;
  c.by = ConfigBy::kName;
  c.set("fc1", LayerQuantConfig::integer(8, 4, 8));  // fc2 stays float
  auto r = model_cost(*tiny_mlp(c));
  EXPECT_DOUBLE_EQ(r.average_bitwidth, 4);  // MASE: quantized weights only
  EXPECT_DOUBLE_EQ(r.average_bitwidth_all, (12 * 4 + 6 * 32) / 18.0);
  EXPECT_EQ(r.bitops, 12 * 4 * 8 + 6 * 32 * 32);
}

TEST(Metrics, HandCountedConvNet) {
  auto q = tiny_conv(QuantConfig().set("conv2d", LayerQuantConfig::integer(8, 8, 8)));
  auto r = model_cost(*q);
  EXPECT_EQ(r.layers[0].out_shape, (std::vector<int64_t>{2, 4, 4}));
  EXPECT_EQ(r.layers[0].macs, 32 * 9 * 1);
  EXPECT_EQ(r.layers[1].flops, 32);     // relu: one per element
  EXPECT_EQ(r.layers[2].flops, 8 * 3);  // pool: 3 comparisons per output
  EXPECT_EQ(r.layers[4].macs, 24);
  EXPECT_EQ(r.flops, 288 + 32 + 24 + 24);
  EXPECT_EQ(r.bitops, 288 * 8 * 8 + 24 * 32 * 32);
  EXPECT_EQ(r.size_bits, (18 + 2) * 8 + (24 + 3) * 32);
  // The shapes agree with a real forward pass.
  torch::NoGradGuard g;
  EXPECT_EQ(q->forward(torch::randn({2, 1, 6, 6})).sizes(), (std::vector<int64_t>{2, 3}));
}

TEST(Metrics, LeNet5AndJscTiny) {
  auto lenet = models::make_model("lenet5", models::ModelOptions().input(1, 28, 28));
  auto r = model_cost(*QuantizedModel::from_model(*lenet, {1, 28, 28}));
  EXPECT_EQ(r.macs, 20 * 24 * 24 * 25 + 50 * 8 * 8 * 25 * 20 + 800 * 500 + 500 * 10);
  EXPECT_EQ(r.size_bits, 431080 * 32);
  auto jsc = models::make_model("jsc-tiny", models::ModelOptions().num_classes(5));
  auto j = model_cost(*QuantizedModel::from_model(*jsc, {16}));
  EXPECT_EQ(j.flops, 4 * 16 + 16 + 80 + 5);
  EXPECT_EQ(j.size_bits, (80 + 5) * 32 + 4 * 16 * 32);  // BN: 4 float vectors
}

TEST(Metrics, MeasureIsFreshEveryCall) {
  torch::manual_seed(5);
  train::TensorSource data(torch::randn({64, 4}), torch::randint(0, 2, {64}));
  auto q = tiny_mlp(QuantConfig().set("linear", LayerQuantConfig::integer(4, 3, 4)));
  MeasureOptions o;
  o.latency_repeats = 3;
  auto a = measure(*q, data, 2, o);
  auto b = measure(*q, data, 2, o);
  EXPECT_EQ(a.samples, 64);
  EXPECT_EQ(b.samples, 64);
  EXPECT_EQ(a.accuracy, b.accuracy);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.cost.bitops, b.cost.bitops);
  EXPECT_GT(a.latency_ms, 0);
  EXPECT_THROW(a.get("acuracy"), nnc::Error);
  EXPECT_DOUBLE_EQ(a.get("model_size"), a.cost.size_bytes());
}
