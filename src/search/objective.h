#pragma once
// ObjectiveSpec: which metrics a study optimizes and how they combine.
//
// Single objective (sum_scaled_metrics = true): one value
//     objective = sum_k scale_k * s_k * metric_k,   optimized in `direction`,
// with s_k = +1 when metric k's direction equals `direction`, else -1. The original (MASE)
// summed scale_k * metric_k and ignored the per-metric directions, so "maximize accuracy,
// minimize bitwidth" silently rewarded large bitwidths; nncompress signs each term. When all
// metrics share the study direction (the original's usual case) the value is unchanged.
//
// Multi objective (sum_scaled_metrics = false): objectives = (scale_k * metric_k)_k, each in
// its own metric direction; the answer is the Pareto front.
//
// Example:
//   ObjectiveSpec spec;
//   spec.metrics = {{"accuracy", 1.0, Direction::kMaximize},
//                   {"average_bitwidth", 0.2, Direction::kMinimize}};
//   spec.sum_scaled_metrics = true;  spec.direction = Direction::kMaximize;
#include <iosfwd>
#include <string>
#include <vector>

#include "search/direction.h"

namespace nnc::search {

struct Metric {
  std::string name;
  double scale = 1.0;                         ///< multiplies the raw value (finite, != 0)
  Direction direction = Direction::kMinimize;
};

struct ObjectiveSpec {
  std::vector<Metric> metrics;      ///< at least one; names unique
  bool sum_scaled_metrics = true;   ///< true: one signed scaled sum; false: one per metric
  Direction direction = Direction::kMaximize;  ///< direction of the sum (single objective)

  void validate() const;
  size_t n_objectives() const { return sum_scaled_metrics ? 1 : metrics.size(); }
  bool multi_objective() const { return !sum_scaled_metrics && metrics.size() > 1; }
  /// Direction of each objective (one entry when summed).
  std::vector<Direction> directions() const;

  /// scale_k * raw_k. `raw` must hold one value per metric.
  std::vector<double> scaled(const std::vector<double>& raw) const;
  /// Objective values in the user's orientation (see the header comment).
  std::vector<double> objectives(const std::vector<double>& raw) const;
  /// Objectives in minimization form (negated where maximized).
  std::vector<double> losses(const std::vector<double>& objectives) const;

  void describe(std::ostream& os) const;
};

}  // namespace nnc::search
