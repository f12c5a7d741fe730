#include "search/study.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <ostream>

#include "core/error.h"
#include "search/pareto.h"

namespace nnc::search {

Dedup parse_dedup(std::string_view text) {
  if (text == "allow") return Dedup::kAllow;
  if (text == "cache") return Dedup::kCache;
  if (text == "resample") return Dedup::kResample;
  fail("unknown dedup policy '{}': expected one of allow, cache, resample", text);
}

std::string to_string(Dedup d) {
  switch (d) {
    case Dedup::kAllow: return "allow";
    case Dedup::kCache: return "cache";
    case Dedup::kResample: return "resample";
  }
  return "?";
}

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

size_t StudyResult::n_complete() const {
  return static_cast<size_t>(
      std::count_if(trials.begin(), trials.end(), [](const Trial& t) { return t.complete(); }));
}

const Trial& StudyResult::best() const {
  NNC_CHECK(spec.n_objectives() == 1,
            "study: best() needs a single objective but there are {}; use pareto_front()",
            spec.n_objectives());
  const Trial* best = nullptr;
  for (const Trial& t : trials)
    if (t.complete() && (!best || t.losses[0] < best->losses[0])) best = &t;
  NNC_CHECK(best != nullptr, "study: no trial completed out of {} (see each trial's error)",
            trials.size());
  return *best;
}

std::vector<size_t> StudyResult::pareto_front() const {
  std::vector<Point> pts;
  std::vector<size_t> where;
  for (size_t i = 0; i < trials.size(); ++i)
    if (trials[i].complete()) pts.push_back(trials[i].objectives), where.push_back(i);
  std::vector<size_t> out;
  if (pts.empty()) return out;
  for (size_t k : search::pareto_front(pts, spec.directions())) out.push_back(where[k]);
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, const StudyOptions& options) {
  options.validate();
  std::unique_ptr<Sampler> sampler = make_sampler(options.sampler, options.seed, options.sampler_options);
  return optimize(space, spec, objective, *sampler, options);
}

namespace {

/// One optimize() call: asks, evaluates (or copies a duplicate's values), scores and records
/// each trial, keeping the best trial and the Pareto front as it goes.
class StudyRun {
 public:
  StudyRun(const SearchSpace& space, const ObjectiveSpec& spec, const ObjectiveFn& objective,
           Sampler& sampler, const StudyOptions& options)
      : space_(space), spec_(spec), objective_(objective), sampler_(sampler), options_(options),
        check_dups_(options.dedup != Dedup::kAllow && !sampler.never_repeats()),
        cardinality_(space.cardinality()), dirs_(spec.directions()) {
    result_.spec = spec;
    result_.sampler = sampler.name();
    n_planned_ = options.n_trials;
    if (auto cap = sampler.max_trials(space))
      n_planned_ = static_cast<int>(std::min<uint64_t>(*cap, static_cast<uint64_t>(n_planned_)));
    result_.trials.reserve(n_planned_);  // `best_` points into it
  }

  StudyResult run() {
    for (int number = 0; number < n_planned_; ++number) {
      if (options_.timeout_s > 0 && seconds_since(t0_) >= options_.timeout_s) {
        result_.timed_out = true;
        break;
      }
      Trial trial;
      trial.number = number;
      if (!ask(trial)) break;
      evaluate(trial);
      score(trial);
      remember(trial);
      result_.trials.push_back(std::move(trial));
      const Trial& done = result_.trials.back();
      sampler_.tell(done);
      track(done);
      report(done);
    }
    result_.seconds = seconds_since(t0_);
    return std::move(result_);
  }

 private:
  std::map<std::vector<int>, int>::iterator duplicate(const Trial& trial) {
    return check_dups_ ? seen_.find(trial.index) : seen_.end();
  }

  /// The sampler's proposal (asked again while a resampling policy rejects repeats); false
  /// when no unseen configuration is left.
  bool ask(Trial& trial) {
    const auto ta = Clock::now();
    trial.index = sampler_.ask(space_, result_.trials);
    space_.check_index(trial.index);
    auto dup = duplicate(trial);
    if (options_.dedup == Dedup::kResample && dup != seen_.end()) {
      if (seen_.size() >= cardinality_) {
        result_.exhausted = true;
        result_.sampler_seconds += seconds_since(ta);
        return false;
      }
      for (int k = 0; k < options_.max_resample && dup != seen_.end(); ++k) {
        trial.index = sampler_.ask(space_, result_.trials);
        space_.check_index(trial.index);
        dup = seen_.find(trial.index);
      }
    }
    trial.sampler_seconds = seconds_since(ta);
    result_.sampler_seconds += trial.sampler_seconds;
    trial.params = space_.decode(trial.index);
    return true;
  }

