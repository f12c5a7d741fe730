#pragma once
// The MASE search configuration in TOML, read into plain structs:
//
//   [search.search_space]            name = "graph/quantize/mixed_precision_ptq"
//   [search.search_space.setup]      by = "name", categorical = ["<key>.<field>", ...]
//   [search.search_space.seed.<key>.config]    <field> = [choice, ...]   (int, float, string)
//   [search.strategy.setup]          n_trials, timeout, sampler, sum_scaled_metrics, direction, n_jobs
//   [search.strategy.metrics]        <metric>.scale, <metric>.direction
//
// Each seed field becomes one parameter named "<key>.<field>", in file order; it is ordered
// (TPE models it as a number) when its choices are distinct numbers, mixed when "NA" stands
// beside such numbers, unless listed in setup.categorical (numeric codes, not amounts).
// Defaults and rules (errors name the TOML key and say what to write instead):
//  - n_trials is required (>= 1); timeout (seconds) is optional, 0 = none; sampler defaults
//    to "tpe" and must name a registered sampler (brute-force, random, tpe, nsga2, nsgaii);
//  - sum_scaled_metrics is required when there is more than one metric; direction is
//    required when summing several metrics (with one metric it defaults to its direction);
//  - a metric's scale defaults to 1.0; its direction defaults to the study direction when
//    summing and is required otherwise;
//  - n_jobs and other [search.strategy] / [search.strategy.setup] keys are accepted and
//    listed in `ignored` (the runner is sequential) so the caller can log them.
#include <string>
#include <string_view>
#include <vector>

#include "search/objective.h"
#include "search/search_space.h"
#include "search/study.h"

namespace nnc::search {

/// Where a parameter came from: [search.search_space.seed.<key>.config] <field>.
struct SeedParameter {
  std::string key;    ///< "default", an op type ("linear") or a node name ("seq_blocks_2")
  std::string field;  ///< "data_in_width", "weight_frac_width", "name", ...
};

struct SearchSetup {
  int n_trials = 0;
  double timeout_s = 0;         ///< 0 = none
  std::string sampler = "tpe";
  int n_jobs = 1;               ///< read for the log; trials run one at a time
};

struct SearchConfig {
  std::string space_name;  ///< [search.search_space] name ("" when absent)
  std::string setup_by;    ///< [search.search_space.setup] by ("" when absent)
  SearchSpace space;       ///< one parameter per seed field, named "<key>.<field>"
  std::vector<SeedParameter> seed_params;  ///< aligned with space
  SearchSetup setup;
  ObjectiveSpec objective;
  std::vector<std::string> ignored;  ///< keys read but not used, "table.key (why)"

  /// StudyOptions with n_trials, timeout and sampler filled in.
  StudyOptions study_options(uint64_t seed = 0) const;
};

/// Parses TOML text; `source` names it in error messages (a path, "<string>").
SearchConfig parse_search_toml(std::string_view text, std::string_view source = "<string>");
/// Reads and parses a file; fails naming the path when it cannot be read.
SearchConfig load_search_toml(const std::string& path);

}  // namespace nnc::search
