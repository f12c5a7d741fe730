#pragma once
// The bench-search objectives, read from objectives.json (shared with optuna_peer.py, which
// implements the same formulas; both check them against the file's check points).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "search/search_space.h"

namespace nnc::bench {

struct BenchObjective {
  std::string name, about, formula;
  int n_objectives = 1;
  nlohmann::json constants;             ///< formula constants (sensitivities, sizes, ...)
  std::vector<double> reference;        ///< two objectives: hypervolume reference point
  double f_star = 0;                    ///< one objective: the grid optimum
  double hv_star = 0;                   ///< two objectives: hypervolume of the true front
  search::SearchSpace space;            ///< nncompress's flat space, in the file's order

  /// Metric values (minimized) of a configuration, given its flat values.
  std::vector<double> evaluate(const std::vector<search::Value>& x) const;
};

/// Reads the file, builds each space (float grid: low + k*step, int: low..high, categorical:
/// the listed choices as categories, na_int: "NA" then low..high) and checks every formula
/// against the file's check points; fails naming the objective when one differs.
std::vector<BenchObjective> load_objectives(const std::string& path);

}  // namespace nnc::bench
