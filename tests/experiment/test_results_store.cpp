#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
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

TEST(Export, ANameTwoGroupsShareIsQualifiedSoEveryColumnIsUnique) {
  auto r = record("a", RunStatus::Completed, 0.9);
  r.config_json = R"({"threshold":3,"epochs":1})";
  r.metrics["threshold"] = 5;
  r.metrics["error"] = 7;  // cgp's metric, beside the run's error column
  auto csv = runs_to_csv({r});
  auto header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header, "run_id,kind,status,epochs,config.threshold,metric.error,test_accuracy,metric.threshold,"
                    "run_time,started_at,run.error") << header;
}

// --- never lose a result: attempts, migration, merge guards ------------------------------

namespace {
std::vector<OptionSpec> one_option() { return {{"x", int64_t{1}, "x"}}; }

/// A kind that completes (metric m = the number of its executions) or, with `fail` set,
/// fails; its runs all have one id, as re-runs of one config do.
struct CountingKind {
  int executions = 0;
  bool fail = false;
  ExperimentKind kind() {
    return {"count", "", one_option(), [this](RunContext& ctx) {
              ++executions;
              if (fail) nnc::fail("device 'cuda' requested but this LibTorch build sees no CUDA device");
              ctx.record.metrics["m"] = executions;
              std::ofstream(ctx.artifact("out", "out.txt")) << executions;
            }};
  }
};

/// What a SIGKILLed run leaves: a child process starts an attempt of `config` in `dir` and
/// dies by SIGKILL before recording its end. Returns the child's pid.
pid_t start_attempt_and_die(const std::string& dir, const RunConfig& config) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ResultsStore store(dir);  // the child's own connection
    RunRecord r;
    r.id = config.id();
    r.kind = config.kind();
    r.config_json = config.to_json();
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    r.host = host;
    store.begin_attempt(r);
    ::raise(SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  return pid;
}
}  // namespace

TEST(ResultsStore, CompletedRowIsNeverDowngraded) {
  ResultsStore s(fresh_dir("downgrade"));
  s.put(record("a", RunStatus::Completed, 0.9));
  s.put(record("a", RunStatus::Running, 0));
  s.put(record("a", RunStatus::Failed, 0));
  ASSERT_EQ(s.get("a")->status, RunStatus::Completed);
  EXPECT_DOUBLE_EQ(s.get("a")->metrics.at("test_accuracy"), 0.9);
}

TEST(Runner, RerunOfACompletedRunIsAnAttemptBesideIt) {
  auto dir = fresh_dir("rerun");
  ResultsStore store(dir);
  CountingKind counting;
  auto kind = counting.kind();
  RunConfig config("count", one_option());
  auto first = run_one(kind, config, store, dir, false);
  ASSERT_EQ(first.record.status, RunStatus::Completed);
  EXPECT_FALSE(first.beside_completed);

  auto again = run_one(kind, config, store, dir, false);  // completes too: recorded beside
  EXPECT_TRUE(again.beside_completed);
  EXPECT_EQ(again.record.attempt, 2);
  counting.fail = true;  // e.g. --device cuda on a CPU-only build
  auto failed = run_one(kind, config, store, dir, false);
  EXPECT_EQ(failed.record.status, RunStatus::Failed);

  auto row = store.get(config.id());  // still the first completed result, untouched
  ASSERT_EQ(row->status, RunStatus::Completed);
  EXPECT_EQ(row->attempt, 1);
  EXPECT_DOUBLE_EQ(row->metrics.at("m"), 1);
  EXPECT_EQ(row->artifacts.at("out"), "runs/" + config.id() + "/out.txt");
  std::ifstream kept(fs::path(dir) / row->artifacts.at("out"));
  int written = 0;
  kept >> written;
  EXPECT_EQ(written, 1) << "a re-run overwrote the completed run's artifact";

  auto attempts = store.attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[1].status, RunStatus::Completed);
  EXPECT_DOUBLE_EQ(attempts[1].metrics.at("m"), 2);
  EXPECT_EQ(attempts[1].artifacts.at("out"), "runs/" + config.id() + "/attempt-2/out.txt");
  EXPECT_EQ(attempts[2].status, RunStatus::Failed);
  EXPECT_NE(attempts[2].error.find("cuda"), std::string::npos);
  EXPECT_EQ(store.list().size(), 1u);
  EXPECT_TRUE(store.integrity_ok());
}

