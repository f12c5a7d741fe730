#include "cli/results_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_io.h"
#include "experiment/export.h"
#include "experiment/import/importer.h"
#include "experiment/results_store.h"
#include "experiment/run_identity.h"

namespace nnc::cli {
namespace {

/// One line of `results list`: id, kind, status ('interrupted' for a 'running' row whose
/// process is gone), time, headline metric, error; with --attempts also the attempt number
/// and where it ran.
void print_run_line(const experiment::RunRecord& r, bool with_attempt) {
  std::string headline;
  for (auto key : {"test_accuracy", "final_accuracy", "accuracy"})
    if (r.metrics.count(key)) {
      headline = fmt::format("{} {:.4f}", key, r.metrics.at(key));
      break;
    }
  std::string attempt;
  if (with_attempt) {
    auto config = nlohmann::json::parse(r.config_json, nullptr, false);
    auto field = [&](const char* key) -> std::string {
      if (!config.is_object() || !config.contains(key)) return "?";
      return config[key].is_string() ? config[key].get<std::string>() : config[key].dump();
    };
    attempt = fmt::format("#{:<2} {} {} threads {} ", r.attempt, field("device"), field("precision"),
                          field("threads"));
  }
  fmt::print("{} {}{:<9} {:<11} {:>8.1f}s {}{}\n", r.id, attempt, r.kind, experiment::display_status(r),
             r.run_time_s, headline, r.error.empty() ? "" : "  error: " + r.error);
}

/// `results migrate`: every run under today's id, then every run with today's report tags
/// (what its plug-ins say about themselves); what could not be recomputed is listed.
int migrate_runs(experiment::ResultsStore& store) {
  const bool ids_current = store.ids_current();
  if (!ids_current) {
    auto report = store.rekey(experiment::current_run_id);
    fmt::print("{}: {} runs, {} re-keyed, {} merged into a run of the same id, {} kept their id\n",
               store.path(), report.runs, report.changed, report.merged, report.kept.size());
    for (auto& why : report.kept) fmt::print("  kept {}\n", why);
  }
  auto tags = store.add_missing_tags(experiment::current_report_tags);
  if (ids_current && tags.tagged == 0 && tags.kept.empty()) {
    fmt::print("{}: run ids and report tags are current, nothing to do\n", store.path());
    return 0;
  }
  fmt::print("{}: {} runs gained report tags{}\n", store.path(), tags.tagged,
             tags.kept.empty() ? "" : fmt::format(", {} could not be tagged", tags.kept.size()));
  for (auto& why : tags.kept) fmt::print("  untagged {}\n", why);
  return 0;
}

/// `results import`: every run the sources hold, once (a run imported before is left alone).
int import_runs(experiment::ResultsStore& store, const std::vector<std::string>& sources) {
  store.require_current_ids();
  std::vector<experiment::RunRecord> runs;
  for (auto& src : sources) {  // all read before anything is written: a bad file stops the import
    auto more = experiment::import_results(src);
    runs.insert(runs.end(), more.begin(), more.end());
  }
  int added = 0;
  for (auto& r : runs) {
    if (store.get(r.id)) continue;
    store.put(r);
    ++added;
    fmt::print("{} {:<7} {:<9} {}\n", r.id, r.kind, to_string(r.status), r.tags.at("imported_from"));
  }
  fmt::print("imported {} of {} runs into {} ({} were there already)\n", added, runs.size(), store.path(),
             runs.size() - added);
  return 0;
}

}  // namespace

std::function<int()> add_results_command(CLI::App& root) {
  struct State {
    std::string out = "results", kind, format = "csv", file;
    std::vector<std::string> sources;
    bool attempts = false;
  };
  auto st = std::make_shared<State>();
  auto* app = root.add_subcommand("results", "List, export and merge recorded runs");
  app->require_subcommand(1);
  auto* list = app->add_subcommand("list", "One line per run");
  auto* exp = app->add_subcommand("export", "Write runs as CSV or JSON");
  auto* merge = app->add_subcommand("merge", "Merge shard result directories into --out");
  auto* migrate = app->add_subcommand(
      "migrate", "Bring a database written by an older nncompress up to date: today's run ids and "
                 "the report tags its runs' plug-ins give (keeps every result and artifact)");
  auto* import = app->add_subcommand(
      "import", "Read the originals' result files into --out: FETCH checkpoint.log (replay), the pruning "
                "codebase's runs.csv (prune), CGP statistics CSVs (cgp); folders are searched");
  import->add_option("sources", st->sources, "files or folders to import")->required();
  for (auto* sub : {list, exp, merge, migrate, import}) {
    sub->add_option("--out", st->out, "results directory")->capture_default_str();
  }
  for (auto* sub : {list, exp}) sub->add_option("--kind", st->kind, "only runs of this kind");
  list->add_flag("--attempts", st->attempts,
                 "one line per attempt (every execution of each run: re-runs, failures, kills)");
  exp->add_option("--format", st->format, "csv | json")->check(CLI::IsMember({"csv", "json"}));
  exp->add_option("--file", st->file, "output file (default: stdout)");
  merge->add_option("sources", st->sources, "result directories (or results.db files) to merge")
      ->required();
  return [st, list, exp, merge, migrate, import]() -> int {
    using experiment::ResultsStore;
    // list and export only read: a mistyped --out is an error, never a new empty database.
    auto mode = merge->parsed() || import->parsed() ? ResultsStore::Open::CreateIfMissing
                                                    : ResultsStore::Open::ExistingOnly;
    ResultsStore store(st->out, mode);
    if (list->parsed()) {
      auto rows = st->attempts ? store.attempts(st->kind) : store.list(st->kind);
      for (auto& r : rows) print_run_line(r, st->attempts);
      return 0;
    }
    if (exp->parsed()) {
      auto runs = store.list(st->kind);
      std::string text = st->format == "csv" ? experiment::runs_to_csv(runs) : experiment::runs_to_json(runs);
      if (st->file.empty()) {
        write_stdout(text);
      } else {
        write_file(st->file, text);  // checked: never "wrote" what a full disk refused
        fmt::print(stderr, "wrote {} runs to {}\n", runs.size(), st->file);
      }
      return 0;
    }
    if (migrate->parsed()) return migrate_runs(store);
    if (import->parsed()) return import_runs(store, st->sources);
    int added = 0;
    for (auto src : st->sources) {
      if (std::filesystem::is_directory(src)) src = (std::filesystem::path(src) / "results.db").string();
      added += store.merge_from(src);
    }
    fmt::print("merged {} sources into {}: {} rows added or upgraded, {} runs in total\n",
               st->sources.size(), store.path(), added, store.list().size());
    return 0;
  };
}

}  // namespace nnc::cli
