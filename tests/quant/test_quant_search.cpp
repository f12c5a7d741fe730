// Model-level search: the space is built from the seed, brute force enumerates exactly the
// product, metrics never accumulate across trials, evaluation data is not training data.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include "data/dataset.h"
#include "models/zoo.h"
#include "quant/quant_search.h"

using namespace nnc;
using namespace nnc::quant;

namespace {

std::string plan_text(const std::string& by, const std::string& sampler, int n_trials,
                      const std::string& extra = "") {
  return R"(
[search.search_space]
name = "graph/quantize/mixed_precision_ptq"
[search.search_space.setup]
by = ")" + by + R"("
[search.search_space.seed.default.config]
name = ["NA"]
[search.search_space.seed.linear.config]
name = ["integer"]
data_in_width = [4, 8]
data_in_frac_width = ["NA"]
weight_width = [2, 4, 8]
weight_frac_width = ["NA"]
bias_width = [8]
bias_frac_width = ["NA"]
)" + extra + R"(
[search.strategy]
name = "optuna"
[search.strategy.sw_runner.basic_evaluation]
data_loader = "val_dataloader"
[search.strategy.setup]
n_trials = )" + std::to_string(n_trials) + R"(
sampler = ")" + sampler + R"("
sum_scaled_metrics = true
direction = "maximize"
[search.strategy.metrics]
accuracy.scale = 1.0
accuracy.direction = "maximize"
average_bitwidth.scale = 0.01
average_bitwidth.direction = "minimize"
)";
}

struct Fixture {
  train::TensorSource train_data{torch::randn({96, 4}), torch::randint(0, 3, {96})};
  train::TensorSource val_data{torch::randn({48, 4}), torch::randint(0, 3, {48})};
  QuantizedModelPtr base;
  Fixture() {
    torch::manual_seed(2);
    auto m = models::make_model("mlp", models::ModelOptions().num_classes(3).layers({4, 5, 3}));
    base = QuantizedModel::from_model(*m, {4});
  }
  QuantSearch make(const std::string& text, uint64_t seed = 0) {
    QuantSearchOptions o;
    o.plan = parse_search_plan(text, "plan.toml");
    o.study = o.plan.search.study_options(seed);
    o.measure.latency_repeats = 1;
    o.measure.latency_warmup = 0;
    return QuantSearch(base, train_data, val_data, 3, o);
  }
};

}  // namespace

TEST(QuantSearch, ByTypeBruteForceEnumeratesTheProduct) {
  Fixture f;
  auto s = f.make(plan_text("type", "brute-force", 1000));
  // linear: 1*2*1*3*1*1 choices, relu: default name NA (1) -> 6 configurations.
  ASSERT_EQ(s.targets().size(), 2u);
  EXPECT_EQ(s.targets()[0].key, "linear");
  EXPECT_EQ(s.targets()[1].seed_key, "default");
  EXPECT_EQ(s.space().cardinality(), 6u);
  auto r = s.run();
  ASSERT_EQ(r.study.trials.size(), 6u);
  std::set<std::vector<int>> seen;
  for (auto& t : r.study.trials) seen.insert(t.index);
  EXPECT_EQ(seen.size(), 6u);
  ASSERT_EQ(r.best.size(), 1u);
  // by = "type" really quantizes (the original quantized nothing): bitwidth follows the trial.
  std::set<double> widths;
  for (auto& m : r.metrics) widths.insert(m->cost.average_bitwidth);
  EXPECT_EQ(widths, (std::set<double>{2, 4, 8}));
}

