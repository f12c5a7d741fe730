#pragma once
// CIFAR-10 / CIFAR-100 in their "binary version" (www.cs.toronto.edu/~kriz/cifar.html).
//
// CIFAR-10: data_batch_1..5.bin + test_batch.bin, records of 1 label byte + 3072 pixels.
// CIFAR-100: train.bin + test.bin, records of coarse label + fine label + 3072 pixels.
// Pixels are CHW (1024 red, 1024 green, 1024 blue). Images uint8 [N,3,32,32].
// data_dir may be the folder with the files or its parent holding the standard
// `cifar-10-batches-bin` / `cifar-100-binary` subfolder; empty = data_root().
#include <string>
#include <utility>

#include "data/dataset.h"

namespace nnc::data {

enum class CifarVariant { kCifar10, kCifar100 };

inline constexpr int64_t kCifarPixels = 3 * 32 * 32;
/// Bytes per record: label byte(s) + pixels.
int64_t cifar_record_bytes(CifarVariant v);

/// One .bin file. CIFAR-100: targets = fine labels, coarse_targets = the 20 superclasses.
Dataset read_cifar_bin(const std::string& path, CifarVariant v);
/// {train (50,000), test (10,000)}; mean/std from GDumb (docs/replay.md#training).
std::pair<Dataset, Dataset> load_cifar10(const std::string& dir);
std::pair<Dataset, Dataset> load_cifar100(const std::string& dir);

}  // namespace nnc::data
