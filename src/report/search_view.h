#pragma once
// Search studies (quantization search, width search, sweeps driven by a sampler): every trial
// and the Pareto front of the objectives. One study = one run.
//
// What a study run should record (any kind; the report looks for `trial_` series):
//   series  trial_<metric>: the raw value of <metric> for each trial, in trial order (every
//           trial_ series of a run as long as the others; a failed trial is NaN, or left out
//           with trial_number given); trial_number (optional): the trials' numbers, the x axis;
//           trial_objective (single objective): shown as one more metric
//   tags    objectives: "accuracy,average_bitwidth" (comma-separated; the first is the y
//           axis, the second the front's x axis; default: the trial_ series in name order,
//           those with "accuracy" in the name first), direction_<metric>: maximize | minimize
//           (default: maximize when the name contains "accuracy", else minimize), sampler
#include <string>
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"

namespace nnc::report {

struct Study {
  std::string run_id, kind, sampler;
  std::vector<std::string> metrics;     ///< objectives first, then the other trial_ metrics
  std::vector<bool> maximize;           ///< per metric
  std::vector<double> number;           ///< trial numbers
  std::vector<std::vector<double>> values;  ///< [metric][trial]
  size_t objectives = 1;                ///< how many of `metrics` are objectives (1 or 2+)
};

/// The study in a run, or nullopt-like empty metrics when it has no trial_ series.
Study study_of(const experiment::RunRecord& r);
/// Indices of the trials on the Pareto front of metrics 0 and 1 (their directions), sorted by
/// metric 1; with a single metric, the trials tied at the best value.
std::vector<size_t> study_front(const Study& s);
/// The lab's all-metrics-per-configuration view: every metric of every complete trial, the
/// configurations ordered by the first objective (best first), a line per metric. Each
/// metric is divided by its largest magnitude in the study so all share one 0..1 axis (the
/// raw values are in the hover text and the trials table).
Chart all_metrics_chart(const Study& s, const std::string& id);
std::vector<Section> search_sections(const std::vector<experiment::RunRecord>& runs);

}  // namespace nnc::report
