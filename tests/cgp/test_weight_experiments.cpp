// The CGP weight experiments (cgp/weight_experiment.h): datasets from int8 weights, their
// inverse (circuit outputs -> weights), and the problem a run poses (grid, multiplexing,
// threshold resolved the original's way).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "cgp/cgp.h"
#include "cgp/weight_approximation.h"
#include "cgp/weight_experiment.h"
#include "core/error.h"
#include "core/progress.h"

using namespace nnc::cgp;

namespace {

WeightLayer random_layer(const std::string& name, std::vector<int64_t> shape, uint64_t seed) {
  WeightLayer w;
  w.name = name;
  w.shape = shape;
  int64_t n = 1;
  for (auto s : shape) n *= s;
  Rng rng(seed);
  for (int64_t i = 0; i < n; ++i) w.q.push_back(int8_t(int(rng.below(256)) - 128));
  return w;
}

std::vector<WeightLayer> lenet_layers() {
  return {random_layer("conv1.weight", {6, 1, 5, 5}, 1), random_layer("conv2.weight", {16, 6, 5, 5}, 2)};
}

const char* const kAll[] = {"layer-bypass", "no-input", "all-layers"};

// The targets, item-major, O per item: what a perfect circuit outputs.
std::vector<int8_t> targets(const Dataset& d) {
  std::vector<int8_t> out;
  for (auto& o : d.out) out.insert(out.end(), o.begin(), o.end());
  return out;
}

}  // namespace

TEST(WeightExperiments, RegisteredByNameWithTheirOptions) {
  auto& r = weight_experiment_registry();
  EXPECT_EQ(r.names(), (std::vector<std::string>{"all-layers", "layer-bypass", "no-input"}));
  for (const char* name : kAll) EXPECT_EQ(make_weight_experiment(name)->name(), name);
  EXPECT_TRUE(r.option_specs().empty());  // none of the original's experiments has options
  try {
    make_weight_experiment("bypass");
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("all-layers, layer-bypass, no-input"), std::string::npos)
        << e.what();
  }
}

TEST(WeightExperiments, DatasetShapesFollowTheOriginal) {
  auto layers = lenet_layers();
  auto lb = make_weight_experiment("layer-bypass")->dataset(layers);
  EXPECT_EQ(lb.inputs, 150);
  EXPECT_EQ(lb.outputs, 2400);
  EXPECT_EQ(lb.size(), 1);
  auto ni = make_weight_experiment("no-input")->dataset(layers);
  EXPECT_EQ(ni.inputs, 1);
  EXPECT_EQ(ni.outputs, 2550);
  EXPECT_EQ(ni.size(), 1);
  auto al = make_weight_experiment("all-layers")->dataset(layers);
  EXPECT_EQ(al.size(), 2);
  EXPECT_EQ(al.inputs, 96 * 9);
  EXPECT_EQ(al.outputs, 96 * 16);
  EXPECT_EQ(al.scored, (std::vector<int>{6 * 16, 96 * 16}));
  // all-layers: the inner 3x3 of conv2's first kernel are its first inputs.
  EXPECT_EQ(al.in[1][0], layers[1].q[6]);
  EXPECT_EQ(al.in[1][8], layers[1].q[18]);
  EXPECT_EQ(al.out[1][0], layers[1].q[0]);
  EXPECT_EQ(al.out[1][5], layers[1].q[5]);  // ring: row 0 (5 values), then (1,0)
  EXPECT_THROW(make_weight_experiment("layer-bypass")->dataset({layers[0]}), nnc::Error);
}

TEST(WeightExperiments, DecodingPerfectOutputsGivesTheWeightsBack) {
  auto layers = lenet_layers();
  for (const char* name : kAll) {
    auto e = make_weight_experiment(name);
    auto d = e->dataset(layers);
    auto back = e->decode(layers, targets(d), d.outputs);
    ASSERT_EQ(back.size(), 2u);
    for (size_t l = 0; l < 2; ++l) {
      EXPECT_EQ(back[l].q, layers[l].q) << name << " layer " << l;
      EXPECT_EQ(back[l].shape, layers[l].shape);
      EXPECT_EQ(back[l].name, layers[l].name);
    }
    EXPECT_THROW(e->decode(layers, {1, 2, 3}, d.outputs), nnc::Error) << name;  // too few outputs
  }
}

