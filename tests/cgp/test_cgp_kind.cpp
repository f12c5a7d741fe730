// `nncompress cgp` pieces: int8 weights, the experiments' datasets and their inverse
// (circuit outputs -> weights), substitution into a model.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "cgp/cgp.h"
#include "core/error.h"
#include "core/progress.h"
#include "experiment/kinds/cgp_kind.h"
#include "models/zoo.h"

using namespace nnc::experiment::cgpw;
namespace cgp = nnc::cgp;

namespace {

Int8Weights random_layer(const std::string& name, std::vector<int64_t> shape, uint64_t seed) {
  Int8Weights w;
  w.name = name;
  w.shape = shape;
  w.scale = 0.01;
  int64_t n = 1;
  for (auto s : shape) n *= s;
  cgp::Rng rng(seed);
  for (int64_t i = 0; i < n; ++i) w.q.push_back(int8_t(int(rng.below(256)) - 128));
  return w;
}

std::vector<Int8Weights> lenet_layers() {
  return {random_layer("conv1.weight", {6, 1, 5, 5}, 1), random_layer("conv2.weight", {16, 6, 5, 5}, 2)};
}

const Experiment kAll[] = {Experiment::LayerBypass, Experiment::NoInput, Experiment::AllLayers};

// The targets, item-major, O per item: what a perfect circuit outputs.
std::vector<int8_t> targets(const cgp::Dataset& d) {
  std::vector<int8_t> out;
  for (auto& o : d.out) out.insert(out.end(), o.begin(), o.end());
  return out;
}

}  // namespace

TEST(CgpKind, QuantizeInt8IsSymmetricPerTensor) {
  auto w = torch::tensor({-0.5f, 0.25f, 1.0f, -1.0f, 0.004f});
  auto q = quantize_int8(w, "w");
  EXPECT_DOUBLE_EQ(q.scale, 1.0 / 127);
  EXPECT_EQ(q.q, (std::vector<int8_t>{-64, 32, 127, -127, 1}));  // -63.5 rounds to even
  EXPECT_LE((q.dequantize() - w).abs().max().item<double>(), q.scale / 2 + 1e-7);
  auto z = quantize_int8(torch::zeros({3}));
  EXPECT_EQ(z.scale, 1.0);
  EXPECT_EQ(z.q, (std::vector<int8_t>{0, 0, 0}));
}

TEST(CgpKind, DatasetShapesFollowTheOriginal) {
  auto layers = lenet_layers();
  auto lb = make_dataset(Experiment::LayerBypass, layers);
  EXPECT_EQ(lb.inputs, 150);
  EXPECT_EQ(lb.outputs, 2400);
  EXPECT_EQ(lb.size(), 1);
  auto ni = make_dataset(Experiment::NoInput, layers);
  EXPECT_EQ(ni.inputs, 1);
  EXPECT_EQ(ni.outputs, 2550);
  EXPECT_EQ(ni.size(), 1);
  auto al = make_dataset(Experiment::AllLayers, layers);
  EXPECT_EQ(al.size(), 2);
  EXPECT_EQ(al.inputs, 96 * 9);
  EXPECT_EQ(al.outputs, 96 * 16);
  EXPECT_EQ(al.scored, (std::vector<int>{6 * 16, 96 * 16}));
  // all-layers: the inner 3x3 of conv2's first kernel are its first inputs.
  EXPECT_EQ(al.in[1][0], layers[1].q[6]);
  EXPECT_EQ(al.in[1][8], layers[1].q[18]);
  EXPECT_EQ(al.out[1][0], layers[1].q[0]);
  EXPECT_EQ(al.out[1][5], layers[1].q[5]);  // ring: row 0 (5 values), then (1,0)
}

TEST(CgpKind, DecodingPerfectOutputsGivesTheWeightsBack) {
  auto layers = lenet_layers();
  for (Experiment e : kAll) {
    auto d = make_dataset(e, layers);
    auto back = decode_outputs(e, layers, targets(d), d.outputs);
    ASSERT_EQ(back.size(), 2u);
    for (size_t l = 0; l < 2; ++l) {
      EXPECT_EQ(back[l].q, layers[l].q) << experiment_name(e) << " layer " << l;
      EXPECT_EQ(back[l].shape, layers[l].shape);
      EXPECT_EQ(back[l].scale, layers[l].scale);
    }
    EXPECT_EQ(parse_experiment(experiment_name(e)), e);
  }
  EXPECT_THROW(parse_experiment("bypass"), nnc::Error);
}

// The decoded weights differ from the reference exactly as the circuit's error says.
TEST(CgpKind, DecodedWeightsMatchTheCircuitError) {
  nnc::Progress::set_quiet(true);
  auto layers = lenet_layers();
  for (Experiment e : kAll) {
    auto d = make_dataset(e, layers);
    const bool mux = e == Experiment::NoInput;
    auto opts = cgp::Options(mux ? 16 : 8, mux ? 18 : 6).lambda(4).generations(300).seed(3)
                    .multiplex(mux);
    auto r = cgp::evolve(d, cgp::CostTable::unit_default(), opts);
    auto back = decode_outputs(e, layers, cgp::naive_outputs(r.genome, d.in), d.outputs);
    int64_t se = 0;
    for (size_t l = 0; l < 2; ++l)
      for (size_t i = 0; i < layers[l].q.size(); ++i) {
        const int64_t diff = int64_t(back[l].q[i]) - layers[l].q[i];
        se += diff * diff;
      }
    EXPECT_EQ(se, r.error) << experiment_name(e);
    if (e == Experiment::LayerBypass) EXPECT_EQ(back[0].q, layers[0].q);  // conv1 is kept
    if (e == Experiment::AllLayers)  // inner 3x3 are inputs: kept
      for (size_t l = 0; l < 2; ++l)
        for (size_t k = 0; k < layers[l].q.size() / 25; ++k)
          EXPECT_EQ(back[l].q[k * 25 + 12], layers[l].q[k * 25 + 12]);
  }
}

TEST(CgpKind, SubstitutingTheReferenceWeightsChangesNothing) {
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
  for (Experiment e : kAll) {
    auto d = make_dataset(e, layers);
    substitute(*model, decode_outputs(e, layers, targets(d), d.outputs));
    EXPECT_TRUE(torch::equal(model->forward(x), y_ref)) << experiment_name(e);
  }
  auto changed = layers;
  for (auto& v : changed[1].q) v = int8_t(v / 2);
  substitute(*model, changed);
  EXPECT_FALSE(torch::equal(model->forward(x), y_ref));
  Int8Weights wrong = layers[0];
  wrong.name = "conv9.weight";
  EXPECT_THROW(substitute(*model, {wrong}), nnc::Error);
}
