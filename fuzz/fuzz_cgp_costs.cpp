// CGP cost tables (one line per function id: q_energy energy area q_delay delay). A table
// that parses prints back to text that parses to the same costs.
#include "cgp/cost_table.h"
#include "core/error.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nnc::cgp::CostTable t;
  try {
    t = nnc::cgp::CostTable::parse(nnc::fuzz::as_text(data, size), "costs.txt");
  } catch (const nnc::Error&) {
    return 0;
  }
  const auto back = nnc::cgp::CostTable::parse(t.to_string(), "costs (printed)");
  if (back.count() != t.count()) std::abort();
  for (int f = 0; f < t.count(); ++f)
    if (back[f].q_energy != t[f].q_energy || back[f].q_delay != t[f].q_delay) std::abort();
  return 0;
}