// The decoded weights differ from the reference exactly as the circuit's error says.
TEST(WeightExperiments, DecodedWeightsMatchTheCircuitError) {
  nnc::Progress::set_quiet(true);
  auto layers = lenet_layers();
  for (const char* name : kAll) {
    auto e = make_weight_experiment(name);
    const bool mux = e->multiplex_by_default();
    WeightRequest request;
    request.rows = mux ? 16 : 8;
    request.cols = mux ? 18 : 6;
    request.evolution.lambda(4).generations(300).seed(3);
    auto p = weight_problem(*e, layers, request);
    EXPECT_EQ(p.options.multiplex(), mux) << name;
    auto a = approximate_weights(*e, layers, p, CostTable::unit_default());
    int64_t se = 0, changed = 0;
    for (size_t l = 0; l < 2; ++l)
      for (size_t i = 0; i < layers[l].q.size(); ++i) {
        const int64_t diff = int64_t(a.weights[l].q[i]) - layers[l].q[i];
        se += diff * diff;
        changed += diff != 0;
      }
    EXPECT_EQ(se, a.result.error) << name;
    EXPECT_EQ(changed, a.changed) << name;
    EXPECT_DOUBLE_EQ(a.rmse_int8, std::sqrt(double(se) / double(p.scored))) << name;
    if (std::string(name) == "layer-bypass") EXPECT_EQ(a.weights[0].q, layers[0].q);  // conv1 kept
    if (std::string(name) == "all-layers")  // inner 3x3 are inputs: kept
      for (size_t l = 0; l < 2; ++l)
        for (size_t k = 0; k < layers[l].q.size() / 25; ++k)
          EXPECT_EQ(a.weights[l].q[k * 25 + 12], layers[l].q[k * 25 + 12]);
  }
}

TEST(WeightExperiments, TheProblemTakesTheOriginalsGridUnlessGiven) {
  auto layers = lenet_layers();
  WeightRequest request;
  auto lb = weight_problem(*make_weight_experiment("layer-bypass"), layers, request);
  EXPECT_EQ(lb.options.rows(), 256);
  EXPECT_EQ(lb.options.cols(), 31);
  EXPECT_FALSE(lb.options.multiplex());
  EXPECT_EQ(lb.scored, 2400);
  auto al = weight_problem(*make_weight_experiment("all-layers"), layers, request);
  EXPECT_EQ(al.options.rows(), 80);  // 5 x 16 output channels
  EXPECT_EQ(al.options.cols(), 80);
  request.rows = 7;
  request.multiplex = "on";
  request.rms_threshold = 2;  // SE units: int(m^2 x scored weights)
  auto given = weight_problem(*make_weight_experiment("all-layers"), layers, request);
  EXPECT_EQ(given.options.rows(), 7);
  EXPECT_EQ(given.options.cols(), 80);
  EXPECT_TRUE(given.options.multiplex());
  EXPECT_EQ(given.options.threshold(), 4 * (6 * 16 + 96 * 16));
  request.evolution.metric(Metric::AE);
  EXPECT_THROW(weight_problem(*make_weight_experiment("layer-bypass"), layers, request), nnc::Error);
}

// --- Any selected layers (cgp/layer_selection.h) -----------------------------------------

