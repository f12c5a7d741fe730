// CGP genomes in the original's text form. A genome that parses must validate and print
// back to text that parses to the same genome.
#include "cgp/genome.h"
#include "core/error.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nnc::cgp::Genome g;
  try {
    g = nnc::cgp::Genome::parse(nnc::fuzz::as_text(data, size), "genome.txt");
  } catch (const nnc::Error&) {
    return 0;
  }
  g.validate();  // a parsed genome is valid: an Error here is a bug (escapes, aborts)
  if (nnc::cgp::Genome::parse(g.to_string()) != g) std::abort();
  return 0;
}
