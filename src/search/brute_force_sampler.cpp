#include "search/brute_force_sampler.h"

#include <algorithm>
#include <limits>
#include <ostream>

#include "core/error.h"

namespace nnc::search {

std::vector<int> BruteForceSampler::unrank(const SearchSpace& space, uint64_t k) {
  std::vector<int> index(space.size());
  for (size_t i = space.size(); i-- > 0;) {
    const auto n = static_cast<uint64_t>(space.n_choices(i));
    index[i] = static_cast<int>(k % n);
    k /= n;
  }
  return index;
}

uint64_t BruteForceSampler::rank(const SearchSpace& space, const std::vector<int>& index) {
  uint64_t k = 0;
  for (size_t i = 0; i < space.size(); ++i)
    k = k * static_cast<uint64_t>(space.n_choices(i)) + static_cast<uint64_t>(index[i]);
  return k;
}

std::vector<int> BruteForceSampler::ask(const SearchSpace& space,
                                        const std::vector<Trial>& history) {
  const uint64_t total = space.cardinality();
  NNC_CHECK(total > 0, "brute-force: the search space has no parameters");
  NNC_CHECK(total < std::numeric_limits<uint64_t>::max(),
            "brute-force: the search space has 2^64 or more configurations; use tpe or random");
  if (synced_ > history.size()) synced_ = 0, seen_.clear();  // a different study
  for (; synced_ < history.size(); ++synced_) {
    const Trial& t = history[synced_];
    if (t.index.size() != space.size()) continue;
    const uint64_t r = rank(space, t.index);
    if (r >= cursor_) seen_.insert(std::upper_bound(seen_.begin(), seen_.end(), r), r);
  }
  // Skip ranks already tried; seen_ is sorted, so this is a merge walk.
  auto it = std::lower_bound(seen_.begin(), seen_.end(), cursor_);
  while (it != seen_.end() && *it == cursor_) ++cursor_, ++it;
  seen_.erase(seen_.begin(), it);
  NNC_CHECK(cursor_ < total, "brute-force: all {} configurations have been tried", total);
  return unrank(space, cursor_++);
}

void BruteForceSampler::describe(std::ostream& os) const {
  os << "sampler: brute-force (mixed-radix order, last parameter fastest)\n";
}

}  // namespace nnc::search
