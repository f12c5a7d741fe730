#include "experiment/runner.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "core/error.h"
#include "core/text.h"

namespace nnc::experiment {

namespace {
/// runs/<id> for the run's own attempts; a re-run of a completed run writes its artifacts
/// under runs/<id>/attempt-<n>, so the completed result's files are never overwritten.
std::string attempt_dir(const std::string& out_dir, const std::string& id,
                        const ResultsStore::AttemptStart& start) {
  auto dir = std::filesystem::path(out_dir) / "runs" / id;
  if (start.completed_before) dir /= "attempt-" + std::to_string(start.attempt);
  return dir.string();
}
}  // namespace

RunOutcome run_one(const ExperimentKind& kind, const RunConfig& config, ResultsStore& store,
                   const std::string& out_dir, bool skip_completed) {
  RunOutcome outcome;
  auto& r = outcome.record;
  r.id = config.id();
  if (skip_completed) {
    if (auto prev = store.get(r.id); prev && prev->status == RunStatus::Completed) {
      outcome.record = *prev;
      outcome.skipped = true;
      return outcome;
    }
  }
  // A plug-in's option given for a run that selects another plug-in does nothing: say so,
  // rather than refuse (seed lines carry options of plug-ins they do not use).
  for (const auto& note : inert_options(kind.options, config.values()))
    fmt::print(stderr, "note: {}\n", note);
  r.kind = kind.name;
  r.config_json = config.to_json();
  r.started_at = now_iso8601();
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  r.host = host;
  auto start = store.begin_attempt(r);
  outcome.beside_completed = start.completed_before;
  RunContext ctx{config, out_dir, attempt_dir(out_dir, r.id, start), r};
  auto t0 = std::chrono::steady_clock::now();
  try {
    if (kind.report_tags) r.tags = kind.report_tags(config);
    kind.run(ctx);
    r.status = RunStatus::Completed;
  } catch (const std::exception& e) {
    r.status = RunStatus::Failed;
    r.error = bounded_message(e.what());  // library errors (c10, filesystem) arrive unbounded, raw
  }
  r.run_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.finished_at = now_iso8601();
  store.finish_attempt(r);
  return outcome;
}

}  // namespace nnc::experiment
