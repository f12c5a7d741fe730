// Width multipliers keep consecutive layers consistent; candidates are trained once.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "models/zoo.h"
#include "models/safetensors.h"
#include "quant/lab4_width_config.h"
#include "quant/search_plan.h"
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

/// Lab 4's JSC network: BN(16), ReLU, then Linear 16-16-16-5 (MASE nodes seq_blocks_2, _4,
/// _6) with ReLUs between.
NetSpec lab4_jsc() {
  NetSpec s;
  s.arch = "jsc-three-linear";
  s.input_shape = {16};
  LayerSpec bn{"bn", "batch_norm1d", {"seq_blocks_0"}, 16, 16};
  LayerSpec fc1{"fc1", "linear", {"seq_blocks_2"}, 16, 16}, fc2{"fc2", "linear", {"seq_blocks_4"}, 16, 16};
  LayerSpec fc3{"fc3", "linear", {"seq_blocks_6"}, 16, 5};
  s.layers = {bn, {"relu1", "relu"}, fc1, {"relu2", "relu"}, fc2, {"relu3", "relu"}, fc3};
  return s;
}

/// A search plan whose [search.width_search] is `width` (TOML lines).
std::string plan_with(const std::string& width) {
  return R"(
[search.search_space]
name = "graph/quantize/mixed_precision_ptq"
[search.search_space.seed.default.config]
name = ["NA"]
[search.width_search]
epochs = 1
)" + width + R"(
[search.strategy]
name = "optuna"
[search.strategy.setup]
n_trials = 4
sampler = "brute-force"
[search.strategy.metrics]
accuracy.scale = 1.0
accuracy.direction = "maximize"
)";
}

// The lab's part 3: a, b, c, d over [1..5]; b and d follow a and c.
const char* kLab4PerLayer = R"(
[search.width_search.config]
by = "name"
[search.width_search.config.default.config]
name = "NA"
[search.width_search.config.seq_blocks_2.config]
name = "output_only"
channel_multiplier_output = [1, 2, 3, 4, 5]
[search.width_search.config.seq_blocks_4.config]
name = "both"
channel_multiplier_input = [1, 2, 3, 4, 5]
channel_multiplier_output = [1, 2, 3]
[search.width_search.config.seq_blocks_6.config]
name = "input_only"
channel_multiplier_input = [1, 2, 3]
)";

}  // namespace

TEST(WidthSearch, Lab4PerLayerConfig) {
  auto plan = parse_search_plan(plan_with(kLab4PerLayer), "lab4.toml");
  const auto& w = plan.width;
  EXPECT_EQ(w.mode, WidthMode::kPerLayer);
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.layers.at("seq_blocks_2"), (std::vector<double>{1, 2, 3, 4, 5}));
  EXPECT_EQ(w.layers.at("seq_blocks_4"), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(w.notes.size(), 2u);  // seq_blocks_4's and seq_blocks_6's inputs follow
  auto spec = lab4_jsc();
  search::SearchSpace space;
  add_width_parameters(space, spec, w);
  ASSERT_EQ(space.size(), 2u);
  EXPECT_EQ(space[0].name, "width.fc1");
  EXPECT_EQ(space[1].name, "width.fc2");
  EXPECT_EQ(space.cardinality(), 15u);
  auto wide = widen(spec, width_choice(space, {int64_t{2}, int64_t{3}}, spec, w));
  auto at = [&](const std::string& n) { return wide.layers[wide.find(n)]; };
  EXPECT_EQ(at("fc1").out, 32);
  EXPECT_EQ(at("fc2").in, 32);
  EXPECT_EQ(at("fc2").out, 48);
  EXPECT_EQ(at("fc3").in, 48);
  EXPECT_EQ(at("fc3").out, 5);
  QuantizedModel m(wide);
  torch::NoGradGuard g;
  EXPECT_EQ(m.forward(torch::randn({3, 16})).sizes(), (std::vector<int64_t>{3, 5}));
}