TEST(Runner, KilledAttemptKeepsTheCompletedRowAndReadsAsInterrupted) {
  auto dir = fresh_dir("killed");
  CountingKind counting;
  auto kind = counting.kind();
  RunConfig done("count", one_option()), fresh("count", one_option());
  fresh.set("x", int64_t{2});
  {
    ResultsStore store(dir);
    run_one(kind, done, store, dir, false);
  }
  pid_t rerun = start_attempt_and_die(dir, done);
  pid_t first = start_attempt_and_die(dir, fresh);

  ResultsStore store(dir);
  auto row = store.get(done.id());
  ASSERT_EQ(row->status, RunStatus::Completed);
  EXPECT_DOUBLE_EQ(row->metrics.at("m"), 1);
  auto attempts = store.attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[1].pid, rerun);
  EXPECT_EQ(display_status(attempts[1]), "interrupted");

  auto stale = store.get(fresh.id());  // never completed: the row itself reads interrupted
  EXPECT_EQ(stale->pid, first);
  EXPECT_EQ(stale->status, RunStatus::Running);
  EXPECT_EQ(display_status(*stale), "interrupted");
  auto resumed = run_one(kind, fresh, store, dir, true);  // the next attempt takes over
  EXPECT_EQ(resumed.record.attempt, 2);
  EXPECT_EQ(store.get(fresh.id())->status, RunStatus::Completed);

  RunRecord alive = *store.get(fresh.id());  // a live process is never called stale
  alive.status = RunStatus::Running;
  alive.pid = ::getpid();
  EXPECT_EQ(display_status(alive), "running");
}

TEST(ResultsStore, ReadOnlyOpenOfAMissingDatabaseCreatesNothing) {
  auto dir = fresh_dir("typo");
  try {
    ResultsStore s(dir, ResultsStore::Open::ExistingOnly);
    FAIL() << "opened a database that does not exist";
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no results database at '" + dir + "/results.db'"),
              std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ResultsStore, MergeIntoItselfUnderAnotherNameIsRefusedAtOnce) {
  auto dir = fresh_dir("self");
  ResultsStore s(dir);
  s.put(record("a", RunStatus::Completed, 0.9));
  auto link = dir + "-link";
  fs::remove(link);
  fs::create_directory_symlink(dir, link);
  auto name = fs::path(dir).filename().string();
  for (const auto& same : {dir + "/../" + name + "/results.db", link + "/results.db"}) {
    auto t0 = std::chrono::steady_clock::now();
    try {
      s.merge_from(same);
      ADD_FAILURE() << "merged " << same << " into itself";
    } catch (const nnc::Error& e) {
      EXPECT_NE(std::string(e.what()).find("same database file"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5)) << "waited on a lock";
  }
  EXPECT_EQ(s.list().size(), 1u);
  fs::remove(link);
}

TEST(ResultsStore, MergeCarriesAttemptsOnce) {
  auto src = fresh_dir("att-src"), dst = fresh_dir("att-dst");
  CountingKind counting;
  auto kind = counting.kind();
  RunConfig config("count", one_option());
  {
    ResultsStore store(src);
    run_one(kind, config, store, src, false);
    counting.fail = true;
    run_one(kind, config, store, src, false);
  }
  ResultsStore merged(dst);
  EXPECT_EQ(merged.merge_from(src + "/results.db"), 1);
  EXPECT_EQ(merged.merge_from(src + "/results.db"), 0);  // again: nothing new
  auto attempts = merged.attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status, RunStatus::Completed);
  EXPECT_EQ(attempts[1].status, RunStatus::Failed);
  EXPECT_EQ(merged.get(config.id())->attempt, 1);
}

// A results.db written by nncompress before attempts existed (tests/experiment/data/
// results_v0.db: a completed and a failed `train` run, made by commit aad0ae8's binary).
TEST(ResultsStore, DatabaseOfTheFirstSchemaIsMigratedInPlace) {
  const char* src = std::getenv("NNC_SOURCE_DIR");
  ASSERT_NE(src, nullptr) << "NNC_SOURCE_DIR is set by ctest";
  auto dir = fresh_dir("v0"), merged_dir = fresh_dir("v0-merged");
  fs::create_directories(dir);
  auto fixture = fs::path(src) / "tests/experiment/data/results_v0.db";
  fs::copy_file(fixture, fs::path(dir) / "results.db");
  {  // its ids are of the old scheme: merging it would mix two kinds of ids in one database
    ResultsStore merged(merged_dir);
    try {
      merged.merge_from(dir + "/results.db");
      ADD_FAILURE() << "merging a database of old ids must be refused";
    } catch (const nnc::Error& e) {
      EXPECT_NE(std::string(e.what()).find("results migrate --out " + dir), std::string::npos) << e.what();
    }
    EXPECT_TRUE(merged.list().empty());
  }
  ResultsStore store(dir);
  auto runs = store.list();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].status, RunStatus::Completed);
  EXPECT_GT(runs[0].metrics.at("test_accuracy"), 0);
  EXPECT_EQ(runs[1].status, RunStatus::Failed);
  auto attempts = store.attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].attempt, 1);
  EXPECT_EQ(attempts[0].metrics, runs[0].metrics);
  EXPECT_TRUE(store.integrity_ok());

  RunRecord next = runs[0];  // a new attempt of the completed run: number 2, row untouched
  next.status = RunStatus::Running;
  EXPECT_FALSE(store.ids_current());  // recording waits for `results migrate`
  EXPECT_THROW(store.begin_attempt(next), nnc::Error);
  auto report = store.rekey([](const RunRecord& r) { return r.id; });  // ids kept as they are
  EXPECT_EQ(report.runs, 2);
  EXPECT_EQ(report.changed, 0);
  EXPECT_TRUE(store.ids_current());
  {  // now it merges like any other
    ResultsStore merged(merged_dir);
    EXPECT_EQ(merged.merge_from(dir + "/results.db"), 2);
    EXPECT_EQ(merged.attempts().size(), 2u);
    EXPECT_EQ(merged.merge_from(dir + "/results.db"), 0);
  }
  EXPECT_EQ(store.begin_attempt(next).attempt, 2);
  next.status = RunStatus::Failed;
  store.finish_attempt(next);
  EXPECT_EQ(store.get(runs[0].id)->status, RunStatus::Completed);
  ResultsStore again(dir);  // opening a migrated database changes nothing
  EXPECT_EQ(again.attempts().size(), 3u);
}

