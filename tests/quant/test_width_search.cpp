// Width multipliers keep consecutive layers consistent; candidates are trained once.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/zoo.h"
#include "quant/width_search.h"
#include "train/batch_source.h"

using namespace nnc;
using namespace nnc::quant;

namespace {

NetSpec spec_of(const std::string& name, std::vector<int64_t> shape) {
  auto o = models::ModelOptions().input(1, 28, 28).num_classes(10);
  if (name == "jsc-tiny") o = models::ModelOptions().num_classes(5);
  return net_spec_of(*models::make_model(name, o), shape);
}

}  // namespace

TEST(WidthSearch, LeNet5PerLayerStaysConsistent) {
  auto s = spec_of("lenet5", {1, 28, 28});
  EXPECT_EQ(scalable_layers(s), (std::vector<std::string>{"conv1", "conv2", "fc1"}));
  auto w = widen(s, {{"conv1", 2.0}, {"conv2", 0.5}, {"fc1", 3.0}});
  auto at = [&](const std::string& n) { return w.layers[w.find(n)]; };
  EXPECT_EQ(at("conv1").out, 40);
  EXPECT_EQ(at("conv2").in, 40);
  EXPECT_EQ(at("conv2").out, 25);
  EXPECT_EQ(at("fc1").in, 25 * 4 * 4);  // flatten: channels x spatial
  EXPECT_EQ(at("fc1").out, 1500);
  EXPECT_EQ(at("fc2").in, 1500);
  EXPECT_EQ(at("fc2").out, 10);  // classes fixed
  QuantizedModel m(w);
  torch::NoGradGuard g;
  EXPECT_EQ(m.forward(torch::randn({2, 1, 28, 28})).sizes(), (std::vector<int64_t>{2, 10}));
}

TEST(WidthSearch, MlpSpaceUniformAndPerLayer) {
  auto s = spec_of("lenet300100", {1, 28, 28});
  WidthSearchOptions o;
  o.mode = WidthMode::kPerLayer;
  o.multipliers = {0.5, 1.0, 2.0};
  search::SearchSpace space;
  add_width_parameters(space, s, o);
  ASSERT_EQ(space.size(), 2u);
  EXPECT_EQ(space[0].name, "width.fc1");
  EXPECT_EQ(space.cardinality(), 9u);
  auto choice = width_choice(space, {0.5, 2.0}, s, o.mode);
  auto w = widen(s, choice);
  EXPECT_EQ(w.layers[w.find("fc1")].out, 150);
  EXPECT_EQ(w.layers[w.find("fc2")].in, 150);
  EXPECT_EQ(w.layers[w.find("fc2")].out, 200);
  EXPECT_EQ(w.layers[w.find("fc3")].in, 200);

  search::SearchSpace uniform;
  o.mode = WidthMode::kUniform;
  add_width_parameters(uniform, s, o);
  ASSERT_EQ(uniform.size(), 1u);
  auto u = width_choice(uniform, {2.0}, s, o.mode);
  EXPECT_EQ(u.at("fc1"), 2.0);
  EXPECT_EQ(u.at("fc2"), 2.0);
}

TEST(WidthSearch, Errors) {
  auto jsc = spec_of("jsc-tiny", {16});
  WidthSearchOptions o;
  o.mode = WidthMode::kUniform;
  search::SearchSpace space;
  EXPECT_THROW(add_width_parameters(space, jsc, o), nnc::Error);  // nothing to widen
  auto s = spec_of("lenet300100", {1, 28, 28});
  try {
    widen(s, {{"fc3", 2.0}});
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("scalable: fc1, fc2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_width_mode("wide", "opt"), nnc::Error);
  EXPECT_EQ(parse_width_multipliers("0.5,1, 2", "opt"), (std::vector<double>{0.5, 1, 2}));
  try {
    parse_width_multipliers("0.5,x2", "option width_multipliers");
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("option width_multipliers: 'x2' is not a number"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(parse_width_multipliers("1,2 3", "opt"), nnc::Error);  // trailing text
}

TEST(WidthSearch, CandidatesTrainedOnceUnderTheBudget) {
  torch::manual_seed(0);
  train::TensorSource data(torch::randn({64, 4}), torch::randint(0, 2, {64}));
  auto s = net_spec_of(*models::make_model("mlp", models::ModelOptions().num_classes(2).layers({4, 3, 2})), {4});
  WidthCandidates c(s, data, train::TrainOptions().epochs(1).batch_size(32));
  const auto& a = c.get({{"fc1", 2.0}});
  const auto& b = c.get({{"fc1", 2.0}});
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(a.spec().layers[1].out, 6);
  c.get({{"fc1", 1.0}});
  EXPECT_EQ(c.trained(), 2);
}
