#include "search/study_result.h"

#include <algorithm>

#include "core/error.h"
#include "search/pareto.h"

namespace nnc::search {

size_t StudyResult::n_complete() const {
  return static_cast<size_t>(
      std::count_if(trials.begin(), trials.end(), [](const Trial& t) { return t.complete(); }));
}

const Trial& StudyResult::best() const {
  NNC_CHECK(spec.n_objectives() == 1,
            "study: best() needs a single objective but there are {}; use pareto_front()",
            spec.n_objectives());
  const Trial* best = nullptr;
  for (const Trial& t : trials)
    if (t.complete() && (!best || t.losses[0] < best->losses[0])) best = &t;
  NNC_CHECK(best != nullptr, "study: no trial completed out of {} (see each trial's error)",
            trials.size());
  return *best;
}

std::vector<size_t> StudyResult::pareto_front() const {
  std::vector<Point> pts;
  std::vector<size_t> where;
  for (size_t i = 0; i < trials.size(); ++i)
    if (trials[i].complete()) pts.push_back(trials[i].objectives), where.push_back(i);
  std::vector<size_t> out;
  if (pts.empty()) return out;
  for (size_t k : search::pareto_front(pts, spec.directions())) out.push_back(where[k]);
  return out;
}

}  // namespace nnc::search
