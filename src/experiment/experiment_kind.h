#pragma once
// Experiment kinds (train, replay, prune, quantize, search, cgp) behind one interface:
// a list of options and a run function that fills a RunRecord. The CLI, sweeps and
// reports work for every kind without kind-specific code.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/registry.h"
#include "experiment/run_config.h"
#include "experiment/run_record.h"

namespace nnc::experiment {

/// What a run gets: its resolved config, where to write artifacts, and its record to fill.
struct RunContext {
  const RunConfig& config;
  std::string out_dir;  ///< the results directory (holds results.db)
  std::string run_dir;  ///< out_dir/runs/<id>: this run's artifacts
  RunRecord& record;
  /// Path relative to out_dir for an artifact file name, registering it in the record.
  std::string artifact(const std::string& name, const std::string& file);
};

struct ExperimentKind {
  std::string name;
  std::string help;
  std::vector<OptionSpec> options;
  std::function<void(RunContext&)> run;
  /// Optional checks that need no data (option files parse, values fit together), so that
  /// `<kind> --dry-run` refuses what run() would refuse at its start. run() does them too.
  std::function<void(const RunConfig&)> check;
  /// Optional: prints what a run would do, from the options and the data, training and
  /// writing nothing (`<kind> --plan-only`; replay: its budget plan).
  std::function<void(const RunConfig&)> plan;
  /// Optional: what a report groups, orders and names a run by, told by the plug-ins the run
  /// selects from their own options (replay: the encoder's panel, the compressor's line and
  /// parameter). The runner records them with every run; `results migrate` and `results
  /// import` add them to runs recorded without (experiment/run_identity.h).
  std::function<std::map<std::string, std::string>(const RunConfig&)> report_tags;
};

using KindRegistry = Registry<ExperimentKind>;
/// Every built-in kind (filled by register_builtin_kinds in the CLI layer).
KindRegistry& kind_registry();

/// Options every kind has (threads, device, out_dir, ...), prepended to each kind's list.
std::vector<OptionSpec> common_options();

}  // namespace nnc::experiment
