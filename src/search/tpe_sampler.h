#pragma once
// TpeSampler: Tree-structured Parzen Estimator, following Optuna's TPESampler (3.x) with its
// defaults except one: multivariate by default. Ordered parameters (distinct numeric choices,
// SearchSpace) are modelled on their numeric axis with truncated Gaussian kernels
// (parzen_numeric.h), like Optuna's int/float distributions; mixed ones ("NA" beside numbers)
// as Optuna's define-by-run conditional (a category, then a number); the others as categories:
//  - the first n_startup_trials complete trials are sampled at random;
//  - complete trials are ranked by loss and split into a good set (the best
//    min(ceil(0.1 n), 25)) and a bad set, each kept in trial order;
//  - per set and parameter, a mixture of one categorical kernel per observation
//    (prior_weight / n_kernels on every choice, +1 on the observed one, normalized) plus a
//    uniform prior kernel of weight prior_weight; observation weights ramp from 1/n for all
//    but the newest 25 observations (Optuna default_weights);
//  - n_ei_candidates are drawn from l (good mixture) and the one maximizing
//    log l(x) - log g(x) is proposed.
// Multivariate (default): a candidate is drawn from one kernel of l across all parameters and
// scored by the joint densities, so interactions are seen; numeric kernels keep their
// univariate neighbour-gap widths unless multivariate_scott (Optuna's shared width).
// In independent mode the mixture collapses to one distribution per parameter (for ordered
// ones, each kernel's mass over each choice's cell), so drawing 24 candidates from l and
// keeping the best l/g is Optuna's draw-then-score, at O(n_trials * n_choices) per parameter.
// Multi-objective studies rank trials by non-dominated rank, then crowding distance
// (Optuna's MOTPE uses hypervolume contributions instead).
#include <optional>

#include "search/parzen_numeric.h"
#include "search/rng.h"
#include "search/sampler.h"

namespace nnc::search {

/// TPE's options (Optuna's defaults), keys tpe_*.
/// Example: make_sampler("tpe", seed, {{"tpe_multivariate", false}})  // Optuna's default mode
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
  /// true: candidates are drawn jointly (one kernel per candidate) and scored jointly, so
  /// interactions between parameters are seen (Optuna's multivariate=True). false: each
  /// parameter is modelled and chosen on its own (Optuna's default). Default true: better on
  /// 7 of bench-search's 8 objectives (and level on the 8th) at 50 trials.
  bool multivariate = true;
  /// Multivariate numeric kernels: true = one width for all, Optuna 3.1's Scott-like
  /// 0.2 n^(-1/(d+4)) x range; false = each kernel's univariate neighbour-gap width.
  bool multivariate_scott = false;
  /// true: ordered parameters get numeric kernels; false: all categorical (as before 2026-12).
  bool ordered = true;
  /// Numeric kernels: sigma >= range / min(100, 1 + n_kernels) (Optuna consider_magic_clip).
  bool magic_clip = true;
  /// Numeric kernels: the outermost may widen to the axis ends (Optuna consider_endpoints).
  bool consider_endpoints = false;

  static const OptionFields<TpeOptions>& fields();
  void validate() const;
};

class TpeSampler : public Sampler {
 public:
  using Options = TpeOptions;
  explicit TpeSampler(const TpeOptions& options = {}, uint64_t seed = 0);
  std::string name() const override { return "tpe"; }
  std::vector<int> ask(const SearchSpace& space, const std::vector<Trial>& history) override;
  void describe(std::ostream& os) const override;

  const TpeOptions& options() const { return options_; }
  /// Optuna default_gamma generalised: min(ceil(gamma_fraction * n), gamma_max), in double
  /// arithmetic like numpy.
  int n_below(int n) const;
  /// Unnormalized mixture weights of m observations in trial order (Optuna default_weights).
  std::vector<double> observation_weights(int m) const;

  /// The independent model the next ask() would use: per parameter, the collapsed
  /// distributions l (good trials) and g (bad trials) over its choices (numeric kernels
  /// integrated over the cells for ordered parameters). Empty while fewer than
  /// n_startup_trials trials are complete. For inspection and tests.
  struct Model {
    std::vector<std::vector<double>> l, g;
  };
  Model model(const SearchSpace& space, const std::vector<Trial>& history) const;

 private:
  /// Splits the usable trials into good/bad sets (each in trial order); false = start-up.
  bool split(const SearchSpace& space, const std::vector<Trial>& history,
             std::vector<const Trial*>& below, std::vector<const Trial*>& above) const;
  /// Per parameter, its numeric axis when it is modelled as a number.
  std::vector<std::optional<NumericAxis>> axes(const SearchSpace& space) const;
  std::vector<int> ask_independent(const SearchSpace& space,
                                   const std::vector<const Trial*>& below,
                                   const std::vector<const Trial*>& above);
  std::vector<int> ask_multivariate(const SearchSpace& space,
                                    const std::vector<const Trial*>& below,
                                    const std::vector<const Trial*>& above);

  TpeOptions options_;
  uint64_t seed_;
  Rng rng_;
  Rng startup_rng_;
};

}  // namespace nnc::search
