#pragma once
// AskTell: a study driven one trial at a time by its caller (Optuna's ask-and-tell): ask()
// proposes a configuration, the caller evaluates it however it likes (a Python objective, a
// job on a cluster) and tell()s the values back. optimize() (study.h) is a loop over it, so
// both deduplicate, score and keep the best trial / Pareto front the same way.
//
// One trial is pending at a time: samplers propose trial number history.size() from the
// trials told so far, so a second ask() before the tell() would break that contract.
//
// Example:
//   auto sampler = make_sampler("tpe", /*seed=*/1);
//   AskTell study(space, spec, *sampler);
//   while (auto t = study.ask()) {
//     if (t->duplicate_of >= 0) { study.tell(t->number, t->values); continue; }  // Dedup::kCache
//     study.tell(t->number, {evaluate(t->params)});
//   }
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "search/objective.h"
#include "search/sampler.h"
#include "search/search_space.h"
#include "search/study_result.h"
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

class AskTell {
 public:
  /// Keeps copies of `space` and `spec`; `sampler` must outlive the study. Fails on an
  /// empty space or an invalid spec.
  AskTell(const SearchSpace& space, const ObjectiveSpec& spec, Sampler& sampler,
          Dedup dedup = Dedup::kAllow, int max_resample = 100);

  /// The next trial (number = trials told so far, params decoded), or nullopt when the
  /// sampler has nothing left (brute force done, or every configuration seen under
  /// Dedup::kResample). Under Dedup::kCache a repeat comes with `duplicate_of` >= 0 and the
  /// earlier values filled in: tell those back instead of evaluating. Fails while a trial is
  /// pending.
  std::optional<Trial> ask();
  /// Records the pending trial `number` with one raw value per metric (spec order); a
  /// non-finite value fails the trial. Fails when `number` is not the pending trial or the
  /// value count is wrong. Returns the recorded trial.
  const Trial& tell(int number, std::vector<double> values, double objective_seconds = 0);
  /// Records the pending trial `number` as failed (the objective raised `error`).
  const Trial& tell_failed(int number, std::string error, double objective_seconds = 0);

  /// Trials told so far, in order; best (single objective, null until one completed) and
  /// the Pareto front (indices into trials()).
  const std::vector<Trial>& trials() const { return result_.trials; }
  const Trial* best() const { return best_ < 0 ? nullptr : &result_.trials[best_]; }
  const std::vector<size_t>& front() const { return front_; }
  std::optional<int> pending() const;
  /// How many trials the sampler can propose at most (brute force: the space size).
  std::optional<uint64_t> max_trials() const { return sampler_.max_trials(space_); }

  /// Everything so far as a StudyResult (seconds and stop flags are the caller's to set).
  StudyResult& result() { return result_; }

 private:
  bool propose(Trial& trial);
  const Trial& record(Trial trial);
  void score(Trial& trial) const;
  void remember(const Trial& trial);
  void track(const Trial& done);

  const SearchSpace space_;
  const ObjectiveSpec spec_;
  Sampler& sampler_;
  const Dedup dedup_;
  const int max_resample_;
  const bool check_dups_;
  const std::vector<Direction> dirs_;
  StudyResult result_;
  std::optional<Trial> pending_;
  std::map<std::vector<int>, int> seen_;  ///< configuration -> first complete (else first) trial
  int best_ = -1;                         ///< single objective only
  std::vector<size_t> front_;
};

}  // namespace nnc::search
