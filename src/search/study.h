#pragma once
// optimize(): the study runner. Asks a sampler for configurations, evaluates the objective
// callback, records every trial, and answers with the best trial (one objective) or the
// Pareto front (several). No printing: pass on_trial to report progress.
//
// Example:
//   StudyOptions opt;  opt.n_trials = 50;  opt.sampler = "tpe";  opt.seed = 1;
//   StudyResult r = optimize(space, spec, [&](const Trial& t) {
//     return std::vector<double>{evaluate(t.params)};  // one value per metric, in spec order
//   }, opt);
//   const Trial& best = r.best();
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "search/objective.h"
#include "search/sampler.h"
#include "search/search_space.h"
#include "search/trial.h"

namespace nnc::search {

/// What to do when a sampler proposes a configuration that was already tried.
enum class Dedup {
  kAllow,     ///< evaluate it again (Optuna's behaviour; right for noisy objectives)
  kCache,     ///< do not evaluate: copy the earlier complete trial's values (duplicate_of set)
  kResample,  ///< ask again, up to max_resample times; then cache. Stops when the space is used up.
};
Dedup parse_dedup(std::string_view text);  ///< "allow" | "cache" | "resample"
std::string to_string(Dedup d);

/// Passed to StudyOptions::on_trial after each trial.
struct StudyProgress {
  const Trial& trial;
  int n_done = 0;              ///< trials finished so far (this one included)
  int n_planned = 0;           ///< n_trials after capping
  const Trial* best = nullptr; ///< best complete trial so far (single objective), else null
  size_t front_size = 0;       ///< size of the current Pareto front (complete trials)
  double elapsed_s = 0;
};

/// The objective: metric values for a trial's params, one per ObjectiveSpec metric, in order.
/// Throwing fails the trial when catch_errors is set; NaN/inf values fail it always.
using ObjectiveFn = std::function<std::vector<double>(const Trial&)>;

struct StudyOptions {
  int n_trials = 100;     ///< capped at the sampler's max_trials (brute force: the space size)
  double timeout_s = 0;   ///< > 0: no trial starts after this many seconds (Optuna's timeout)
  std::string sampler = "tpe";        ///< registry name (see sampler_registry())
  uint64_t seed = 0;                  ///< the sampler's seed
  OptionValues sampler_options;       ///< the sampler's own options (tpe_*, nsga2_*); missing = defaults
  Dedup dedup = Dedup::kAllow;        ///< brute force never repeats, whatever this says
  int max_resample = 100;             ///< Dedup::kResample: asks per trial before caching
  bool catch_errors = false;          ///< objective exceptions -> failed trials (else rethrown)
  std::function<void(const StudyProgress&)> on_trial;  ///< progress hook (the CLI prints)

  void validate() const;
  void describe(std::ostream& os) const;
};

struct StudyResult {
  ObjectiveSpec spec;
  std::string sampler;
  std::vector<Trial> trials;  ///< every trial, in order (trials[i].number == i)
  bool timed_out = false;     ///< stopped by timeout_s
  bool exhausted = false;     ///< stopped early: no unseen configuration left
  double seconds = 0;         ///< wall time of the study
  double sampler_seconds = 0; ///< total time spent in Sampler::ask

  size_t n_complete() const;
  /// Best complete trial of a single-objective study (ties: the earliest). Fails for a
  /// multi-objective study (use pareto_front()) or when no trial completed.
  const Trial& best() const;
  /// Indices into `trials` of the complete, non-dominated trials w.r.t. the objectives and
  /// their directions (one objective: every trial tied at the best value).
  std::vector<size_t> pareto_front() const;
};

/// Runs a study with the sampler named in options (built with its seed and sampler_options).
StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, const StudyOptions& options);
/// Same with a caller-owned sampler (options.sampler is then ignored).
StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, Sampler& sampler, const StudyOptions& options);

}  // namespace nnc::search
