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

#include "search/ask_tell.h"
#include "search/objective.h"
#include "search/sampler.h"
#include "search/study_result.h"
#include "search/search_space.h"
#include "search/trial.h"

namespace nnc::search {

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

/// Runs a study with the sampler named in options (built with its seed and sampler_options).
StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, const StudyOptions& options);
/// Same with a caller-owned sampler (options.sampler is then ignored).
StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, Sampler& sampler, const StudyOptions& options);

}  // namespace nnc::search
