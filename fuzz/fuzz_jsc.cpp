// Jet-substructure CSV: parse, validate, de-duplicate, then split and standardise.
#include "core/error.h"
#include "data/jsc.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = nnc::fuzz::write_input("jsc/jsc.csv", data, size);
  try {
    auto table = nnc::data::read_jsc_csv(path);
    if (table.features.size(0) != table.labels.size(0) || table.features.size(0) < 2) std::abort();
    auto [train, test] = nnc::data::split_jsc(table, 0);
    if (train.size() + test.size() != table.labels.size(0)) std::abort();
  } catch (const nnc::Error&) {
  }
  return 0;
}
