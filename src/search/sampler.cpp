#include "search/sampler.h"

#include "search/brute_force_sampler.h"
#include "search/nsga2_sampler.h"
#include "search/random_sampler.h"
#include "search/tpe_sampler.h"

namespace nnc::search {

namespace {
template <typename T>
SamplerRegistry::Factory factory() {
  return [](const SamplerSettings& s) -> std::unique_ptr<Sampler> { return std::make_unique<T>(s); };
}
}  // namespace

void register_builtin_samplers(SamplerRegistry& registry) {
  registry.add("brute-force", factory<BruteForceSampler>(),
               "every configuration once, mixed-radix order");
  registry.add("random", factory<RandomSampler>(), "uniform, seeded");
  registry.add("tpe", factory<TpeSampler>(), "Tree-structured Parzen Estimator (Optuna defaults)");
  registry.add("nsga2", factory<Nsga2Sampler>(), "NSGA-II multi-objective genetic search");
  registry.add("nsgaii", factory<Nsga2Sampler>(), "alias of nsga2 (MASE's spelling)");
}

SamplerRegistry& sampler_registry() {
  static SamplerRegistry registry = [] {
    SamplerRegistry r("sampler");
    register_builtin_samplers(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<Sampler> make_sampler(const std::string& name, const SamplerSettings& settings) {
  return sampler_registry().create(name, settings);
}

}  // namespace nnc::search
