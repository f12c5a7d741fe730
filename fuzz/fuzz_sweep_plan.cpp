// Sweep plans: parse (kind, out, [fixed], [grid], [[zip]]), then expand against a kind's
// options when the plan is small enough to expand quickly.
#include "core/error.h"
#include "experiment/sweep_plan.h"
#include "fuzz_specs.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto plan =
        nnc::experiment::parse_sweep_plan(std::string(nnc::fuzz::as_text(data, size)), "plan.toml");
    size_t runs = 1;
    for (auto& [k, values] : plan.grid) runs *= values.size();
    for (auto& group : plan.zips) runs *= group.front().second.size();
    if (runs > 4096) return 0;  // big but valid plans only cost time
    auto ex = nnc::experiment::expand(plan, nnc::fuzz::fuzz_specs());
    if (ex.runs.empty() || ex.runs.size() + ex.duplicates != runs) std::abort();
  } catch (const nnc::Error&) {
  }
  return 0;
}
