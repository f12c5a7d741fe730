#pragma once
// BruteForceSampler: every configuration of the product space exactly once, in mixed-radix
// order (the first parameter is the outermost loop, the last one varies fastest) — the
// nested loops of the original lab report. Configurations already in the history (a resumed
// study) are skipped. Asking past the end of the space fails.
#include "search/sampler.h"

namespace nnc::search {

class BruteForceSampler : public Sampler {
 public:
  using Options = NoOptions;
  /// Deterministic: the seed is not used.
  explicit BruteForceSampler(const NoOptions& = {}, uint64_t seed = 0) {}
  std::string name() const override { return "brute-force"; }
  std::vector<int> ask(const SearchSpace& space, const std::vector<Trial>& history) override;
  std::optional<uint64_t> max_trials(const SearchSpace& space) const override {
    return space.cardinality();
  }
  bool never_repeats() const override { return true; }
  void describe(std::ostream& os) const override;

  /// The k-th configuration in mixed-radix order.
  static std::vector<int> unrank(const SearchSpace& space, uint64_t k);
  static uint64_t rank(const SearchSpace& space, const std::vector<int>& index);

 private:
  uint64_t cursor_ = 0;        ///< next rank to consider
  size_t synced_ = 0;          ///< history entries already folded into seen_
  std::vector<uint64_t> seen_; ///< sorted ranks of history configurations at or past cursor_
};

}  // namespace nnc::search