TEST(WidthSearch, Lab4UniformAndFixedMultipliers) {
  auto uniform = parse_search_plan(plan_with(R"(
[search.width_search.config.seq_blocks_2.config]
name = "output_only"
channel_multiplier = [1, 2, 3, 4, 5]
[search.width_search.config.seq_blocks_4.config]
name = "both"
channel_multiplier = [1, 2, 3, 4, 5]
[search.width_search.config.seq_blocks_6.config]
name = "input_only"
channel_multiplier = [1, 2, 3, 4, 5]
)"), "u.toml").width;
  EXPECT_EQ(uniform.mode, WidthMode::kUniform);
  EXPECT_EQ(uniform.multipliers, (std::vector<double>{1, 2, 3, 4, 5}));
  search::SearchSpace space;
  auto spec = lab4_jsc();
  add_width_parameters(space, spec, uniform);
  ASSERT_EQ(space.size(), 1u);
  auto choice = width_choice(space, {int64_t{4}}, spec, uniform);
  EXPECT_EQ(choice, (std::map<std::string, double>{{"fc1", 4.0}, {"fc2", 4.0}}));

  // Part 1: a fixed factor 2 is one choice.
  auto fixed = parse_search_plan(plan_with(R"(
[search.width_search.config.seq_blocks_2.config]
name = "output_only"
channel_multiplier = 2
)"), "f.toml").width;
  EXPECT_EQ(fixed.multipliers, (std::vector<double>{2}));
  search::SearchSpace one;
  add_width_parameters(one, spec, fixed);
  EXPECT_EQ(width_choice(one, {2.0}, spec, fixed), (std::map<std::string, double>{{"fc1", 2.0}}));
}

TEST(WidthSearch, Lab4ConfigErrorsSayTheFix) {
  auto fails_with = [](const std::string& width, const std::string& what) {
    try {
      parse_search_plan(plan_with(width), "bad.toml");
      ADD_FAILURE() << "accepted: " << width;
    } catch (const nnc::Error& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  fails_with("mode = \"uniform\"\n" + std::string(kLab4PerLayer), "drop mode and multipliers");
  fails_with(R"(
[search.width_search.config.seq_blocks_2.config]
name = "output_only"
channel_multiplier = [1, 2]
[search.width_search.config.seq_blocks_4.config]
name = "both"
channel_multiplier_output = [1, 2]
)", "cannot be mixed");
  fails_with(R"(
[search.width_search.config.seq_blocks_2.config]
name = "widen"
channel_multiplier = 2
)", "expected output_only, both or input_only");
  fails_with(R"(
[search.width_search.config.default.config]
name = "output_only"
)", "keep their width");
  fails_with(R"(
[search.width_search.config.seq_blocks_6.config]
name = "input_only"
channel_multiplier_input = 2
)", "no layer is widened");
  // A layer the model does not have: the valid names and aliases are listed.
  WidthSearchOptions o;
  o.mode = WidthMode::kPerLayer;
  o.layers = {{"seq_blocks_9", {1, 2}}};
  search::SearchSpace space;
  try {
    add_width_parameters(space, lab4_jsc(), o);
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("fc1 (seq_blocks_2), fc2 (seq_blocks_4)"), std::string::npos) << e.what();
  }
}

TEST(WidthSearch, TrainedCandidatesAreKeptForSaving) {
  torch::manual_seed(0);
  train::TensorSource data(torch::randn({64, 16}), torch::randint(0, 5, {64}));
  WidthCandidates c(lab4_jsc(), data, train::TrainOptions().epochs(1).batch_size(32));
  c.get({{"fc1", 2.0}, {"fc2", 0.5}});
  c.get({{"fc1", 1.0}, {"fc2", 1.0}});
  auto all = c.candidates();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].label, "fc1x1_fc2x1");
  EXPECT_EQ(all[1].label, "fc1x2_fc2x0.5");
  EXPECT_EQ(all[1].model->spec().layers[all[1].model->spec().find("fc2")].out, 8);
  // The weights round-trip through safetensors (what the search kind writes per candidate).
  auto path = (std::filesystem::temp_directory_path() / "nnc_width_candidate.safetensors").string();
  models::save_safetensors(models::module_state(*all[1].model), path, {{"width", all[1].label}});
  auto back = models::load_safetensors(path);
  auto state = models::module_state(*all[1].model);
  ASSERT_EQ(back.size(), state.size());
  for (auto& [name, t] : state) EXPECT_TRUE(torch::equal(back.at(name), t)) << name;
  std::filesystem::remove(path);
}

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
  auto choice = width_choice(space, {0.5, 2.0}, s, o);
  auto w = widen(s, choice);
  EXPECT_EQ(w.layers[w.find("fc1")].out, 150);
  EXPECT_EQ(w.layers[w.find("fc2")].in, 150);
  EXPECT_EQ(w.layers[w.find("fc2")].out, 200);
  EXPECT_EQ(w.layers[w.find("fc3")].in, 200);

  search::SearchSpace uniform;
  o.mode = WidthMode::kUniform;
  add_width_parameters(uniform, s, o);
  ASSERT_EQ(uniform.size(), 1u);
  auto u = width_choice(uniform, {2.0}, s, o);
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