TEST(QuantSearch, ByNameOneGroupPerLayer) {
  Fixture f;
  auto s = f.make(plan_text("name", "brute-force", 1000, R"(
[search.search_space.seed.fc2.config]
name = ["integer"]
weight_width = [4, 8]
)"));
  // fc1 <- default (NA), relu1 <- default, fc2 <- its own seed: 2 choices in all.
  EXPECT_EQ(s.space().cardinality(), 2u);
  EXPECT_EQ(s.targets()[2].key, "fc2");
  auto r = s.run();
  EXPECT_EQ(r.study.trials.size(), 2u);
  auto c = s.config_of(r.study.trials[0].params);
  EXPECT_EQ(c.by, ConfigBy::kName);
}

TEST(QuantSearch, MetricsDoNotAccumulateAcrossTrials) {
  Fixture f;
  auto s = f.make(plan_text("type", "random", 30));
  auto r = s.run();
  // The same configuration gives the same metrics whenever it is evaluated.
  for (size_t i = 0; i < r.study.trials.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (r.study.trials[i].index == r.study.trials[j].index) {
        EXPECT_EQ(r.metrics[i]->accuracy, r.metrics[j]->accuracy);
        EXPECT_EQ(r.metrics[i]->loss, r.metrics[j]->loss);
        EXPECT_EQ(r.metrics[i]->samples, 48);
        EXPECT_EQ(r.study.trials[i].values, r.study.trials[j].values);
      }
  auto a = s.evaluate(r.study.trials[0].params);
  auto b = s.evaluate(r.study.trials[0].params);
  EXPECT_EQ(a.accuracy, b.accuracy);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.accuracy, r.metrics[0]->accuracy);
  // The base model is never changed by a trial.
  EXPECT_FALSE(f.base->layers()[1].config.quantized());
}

TEST(QuantSearch, OutputsAndPareto) {
  Fixture f;
  std::string text = plan_text("type", "nsga2", 8);
  text.replace(text.find("sum_scaled_metrics = true"), 25, "sum_scaled_metrics = false");
  auto s = f.make(text);
  auto r = s.run();
  EXPECT_FALSE(r.best.empty());
  for (size_t i : r.best) EXPECT_TRUE(r.study.trials[i].complete());
  std::ostringstream csv;
  write_trials_csv(r, csv);
  std::string line;
  std::istringstream in(csv.str());
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 9);
  EXPECT_NE(csv.str().find("linear.weight_width"), std::string::npos);
  EXPECT_NE(best_json(r).find("\"pareto\""), std::string::npos);
  EXPECT_NE(trials_json(r).find("macro_accuracy"), std::string::npos);
  // Each chosen trial re-measured on held-out data: what model_of + measure give.
  auto tested = s.test_best(r, f.train_data);
  ASSERT_EQ(tested.size(), r.best.size());
  for (size_t j = 0; j < tested.size(); ++j) {
    EXPECT_EQ(tested[j].trial, &r.study.trials[r.best[j]]);
    auto m = s.model_of(tested[j].trial->params);
    EXPECT_EQ(tested[j].config, m->describe());
    MeasureOptions mo;
    mo.latency_repeats = 1;
    mo.latency_warmup = 0;
    EXPECT_EQ(tested[j].test.accuracy, measure(*m, f.train_data, 3, mo).accuracy);
  }
}

