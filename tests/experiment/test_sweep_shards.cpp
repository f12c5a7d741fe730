// Sub-batches (complete, disjoint, deterministic), SLURM script, merge de-duplication,
// concurrent writers on one database.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include "core/error.h"
#include "experiment/results_store.h"
#include "experiment/sharding.h"
#include "experiment/slurm.h"

using namespace nnc::experiment;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("nnc-sweep-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d.string();
}

std::vector<std::string> some_ids(size_t n) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i) ids.push_back(fmt::format("{:016x}", (i * 2654435761ULL) ^ 0x5bd1e995ULL));
  return ids;
}

RunRecord record(const std::string& id, RunStatus status) {
  RunRecord r;
  r.id = id;
  r.kind = "train";
  r.config_json = "{}";
  r.status = status;
  if (status == RunStatus::Completed) r.metrics["test_accuracy"] = 0.5;
  return r;
}

}  // namespace

TEST(Sharding, UnionIsAllAndPairwiseDisjoint) {
  for (size_t n_runs : {0u, 1u, 5u, 12u, 37u}) {
    auto ids = some_ids(n_runs);
    for (int n = 1; n <= 7; ++n) {
      std::vector<int> owner(ids.size(), -1);
      size_t smallest = ids.size(), largest = 0;
      for (int i = 0; i < n; ++i) {
        auto part = sub_batch(ids, n, i);
        EXPECT_TRUE(std::is_sorted(part.begin(), part.end()));  // plan order kept
        smallest = std::min(smallest, part.size());
        largest = std::max(largest, part.size());
        for (size_t k : part) {
          EXPECT_EQ(owner[k], -1) << "run " << k << " in sub-batches " << owner[k] << " and " << i;
          owner[k] = i;
        }
      }
      for (size_t k = 0; k < ids.size(); ++k) EXPECT_NE(owner[k], -1) << "run " << k << " in no sub-batch";
      EXPECT_LE(largest - std::min(smallest, largest), 1u);  // balanced
    }
  }
}

TEST(Sharding, DependsOnlyOnTheSetOfIds) {
  auto ids = some_ids(20);
  auto shuffled = ids;
  std::reverse(shuffled.begin(), shuffled.end());
  for (int i = 0; i < 3; ++i) {
    std::set<std::string> a, b;
    for (size_t k : sub_batch(ids, 3, i)) a.insert(ids[k]);
    for (size_t k : sub_batch(shuffled, 3, i)) b.insert(shuffled[k]);
    EXPECT_EQ(a, b);
  }
}

TEST(Sharding, BadArgumentsAreRefused) {
  auto ids = some_ids(3);
  EXPECT_THROW(sub_batch(ids, 0, 0), nnc::Error);
  EXPECT_THROW(sub_batch(ids, 3, 3), nnc::Error);
  EXPECT_THROW(sub_batch(ids, 3, -1), nnc::Error);
  try {
    sub_batch(ids, 3, 3);
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("0-based"), std::string::npos);
  }
}

