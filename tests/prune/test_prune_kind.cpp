// `nncompress prune` end to end on a tiny teacher-student run: runs.csv (header once, a row
// per run), the per-epoch CSV, the masked weights as safetensors, and the results database.
// Built from the kind's source directly so this test needs no other pillar.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/progress.h"
#include "experiment/kinds/kinds.h"
#include "experiment/runner.h"
#include "models/safetensors.h"

using namespace nnc::experiment;
namespace fs = std::filesystem;

namespace {
ExperimentKind kind_with_common() {
  auto k = prune_kind();
  auto opts = common_options();
  opts.insert(opts.end(), k.options.begin(), k.options.end());
  k.options = opts;
  return k;
}

RunConfig tiny(const ExperimentKind& k, const std::string& procedure) {
  RunConfig c(k.name, k.options);
  c.set("dataset", std::string("teacher-student"));
  c.set("procedure", procedure);
  c.set("alpha", 0.01);
  c.set("gauss_loss", true);
  c.set("n_val", int64_t{200});
  c.set("n_test", int64_t{200});
  c.set("min_epochs", int64_t{20});
  c.set("max_epochs", int64_t{60});
  c.set("smoothing_window", int64_t{10});
  c.set("finetuning_min_epochs", int64_t{10});
  c.set("finetuning_max_epochs", int64_t{20});
  c.set("delete_neurons", true);
  c.set("lr", 5e-3);
  return c;
}
}  // namespace

TEST(PruneKind, WritesRunsCsvEpochsWeightsAndRecord) {
  nnc::Progress::set_quiet(true);
  auto dir = fs::temp_directory_path() / "nnc_test_prune_kind";
  fs::remove_all(dir);
  auto k = kind_with_common();
  ResultsStore store(dir.string());
  auto a = run_one(k, tiny(k, "drr"), store, dir.string(), false);
  auto b = run_one(k, tiny(k, "pmmp"), store, dir.string(), false);
  ASSERT_EQ(a.record.status, RunStatus::Completed) << a.record.error;
  ASSERT_EQ(b.record.status, RunStatus::Completed) << b.record.error;
  // runs.csv: one header, one row per run, the original's columns then nonzeros/compression_ratio.
  std::ifstream csv(dir / "runs.csv");
  std::string header, row1, row2, extra;
  std::getline(csv, header), std::getline(csv, row1), std::getline(csv, row2);
  EXPECT_FALSE(std::getline(csv, extra));
  EXPECT_EQ(header.rfind("seed,", 0), 0u) << header;
  EXPECT_NE(header.find(",run_id,experiment_name,timestamp,run_time,final_accuracy_trainset,final_accuracy_valset,"
                        "final_accuracy_testset,final_loss_trainset,final_loss_valset,final_loss_testset,final_l0_loss,"
                        "final_sigma,l0_norm,nonzeros,compression_ratio"),
            std::string::npos)
      << header;
  std::set<std::string> columns;  // pandas renames a repeated column (experiment_name.1)
  std::stringstream names(header);
  for (std::string col; std::getline(names, col, ',');) EXPECT_TRUE(columns.insert(col).second) << col;
  EXPECT_NE(row1.find(a.record.id), std::string::npos);
  EXPECT_NE(row2.find(b.record.id), std::string::npos);
  // Artifacts.
  for (auto* r : {&a.record, &b.record}) {
    ASSERT_TRUE(r->artifacts.count("epochs"));
    ASSERT_TRUE(r->artifacts.count("weights"));
    std::ifstream epochs(dir / r->artifacts.at("epochs"));
    std::string eh;
    std::getline(epochs, eh);
    EXPECT_EQ(eh, "phase,epoch,train_loss,train_accuracy,val_loss,val_accuracy,l0");
    auto weights = nnc::models::load_safetensors((dir / r->artifacts.at("weights")).string());
    EXPECT_TRUE(weights.count("fc1.weight"));
    EXPECT_GT(r->metrics.at("compression_ratio"), 1.0);
    EXPECT_EQ(r->metrics.at("teacher_parameters"), 72.0);
    EXPECT_TRUE(r->metrics.count("reached_teacher_nonzeros"));
    EXPECT_TRUE(r->tags.count("alive_widths"));
  }
  auto stored = store.get(a.record.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->metrics.at("nonzeros"), a.record.metrics.at("nonzeros"));
  fs::remove_all(dir);
}

TEST(PruneKind, BadOptionsNameTheOption) {
  auto k = kind_with_common();
  auto dir = fs::temp_directory_path() / "nnc_test_prune_kind_bad";
  fs::remove_all(dir);
  ResultsStore store(dir.string());
  auto run_error = [&](const std::string& key, const Value& v) {
    auto c = tiny(k, "drr");
    c.set(key, v);
    auto out = run_one(k, c, store, dir.string(), false);
    EXPECT_EQ(out.record.status, RunStatus::Failed) << key;
    return out.record.error;
  };
  EXPECT_NE(run_error("teacher", std::string("2,x,1")).find("'teacher'"), std::string::npos);
  EXPECT_NE(run_error("student", std::string("2")).find("'student'"), std::string::npos);
  EXPECT_NE(run_error("student", std::string("3,25,1")).find("'student'"), std::string::npos);
  EXPECT_NE(run_error("alpha", -1.0).find("'alpha'"), std::string::npos);
  // procedure has choices: an unknown name is refused when set, listing the valid ones.
  auto c = tiny(k, "drr");
  try {
    c.set("procedure", std::string("obd"));
    ADD_FAILURE() << "unknown procedure accepted";
  } catch (const nnc::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("pmmp"), std::string::npos) << msg;
  }
  fs::remove_all(dir);
}

TEST(PruneKind, ExampleConfigsParse) {
  const char* src = std::getenv("NNC_SOURCE_DIR");
  fs::path dir = fs::path(src ? src : NNC_TEST_SOURCE_DIR) / "examples" / "prune";
  ASSERT_TRUE(fs::exists(dir)) << dir;
  auto k = kind_with_common();
  int n = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() != ".toml") continue;
    RunConfig c(k.name, k.options);
    EXPECT_NO_THROW(c.apply_toml_file(f.path().string())) << f.path();
    ++n;
  }
  EXPECT_GE(n, 4);
}

TEST(PruneKind, RunIdentityCountsTheSelectedProceduresOptionsOnly) {
  auto k = kind_with_common();
  auto id = [&](const std::string& procedure, const std::string& key = "", const Value& v = Value(0.0)) {
    RunConfig c(k.name, k.options);
    c.set("procedure", procedure);
    if (!key.empty()) c.set(key, v);
    return c.id();
  };
  EXPECT_EQ(id("pmmp"), id("pmmp", "beta", 1.0));  // DRR's option
  EXPECT_NE(id("drr"), id("drr", "beta", 1.0));
  EXPECT_EQ(id("drr"), id("drr", "l1_alpha", 1.0));  // PMMP's option
  EXPECT_NE(id("pmmp"), id("pmmp", "l1_alpha", 1.0));
  EXPECT_EQ(id("magnitude"), id("magnitude", "alpha", 1.0));  // no regulariser: alpha unused
  EXPECT_NE(id("magnitude"), id("magnitude", "magnitude_compression", 5.0));
  EXPECT_NE(id("rl1"), id("rl1", "lr", 0.1));  // every procedure's option
  EXPECT_NE(id("rl1"), id("rl1", "alpha", 1.0));
}
