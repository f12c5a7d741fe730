#pragma once
// One run's record: what was asked (config), what came out (metrics, per-epoch
// series, artifacts), how long it took and whether it finished. Shared by every kind.
#include <map>
#include <string>
#include <vector>

namespace nnc::experiment {

enum class RunStatus { Running, Completed, Failed };
const char* to_string(RunStatus s);
RunStatus status_from_string(const std::string& s);

struct RunRecord {
  std::string id;
  std::string kind;
  std::string config_json;                     ///< full resolved config
  RunStatus status = RunStatus::Running;
  std::map<std::string, double> metrics;       ///< final scalar results
  std::map<std::string, std::string> tags;     ///< final string results (e.g. best method)
  /// Named series, e.g. "epoch_loss" -> values per epoch (small; stored as JSON).
  std::map<std::string, std::vector<double>> series;
  std::map<std::string, std::string> artifacts;  ///< name -> path relative to the output dir
  std::string error;
  std::string started_at, finished_at;         ///< ISO-8601 UTC
  double run_time_s = 0;
  std::string host;
  int attempt = 0;  ///< which execution of this id (1, 2, ...; 0 = not recorded yet)
  long pid = 0;     ///< process that ran it, on `host` (0 = unknown): stale 'running' rows
};

std::string now_iso8601();

}  // namespace nnc::experiment
