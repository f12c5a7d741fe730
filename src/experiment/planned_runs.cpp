#include "experiment/planned_runs.h"

#include "core/error.h"

namespace nnc::experiment {

CheckedPlan plan_runs(const SweepPlan& plan) {
  auto& registry = kind_registry();
  NNC_CHECK(registry.contains(plan.kind), "{}: unknown experiment kind '{}': expected one of {}",
            plan.source, plan.kind, registry.joined_names());
  CheckedPlan out{registry.create(plan.kind), {}};
  out.expansion = expand(plan, out.kind.options);
  if (out.kind.check)
    for (const auto& r : out.expansion.runs) {
      try {
        out.kind.check(r.config);
      } catch (const Error& e) {
        fail("{}: run {}: {}", plan.source, r.id, e.what());
      }
    }
  return out;
}

}  // namespace nnc::experiment