TEST(QuantSearch, WidthAndBitsTogether) {
  Fixture f;
  auto s = f.make(plan_text("type", "brute-force", 1000, R"(
[search.width_search]
mode = "uniform"
multipliers = [1, 2]
epochs = 1
batch_size = 32
)"));
  EXPECT_EQ(s.space().cardinality(), 12u);
  auto r = s.run();
  EXPECT_EQ(r.study.trials.size(), 12u);
  EXPECT_EQ(r.widths_trained, 2);  // each width trained once, shared by its bit-width trials
}

TEST(QuantSearch, PlanErrorsNameFileAndKey) {
  Fixture f;
  auto error_of = [&](const std::string& text) {
    try {
      f.make(text);
    } catch (const nnc::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string bad_metric = plan_text("type", "tpe", 5);
  bad_metric.replace(bad_metric.find("average_bitwidth.scale"), 16, "avg_bitwidth");
  bad_metric.replace(bad_metric.find("average_bitwidth.direction"), 16, "avg_bitwidth");
  auto m = error_of(bad_metric);
  EXPECT_NE(m.find("plan.toml"), std::string::npos) << m;
  EXPECT_NE(m.find("search.strategy.metrics.avg_bitwidth"), std::string::npos) << m;
  m = error_of(plan_text("name", "tpe", 5, "[search.search_space.seed.fc9.config]\nname = [\"NA\"]\n"));
  EXPECT_NE(m.find("search.search_space.seed.fc9"), std::string::npos) << m;
  m = error_of(plan_text("type", "tpe", 5, "[search.search_space.seed.conv.config]\nname = [\"NA\"]\n"));
  EXPECT_NE(m.find("seed.conv"), std::string::npos) << m;
  std::string bad_loader = plan_text("type", "tpe", 5);
  bad_loader.replace(bad_loader.find("val_dataloader"), 14, "dev_dataloader");
  m = error_of(bad_loader);
  EXPECT_NE(m.find("data_loader"), std::string::npos) << m;
}

TEST(QuantSearch, EvaluationSplitIsNotTrainingData) {
  data::Dataset train;
  train.name = "toy";
  train.inputs = torch::arange(200, torch::kFloat32).view({100, 2});  // unique rows
  train.targets = torch::arange(100, torch::kInt64) % 2;
  train.num_classes = 2;
  auto test = train.subset(torch::arange(0, 10, torch::kInt64));
  auto d = split_search_data(train, test, "val_dataloader", 0.2, 0, 7);
  EXPECT_EQ(d.fit.size() + d.eval.size(), 100);
  EXPECT_EQ(d.eval.size(), 20);
  std::set<float> fit_rows;
  for (int64_t i = 0; i < d.fit.size(); ++i) fit_rows.insert(d.fit.inputs[i][0].item<float>());
  for (int64_t i = 0; i < d.eval.size(); ++i)
    EXPECT_EQ(fit_rows.count(d.eval.inputs[i][0].item<float>()), 0u);
  auto t = split_search_data(train, test, "test_dataloader", 0.2, 5, 7);
  EXPECT_EQ(t.eval.size(), 5);  // num_samples
  EXPECT_EQ(t.fit.size(), 100);
}

TEST(QuantSearch, ExamplesParseAndFitTheirModels) {
  const char* root = std::getenv("NNC_SOURCE_DIR");
  if (!root) GTEST_SKIP() << "NNC_SOURCE_DIR not set (run through ctest)";
  const std::string dir = std::string(root) + "/examples/quant/";
  struct Case { std::string file, model; std::vector<int64_t> shape; int64_t classes; bool plan, quant; };
  for (auto& c : std::vector<Case>{
           {"jsc_toy_by_type.toml", "jsc-tiny", {16}, 5, true, true},
           {"lenet5_int8_by_type.toml", "lenet5", {1, 28, 28}, 10, false, true},
           {"lenet5_mixed_by_regex.toml", "lenet5", {1, 28, 28}, 10, false, true},
           {"lenet5_fmnist_search.toml", "lenet5", {1, 28, 28}, 10, true, false},
           {"mlp_fmnist_width_search.toml", "lenet300100", {1, 28, 28}, 10, true, false}}) {
    auto o = models::ModelOptions().num_classes(c.classes);
    if (c.shape.size() == 3) o.input(1, 28, 28);
    auto base = QuantizedModel::from_model(*models::make_model(c.model, o), c.shape);
    if (c.quant) base->copy()->apply(load_quant_toml(dir + c.file));
    if (c.plan) {
      QuantSearchOptions so;
      so.plan = load_search_plan(dir + c.file);
      so.study = so.plan.search.study_options(0);
      train::TensorSource none(torch::zeros({1, 1}), torch::zeros({1}, torch::kInt64));
      QuantSearch s(base, none, none, c.classes, so);
      EXPECT_GT(s.space().cardinality(), 1u) << c.file;
    }
  }
}

TEST(QuantSearch, EveryChoiceIsCheckedUpFront) {
  Fixture f;
  std::string text = plan_text("type", "tpe", 5);
  text.replace(text.find("weight_width = [2, 4, 8]"), 24, "weight_width = [2, 4, \"8\"]");
  try {
    f.make(text);
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("seed.linear.config.weight_width"), std::string::npos)
        << e.what();
  }
}
