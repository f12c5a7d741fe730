#include "search/pareto.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"

namespace nnc::search {
namespace {

bool has_nan(const Point& p) {
  return std::any_of(p.begin(), p.end(), [](double v) { return std::isnan(v); });
}

void check_dims(const std::vector<Point>& points, const std::vector<Direction>& directions) {
  NNC_CHECK(!directions.empty(), "pareto: no directions given (one per objective)");
  for (size_t i = 0; i < points.size(); ++i)
    NNC_CHECK(points[i].size() == directions.size(),
              "pareto: point {} has {} values but {} directions were given", i, points[i].size(),
              directions.size());
}

}  // namespace

bool dominates(const Point& a, const Point& b, const std::vector<Direction>& directions) {
  NNC_CHECK(a.size() == directions.size() && b.size() == directions.size(),
            "pareto: points of size {} and {} with {} directions", a.size(), b.size(),
            directions.size());
  if (has_nan(a) || has_nan(b)) return false;
  bool strictly = false;
  for (size_t k = 0; k < a.size(); ++k) {
    const double s = gain_sign(directions[k]);
    const double ga = s * a[k], gb = s * b[k];
    if (ga < gb) return false;
    if (ga > gb) strictly = true;
  }
  return strictly;
}

std::vector<size_t> pareto_front(const std::vector<Point>& points,
                                 const std::vector<Direction>& directions) {
  check_dims(points, directions);
  std::vector<size_t> front;
  for (size_t i = 0; i < points.size(); ++i) {
    if (has_nan(points[i])) continue;
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j)
      dominated = j != i && dominates(points[j], points[i], directions);
    if (!dominated) front.push_back(i);
  }
  return front;
}

std::vector<std::vector<size_t>> non_dominated_sort(const std::vector<Point>& points,
                                                    const std::vector<Direction>& directions) {
  check_dims(points, directions);
  const size_t n = points.size();
  std::vector<std::vector<size_t>> dominated_by_me(n);
  std::vector<int> count(n, 0);
  std::vector<size_t> nan_points;
  for (size_t i = 0; i < n; ++i) {
    if (has_nan(points[i])) {
      nan_points.push_back(i);
      continue;
    }
    for (size_t j = i + 1; j < n; ++j) {
      if (dominates(points[i], points[j], directions)) {
        dominated_by_me[i].push_back(j);
        ++count[j];
      } else if (dominates(points[j], points[i], directions)) {
        dominated_by_me[j].push_back(i);
        ++count[i];
      }
    }
  }
  std::vector<std::vector<size_t>> fronts;
  std::vector<size_t> current;
  for (size_t i = 0; i < n; ++i)
    if (count[i] == 0 && !has_nan(points[i])) current.push_back(i);
  while (!current.empty()) {
    std::vector<size_t> next;
    for (size_t i : current)
      for (size_t j : dominated_by_me[i])
        if (--count[j] == 0) next.push_back(j);
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(current));
    current = std::move(next);
  }
  if (!nan_points.empty()) fronts.push_back(std::move(nan_points));
  return fronts;
}

std::vector<double> crowding_distance(const std::vector<Point>& points,
                                      const std::vector<size_t>& members) {
  const size_t m = members.size();
  std::vector<double> dist(m, 0.0);
  if (m == 0) return dist;
  const double inf = std::numeric_limits<double>::infinity();
  const size_t n_obj = points[members[0]].size();
  std::vector<size_t> order(m);
  for (size_t k = 0; k < n_obj; ++k) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return points[members[a]][k] < points[members[b]][k];
    });
    auto val = [&](size_t pos) { return points[members[order[pos]]][k]; };
    if (val(0) == val(m - 1)) continue;
    // Optuna: neighbours beyond the ends are -inf/+inf; width = finite max - finite min.
    double vmin = inf, vmax = -inf;
    for (size_t p = 0; p < m; ++p)
      if (std::isfinite(val(p))) vmin = std::min(vmin, val(p)), vmax = std::max(vmax, val(p));
    double width = vmax - vmin;
    if (!(width > 0)) width = 1.0;
    for (size_t p = 0; p < m; ++p) {
      const double lo = p == 0 ? -inf : val(p - 1);
      const double hi = p + 1 == m ? inf : val(p + 1);
      const double gap = lo == hi ? 0.0 : hi - lo;
      dist[order[p]] += gap / width;
    }
  }
  return dist;
}

double hypervolume_2d(const std::vector<Point>& points, const std::vector<Direction>& directions,
                      const Point& reference) {
  NNC_CHECK(directions.size() == 2 && reference.size() == 2,
            "hypervolume_2d: needs exactly 2 objectives, got {} directions", directions.size());
  check_dims(points, directions);
  // Work in minimization form.
  const double s0 = -gain_sign(directions[0]), s1 = -gain_sign(directions[1]);
  const double r0 = s0 * reference[0], r1 = s1 * reference[1];
  std::vector<std::pair<double, double>> pts;
  for (auto& p : points) {
    if (has_nan(p)) continue;
    const double a = s0 * p[0], b = s1 * p[1];
    if (a < r0 && b < r1) pts.emplace_back(a, b);
  }
  std::sort(pts.begin(), pts.end());
  double area = 0, best_b = r1;
  for (auto& [a, b] : pts) {
    if (b < best_b) {
      area += (r0 - a) * (best_b - b);
      best_b = b;
    }
  }
  return area;
}

}  // namespace nnc::search
