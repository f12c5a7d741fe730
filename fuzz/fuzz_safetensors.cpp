// safetensors: header length, JSON header, dtypes, shapes and offsets against the file size;
// a file that loads is then copied into a small module (shape checks of load_into).
#include <torch/torch.h>

#include "core/error.h"
#include "fuzz_util.h"
#include "models/safetensors.h"

namespace {
struct Tiny : torch::nn::Module {
  Tiny() {
    fc = register_module("fc", torch::nn::Linear(4, 3));
    bn = register_module("bn", torch::nn::BatchNorm1d(3));
  }
  torch::nn::Linear fc{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = nnc::fuzz::write_input("weights.safetensors", data, size);
  try {
    auto tensors = nnc::models::load_safetensors(path);
    Tiny m;
    for (bool strict : {false, true}) {
      try {
        nnc::models::load_into(m, tensors, strict, path);
      } catch (const nnc::Error&) {
      }
    }
  } catch (const nnc::Error&) {
  }
  return 0;
}
