#pragma once
// A sweep plan (TOML): one experiment kind, fixed options, a grid of lists and `zip`
// groups of lists that vary together. Expanding it gives one RunConfig per run, in a
// deterministic order, with duplicates (same run id) collapsed.
//
//   kind = "train"
//   out = "results/sweep1"        # optional; --out overrides
//   [fixed]
//   dataset = "blobs"
//   [grid]                        # cartesian product of every list
//   lr = [0.01, 0.1]
//   seed = [0, 1, 2]
//   [[zip]]                       # equal-length lists: the i-th values go together
//   memory_bytes = ["100KiB", "1MiB"]
//   compression_factor = [0.5, 0.9]
#include <string>
#include <utility>
#include <vector>

#include "experiment/run_config.h"

namespace nnc::experiment {

struct SweepPlan {
  std::string source;  ///< file name, for error messages
  std::string kind;
  std::string out;     ///< "" when the plan does not name one
  std::vector<std::pair<std::string, Value>> fixed;
  /// One axis per [grid] key (keys sorted, as TOML tables are unordered).
  std::vector<std::pair<std::string, std::vector<Value>>> grid;
  /// Each [[zip]] group in file order: its keys (sorted) and one value list per key.
  std::vector<std::vector<std::pair<std::string, std::vector<Value>>>> zips;

  /// Where its results go when no --out is given: `out`, else results/<plan file's stem>.
  std::string default_out() const;
  /// The keys that vary between runs (grid keys, then zip keys), for listings.
  std::vector<std::string> varying_keys() const;
};

/// Parses a plan from TOML text; `source` names it in errors. Checks only the plan's
/// shape (lists, equal zip lengths, no key twice); option names are checked by expand().
SweepPlan parse_sweep_plan(const std::string& toml_text, const std::string& source);
SweepPlan load_sweep_plan(const std::string& path);

struct PlannedRun {
  RunConfig config;
  std::string id;
};

struct Expansion {
  std::vector<PlannedRun> runs;  ///< unique ids, in expansion order
  size_t duplicates = 0;         ///< configurations that repeated an earlier id
  std::vector<std::string> varying_keys;  ///< option keys (canonical names) that vary
};

/// Cartesian product of the grid axes (the last key varies fastest) times each zip group
/// (a group contributes its i-th tuple), applied on top of `fixed` and the kind's
/// defaults. Every key and value is checked against `specs`; errors name the plan and key.
Expansion expand(const SweepPlan& plan, const std::vector<OptionSpec>& specs);

}  // namespace nnc::experiment
