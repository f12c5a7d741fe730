#pragma once
// Nsga2Sampler: NSGA-II for categorical parameters, following Optuna's NSGAIISampler (3.x):
//  - each proposed trial joins a generation; a generation is full once it has
//    population_size complete trials (failed ones do not count);
//  - generation 0 is random; afterwards the parent population is the elite of the last full
//    generation plus the previous parents (non-dominated sort, the last front cut by crowding
//    distance, largest first);
//  - a child takes two parents by binary tournament (the first of two random picks wins only
//    when it dominates the second), uniform crossover with probability crossover_prob (else a
//    copy of one random parent), then each parameter is resampled at random with
//    probability mutation_prob (default 1 / n_params).
// Works for one objective too (the sort then orders by loss).
#include "search/rng.h"
#include "search/sampler.h"

namespace nnc::search {

/// NSGA-II's options (Optuna's NSGAIISampler defaults), keys nsga2_*.
struct Nsga2Options {
  int population_size = 50;       ///< trials per generation (>= 2)
  /// Probability of resampling each inherited parameter at random; < 0 = 1 / n_params.
  double mutation_prob = -1.0;
  double crossover_prob = 0.9;    ///< else the child copies one random parent
  double swapping_prob = 0.5;     ///< uniform crossover: probability of taking parent 2's gene

  static const OptionFields<Nsga2Options>& fields();
  void validate() const;
};

class Nsga2Sampler : public Sampler {
 public:
  using Options = Nsga2Options;
  explicit Nsga2Sampler(const Nsga2Options& options = {}, uint64_t seed = 0);
  std::string name() const override { return "nsga2"; }
  std::vector<int> ask(const SearchSpace& space, const std::vector<Trial>& history) override;
  void describe(std::ostream& os) const override;

  /// Generation of a trial number (-1 if this sampler did not propose it).
  int generation_of(int number) const;

 private:
  /// Trial numbers (indices into history) of the parent population after full generation g.
  const std::vector<int>& parents_after(int g, const std::vector<std::vector<int>>& members,
                                        const std::vector<Trial>& history);
  int select_parent(const std::vector<int>& population, const std::vector<Trial>& history);

  Nsga2Options options_;
  uint64_t seed_;
  Rng rng_;
  std::vector<int> generation_;              ///< by trial number
  std::vector<std::vector<int>> parents_;    ///< cache: parents_[g] after generation g
};

}  // namespace nnc::search
