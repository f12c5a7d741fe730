#include "search/study.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include "core/error.h"
#include "core/stopwatch.h"

namespace nnc::search {

void StudyOptions::validate() const {
  NNC_CHECK(n_trials >= 1, "study: n_trials {} must be >= 1", n_trials);
  NNC_CHECK(std::isfinite(timeout_s) && timeout_s >= 0,
            "study: timeout_s {} must be >= 0 (0 = no timeout)", timeout_s);
  NNC_CHECK(max_resample >= 0, "study: max_resample {} must be >= 0", max_resample);
  NNC_CHECK(sampler_registry().contains(sampler), "unknown sampler '{}': expected one of {}",
            sampler, sampler_registry().joined_names());
  OptionValues chosen = sampler_options;
  chosen["sampler"] = sampler;
  sampler_registry().validate(chosen);
}

void StudyOptions::describe(std::ostream& os) const {
  os << "n_trials: " << n_trials << "\ntimeout_s: " << (timeout_s > 0 ? timeout_s : 0)
     << (timeout_s > 0 ? "" : " (none)") << "\nsampler: " << sampler
     << "\nseed: " << seed << "\ndedup: " << to_string(dedup) << "\n";
}

StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, const StudyOptions& options) {
  options.validate();
  std::unique_ptr<Sampler> sampler = make_sampler(options.sampler, options.seed, options.sampler_options);
  return optimize(space, spec, objective, *sampler, options);
}

namespace {

/// Runs the objective on a trial: its values, or nullopt with `error` set when it threw and
/// errors are caught.
std::optional<std::vector<double>> evaluate(const ObjectiveFn& objective, const Trial& trial,
                                            bool catch_errors, std::string& error) {
  try {
    return objective(trial);
  } catch (const std::exception& e) {
    if (!catch_errors) throw;
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace

StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, Sampler& sampler,
                     const StudyOptions& options) {
  NNC_CHECK(static_cast<bool>(objective), "study: no objective function given");
  NNC_CHECK(options.n_trials >= 1, "study: n_trials {} must be >= 1", options.n_trials);
  AskTell study(space, spec, sampler, options.dedup, options.max_resample);
  int n_planned = options.n_trials;
  if (auto cap = study.max_trials())
    n_planned = static_cast<int>(std::min<uint64_t>(*cap, static_cast<uint64_t>(n_planned)));
  const Stopwatch watch;
  for (int n = 0; n < n_planned; ++n) {
    if (options.timeout_s > 0 && watch.seconds() >= options.timeout_s) {
      study.result().timed_out = true;
      break;
    }
    std::optional<Trial> trial = study.ask();
    if (!trial) break;
    const Trial* done = nullptr;
    if (trial->duplicate_of >= 0) {
      done = &study.tell(trial->number, trial->values);
    } else {
      const Stopwatch objective_watch;
      std::string error;
      auto values = evaluate(objective, *trial, options.catch_errors, error);
      const double took = objective_watch.seconds();
      done = values ? &study.tell(trial->number, std::move(*values), took)
                    : &study.tell_failed(trial->number, std::move(error), took);
    }
    if (options.on_trial)
      options.on_trial({*done, n + 1, n_planned, study.best(), study.front().size(), watch.seconds()});
  }
  StudyResult result = std::move(study.result());
  result.seconds = watch.seconds();
  return result;
}

}  // namespace nnc::search
