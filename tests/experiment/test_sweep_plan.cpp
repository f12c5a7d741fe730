// Sweep plans: grid expansion, zip groups, stable ids, validation messages.
#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "experiment/run_command.h"
#include "experiment/sweep_plan.h"
#include "support/expect_error.h"

using namespace nnc::experiment;

namespace {

std::vector<OptionSpec> specs() {
  return {
      {"seed", int64_t{0}, "seed"},
      {"threads", int64_t{0}, "threads", {}, false},
      {"dataset", std::string("blobs"), "dataset"},
      {"lr", 0.001, "learning rate"},
      {"epochs", int64_t{2}, "epochs"},
      {"memory_bytes", std::string("1MiB"), "budget"},
      {"compressor", std::string("none"), "compressor", {"none", "quantize", "thumbnail"}},
      {"compression_factor", 1.0, "factor"},
      {"note", std::string(""), "free text"},
      {"flag", false, "a boolean"},
  };
}

Expansion expand_text(const std::string& text) { return expand(parse_sweep_plan(text, "plan.toml"), specs()); }

std::string error_of(const std::string& text) {
  return nnc::testing::error_message([&] { expand_text(text); });
}

const char* kPlan = R"(
kind = "train"
out = "results/s1"
[fixed]
dataset = "blobs"
epochs = 1
[grid]
lr = [0.01, 0.1]
seed = [0, 1, 2]
[[zip]]
memory_bytes = ["100KiB", "1MiB"]
compression_factor = [0.5, 0.9]
)";

}  // namespace

TEST(SweepPlan, GridTimesZipCountsAndOrder) {
  auto plan = parse_sweep_plan(kPlan, "plan.toml");
  EXPECT_EQ(plan.kind, "train");
  EXPECT_EQ(plan.out, "results/s1");
  auto ex = expand(plan, specs());
  ASSERT_EQ(ex.runs.size(), 2u * 3u * 2u);
  EXPECT_EQ(ex.duplicates, 0u);
  // Grid keys sorted (lr, seed), then the zip group; the last axis varies fastest.
  const auto& c0 = ex.runs[0].config;
  EXPECT_DOUBLE_EQ(c0.get_double("lr"), 0.01);
  EXPECT_EQ(c0.get_int("seed"), 0);
  EXPECT_EQ(c0.get_string("memory_bytes"), "100KiB");
  EXPECT_DOUBLE_EQ(c0.get_double("compression_factor"), 0.5);
  const auto& c1 = ex.runs[1].config;  // zip advances as one: its values stay paired
  EXPECT_EQ(c1.get_string("memory_bytes"), "1MiB");
  EXPECT_DOUBLE_EQ(c1.get_double("compression_factor"), 0.9);
  EXPECT_EQ(c1.get_int("seed"), 0);
  EXPECT_EQ(ex.runs[2].config.get_int("seed"), 1);
  EXPECT_DOUBLE_EQ(ex.runs[6].config.get_double("lr"), 0.1);
  for (auto& r : ex.runs) {
    EXPECT_EQ(r.config.get_int("epochs"), 1);  // fixed applies to every run
    bool paired = (r.config.get_string("memory_bytes") == "100KiB") ==
                  (r.config.get_double("compression_factor") == 0.5);
    EXPECT_TRUE(paired);
  }
  std::vector<std::string> keys{"lr", "seed", "compression_factor", "memory_bytes"};
  EXPECT_EQ(ex.varying_keys, keys);
}

TEST(SweepPlan, SeveralZipGroupsMultiply) {
  auto ex = expand_text(R"(
kind = "x"
[[zip]]
lr = [0.1, 0.2, 0.3]
epochs = [1, 2, 3]
[[zip]]
seed = [5, 6]
note = ["a", "b"]
)");
  EXPECT_EQ(ex.runs.size(), 6u);
  EXPECT_EQ(ex.runs[1].config.get_int("seed"), 6);
  EXPECT_EQ(ex.runs[1].config.get_string("note"), "b");
}

TEST(SweepPlan, NoGridIsOneRun) {
  auto ex = expand_text("kind = \"x\"\n[fixed]\nlr = 0.5\n");
  ASSERT_EQ(ex.runs.size(), 1u);
  EXPECT_DOUBLE_EQ(ex.runs[0].config.get_double("lr"), 0.5);
}

TEST(SweepPlan, StableIdsIndependentOfKeyOrder) {
  auto a = expand_text(kPlan);
  auto b = expand_text(kPlan);
  auto c = expand_text(R"(
kind = "train"
[[zip]]
compression_factor = [0.5, 0.9]
memory_bytes = ["100KiB", "1MiB"]
[grid]
seed = [2, 1, 0]
lr = [0.1, 0.01]
[fixed]
epochs = 1
dataset = "blobs"
)");
  ASSERT_EQ(a.runs.size(), b.runs.size());
  std::set<std::string> ia, ic;
  for (size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].id, b.runs[i].id);
    EXPECT_EQ(a.runs[i].id.size(), 16u);
    ia.insert(a.runs[i].id);
  }
  for (auto& r : c.runs) ic.insert(r.id);
  EXPECT_EQ(ia, ic);  // same configurations, same ids, whatever the order in the file
  EXPECT_EQ(ia.size(), a.runs.size());
}

