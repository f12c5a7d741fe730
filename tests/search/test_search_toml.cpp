#include <gtest/gtest.h>

#include "core/error.h"
#include "search/search_toml.h"
#include "support/expect_error.h"

using namespace nnc::search;

namespace {

// MASE's configs/examples/jsc_toy_by_type.toml, search part (trimmed comments).
const char* kJsc = R"(
[passes.quantize]
by = "type"

[search.search_space]
name = "graph/quantize/mixed_precision_ptq"

[search.search_space.setup]
by = "name"

[search.search_space.seed.default.config]
name = ["NA"]

[search.search_space.seed.linear.config]
name = ["integer"]
data_in_width = [4, 8]
data_in_frac_width = ["NA"]
weight_width = [2, 4, 8]
weight_frac_width = ["NA"]
bias_width = [2, 4, 8]
bias_frac_width = ["NA"]

[search.search_space.seed.seq_blocks_2.config]
name = ["integer"]
weight_width = [2, 4.5]

[search.strategy]
name = "optuna"
eval_mode = true

[search.strategy.sw_runner.basic_evaluation]
data_loader = "val_dataloader"
num_samples = 512

[search.strategy.setup]
n_jobs = 1
n_trials = 20
timeout = 20000
sampler = "tpe"
sum_scaled_metrics = true
direction = "maximize"

[search.strategy.metrics]
accuracy.scale = 1.0
accuracy.direction = "maximize"
average_bitwidth.scale = 0.2
average_bitwidth.direction = "minimize"
)";

std::string error_of(const std::string& text) {
  return nnc::testing::error_message([&] { parse_search_toml(text, "test.toml"); });
}

std::string with_setup(const std::string& setup_lines, const std::string& space_lines =
                                                           "weight_width = [2, 4]") {
  return "[search.search_space.seed.default.config]\n" + space_lines +
         "\n[search.strategy.setup]\n" + setup_lines +
         "\n[search.strategy.metrics]\naccuracy.direction = \"maximize\"\n";
}

}  // namespace

TEST(SearchToml, ParsesMaseJscConfig) {
  SearchConfig cfg = parse_search_toml(kJsc);
  EXPECT_EQ(cfg.space_name, "graph/quantize/mixed_precision_ptq");
  EXPECT_EQ(cfg.setup_by, "name");
  ASSERT_EQ(cfg.space.size(), 10u);
  // File order, not alphabetical.
  EXPECT_EQ(cfg.space[0].name, "default.name");
  EXPECT_EQ(cfg.space[1].name, "linear.name");
  EXPECT_EQ(cfg.space[2].name, "linear.data_in_width");
  EXPECT_EQ(cfg.space[9].name, "seq_blocks_2.weight_width");
  EXPECT_EQ(cfg.seed_params[2].key, "linear");
  EXPECT_EQ(cfg.seed_params[2].field, "data_in_width");
  EXPECT_EQ(std::get<std::string>(cfg.space[0].choices[0]), "NA");
  EXPECT_EQ(std::get<int64_t>(cfg.space[4].choices[2]), 8);
  EXPECT_DOUBLE_EQ(std::get<double>(cfg.space[9].choices[1]), 4.5);
  EXPECT_EQ(cfg.space.cardinality(), 2u * 3u * 3u * 2u);
  EXPECT_EQ(cfg.setup.n_trials, 20);
  EXPECT_DOUBLE_EQ(cfg.setup.timeout_s, 20000);
  EXPECT_EQ(cfg.setup.sampler, "tpe");
  EXPECT_TRUE(cfg.objective.sum_scaled_metrics);
  EXPECT_EQ(cfg.objective.direction, Direction::kMaximize);
  ASSERT_EQ(cfg.objective.metrics.size(), 2u);
  EXPECT_EQ(cfg.objective.metrics[0].name, "accuracy");
  EXPECT_EQ(cfg.objective.metrics[1].name, "average_bitwidth");
  EXPECT_DOUBLE_EQ(cfg.objective.metrics[1].scale, 0.2);
  EXPECT_EQ(cfg.objective.metrics[1].direction, Direction::kMinimize);
  // n_jobs and the strategy keys the library does not use are reported, not dropped silently.
  ASSERT_GE(cfg.ignored.size(), 3u);
  auto opts = cfg.study_options(9);
  EXPECT_EQ(opts.n_trials, 20);
  EXPECT_EQ(opts.seed, 9u);
}

