#include "search/objective.h"

#include <cmath>
#include <ostream>

#include "core/error.h"
#include "search/trial.h"

namespace nnc::search {

Direction parse_direction(std::string_view text) {
  if (text == "minimize" || text == "min") return Direction::kMinimize;
  if (text == "maximize" || text == "max") return Direction::kMaximize;
  fail("unknown direction '{}': expected minimize or maximize", text);
}

std::string to_string(Direction d) { return d == Direction::kMaximize ? "maximize" : "minimize"; }

std::string to_string(TrialState s) { return s == TrialState::kComplete ? "complete" : "failed"; }

void ObjectiveSpec::validate() const {
  NNC_CHECK(!metrics.empty(), "objective: no metrics given (add at least one metric)");
  for (size_t i = 0; i < metrics.size(); ++i) {
    const Metric& m = metrics[i];
    NNC_CHECK(!m.name.empty(), "objective: metric {} has an empty name", i);
    NNC_CHECK(std::isfinite(m.scale) && m.scale != 0,
              "objective: metric '{}' scale {} must be finite and nonzero", m.name, m.scale);
    for (size_t j = 0; j < i; ++j)
      NNC_CHECK(metrics[j].name != m.name, "objective: metric '{}' is listed twice", m.name);
  }
}

std::vector<Direction> ObjectiveSpec::directions() const {
  if (sum_scaled_metrics) return {direction};
  std::vector<Direction> out;
  for (auto& m : metrics) out.push_back(m.direction);
  return out;
}

std::vector<double> ObjectiveSpec::scaled(const std::vector<double>& raw) const {
  NNC_CHECK(raw.size() == metrics.size(),
            "objective: got {} metric values, expected {} (one per metric, in order)", raw.size(),
            metrics.size());
  std::vector<double> out(raw.size());
  for (size_t k = 0; k < raw.size(); ++k) out[k] = metrics[k].scale * raw[k];
  return out;
}

std::vector<double> ObjectiveSpec::objectives(const std::vector<double>& raw) const {
  std::vector<double> s = scaled(raw);
  if (!sum_scaled_metrics) return s;
  double sum = 0;
  for (size_t k = 0; k < s.size(); ++k)
    sum += (metrics[k].direction == direction ? 1.0 : -1.0) * s[k];
  return {sum};
}

std::vector<double> ObjectiveSpec::losses(const std::vector<double>& objectives) const {
  const std::vector<Direction> dirs = directions();
  NNC_CHECK(objectives.size() == dirs.size(), "objective: got {} objective values, expected {}",
            objectives.size(), dirs.size());
  std::vector<double> out(objectives.size());
  for (size_t k = 0; k < out.size(); ++k) out[k] = -gain_sign(dirs[k]) * objectives[k];
  return out;
}

void ObjectiveSpec::describe(std::ostream& os) const {
  if (sum_scaled_metrics) {
    os << "objective: " << to_string(direction) << " sum of signed scaled metrics\n";
  } else {
    os << "objectives: " << metrics.size() << " (Pareto front)\n";
  }
  for (auto& m : metrics) {
    os << "  " << m.name << ": scale " << m.scale << ", " << to_string(m.direction);
    if (sum_scaled_metrics) os << " (term sign " << (m.direction == direction ? "+" : "-") << ")";
    os << "\n";
  }
}

}  // namespace nnc::search
