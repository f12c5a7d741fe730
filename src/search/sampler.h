#pragma once
// Sampler: proposes the next configuration of a study from the trials so far.
//
// Samplers see trials only through their `losses` (minimization form, see ObjectiveSpec), so
// they never care about metric names, scales or directions. Failed trials are in the history
// but ignored by the model-based samplers.
//
// Adding one = one file (a class deriving from Sampler, with `using Options = ...;` and a
// constructor (const Options&, uint64_t seed)) + one line in register_builtin_samplers()
// (sampler.cpp). Its Options own their option keys (tpe_*, nsga2_*): a kind that offers a
// sampler lists sampler_registry().option_specs(), and only the selected sampler's options
// take part in a run's identity.
//
// Example:
//   std::unique_ptr<Sampler> s = make_sampler("tpe", /*seed=*/7, {{"tpe_n_startup_trials", int64_t{5}}});
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/options.h"
#include "core/plugin_registry.h"
#include "search/search_space.h"
#include "search/trial.h"

namespace nnc::search {

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

/// Samplers by name (option "sampler"); each is built from its own options and a seed.
using SamplerRegistry = PluginRegistry<std::unique_ptr<Sampler>, uint64_t>;

/// Adds brute-force, random, tpe, nsga2 (and the MASE spelling nsgaii).
void register_builtin_samplers(SamplerRegistry& registry);
/// The process-wide registry, with the built-ins registered.
SamplerRegistry& sampler_registry();
/// The sampler `name` with its options from `options` (keys it does not own are ignored,
/// missing ones keep their defaults), validated; unknown names list the valid ones.
std::unique_ptr<Sampler> make_sampler(const std::string& name, uint64_t seed = 0,
                                      OptionValues options = {});
/// Fails naming the first sampler option in `options` that differs from its default although
/// sampler `name` does not own it ("" = no sampler named, e.g. a search plan's sampler is
/// used): it would do nothing, or change a run without being part of its identity.
void check_sampler_options_apply(const std::string& name, const OptionValues& options);

}  // namespace nnc::search