TEST(SearchToml, MultiObjectiveAndMaseSamplerNames) {
  auto cfg = parse_search_toml(R"(
[search.search_space.seed.default.config]
w = [4, 8]
[search.strategy.setup]
n_trials = 5
sampler = "nsgaii"
sum_scaled_metrics = false
[search.strategy.metrics]
accuracy.direction = "maximize"
average_bitwidth.direction = "minimize"
average_bitwidth.scale = 0.5
)");
  EXPECT_FALSE(cfg.objective.sum_scaled_metrics);
  EXPECT_EQ(cfg.objective.directions(),
            (std::vector<Direction>{Direction::kMaximize, Direction::kMinimize}));
  EXPECT_EQ(cfg.setup.sampler, "nsgaii");
  EXPECT_EQ(parse_search_toml(with_setup("n_trials = 3\nsampler = \"brute-force\""))
                .setup.sampler,
            "brute-force");
}

TEST(SearchToml, UnknownSamplerListsValidNames) {
  auto msg = error_of(with_setup("n_trials = 3\nsampler = \"qmc\""));
  EXPECT_NE(msg.find("test.toml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("search.strategy.setup.sampler"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown sampler 'qmc'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("brute-force, nsga2, nsgaii, random, tpe"), std::string::npos) << msg;
}

TEST(SearchToml, ChoiceErrorsNameTheKey) {
  auto msg = error_of(with_setup("n_trials = 3", "weight_width = 8"));
  EXPECT_NE(msg.find("search.search_space.seed.default.config.weight_width"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("expected a list of choices"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[8]"), std::string::npos) << msg;

  msg = error_of(with_setup("n_trials = 3", "weight_width = []"));
  EXPECT_NE(msg.find("search.search_space.seed.default.config.weight_width"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("empty"), std::string::npos) << msg;

  msg = error_of(with_setup("n_trials = 3", "weight_width = [4, true]"));
  EXPECT_NE(msg.find("weight_width[1]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("a boolean"), std::string::npos) << msg;

  msg = error_of(R"(
[search.search_space.seed.default]
weight_width = [4]
[search.strategy.setup]
n_trials = 3
[search.strategy.metrics]
accuracy.direction = "maximize"
)");
  EXPECT_NE(msg.find("search.search_space.seed.default.weight_width"), std::string::npos) << msg;
}

TEST(SearchToml, SetupAndMetricErrors) {
  auto msg = error_of(with_setup("sampler = \"tpe\""));
  EXPECT_NE(msg.find("missing n_trials"), std::string::npos) << msg;
  msg = error_of(with_setup("n_trials = \"many\""));
  EXPECT_NE(msg.find("search.strategy.setup.n_trials: expected an integer"), std::string::npos)
      << msg;
  msg = error_of(with_setup("n_trials = 3\ndirection = \"up\""));
  EXPECT_NE(msg.find("unknown direction 'up'"), std::string::npos) << msg;
  msg = error_of(R"(
[search.search_space.seed.default.config]
w = [4]
[search.strategy.setup]
n_trials = 3
[search.strategy.metrics]
accuracy.direction = "maximize"
loss.direction = "minimize"
)");
  EXPECT_NE(msg.find("missing sum_scaled_metrics"), std::string::npos) << msg;
  msg = error_of(R"(
[search.search_space.seed.default.config]
w = [4]
[search.strategy.setup]
n_trials = 3
[search.strategy.metrics]
accuracy.scal = 2.0
)");
  EXPECT_NE(msg.find("search.strategy.metrics.accuracy.scal: unknown key"), std::string::npos)
      << msg;
  msg = error_of("[search.strategy.setup]\nn_trials = 3\n");
  EXPECT_NE(msg.find("missing [search.search_space] table"), std::string::npos) << msg;
  msg = error_of("[search\nx = 1");
  EXPECT_NE(msg.find("test.toml:1:"), std::string::npos) << msg;
  EXPECT_THROW(load_search_toml("/nonexistent/search.toml"), nnc::Error);
}

TEST(SearchToml, NumericChoicesAreOrderedUnlessListedCategorical) {
  const std::string space = R"(
[search.search_space.setup]
categorical = ["default.code"]
[search.search_space.seed.default.config]
weight_width = [2, 4, 8]
frac_width = ["NA", 2]
code = [3, 1, 2]
)";
  auto cfg = parse_search_toml(space + R"(
[search.strategy.setup]
n_trials = 3
[search.strategy.metrics]
accuracy.direction = "maximize"
)");
  EXPECT_TRUE(cfg.space[0].ordered);
  EXPECT_FALSE(cfg.space[1].ordered);
  EXPECT_FALSE(cfg.space[2].ordered);
  auto bad = [](const std::string& list) {
    return error_of("[search.search_space.setup]\ncategorical = " + list + "\n" +
                    with_setup("n_trials = 3"));
  };
  std::string msg = bad("[\"default.nope\"]");
  EXPECT_NE(msg.find("search.search_space.setup.categorical: search space: unknown parameter "
                     "'default.nope': expected one of default.weight_width"),
            std::string::npos)
      << msg;
  msg = bad("\"default.weight_width\"");
  EXPECT_NE(msg.find("expected a list of parameter names"), std::string::npos) << msg;
}