// `results migrate`: old ids re-keyed, artifacts moved along, runs that now share an id
// merged into one run's attempts, nothing lost; a failure moves the folders back.
TEST(ResultsStore, RekeyMovesRunsArtifactsAndMergesRunsThatNowShareAnId) {
  auto dir = fresh_dir("rekey");
  {
    ResultsStore store(dir);
    auto failed = record("0000000000000001", RunStatus::Failed, 0);
    auto done = record("0000000000000002", RunStatus::Completed, 0.9);
    auto other = record("0000000000000003", RunStatus::Completed, 0.5);
    for (auto* r : {&failed, &done, &other}) {
      r->artifacts["log"] = "runs/" + r->id + "/log.txt";
      fs::create_directories(fs::path(dir) / "runs" / r->id);
      std::ofstream(fs::path(dir) / "runs" / r->id / "log.txt") << r->id;
      store.begin_attempt(*r);
      store.finish_attempt(*r);
    }
  }
  // Back to the old scheme, as a database written by an older binary would be.
  {
    ResultsStore store(dir);
    EXPECT_TRUE(store.ids_current());
  }
  ASSERT_EQ(std::system(("sqlite3 " + dir + "/results.db 'PRAGMA user_version = 1'").c_str()), 0);
  ResultsStore store(dir);
  ASSERT_FALSE(store.ids_current());
  // 1 and 2 now share an id (they differed only in an option that no longer counts).
  auto new_id = [](const RunRecord& r) -> std::string {
    if (r.id == "0000000000000003") nnc::fail("option 'gone' no longer exists");
    return "00000000000000aa";
  };
  auto report = store.rekey(new_id);
  EXPECT_EQ(report.runs, 3);
  EXPECT_EQ(report.changed, 1);
  EXPECT_EQ(report.merged, 1);
  ASSERT_EQ(report.kept.size(), 1u);
  EXPECT_NE(report.kept[0].find("'gone'"), std::string::npos);
  EXPECT_TRUE(store.ids_current());

  auto runs = store.list();
  ASSERT_EQ(runs.size(), 2u);
  auto merged = store.get("00000000000000aa");
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->status, RunStatus::Completed);  // the completed run keeps the row
  EXPECT_DOUBLE_EQ(merged->metrics.at("test_accuracy"), 0.9);
  EXPECT_EQ(merged->artifacts.at("log"), "runs/00000000000000aa/log.txt");
  EXPECT_TRUE(fs::exists(fs::path(dir) / "runs/00000000000000aa/log.txt"));
  EXPECT_TRUE(store.get("0000000000000003"));  // kept its id and folder
  EXPECT_TRUE(fs::exists(fs::path(dir) / "runs/0000000000000003/log.txt"));
  auto attempts = store.attempts();
  ASSERT_EQ(attempts.size(), 3u);
  int of_new = 0;
  for (auto& a : attempts)
    if (a.id == "00000000000000aa") {
      ++of_new;
      if (a.status == RunStatus::Failed) {  // the merged run: attempt 2, its folder inside
        EXPECT_EQ(a.attempt, 2);
        EXPECT_EQ(a.artifacts.at("log"), "runs/00000000000000aa/merged-0000000000000001/log.txt");
        EXPECT_TRUE(fs::exists(fs::path(dir) / a.artifacts.at("log")));
      }
    }
  EXPECT_EQ(of_new, 2);
  EXPECT_TRUE(store.integrity_ok());
}

