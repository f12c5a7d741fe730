#include "search/ask_tell.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/stopwatch.h"
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

AskTell::AskTell(const SearchSpace& space, const ObjectiveSpec& spec, Sampler& sampler,
                 Dedup dedup, int max_resample)
    : space_(space), spec_(spec), sampler_(sampler), dedup_(dedup), max_resample_(max_resample),
      check_dups_(dedup != Dedup::kAllow && !sampler.never_repeats()), dirs_(spec.directions()) {
  NNC_CHECK(!space.empty(), "study: the search space has no parameters");
  spec.validate();
  NNC_CHECK(max_resample >= 0, "study: max_resample {} must be >= 0", max_resample);
  result_.spec = spec;
  result_.sampler = sampler.name();
}

std::optional<int> AskTell::pending() const {
  return pending_ ? std::optional<int>(pending_->number) : std::nullopt;
}

std::optional<Trial> AskTell::ask() {
  NNC_CHECK(!pending_, "study: trial {} is still pending: tell its result before asking again",
            pending_ ? pending_->number : 0);
  const auto cap = max_trials();
  if (cap && result_.trials.size() >= *cap) return std::nullopt;
  Trial trial;
  trial.number = static_cast<int>(result_.trials.size());
  if (!propose(trial)) return std::nullopt;
  const auto dup = check_dups_ ? seen_.find(trial.index) : seen_.end();
  if (dup != seen_.end() && result_.trials[dup->second].complete()) {
    trial.values = result_.trials[dup->second].values;
    trial.duplicate_of = dup->second;
  }
  pending_ = trial;
  return trial;
}

/// The sampler's proposal (asked again while Dedup::kResample rejects repeats); false when no
/// unseen configuration is left.
bool AskTell::propose(Trial& trial) {
  const Stopwatch watch;
  trial.index = sampler_.ask(space_, result_.trials);
  space_.check_index(trial.index);
  if (dedup_ == Dedup::kResample && check_dups_ && seen_.count(trial.index)) {
    if (seen_.size() >= space_.cardinality()) {
      result_.exhausted = true;
      result_.sampler_seconds += watch.seconds();
      return false;
    }
    for (int k = 0; k < max_resample_ && seen_.count(trial.index); ++k) {
      trial.index = sampler_.ask(space_, result_.trials);
      space_.check_index(trial.index);
    }
  }
  trial.sampler_seconds = watch.seconds();
  result_.sampler_seconds += trial.sampler_seconds;
  trial.params = space_.decode(trial.index);
  return true;
}

const Trial& AskTell::tell(int number, std::vector<double> values, double objective_seconds) {
  NNC_CHECK(pending_ && pending_->number == number,
            "study: trial {} is not pending (pending: {}); ask() gives the next trial", number,
            pending_ ? std::to_string(pending_->number) : std::string("none"));
  NNC_CHECK(values.size() == spec_.metrics.size(),
            "study: {} values told for trial {}, expected {} (one per metric, in order)",
            values.size(), number, spec_.metrics.size());
  Trial trial = std::move(*pending_);
  trial.values = std::move(values);
  trial.objective_seconds = objective_seconds;
  return record(std::move(trial));
}

const Trial& AskTell::tell_failed(int number, std::string error, double objective_seconds) {
  NNC_CHECK(pending_ && pending_->number == number,
            "study: trial {} is not pending (pending: {}); ask() gives the next trial", number,
            pending_ ? std::to_string(pending_->number) : std::string("none"));
  Trial trial = std::move(*pending_);
  trial.values.clear();
  trial.duplicate_of = -1;
  trial.state = TrialState::kFailed;
  trial.error = std::move(error);
  trial.objective_seconds = objective_seconds;
  return record(std::move(trial));
}

const Trial& AskTell::record(Trial trial) {
  pending_.reset();
  score(trial);
  remember(trial);
  result_.trials.push_back(std::move(trial));
  const Trial& done = result_.trials.back();
  sampler_.tell(done);
  track(done);
  return done;
}

/// Fails the trial on a non-finite value, else derives its objectives and losses.
void AskTell::score(Trial& trial) const {
  if (!trial.complete()) return;
  for (size_t k = 0; k < trial.values.size(); ++k) {
    if (!std::isfinite(trial.values[k])) {
      trial.state = TrialState::kFailed;
      trial.error = fmt::format("metric '{}' is {}", spec_.metrics[k].name, trial.values[k]);
      return;
    }
  }
  trial.scaled = spec_.scaled(trial.values);
  trial.objectives = spec_.objectives(trial.values);
  trial.losses = spec_.losses(trial.objectives);
}

void AskTell::remember(const Trial& trial) {
  if (!check_dups_) return;
  auto it = seen_.find(trial.index);
  if (it == seen_.end())
    seen_.emplace(trial.index, trial.number);
  else if (!result_.trials[it->second].complete() && trial.complete())
    it->second = trial.number;
}

/// The best trial (single objective) and the Pareto front, kept incrementally.
void AskTell::track(const Trial& done) {
  if (!done.complete()) return;
  const auto& trials = result_.trials;
  if (spec_.n_objectives() == 1 && (best_ < 0 || done.losses[0] < trials[best_].losses[0]))
    best_ = done.number;
  const bool dominated = std::any_of(front_.begin(), front_.end(), [&](size_t i) {
    return dominates(trials[i].objectives, done.objectives, dirs_);
  });
  if (dominated) return;
  std::erase_if(front_, [&](size_t i) { return dominates(done.objectives, trials[i].objectives, dirs_); });
  front_.push_back(static_cast<size_t>(done.number));
}

}  // namespace nnc::search
