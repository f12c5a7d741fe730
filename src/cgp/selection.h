#pragma once
// (1+lambda) selection rules of the original, as one pure function.
//  - While the current best's or the child's error is above the threshold T: the child
//    wins if its error <= the current best's. A strictly better child becomes the
//    current best at once (later children face it); with no strict gain in the
//    generation the LAST child equal to the parent is taken (neutral drift).
//  - When both are within T: lexicographic (quantized energy, error, quantized delay,
//    gate count); only a strictly smaller child wins; a full tie is rejected.
#include <cstdint>
#include <tuple>
#include <vector>

#include "cgp/cost_table.h"

namespace nnc::cgp {

struct Selection {
  int winner = -1;     ///< child index, -1 = keep the parent
  bool strict = false;  ///< the winner strictly improves on the parent
};

/// errors[i]: child i's error; costs(i) gives child i's costs (asked only when needed).
template <class CostsFn>
Selection select_child(int64_t parent_error, const Costs& parent_costs,
                       const std::vector<int64_t>& errors, int64_t threshold, CostsFn&& costs) {
  Selection s;
  int64_t cur = parent_error;
  auto key = [](int64_t e, const Costs& c) {
    return std::make_tuple(c.q_energy, e, c.q_delay, c.gate_count);
  };
  for (int i = 0; i < int(errors.size()); ++i) {
    const int64_t e = errors[size_t(i)];
    if (cur > threshold || e > threshold) {
      if (e < cur) {
        s = {i, true};
        cur = e;
      } else if (!s.strict && e == cur) {
        s.winner = i;  // neutral drift: the last equal child
      }
    } else {
      const Costs& cur_costs = s.strict ? costs(s.winner) : parent_costs;
      if (key(e, costs(i)) < key(cur, cur_costs)) {
        s = {i, true};
        cur = e;
      }
    }
  }
  return s;
}

}  // namespace nnc::cgp