  /// The objective's values, or those of an earlier complete trial of the same configuration.
  void evaluate(Trial& trial) {
    const auto dup = duplicate(trial);
    const Trial* earlier = dup != seen_.end() && result_.trials[dup->second].complete()
                               ? &result_.trials[dup->second]
                               : nullptr;
    if (earlier) {
      trial.values = earlier->values;
      trial.duplicate_of = earlier->number;
      return;
    }
    const auto te = Clock::now();
    try {
      trial.values = objective_(trial);
    } catch (const std::exception& e) {
      if (!options_.catch_errors) throw;
      trial.state = TrialState::kFailed;
      trial.error = e.what();
    }
    trial.objective_seconds = seconds_since(te);
  }

  /// Checks the values (one finite value per metric) and derives the objectives and losses.
  void score(Trial& trial) const {
    if (!trial.complete()) return;
    NNC_CHECK(trial.values.size() == spec_.metrics.size(),
              "study: the objective returned {} values for trial {}, expected {} (one per "
              "metric, in order)",
              trial.values.size(), trial.number, spec_.metrics.size());
    for (size_t k = 0; k < trial.values.size() && trial.complete(); ++k) {
      if (!std::isfinite(trial.values[k])) {
        trial.state = TrialState::kFailed;
        trial.error = fmt::format("metric '{}' is {}", spec_.metrics[k].name, trial.values[k]);
      }
    }
    if (!trial.complete()) return;
    trial.scaled = spec_.scaled(trial.values);
    trial.objectives = spec_.objectives(trial.values);
    trial.losses = spec_.losses(trial.objectives);
  }

  /// Configuration -> its first complete (else first) trial, for the dedup policies.
  void remember(const Trial& trial) {
    if (!check_dups_) return;
    auto it = seen_.find(trial.index);
    if (it == seen_.end())
      seen_.emplace(trial.index, trial.number);
    else if (!result_.trials[it->second].complete() && trial.complete())
      it->second = trial.number;
  }

  /// The best trial (single objective) and the Pareto front, kept incrementally.
  void track(const Trial& done) {
    if (!done.complete()) return;
    if (spec_.n_objectives() == 1 && (!best_ || done.losses[0] < best_->losses[0])) best_ = &done;
    const auto& trials = result_.trials;
    const bool dominated = std::any_of(front_.begin(), front_.end(), [&](size_t i) {
      return dominates(trials[i].objectives, done.objectives, dirs_);
    });
    if (dominated) return;
    std::erase_if(front_, [&](size_t i) { return dominates(done.objectives, trials[i].objectives, dirs_); });
    front_.push_back(static_cast<size_t>(done.number));
  }

  void report(const Trial& done) const {
    if (!options_.on_trial) return;
    StudyProgress progress{done};
    progress.n_done = done.number + 1;
    progress.n_planned = n_planned_;
    progress.best = best_;
    progress.front_size = front_.size();
    progress.elapsed_s = seconds_since(t0_);
    options_.on_trial(progress);
  }

  const SearchSpace& space_;
  const ObjectiveSpec& spec_;
  const ObjectiveFn& objective_;
  Sampler& sampler_;
  const StudyOptions& options_;
  const bool check_dups_;
  const uint64_t cardinality_;
  const std::vector<Direction> dirs_;
  const Clock::time_point t0_ = Clock::now();
  int n_planned_ = 0;
  StudyResult result_;
  std::map<std::vector<int>, int> seen_;
  const Trial* best_ = nullptr;  ///< single objective only
  std::vector<size_t> front_;
};

}  // namespace

StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, Sampler& sampler,
                     const StudyOptions& options) {
  NNC_CHECK(!space.empty(), "study: the search space has no parameters");
  NNC_CHECK(static_cast<bool>(objective), "study: no objective function given");
  spec.validate();
  NNC_CHECK(options.n_trials >= 1, "study: n_trials {} must be >= 1", options.n_trials);
  NNC_CHECK(options.max_resample >= 0, "study: max_resample {} must be >= 0",
            options.max_resample);
  return StudyRun(space, spec, objective, sampler, options).run();
}

}  // namespace nnc::search