TEST(Runner, RecordsTheKindsReportTagsWithEveryRun) {
  auto dir = fresh_dir("report-tags");
  ResultsStore store(dir);
  CountingKind counting;
  auto kind = counting.kind();
  kind.report_tags = [](const RunConfig&) { return std::map<std::string, std::string>{{"line", "x"}}; };
  RunConfig config("count", one_option());
  auto done = run_one(kind, config, store, dir, false);
  counting.fail = true;
  auto failed = run_one(kind, config, store, dir, false);
  EXPECT_EQ(store.get(config.id())->tags.at("line"), "x");
  EXPECT_EQ(store.attempts().at(1).tags.at("line"), "x");  // a failed attempt has them too
}

TEST(ResultsStore, AddMissingTagsAddsToRunsAndAttemptsAndNeverChangesARecordedTag) {
  auto dir = fresh_dir("add-tags");
  ResultsStore store(dir);
  CountingKind counting;
  auto kind = counting.kind();
  RunConfig config("count", one_option());
  run_one(kind, config, store, dir, false);
  auto other = record("other", RunStatus::Completed, 0.5);
  other.tags = {{"line", "recorded"}};
  store.put(other);
  auto broken = record("broken", RunStatus::Failed, 0);
  store.put(broken);

  auto today = [](const RunRecord& r) -> std::map<std::string, std::string> {
    if (r.id == "broken") nnc::fail("its config names an option this version no longer has");
    return {{"line", "today"}, {"order", "3"}};
  };
  auto report = store.add_missing_tags(today);
  EXPECT_EQ(report.tagged, 2);
  ASSERT_EQ(report.kept.size(), 1u);
  EXPECT_NE(report.kept[0].find("broken: its config names an option"), std::string::npos) << report.kept[0];
  auto run = store.get(config.id());
  EXPECT_EQ(run->tags.at("line"), "today");
  EXPECT_EQ(run->tags.at("order"), "3");
  EXPECT_EQ(run->status, RunStatus::Completed);  // nothing else of the row changed
  EXPECT_DOUBLE_EQ(run->metrics.at("m"), 1);
  EXPECT_EQ(store.attempts().at(0).tags.at("line"), "today");
  auto kept = store.get("other");
  EXPECT_EQ(kept->tags.at("line"), "recorded");  // a recorded tag is never changed
  EXPECT_EQ(kept->tags.at("order"), "3");
  EXPECT_TRUE(store.get("broken")->tags.empty());
  // Again: nothing is missing any more (the broken run is listed again).
  auto again = store.add_missing_tags(today);
  EXPECT_EQ(again.tagged, 0);
  EXPECT_EQ(again.kept.size(), 1u);
  EXPECT_TRUE(store.integrity_ok());
}
