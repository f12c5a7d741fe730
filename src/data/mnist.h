#pragma once
// MNIST and Fashion-MNIST from their IDX files (see idx.h).
//
// Files (each plain or with ".gz"): train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte. 60,000 train / 10,000 test, 10 classes,
// images uint8 [N,1,28,28].
#include <cstdint>
#include <string>
#include <utility>

#include "data/dataset.h"

namespace nnc::data {

/// Where Debian's `dataset-fashion-mnist` package installs the files.
inline constexpr const char* kFashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";

/// {train, test} of Fashion-MNIST; empty dir = kFashionMnistDefaultDir.
/// Normalisation mean 0.2860, std 0.3530. Limits > 0 read only the first N records of each
/// part (the files' remainder is neither decompressed nor checked).
std::pair<Dataset, Dataset> load_fashion_mnist(const std::string& dir, int64_t limit_train = 0,
                                               int64_t limit_test = 0);
/// {train, test} of MNIST from IDX files; empty dir = <data_root()>/mnist.
/// Normalisation mean 0.1307, std 0.3081. Limits as for load_fashion_mnist.
std::pair<Dataset, Dataset> load_mnist(const std::string& dir, int64_t limit_train = 0,
                                       int64_t limit_test = 0);

}  // namespace nnc::data
