#include "search/random_sampler.h"

#include <ostream>

namespace nnc::search {

RandomSampler::RandomSampler(const NoOptions&, uint64_t seed)
    : seed_(seed), rng_(derive_seed(seed, "search/random")) {}

std::vector<int> RandomSampler::draw(const SearchSpace& space, Rng& rng) {
  std::vector<int> index(space.size());
  for (size_t i = 0; i < space.size(); ++i)
    index[i] = static_cast<int>(rng.below(static_cast<uint64_t>(space.n_choices(i))));
  return index;
}

std::vector<int> RandomSampler::ask(const SearchSpace& space, const std::vector<Trial>& history) {
  return draw(space, rng_);
}

void RandomSampler::describe(std::ostream& os) const {
  os << "sampler: random\nseed: " << seed_ << "\n";
}

}  // namespace nnc::search
