#pragma once
// Synthetic problems shared by the search tests (the benchmark has the same single-objective
// one, and bench/search/optuna_peer.py mirrors it).
#include <cstdint>
#include <vector>

#include "search/search_space.h"

namespace nnc::search::testing {

/// n_params categorical parameters with n_choices integer choices each.
inline SearchSpace grid_space(int n_params, int n_choices) {
  SearchSpace s;
  for (int p = 0; p < n_params; ++p) {
    std::vector<Value> choices;
    for (int k = 0; k < n_choices; ++k) choices.emplace_back(int64_t{k});
    s.add("p" + std::to_string(p), std::move(choices));
  }
  return s;
}

/// Separable cost with a unique optimum (0): parameter p at choice k costs (5k + 3p) mod 8,
/// a permutation of 0..7 per parameter, so the best choice differs between parameters.
inline double separable_cost(const std::vector<int>& index) {
  double sum = 0;
  for (size_t p = 0; p < index.size(); ++p) sum += (5 * index[p] + 3 * static_cast<int>(p)) % 8;
  return sum;
}

/// Two objectives (both minimized) over choices k in 0..7 per parameter: f1 += k,
/// f2 += 7 - k, plus a penalty of 4 on f2 when k and p have different parity. The true front
/// is every configuration without penalty (f1 + f2 = 7 * n_params).
inline std::vector<double> two_objective_toy(const std::vector<int>& index) {
  double f1 = 0, f2 = 0;
  for (size_t p = 0; p < index.size(); ++p) {
    f1 += index[p];
    f2 += 7 - index[p] + ((index[p] + static_cast<int>(p)) % 2 ? 4 : 0);
  }
  return {f1, f2};
}

}  // namespace nnc::search::testing
