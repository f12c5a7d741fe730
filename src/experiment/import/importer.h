#pragma once
// `results import`: result files the original codebases wrote, read into runs of the matching
// kind so that old results appear in the same tables and reports as new ones:
//   - FETCH/GDumb's `checkpoint.log` (replay), also nncompress's own (same format);
//   - the pruning codebase's `runs.csv` (prune), one run per row;
//   - the CGP engine's statistics CSV (cgp), one run per `run` number.
// An imported run is marked (tag `imported_from` = file, and row or run number), records only
// the options its file states (the rest are unknown, not defaults), and gets an id of its own
// (a hash of the file and its place in it), so it never stands in for a run nncompress would
// execute, importing twice adds nothing, and `results migrate` leaves it as it is.
#include <string>
#include <vector>

#include "experiment/run_record.h"

namespace nnc::experiment {

/// The runs in `path`: one of the files above (recognised by its first line), or a folder
/// searched recursively for them. Errors name the file (and line) and what was expected.
std::vector<RunRecord> import_results(const std::string& path);

namespace import_detail {
/// A run of `kind` from `file` (at `where`: "row 3", "run 2"), its stated options checked
/// against the kind's options: those the kind has go to the config, others to the tag
/// `original_options` ("key=value ...").
struct Draft {
  std::string kind, file, where;
  std::vector<std::pair<std::string, std::string>> options;  ///< as the file spells them
  RunRecord record;                                           ///< metrics, series, status, error
};
RunRecord finish(Draft draft);

std::vector<RunRecord> read_checkpoint_log(const std::string& path);
std::vector<RunRecord> read_prune_runs_csv(const std::string& path);
std::vector<RunRecord> read_cgp_stats_csv(const std::string& path);
}  // namespace import_detail

}  // namespace nnc::experiment
