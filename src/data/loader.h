#pragma once
// Datasets by name, as configs write them.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/dataset.h"

namespace nnc::data {

/// Example: load_dataset({.name = "cifar10", .data_dir = "/data/cifar", .limit_train = 1000})
struct DataOptions {
  /// fashion-mnist|mnist|mnist-digits|cifar10|cifar100|jsc|teacher-student|blobs|blobs-image
  std::string name = "fashion-mnist";
  /// Empty = the dataset's default location: fashion-mnist /usr/share/datasets/fashion-mnist,
  /// mnist <data_root()>/mnist, mnist-digits default_mnist_digits_dir(), cifar10/100
  /// <data_root()> (or its cifar-10-batches-bin / cifar-100-binary subfolder),
  /// jsc <data_root()>/jsc (file jsc.csv). See data/paths.h; unused by synthetic sets.
  std::string data_dir;
  uint64_t seed = 0;                   ///< jsc split, synthetic data (not file datasets' order)
  int64_t limit_train = 0;             ///< keep only the first N training samples (0 = all)
  int64_t limit_test = 0;
};

/// Loads {train, test}. Missing files raise nnc::Error naming the path and how to get it.
std::pair<Dataset, Dataset> load_dataset(const DataOptions& options);
/// The names load_dataset accepts (each also answers to its aliases, e.g. CIFAR10).
std::vector<std::string> dataset_names();
/// The registered name an alias stands for ("CIFAR10" -> "cifar10"); other names unchanged.
std::string canonical_dataset_name(const std::string& name);

}  // namespace nnc::data
