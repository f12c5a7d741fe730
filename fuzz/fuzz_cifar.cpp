// CIFAR-10 / CIFAR-100 binary batches: one .bin file each way, and a CIFAR-100 folder
// (train.bin + test.bin) through the loader.
#include <filesystem>

#include "core/error.h"
#include "data/cifar.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = nnc::fuzz::write_input("cifar/data.bin", data, size);
  for (auto v : {nnc::data::CifarVariant::kCifar10, nnc::data::CifarVariant::kCifar100}) {
    try {
      auto d = nnc::data::read_cifar_bin(path, v);
      if (d.inputs.size(0) != d.targets.size(0)) std::abort();
    } catch (const nnc::Error&) {
    }
  }
  nnc::fuzz::write_input("cifar100/train.bin", data, size);
  const std::string dir = nnc::fuzz::write_input("cifar100/test.bin", data, size);
  try {
    auto [train, test] =
        nnc::data::load_cifar100(std::filesystem::path(dir).parent_path().string());
    if (train.size() != test.size()) std::abort();
  } catch (const nnc::Error&) {
  }
  return 0;
}
