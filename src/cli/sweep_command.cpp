#include "cli/sweep_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <algorithm>
#include <memory>

#include "core/error.h"
#include "core/file_io.h"
#include "experiment/experiment_kind.h"
#include "experiment/results_store.h"
#include "experiment/run_command.h"
#include "experiment/sharding.h"
#include "experiment/pbs.h"
#include "experiment/slurm.h"
#include "experiment/planned_runs.h"
#include "experiment/sweep_plan.h"
#include "experiment/sweep_runner.h"

namespace nnc::cli {
namespace {

namespace fs = std::filesystem;
using namespace nnc::experiment;

struct Args {
  std::string plan, out, emit_commands, emit_slurm, emit_pbs;
  std::vector<std::string> sets;  ///< key=value overrides of the plan's [fixed] table
  bool dry_run = false;
  int jobs = 1, threads = 0, num_sub_batches = 1, sub_batch = 0;
  SlurmOptions slurm;
};

void write_script(const std::string& path, const std::string& text, bool executable) {
  nnc::write_file(path, text);
  if (executable)
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
}

/// CLI11's PositiveNumber says "Value 0 not in range 0 to 1.79769e+308" (309 digits when
/// printed in full); this says what the option takes.
CLI::Validator at_least(long long min, const std::string& expected) {
  return CLI::Validator(
      [min, expected](std::string& text) -> std::string {
        long long v = 0;
        size_t pos = 0;
        try {
          v = std::stoll(text, &pos);
        } catch (const std::exception&) {
          pos = 0;
        }
        if (pos == text.size() && pos > 0 && v >= min) return "";
        return fmt::format("expected {}, got '{}'", expected, nnc::shown(text));
      },
      fmt::format("INT>={}", min));
}

void list_runs(const SweepPlan& plan, const Expansion& ex,
               const std::vector<const PlannedRun*>& runs, const std::string& out) {
  std::map<std::string, std::string> status;  // id -> status in the database, if any
  if (fs::exists(fs::path(out) / "results.db")) {
    ResultsStore store(out, ResultsStore::Open::ExistingOnly);
    for (auto& r : store.list(plan.kind)) status[r.id] = display_status(r);
  }
  const auto& keys = ex.varying_keys;
  std::vector<std::vector<std::string>> rows{{"id", "status"}};
  rows[0].insert(rows[0].end(), keys.begin(), keys.end());
  std::map<std::string, size_t> counts;
  for (auto* r : runs) {
    std::string st = status.count(r->id) ? status[r->id] : "pending";
    ++counts[st];
    std::vector<std::string> row{r->id, st};
    for (auto& k : keys) row.push_back(value_to_string(r->config.values().at(k)));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += fmt::format("{:<{}}  ", row[i], width[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
  size_t done = counts["completed"];
  fmt::print("{} runs: {} completed, {} remaining ({} failed, {} running or interrupted)\n",
             runs.size(), done, runs.size() - done, counts["failed"], counts["running"] + counts["interrupted"]);
}

/// Writes a batch-system array script (SLURM or PBS) and says how to submit and merge.
void emit_batch_script(const std::string& path, const std::string& text, const std::string& log_dir,
                       const char* submit, const SlurmOptions& o, size_t runs) {
  std::error_code ec;
  fs::create_directories(log_dir, ec);  // neither sbatch nor qsub creates it
  NNC_CHECK(!ec, "cannot create '{}': {}", log_dir, ec.message());
  write_script(path, text, true);
  fmt::print("wrote {}: {} array tasks (0-{}) for {} runs\n", path, o.num_sub_batches,
             o.num_sub_batches - 1, runs);
  fmt::print("submit:  {} {}\n", submit, shell_quote(path));
  fmt::print("merge:   {} results merge --out {} {}/shard-*\n", shell_quote(o.binary),
             shell_quote(o.out), shell_quote(o.out));
}

int run(Args& a, CLI::App* app) {
  auto plan = load_sweep_plan(a.plan);
  for (const auto& kv : a.sets) {
    auto eq = kv.find('=');
    NNC_CHECK(eq != std::string::npos && eq > 0, "--set '{}': expected key=value", kv);
    std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    for (auto& axis : plan.grid)
      NNC_CHECK(axis.first != key, "--set {}: '{}' varies in the plan's [grid]", kv, key);
    auto it = std::find_if(plan.fixed.begin(), plan.fixed.end(),
                           [&](const auto& f) { return f.first == key; });
    if (it != plan.fixed.end()) it->second = Value(value);
    else plan.fixed.emplace_back(key, Value(value));
  }
  auto ex = plan_runs(plan).expansion;  // every run's values checked before anything happens
  if (ex.duplicates > 0)
    fmt::print(stderr, "note: {} configuration(s) repeat an earlier one (same run id) and run once\n",
               ex.duplicates);
  if (a.threads > 0)  // does not change run ids: threads is not part of a run's identity
    for (auto& r : ex.runs) r.config.set("threads", int64_t{a.threads});

  bool out_given = app->count("--out") > 0;
  std::string base_out = out_given ? a.out : plan.default_out();
  check_sub_batch(a.num_sub_batches, a.sub_batch);
  std::string out = base_out;
  if (a.num_sub_batches > 1 && !out_given)  // each shard its own database: no SQLite over NFS
    out = (fs::path(base_out) / fmt::format("shard-{}", a.sub_batch)).string();

  std::vector<std::string> ids;
  for (auto& r : ex.runs) ids.push_back(r.id);
  std::vector<const PlannedRun*> runs;
  for (size_t i : sub_batch(ids, a.num_sub_batches, a.sub_batch)) runs.push_back(&ex.runs[i]);
  std::string scope = a.num_sub_batches > 1
                          ? fmt::format("sub-batch {} of {} (0-based): {} of {} runs", a.sub_batch,
                                        a.num_sub_batches, runs.size(), ex.runs.size())
                          : fmt::format("{} runs", ex.runs.size());
  fmt::print(stderr, "sweep {}: kind {}, {}, out {}\n", a.plan, plan.kind, scope, out);

  bool emit_only = a.dry_run || !a.emit_commands.empty() || !a.emit_slurm.empty() || !a.emit_pbs.empty();
  if (!a.emit_slurm.empty() || !a.emit_pbs.empty()) {
    a.slurm.binary = self_executable();
    a.slurm.plan = fs::absolute(a.plan).lexically_normal().string();
    a.slurm.out = fs::absolute(base_out).lexically_normal().string();
    a.slurm.num_sub_batches = a.num_sub_batches;
    a.slurm.jobs = a.jobs;
    a.slurm.sets = a.sets;
  }
  if (!a.emit_slurm.empty())
    emit_batch_script(a.emit_slurm, slurm_array_script(a.slurm), slurm_log_dir(a.slurm), "sbatch",
                      a.slurm, ex.runs.size());
  if (!a.emit_pbs.empty())
    emit_batch_script(a.emit_pbs, pbs_array_script(a.slurm), pbs_log_dir(a.slurm), "qsub", a.slurm,
                      ex.runs.size());
  if (!a.emit_commands.empty()) {
    std::string text = fmt::format("#!/bin/sh\n# {} runs of {} ({})\n", runs.size(), a.plan, scope);
    std::string abs_out = fs::absolute(out).lexically_normal().string();
    for (auto* r : runs) text += shell_line(run_command(self_executable(), r->config, abs_out)) + "\n";
    write_script(a.emit_commands, text, true);
    fmt::print("wrote {}: {} command lines\n", a.emit_commands, runs.size());
  }
  if (a.dry_run) list_runs(plan, ex, runs, out);
  if (emit_only) return 0;

  SweepOptions so;
  so.binary = self_executable();
  so.out_dir = out;
  so.jobs = a.jobs;
  auto res = run_sweep(runs, so);
  fmt::print(stderr, "sweep: {} runs in {}: {} already completed, {} completed now, {} failed\n",
             res.total, out, res.already_done, res.completed, res.failed);
  if (res.failed > 0)
    fmt::print(stderr, "sweep: {} run(s) failed (recorded with the reason; see `nncompress results "
                       "list --out {}`); they run again when the sweep is started again\n",
               res.failed, shell_quote(out));
  if (res.interrupted)
    fmt::print(stderr, "interrupted: {} runs remaining; re-run to resume\n", res.remaining);
  else if (!res.stop_error.empty())
    fmt::print(stderr, "error: {}; {} runs remaining (runs already recorded are kept)\n",
               res.stop_error, res.remaining);
  return res.exit_code();
}

}  // namespace

SweepCommand add_sweep_command(CLI::App& root) {
  auto a = std::make_shared<Args>();
  auto* app = root.add_subcommand(
      "sweep", "Run every configuration of a sweep plan (TOML: kind, [fixed], [grid], [[zip]])");
  app->add_option("plan", a->plan, "sweep plan (TOML)")->required()->check(CLI::ExistingFile);
  app->add_option("--out", a->out,
                  "results directory [default: the plan's `out`, else results/<plan name>; "
                  "with sub-batches, <that>/shard-<i>]");
  app->add_option("-j,--jobs", a->jobs, "runs at the same time (child processes, one database)")
      ->capture_default_str()->check(at_least(1, "a positive number of runs at the same time"));
  app->add_option("--threads", a->threads,
                  "torch threads per run, overriding the plan (0 = as planned; not part of run ids)")
      ->capture_default_str()->check(at_least(0, "0 (as planned) or a positive number of threads"));
  app->add_option("--set", a->sets, "override a [fixed] option: --set key=value (repeatable)");
  app->add_flag("--dry-run", a->dry_run, "list the runs (id, status, varying options) and counts");
  app->add_option("--emit-commands", a->emit_commands,
                  "write one shell line per run (`nncompress <kind> --key=value ... --out DIR`)");
  app->add_option("--emit-slurm", a->emit_slurm,
                  "write an sbatch array script: one task per sub-batch, out/shard-<i>");
  app->add_option("--emit-pbs", a->emit_pbs,
                  "write a PBS (qsub) array script: one task per sub-batch, out/shard-<i>; the "
                  "SLURM options map to queue, walltime and select=1:ncpus:mem:ngpus");
  app->add_option("--num-sub-batches", a->num_sub_batches,
                  "split the runs into N deterministic, disjoint sub-batches")
      ->capture_default_str()->check(at_least(1, "a positive number of sub-batches"));
  app->add_option("--sub-batch", a->sub_batch,
                  "which sub-batch to run, 0-based (SLURM_ARRAY_TASK_ID with --array=0-(N-1))")
      ->capture_default_str();
  auto* s = &a->slurm;
  app->add_option("--partition", s->partition, "SLURM partition [default: the cluster's]")
      ->group("SLURM (--emit-slurm)");
  app->add_option("--time", s->time, "SLURM time limit per array task")
      ->capture_default_str()->group("SLURM (--emit-slurm)");
  app->add_option("--mem", s->mem, "SLURM memory per array task, e.g. 4G [default: the cluster's]")
      ->group("SLURM (--emit-slurm)");
  app->add_option("--gres", s->gres, "SLURM generic resources per array task, e.g. gpu:1")
      ->group("SLURM (--emit-slurm)");
  app->add_option("--cpus-per-task", s->cpus_per_task, "SLURM CPUs per array task")
      ->capture_default_str()->group("SLURM (--emit-slurm)");
  app->add_option("--job-name", s->job_name, "SLURM job name")
      ->capture_default_str()->group("SLURM (--emit-slurm)");
  app->add_option("--max-parallel", s->max_parallel,
                  "at most this many array tasks at once (0 = no limit)")
      ->capture_default_str()->group("SLURM (--emit-slurm)");
  return {app, [a, app] { return run(*a, app); }};
}

}  // namespace nnc::cli