TEST(SweepPlan, IdEqualsSingleRunId) {
  // A sweep's run has the id the same config gets from `nncompress train --lr 0.1 ...`.
  auto ex = expand_text("kind = \"train\"\n[grid]\nlr = [0.1]\n");
  RunConfig single("train", specs());
  single.set_from_string("lr", "0.1");
  EXPECT_EQ(ex.runs[0].id, single.id());
}

TEST(SweepPlan, DuplicatesCollapse) {
  // threads does not affect results: three values, one id per lr.
  auto ex = expand_text("kind = \"x\"\n[grid]\nlr = [0.1, 0.2, 0.1]\nthreads = [1, 2]\n");
  EXPECT_EQ(ex.runs.size(), 2u);
  EXPECT_EQ(ex.duplicates, 4u);
  // int 1 and float 1.0 normalise to the same value for a float option.
  auto ex2 = expand_text("kind = \"x\"\n[grid]\nlr = [1, 1.0]\n");
  EXPECT_EQ(ex2.runs.size(), 1u);
}

TEST(SweepPlan, KebabKeysAreAccepted) {
  auto ex = expand_text("kind = \"x\"\n[grid]\nmemory-bytes = [\"1KiB\", \"2KiB\"]\n");
  ASSERT_EQ(ex.runs.size(), 2u);
  EXPECT_EQ(ex.varying_keys, std::vector<std::string>{"memory_bytes"});
  EXPECT_EQ(ex.runs[1].config.get_string("memory_bytes"), "2KiB");
}

TEST(SweepPlan, ErrorsNamePlanKeyAndFix) {
  auto e = error_of("kind = \"x\"\n[grid]\nepoks = [1, 2]\n");
  EXPECT_NE(e.find("plan.toml"), std::string::npos) << e;
  EXPECT_NE(e.find("epoks"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'epochs'"), std::string::npos) << e;

  e = error_of("kind = \"x\"\n[[zip]]\nlr = [0.1, 0.2]\nseed = [1, 2, 3]\n");
  EXPECT_NE(e.find("equal lengths"), std::string::npos) << e;
  EXPECT_NE(e.find("'seed' has 3 values but 'lr' has 2"), std::string::npos) << e;

  e = error_of("kind = \"x\"\n[grid]\nlr = 0.1\n");
  EXPECT_NE(e.find("expected a list"), std::string::npos) << e;
  e = error_of("kind = \"x\"\n[grid]\nlr = []\n");
  EXPECT_NE(e.find("empty"), std::string::npos) << e;
  e = error_of("kind = \"x\"\n[fixed]\nlr = 0.1\n[grid]\nlr = [0.2]\n");
  EXPECT_NE(e.find("'lr' appears more than once"), std::string::npos) << e;
  e = error_of("[grid]\nlr = [0.2]\n");
  EXPECT_NE(e.find("missing 'kind'"), std::string::npos) << e;
  e = error_of("kind = \"x\"\nlr = 0.1\n");
  EXPECT_NE(e.find("unexpected top-level key 'lr'"), std::string::npos) << e;
  e = error_of("kind = \"x\"\n[grid]\ncompressor = [\"none\", \"zip\"]\n");
  EXPECT_NE(e.find("'zip' is not one of"), std::string::npos) << e;
  e = error_of("kind = \"x\"\n[grid]\nepochs = [\"many\"]\n");
  EXPECT_NE(e.find("[grid]"), std::string::npos) << e;
  EXPECT_NE(e.find("not an integer"), std::string::npos) << e;
  e = error_of("kind = \"x\"\n[grid\n");
  EXPECT_NE(e.find("plan.toml:2"), std::string::npos) << e;
}

TEST(RunCommand, RoundTripsToTheSameId) {
  auto ex = expand_text(R"(
kind = "x"
[fixed]
note = "it's a -test with spaces"
flag = true
[grid]
lr = [1e-05, 0.1, 3.0, 123456.789]
seed = [-3, 7]
)");
  for (auto& run : ex.runs) {
    auto argv = run_command("/bin/nncompress", run.config, "/tmp/out dir");
    ASSERT_GE(argv.size(), 3u);
    EXPECT_EQ(argv[1], "x");
    EXPECT_EQ(argv.back(), "--out=/tmp/out dir");
    RunConfig back("x", specs());
    for (size_t i = 2; i + 1 < argv.size(); ++i) {
      auto eq = argv[i].find('=');
      back.set_from_string(argv[i].substr(2, eq - 2), argv[i].substr(eq + 1));
    }
    EXPECT_EQ(back.id(), run.id) << shell_line(argv);
  }
  EXPECT_EQ(shell_quote("plain/path-1.toml"), "plain/path-1.toml");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}
