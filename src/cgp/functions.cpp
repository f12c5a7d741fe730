#include "cgp/functions.h"

namespace nnc::cgp {

bool is_valid_function(int f) { return (f >= 0 && f <= kFnDemux) || f == kFnId; }

bool is_genome_function(int f) { return (f >= 0 && f < kEvolvableFunctions) || f == kFnId; }

std::string_view function_name(int f) {
  static constexpr std::string_view names[] = {
      "127-a", "a+b",  "a-b",  "a*b",  "-a",   "-128+a",  "a>>2",    "a>>1",
      "a&b",   "a|b",  "a^b",  "~a",   "a<<1", "a+1",     "a-1",     "a>>3",
      "a>>4",  "a>>5", "a<<2", "a<<3", "a<<4", "a<<5",    "const 1", "const -1",
      "const 0", "const -128", "const 127", "MUX", "DEMUX"};
  if (f >= 0 && f <= kFnDemux) return names[f];
  if (f == kFnId) return "ID";
  return "?";
}

}  // namespace nnc::cgp
