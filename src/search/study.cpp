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

StudyResult optimize(const SearchSpace& space, const ObjectiveSpec& spec,
                     const ObjectiveFn& objective, Sampler& sampler,
                     const StudyOptions& options) {
  NNC_CHECK(!space.empty(), "study: the search space has no parameters");
  NNC_CHECK(static_cast<bool>(objective), "study: no objective function given");
  spec.validate();
  NNC_CHECK(options.n_trials >= 1, "study: n_trials {} must be >= 1", options.n_trials);
  NNC_CHECK(options.max_resample >= 0, "study: max_resample {} must be >= 0",
            options.max_resample);

  StudyResult result;
  result.spec = spec;
  result.sampler = sampler.name();
  int n_planned = options.n_trials;
  if (auto cap = sampler.max_trials(space))
    n_planned = static_cast<int>(std::min<uint64_t>(*cap, static_cast<uint64_t>(n_planned)));
  result.trials.reserve(n_planned);

  const bool check_dups = options.dedup != Dedup::kAllow && !sampler.never_repeats();
  const uint64_t cardinality = space.cardinality();
  std::map<std::vector<int>, int> seen;  // configuration -> first complete (else first) trial
  const Trial* best = nullptr;           // single objective only
  std::vector<size_t> front;             // current Pareto front (kept incrementally)
  const std::vector<Direction> dirs = spec.directions();
  const auto t0 = Clock::now();

  for (int number = 0; number < n_planned; ++number) {
    if (options.timeout_s > 0 && seconds_since(t0) >= options.timeout_s) {
      result.timed_out = true;
      break;
    }
    Trial trial;
    trial.number = number;

    // Ask (again, while a resampling policy rejects repeats).
    const auto ta = Clock::now();
    trial.index = sampler.ask(space, result.trials);
    space.check_index(trial.index);
    auto dup = check_dups ? seen.find(trial.index) : seen.end();
    if (options.dedup == Dedup::kResample && dup != seen.end()) {
      if (seen.size() >= cardinality) {
        result.exhausted = true;
        result.sampler_seconds += seconds_since(ta);
        break;
      }
      for (int k = 0; k < options.max_resample && dup != seen.end(); ++k) {
        trial.index = sampler.ask(space, result.trials);
        space.check_index(trial.index);
        dup = seen.find(trial.index);
      }
    }
    trial.sampler_seconds = seconds_since(ta);
    result.sampler_seconds += trial.sampler_seconds;
    trial.params = space.decode(trial.index);

    const Trial* earlier =
        dup != seen.end() && result.trials[dup->second].complete() ? &result.trials[dup->second]
                                                                   : nullptr;
    if (earlier) {
      trial.values = earlier->values;
      trial.duplicate_of = earlier->number;
    } else {
      const auto te = Clock::now();
      try {
        trial.values = objective(trial);
      } catch (const std::exception& e) {
        if (!options.catch_errors) throw;
        trial.state = TrialState::kFailed;
        trial.error = e.what();
      }
      trial.objective_seconds = seconds_since(te);
    }
    if (trial.complete()) {
      NNC_CHECK(trial.values.size() == spec.metrics.size(),
                "study: the objective returned {} values for trial {}, expected {} (one per "
                "metric, in order)",
                trial.values.size(), number, spec.metrics.size());
      for (size_t k = 0; k < trial.values.size() && trial.complete(); ++k) {
        if (!std::isfinite(trial.values[k])) {
          trial.state = TrialState::kFailed;
          trial.error = fmt::format("metric '{}' is {}", spec.metrics[k].name, trial.values[k]);
        }
      }
    }
    if (trial.complete()) {
      trial.scaled = spec.scaled(trial.values);
      trial.objectives = spec.objectives(trial.values);
      trial.losses = spec.losses(trial.objectives);
    }
    if (check_dups) {
      auto it = seen.find(trial.index);
      if (it == seen.end())
        seen.emplace(trial.index, number);
      else if (!result.trials[it->second].complete() && trial.complete())
        it->second = number;
    }
    result.trials.push_back(std::move(trial));
    const Trial& done = result.trials.back();
    sampler.tell(done);

    if (spec.n_objectives() == 1 && done.complete() &&
        (!best || done.losses[0] < best->losses[0]))
      best = &done;
    if (done.complete()) {
      const auto& trials = result.trials;
      const bool dominated = std::any_of(front.begin(), front.end(), [&](size_t i) {
        return dominates(trials[i].objectives, done.objectives, dirs);
      });
      if (!dominated) {
        std::erase_if(front, [&](size_t i) {
          return dominates(done.objectives, trials[i].objectives, dirs);
        });
        front.push_back(static_cast<size_t>(number));
      }
    }
    if (options.on_trial) {
      StudyProgress progress{done};
      progress.n_done = number + 1;
      progress.n_planned = n_planned;
      progress.best = best;
      progress.front_size = front.size();
      progress.elapsed_s = seconds_since(t0);
      options.on_trial(progress);
    }
  }
  result.seconds = seconds_since(t0);
  return result;
}

}  // namespace nnc::search
