#pragma once
// Study groups: search studies that differ only in how they sample (the lab's brute force vs
// TPE sample-efficiency comparison). Their best-so-far curves go on one chart, a line per
// sampler.
//
// Grouping, from the runs' own data (no list of kinds or options): two completed runs with
// trial_ series are in one group when their kind is the same and their configs are equal once
// these keys are set aside: `sampler`, `seed`, `n_trials` (a brute-force study runs every
// configuration, a TPE study fewer: the chart's x axis is the trial count anyway), and every
// option of a sampler, recognised by its prefix: "<sampler>_" for each sampler named in the
// runs (tpe_n_startup_trials, nsga2_population_size). A run's sampler is its `sampler` tag
// (what actually ran), else its config's.
//
// A sampler run with several seeds: its line is the median, at each trial count, of the
// seeds' best-so-far (up to the shortest of them, so the line stays monotone).
//
// Example:
//   for (auto& g : study_groups(runs))
//     if (g.samplers.size() >= 2) section.charts.push_back(sample_efficiency_chart(g));
#include <string>
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"
#include "report/search_view.h"

namespace nnc::report {

/// One sampler of a group: its studies (one per seed) and their best-so-far curve.
struct SamplerCurve {
  std::string sampler;
  std::vector<std::string> run_ids;
  std::vector<double> best;  ///< median best-so-far after 1, 2, ... complete trials
};

struct StudyGroup {
  std::string kind, key;          ///< key: the config with the sampling keys set aside
  std::string metric;             ///< the first objective of the group's studies
  bool maximize = true;
  std::vector<Study> studies;
  std::vector<SamplerCurve> samplers;  ///< in first-seen order
};

/// values[i] replaced by the best of values[0..i] (NaN = a failed trial: skipped, the previous
/// best kept; NaN until the first finite value).
std::vector<double> best_so_far(const std::vector<double>& values, bool maximize);

/// Every group of the runs' studies, in first-seen order (single-run groups included).
std::vector<StudyGroup> study_groups(const std::vector<experiment::RunRecord>& runs);

/// Best so far vs completed trials, a line per sampler of the group.
Chart sample_efficiency_chart(const StudyGroup& group, const std::string& id);
/// Per sampler: runs, trials, final best, and how many trials it took to reach the group's
/// best final value (the lab's sample efficiency; "-" when never reached).
Table sample_efficiency_table(const StudyGroup& group, const std::string& name);

/// A section "Search: sample efficiency" with a chart and table per group of two or more
/// samplers; none when no group has two.
std::vector<Section> study_group_sections(const std::vector<experiment::RunRecord>& runs);

}  // namespace nnc::report
