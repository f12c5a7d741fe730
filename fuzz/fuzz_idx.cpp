// IDX images and labels (MNIST / Fashion-MNIST), plain or gzip (detected by content).
#include "core/error.h"
#include "data/idx.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = nnc::fuzz::write_input("x-idx-ubyte", data, size);
  try {
    auto images = nnc::data::read_idx_images(path);
    if (images.dim() != 4 || images.size(1) != 1) std::abort();
  } catch (const nnc::Error&) {
  }
  try {
    auto labels = nnc::data::read_idx_labels(path);
    if (labels.dim() != 1) std::abort();
  } catch (const nnc::Error&) {
  }
  return 0;
}
