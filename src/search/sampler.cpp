#include "search/sampler.h"

#include "core/error.h"
#include "search/brute_force_sampler.h"
#include "search/nsga2_sampler.h"
#include "search/random_sampler.h"
#include "search/tpe_sampler.h"

namespace nnc::search {

void register_builtin_samplers(SamplerRegistry& registry) {
  registry.add<BruteForceSampler>("brute-force", "every configuration once, mixed-radix order");
  registry.add<RandomSampler>("random", "uniform, seeded");
  registry.add<TpeSampler>("tpe", "Tree-structured Parzen Estimator (Optuna defaults)");
  registry.add<Nsga2Sampler>("nsga2", "NSGA-II multi-objective genetic search");
  registry.add<Nsga2Sampler>("nsgaii", "alias of nsga2 (MASE's spelling)");
}

SamplerRegistry& sampler_registry() {
  static SamplerRegistry registry = [] {
    SamplerRegistry r("sampler", "sampler");
    register_builtin_samplers(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<Sampler> make_sampler(const std::string& name, uint64_t seed, OptionValues options) {
  options["sampler"] = name;
  return sampler_registry().create(options, seed);
}

void check_sampler_options_apply(const std::string& name, const OptionValues& options) {
  const OptionValues selected{{"sampler", name}};
  for (const OptionSpec& s : sampler_registry().option_specs()) {
    auto it = options.find(s.key);
    if (it == options.end() || s.in_effect(selected)) continue;
    if (coerce_like(s.default_value, it->second, s.key) == s.default_value) continue;
    std::string owners;
    for (auto& o : s.owners) owners += (owners.empty() ? "" : " or ") + o.plugin;
    fail("option '{}' applies to sampler {} only, {}", s.key, owners,
         name.empty() ? std::string("so name the sampler too (option 'sampler')")
                      : "but the sampler is " + name);
  }
}

}  // namespace nnc::search
