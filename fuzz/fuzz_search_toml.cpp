// Search configs (MASE's [search.search_space] / [search.strategy] TOML).
#include "core/error.h"
#include "fuzz_util.h"
#include "search/search_toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto cfg = nnc::search::parse_search_toml(nnc::fuzz::as_text(data, size), "search.toml");
    if (cfg.space.empty() || cfg.seed_params.size() != cfg.space.size()) std::abort();
    (void)cfg.study_options(1);
  } catch (const nnc::Error&) {
  }
  return 0;
}