namespace {

std::vector<LayerShape> shapes_of(const std::vector<WeightLayer>& layers) {
  std::vector<LayerShape> s;
  for (auto& l : layers) s.push_back({l.name, l.shape});
  return s;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nnc::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A MobileNetV2-like stack: stem 3x3, depthwise 3x3, pointwise 1x1, classifier.
std::vector<WeightLayer> mobilenet_like() {
  return {random_layer("features.0.0.weight", {32, 3, 3, 3}, 1),
          random_layer("features.1.conv.0.0.weight", {32, 1, 3, 3}, 2),
          random_layer("features.1.conv.1.weight", {16, 32, 1, 1}, 3),
          random_layer("classifier.1.weight", {10, 16}, 4)};
}

}  // namespace

TEST(LayerSelection, NamesResolveWithOrWithoutWeightSuffixDefaultsToTheFirstTwo) {
  auto model = shapes_of(mobilenet_like());
  EXPECT_EQ(layer_list(select_layers(model, "", 2)), "features.0.0.weight, features.1.conv.0.0.weight");
  EXPECT_EQ(layer_list(select_layers(model, "classifier.1, features.0.0.weight", 2)),
            "classifier.1.weight, features.0.0.weight");
  EXPECT_EQ(select_layers(model, "", 9).size(), 4u);
  auto unknown = error_of([&] { select_layers(model, "conv9", 2); });
  EXPECT_NE(unknown.find("'conv9'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("valid layers: features.0.0.weight, features.1.conv.0.0.weight, "
                         "features.1.conv.1.weight, classifier.1.weight"), std::string::npos) << unknown;
  EXPECT_NE(error_of([&] { select_layers(model, "classifier.1,classifier.1.weight", 2); }).find("twice"),
            std::string::npos);
  EXPECT_THROW(select_layers(model, "features.0.0,", 2), nnc::Error);
}

TEST(LayerSelection, BypassNeedsTwoLayersWhereBReadsA) {
  auto e = make_weight_experiment("layer-bypass");
  auto m = shapes_of(mobilenet_like());
  e->check_layers({m[0], m[1]});  // depthwise over the stem's 32 channels
  e->check_layers({m[1], m[2]});  // pointwise 32 -> 16
  e->check_layers({m[2], m[3]});  // classifier over 16 channels
  EXPECT_NE(error_of([&] { e->check_layers({m[0]}); }).find("select two layers"), std::string::npos);
  auto bad = error_of([&] { e->check_layers({m[2], m[0]}); });
  EXPECT_NE(bad.find("does not read the output of features.1.conv.1.weight (16x32x1x1)"),
            std::string::npos) << bad;
  // Any two layers: the dataset is A's weights in, B's out.
  auto layers = mobilenet_like();
  auto d = e->dataset({layers[1], layers[2]});
  EXPECT_EQ(d.inputs, 288);
  EXPECT_EQ(d.outputs, 512);
  auto back = e->decode({layers[1], layers[2]}, targets(d), d.outputs);
  EXPECT_EQ(back[1].q, layers[2].q);
}

TEST(LayerSelection, NoInputTakesAnyNumberOfLayers) {
  auto e = make_weight_experiment("no-input");
  auto layers = mobilenet_like();
  for (size_t n = 1; n <= layers.size(); ++n) {
    std::vector<WeightLayer> chosen(layers.begin(), layers.begin() + std::ptrdiff_t(n));
    auto d = e->dataset(chosen);
    size_t total = 0;
    for (auto& l : chosen) total += l.q.size();
    EXPECT_EQ(size_t(d.outputs), total);
    auto back = e->decode(chosen, targets(d), d.outputs);
    for (size_t l = 0; l < n; ++l) EXPECT_EQ(back[l].q, chosen[l].q) << n << " layers, layer " << l;
  }
}

TEST(LayerSelection, AllLayersGeneralisesTo3x3KernelsAndRefuses1x1) {
  auto e = make_weight_experiment("all-layers");
  auto layers = mobilenet_like();
  std::vector<WeightLayer> k3 = {layers[0], layers[1]};  // 3x3: the centre in, the ring of 8 out
  auto d = e->dataset(k3);
  EXPECT_EQ(d.size(), 2);
  EXPECT_EQ(d.inputs, 96);         // 96 kernels of the stem x 1 centre
  EXPECT_EQ(d.outputs, 96 * 8);
  EXPECT_EQ(d.scored, (std::vector<int>{96 * 8, 32 * 8}));
  EXPECT_EQ(d.in[1][0], layers[1].q[4]);   // the centre of the first depthwise kernel
  EXPECT_EQ(d.out[1][3], layers[1].q[3]);  // ring: row 0 (3 values), then (1,0)
  EXPECT_EQ(d.out[1][4], layers[1].q[5]);  // (1,2): the centre is skipped
  auto back = e->decode(k3, targets(d), d.outputs);
  EXPECT_EQ(back[0].q, layers[0].q);
  EXPECT_EQ(back[1].q, layers[1].q);
  GridSize g = e->default_grid(k3);
  EXPECT_EQ(g.rows, 3 * 32);
  auto one = error_of([&] { e->dataset({layers[2]}); });
  EXPECT_NE(one.find("features.1.conv.1.weight has no ring"), std::string::npos) << one;
  EXPECT_THROW(e->dataset({layers[3]}), nnc::Error);  // linear
  auto mixed = error_of([&] { e->dataset({layers[0], random_layer("c5", {4, 1, 5, 5}, 9)}); });
  EXPECT_NE(mixed.find("one kernel size"), std::string::npos) << mixed;
}

TEST(LayerSelection, ProblemsBeyondTheGenomeLimitsAreRefusedNamingTheLayers) {
  auto big = random_layer("features.18.0.weight", {1280, 320, 1, 1}, 5);  // 409,600 weights
  auto e = make_weight_experiment("no-input");
  WeightRequest request;
  request.rows = 4;
  request.cols = 4;
  weight_problem(*e, {big}, request);  // fits: 1 input -> 409,600 outputs
  auto twice = big;
  twice.name = "features.18.0.weight-copy";
  auto thrice = big;
  thrice.name = "features.17.conv.2.weight";
  auto msg = error_of([&] { weight_problem(*e, {big, twice, thrice}, request); });
  EXPECT_NE(msg.find("features.18.0.weight, features.18.0.weight-copy"), std::string::npos) << msg;
  EXPECT_NE(msg.find("outputs must be in 1..1000000"), std::string::npos) << msg;
  request.rows = request.cols = 0;  // all-layers' default grid for 1280 3x3 kernels' channels
  auto wide = random_layer("dw", {1280, 1, 3, 3}, 6);
  auto grid = error_of([&] { weight_problem(*make_weight_experiment("all-layers"), {wide}, request); });
  EXPECT_NE(grid.find("grid 3840x3840"), std::string::npos) << grid;
}

TEST(WeightExperiments, AThresholdListIsOneEvolutionWithACheckpointPerThreshold) {
  nnc::Progress::set_quiet(true);
  auto layers = lenet_layers();
  auto e = make_weight_experiment("layer-bypass");
  WeightRequest request;
  request.rows = 8;
  request.cols = 6;
  request.evolution.lambda(4).generations(200).patience(100).seed(3);
  auto p = weight_problem(*e, layers, request);
  auto thresholds = rms_to_se_thresholds({90, 80, 70}, p.scored);
  EXPECT_EQ(thresholds, (std::vector<int64_t>{90 * 90 * 2400, 80 * 80 * 2400, 70 * 70 * 2400}));
  auto stages = approximate_weights_stepwise(*e, layers, p, CostTable::unit_default(), thresholds);
  ASSERT_EQ(stages.size(), 3u);
  for (size_t i = 0; i < stages.size(); ++i) {
    EXPECT_EQ(stages[i].result.stats.front().run, int(i));
    // Each stage starts from the previous circuit: its first row is that circuit's error.
    if (i > 0) EXPECT_EQ(stages[i].result.stats.front().error, stages[i - 1].result.error);
  }
  EXPECT_THROW(approximate_weights_stepwise(*e, layers, p, CostTable::unit_default(), {10, 20}), nnc::Error);
  EXPECT_THROW(rms_to_se_thresholds({-1}, 10), nnc::Error);
}
