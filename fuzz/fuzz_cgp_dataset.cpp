// CGP datasets (the original's input file: a line of int8 inputs, a line of int8 outputs
// with an optional `x` ending the scored prefix, per item). A dataset that parses validates
// and prints back to text that parses to the same items.
#include <sstream>

#include "cgp/dataset.h"
#include "core/error.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nnc::cgp::Dataset d;
  try {
    d = nnc::cgp::parse_dataset(nnc::fuzz::as_text(data, size), "dataset.txt");
  } catch (const nnc::Error&) {
    return 0;
  }
  d.validate();
  std::ostringstream os;
  nnc::cgp::write_dataset(os, d);
  const auto back = nnc::cgp::parse_dataset(os.str(), "dataset (printed)");
  if (back.in != d.in || back.out != d.out || back.scored != d.scored) std::abort();
  return 0;
}
