// Run configs: a TOML file applied to a kind's options (top-level keys and a [kind] table),
// and single flag values parsed as each option type.
#include "core/error.h"
#include "fuzz_specs.h"
#include "fuzz_util.h"

using nnc::experiment::RunConfig;
using nnc::experiment::Value;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = nnc::fuzz::write_input("run.toml", data, size);
  RunConfig config("train", nnc::fuzz::fuzz_specs());
  try {
    config.apply_toml_file(path);
    (void)config.id();
    (void)config.to_json();
  } catch (const nnc::Error&) {
  }
  // The same bytes as a command-line value of each type (--epochs 3.0, --lr 1e-3, ...).
  const std::string text(nnc::fuzz::as_text(data, size));
  for (const Value& like : {Value{true}, Value{int64_t{0}}, Value{0.0}, Value{std::string()}}) {
    try {
      (void)nnc::experiment::parse_value_like(like, text, "fuzz");
    } catch (const nnc::Error&) {
    }
  }
  try {
    config.set_from_string(text, "1");  // the bytes as an option name
  } catch (const nnc::Error&) {
  }
  return 0;
}
