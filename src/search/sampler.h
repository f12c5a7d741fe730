#pragma once
// Sampler: proposes the next configuration of a study from the trials so far.
//
// Samplers see trials only through their `losses` (minimization form, see ObjectiveSpec), so
// they never care about metric names, scales or directions. Failed trials are in the history
// but ignored by the model-based samplers.
//
// Adding one = one file (a class deriving from Sampler) + one line in
// register_builtin_samplers() (sampler.cpp).
//
// Example:
//   SamplerSettings settings;  settings.seed = 7;  settings.tpe.n_startup_trials = 5;
//   std::unique_ptr<Sampler> s = make_sampler("tpe", settings);
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/registry.h"
#include "search/search_space.h"
#include "search/trial.h"

namespace nnc::search {

/// TPE (Tree-structured Parzen Estimator) for categorical parameters, Optuna's defaults.
struct TpeOptions {
  int n_startup_trials = 10;  ///< random trials before the model is used (complete trials)
  int n_ei_candidates = 24;   ///< candidates drawn from l(x); the best l(x)/g(x) wins
  double prior_weight = 1.0;  ///< weight of the uniform prior kernel and of the smoothing
  bool consider_prior = true; ///< add the uniform prior kernel to l and g
  /// Good-set size: n_below = min(ceil(gamma_fraction * n), gamma_max) (Optuna default_gamma).
  double gamma_fraction = 0.1;
  int gamma_max = 25;
  /// Optuna default_weights: the newest `weights_flat` observations weigh 1, older ones ramp
  /// linearly from 1/n. false: all observations weigh 1.
  bool ramp_weights = true;
  int weights_flat = 25;
  /// false: each parameter is modelled and chosen independently (Optuna's default).
  /// true: candidates are drawn jointly (one kernel per candidate) and scored jointly.
  bool multivariate = false;
  void validate() const;
};

/// NSGA-II, Optuna's NSGAIISampler for categorical parameters.
struct Nsga2Options {
  int population_size = 50;       ///< trials per generation (>= 2)
  /// Probability of resampling each inherited parameter at random; < 0 = 1 / n_params.
  double mutation_prob = -1.0;
  double crossover_prob = 0.9;    ///< else the child copies one random parent
  double swapping_prob = 0.5;     ///< uniform crossover: probability of taking parent 2's gene
  void validate() const;
};

/// Everything a sampler factory may need. One struct so the registry stays name -> factory.
struct SamplerSettings {
  uint64_t seed = 0;
  TpeOptions tpe;
  Nsga2Options nsga2;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::string name() const = 0;

  /// Proposes the configuration (one choice index per parameter) for trial number
  /// history.size(). `history` holds every earlier trial of the study, in order.
  /// May be called again for the same trial number when the study rejects a duplicate.
  virtual std::vector<int> ask(const SearchSpace& space, const std::vector<Trial>& history) = 0;

  /// Learns the outcome of a finished trial. Samplers that read everything from `history`
  /// need not override it.
  virtual void tell(const Trial& trial) {}

  /// How many distinct trials it can propose, when bounded (brute force: the space size).
  virtual std::optional<uint64_t> max_trials(const SearchSpace& space) const {
    return std::nullopt;
  }
  /// True when it never proposes a configuration twice (the study then skips dedup checks).
  virtual bool never_repeats() const { return false; }

  /// Its settings, one "key: value" per line, for the run log.
  virtual void describe(std::ostream& os) const = 0;
};

using SamplerRegistry = Registry<std::unique_ptr<Sampler>, const SamplerSettings&>;

/// Adds brute-force, random, tpe, nsga2 (and the MASE spelling nsgaii).
void register_builtin_samplers(SamplerRegistry& registry);
/// The process-wide registry, with the built-ins registered.
SamplerRegistry& sampler_registry();
/// sampler_registry().create(name, settings); unknown names list the valid ones.
std::unique_ptr<Sampler> make_sampler(const std::string& name,
                                      const SamplerSettings& settings = {});

}  // namespace nnc::search
