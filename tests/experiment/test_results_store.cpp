#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "experiment/export.h"
#include "experiment/experiment_kind.h"
#include "experiment/results_store.h"
#include "experiment/runner.h"

using namespace nnc::experiment;
namespace fs = std::filesystem;

namespace {
std::string fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("nnc-store-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d.string();
}
RunRecord record(const std::string& id, RunStatus status, double acc) {
  RunRecord r;
  r.id = id;
  r.kind = "train";
  r.config_json = R"({"epochs":1,"note":"a,b"})";
  r.status = status;
  r.metrics["test_accuracy"] = acc;
  r.series["epoch_loss"] = {1.0, 0.5};
  return r;
}
}  // namespace

TEST(ResultsStore, PutGetList) {
  ResultsStore s(fresh_dir("basic"));
  s.put(record("a", RunStatus::Completed, 0.9));
  s.put(record("b", RunStatus::Failed, 0));
  s.put(record("a", RunStatus::Completed, 0.95));  // replace keeps one row
  auto all = s.list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "a");
  EXPECT_DOUBLE_EQ(all[0].metrics.at("test_accuracy"), 0.95);
  EXPECT_EQ(all[0].series.at("epoch_loss").size(), 2u);
  EXPECT_TRUE(s.is_completed("a"));
  EXPECT_FALSE(s.is_completed("b"));
  EXPECT_FALSE(s.get("zzz").has_value());
  EXPECT_TRUE(s.integrity_ok());
}

TEST(ResultsStore, NanMetricsAndSeriesRoundTrip) {
  // A diverged run or a failed search trial records NaN; JSON stores it as null and
  // reading the store back must neither throw nor turn it into a number.
  ResultsStore s(fresh_dir("nan"));
  auto r = record("nan", RunStatus::Completed, std::nan(""));
  r.series["trial_value"] = {0.5, std::nan(""), 0.25};
  s.put(r);
  auto back = s.get("nan");
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(std::isnan(back->metrics.at("test_accuracy")));
  ASSERT_EQ(back->series.at("trial_value").size(), 3u);
  EXPECT_DOUBLE_EQ(back->series.at("trial_value")[0], 0.5);
  EXPECT_TRUE(std::isnan(back->series.at("trial_value")[1]));
  EXPECT_EQ(s.list().size(), 1u);
}

TEST(ResultsStore, MergeKeepsCompletedAndDeduplicates) {
  auto d1 = fresh_dir("m1"), d2 = fresh_dir("m2"), d3 = fresh_dir("m3");
  {
    ResultsStore a(d1), b(d2);
    a.put(record("x", RunStatus::Completed, 0.5));
    a.put(record("y", RunStatus::Failed, 0));
    b.put(record("x", RunStatus::Running, 0));    // must not replace a completed x
    b.put(record("y", RunStatus::Completed, 0.7));  // upgrades y
    b.put(record("z", RunStatus::Completed, 0.8));
  }
  ResultsStore merged(d3);
  merged.merge_from(d1 + "/results.db");
  merged.merge_from(d2 + "/results.db");
  merged.merge_from(d2 + "/results.db");  // idempotent
  auto all = merged.list();
  ASSERT_EQ(all.size(), 3u);
  for (auto& r : all) EXPECT_EQ(r.status, RunStatus::Completed) << r.id;
  EXPECT_DOUBLE_EQ(merged.get("x")->metrics.at("test_accuracy"), 0.5);
  EXPECT_THROW(merged.merge_from(d3 + "/nope.db"), nnc::Error);
}

TEST(ResultsStore, UnwritableDirectoryIsAClearError) {
  if (::geteuid() == 0) {
    // root ignores permissions; a file in place of the directory still fails.
    auto f = fresh_dir("file");
    fs::create_directories(fs::path(f).parent_path());
    std::ofstream(f) << "x";
    EXPECT_THROW(ResultsStore s(f + "/sub"), nnc::Error);
    return;
  }
  auto d = fresh_dir("ro");
  fs::create_directories(d);
  fs::permissions(d, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(ResultsStore s(d), nnc::Error);
}

TEST(Runner, FailureIsRecordedWithReason) {
  auto dir = fresh_dir("runner");
  ResultsStore store(dir);
  std::vector<OptionSpec> specs = {{"x", int64_t{1}, "x"}};
  ExperimentKind ok{"ok", "", specs, [](RunContext& ctx) { ctx.record.metrics["m"] = 1; }};
  ExperimentKind bad{"bad", "", specs, [](RunContext&) { nnc::fail("loss is NaN at epoch 3"); }};
  RunConfig c1("ok", specs), c2("bad", specs);
  auto r1 = run_one(ok, c1, store, dir, true);
  EXPECT_EQ(r1.record.status, RunStatus::Completed);
  auto again = run_one(ok, c1, store, dir, true);
  EXPECT_TRUE(again.skipped);
  auto r2 = run_one(bad, c2, store, dir, true);
  EXPECT_EQ(r2.record.status, RunStatus::Failed);
  EXPECT_NE(store.get(c2.id())->error.find("NaN"), std::string::npos);
}

TEST(Export, CsvHasConfigAndMetricColumnsQuoted) {
  std::vector<RunRecord> runs = {record("a", RunStatus::Completed, 0.9)};
  auto csv = runs_to_csv(runs);
  EXPECT_NE(csv.find("run_id,kind,status,epochs,note,test_accuracy"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"a,b\""), std::string::npos) << csv;
  EXPECT_NE(runs_to_json(runs).find("\"test_accuracy\": 0.9"), std::string::npos);
}
