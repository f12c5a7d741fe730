#pragma once
// Pareto utilities over plain points (one vector of objective values per point), shared by
// the study runner, NSGA-II, reports and the replay "best accuracy for memory" tables.
//
// Domination: a dominates b when a is at least as good as b in every objective (per its
// direction) and strictly better in one. Equal points do not dominate each other, so exact
// duplicates on the front are all kept. Points with a NaN coordinate are never on the front
// (and never dominate); they are put in a last rank by non_dominated_sort.
//
// Example:
//   auto front = pareto_front({{0.9, 8}, {0.8, 4}, {0.7, 8}},
//                             {Direction::kMaximize, Direction::kMinimize});  // -> {0, 1}
#include <cstddef>
#include <vector>

#include "search/direction.h"

namespace nnc::search {

using Point = std::vector<double>;

/// True when a dominates b. a, b and directions must have the same length.
bool dominates(const Point& a, const Point& b, const std::vector<Direction>& directions);

/// Indices (ascending) of the non-dominated points.
std::vector<size_t> pareto_front(const std::vector<Point>& points,
                                 const std::vector<Direction>& directions);

/// Fronts in rank order (front 0 = pareto_front); each front's indices ascending.
std::vector<std::vector<size_t>> non_dominated_sort(const std::vector<Point>& points,
                                                    const std::vector<Direction>& directions);

/// Crowding distance of each point of `members` (NSGA-II, Optuna's variant): per objective,
/// the gap between the two neighbours divided by the finite range; the extremes get +inf;
/// an objective constant over the members adds nothing. Returned in `members` order.
std::vector<double> crowding_distance(const std::vector<Point>& points,
                                      const std::vector<size_t>& members);

/// Area dominated by the points and bounded by `reference` (2 objectives only). Points that do
/// not dominate the reference add nothing.
double hypervolume_2d(const std::vector<Point>& points, const std::vector<Direction>& directions,
                      const Point& reference);

}  // namespace nnc::search
