#pragma once
// RandomSampler: each parameter's choice uniformly at random, seeded (stable across platforms).
#include "search/rng.h"
#include "search/sampler.h"

namespace nnc::search {

class RandomSampler : public Sampler {
 public:
  using Options = NoOptions;
  explicit RandomSampler(const NoOptions& = {}, uint64_t seed = 0);
  std::string name() const override { return "random"; }
  std::vector<int> ask(const SearchSpace& space, const std::vector<Trial>& history) override;
  void describe(std::ostream& os) const override;

  /// One uniform configuration drawn from `rng` (shared with TPE's and NSGA-II's start-up).
  static std::vector<int> draw(const SearchSpace& space, Rng& rng);

 private:
  uint64_t seed_;
  Rng rng_;
};

}  // namespace nnc::search