TEST(Slurm, ArrayScript) {
  SlurmOptions o;
  o.binary = "/opt/nnc/nncompress";
  o.plan = "/home/me/plan.toml";
  o.out = "/scratch/sweep 1";
  o.num_sub_batches = 4;
  o.partition = "gpu";
  o.mem = "8G";
  o.cpus_per_task = 4;
  o.jobs = 2;
  auto s = slurm_array_script(o);
  EXPECT_EQ(s.rfind("#!/bin/bash\n", 0), 0u);
  for (auto want : {"#SBATCH --array=0-3\n", "#SBATCH --partition=gpu\n", "#SBATCH --mem=8G\n",
                    "#SBATCH --cpus-per-task=4\n", "#SBATCH --time=01:00:00\n",
                    "--num-sub-batches 4 --sub-batch \"$SLURM_ARRAY_TASK_ID\"",
                    "--jobs 2 --threads 2", "'/scratch/sweep 1'/shard-\"$SLURM_ARRAY_TASK_ID\"",
                    "exec /opt/nnc/nncompress sweep /home/me/plan.toml"})
    EXPECT_NE(s.find(want), std::string::npos) << want << "\n" << s;
  o.sets = {"device=cuda", "data_dir=/data/my cifar"};
  o.gres = "gpu:1";
  s = slurm_array_script(o);
  EXPECT_NE(s.find("#SBATCH --gres=gpu:1\n"), std::string::npos) << s;
  EXPECT_NE(s.find("--threads 2 --set device=cuda --set 'data_dir=/data/my cifar' --out"),
            std::string::npos) << s;
  o.sets.clear();
  o.gres.clear();
  o.partition.clear();
  o.mem.clear();
  o.max_parallel = 2;
  s = slurm_array_script(o);
  EXPECT_EQ(s.find("--partition"), std::string::npos);
  EXPECT_EQ(s.find("--mem"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --array=0-3%2\n"), std::string::npos);
  o.plan = "relative.toml";
  EXPECT_THROW(slurm_array_script(o), nnc::Error);
}

TEST(SweepStore, MergeOfShardsHasEveryRunOnce) {
  auto ids = some_ids(10);
  std::string root = fresh_dir("merge");
  // Three shards; shard 1 also holds a stale failed copy of a run completed elsewhere.
  for (int i = 0; i < 3; ++i) {
    ResultsStore s(root + "/shard-" + std::to_string(i));
    for (size_t k : sub_batch(ids, 3, i)) s.put(record(ids[k], RunStatus::Completed));
  }
  {
    ResultsStore s(root + "/shard-1");
    s.put(record(ids[sub_batch(ids, 3, 0)[0]], RunStatus::Failed));
  }
  ResultsStore all(root + "/all");
  for (int round = 0; round < 2; ++round)  // merging twice adds nothing
    for (int i = 0; i < 3; ++i) all.merge_from(root + "/shard-" + std::to_string(i) + "/results.db");
  auto runs = all.list();
  ASSERT_EQ(runs.size(), ids.size());
  std::set<std::string> seen;
  for (auto& r : runs) {
    EXPECT_TRUE(seen.insert(r.id).second);
    EXPECT_EQ(r.status, RunStatus::Completed) << r.id;
  }
  EXPECT_TRUE(all.integrity_ok());
  fs::remove_all(root);
}

TEST(SweepStore, ConcurrentThreadsLoseNoRows) {
  std::string dir = fresh_dir("threads");
  { ResultsStore init(dir); }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      ResultsStore s(dir);  // one connection per worker, as with worker processes
      for (int i = 0; i < 50; ++i) {
        auto id = fmt::format("t{}-{}", t, i);
        s.put(record(id, RunStatus::Running));
        s.put(record(id, RunStatus::Completed));
      }
    });
  for (auto& th : threads) th.join();
  ResultsStore s(dir);
  auto runs = s.list();
  EXPECT_EQ(runs.size(), 200u);
  for (auto& r : runs) EXPECT_EQ(r.status, RunStatus::Completed);
  EXPECT_TRUE(s.integrity_ok());
  fs::remove_all(dir);
}

TEST(SweepStore, ConcurrentProcessesLoseNoRows) {
  std::string dir = fresh_dir("procs");  // created by the racing children themselves
  std::vector<pid_t> pids;
  for (int p = 0; p < 4; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int rc = 0;
      try {
        ResultsStore s(dir);
        for (int i = 0; i < 50; ++i) {
          auto id = fmt::format("p{}-{}", p, i);
          s.put(record(id, RunStatus::Running));
          s.put(record(id, RunStatus::Completed));
        }
      } catch (const std::exception& e) {
        fmt::print(stderr, "worker {}: {}\n", p, e.what());
        rc = 1;
      }
      ::_exit(rc);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  ResultsStore s(dir);
  auto runs = s.list();
  EXPECT_EQ(runs.size(), 200u);
  std::set<std::string> ids;
  for (auto& r : runs) {
    ids.insert(r.id);
    EXPECT_EQ(r.status, RunStatus::Completed);
  }
  EXPECT_EQ(ids.size(), 200u);
  EXPECT_TRUE(s.integrity_ok());
  fs::remove_all(dir);
}
