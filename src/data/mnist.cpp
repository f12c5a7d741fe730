// The two IDX data sets differ only in name, location and normalisation constants.
#include "data/mnist.h"

#include <torch/torch.h>

#include "core/error.h"
#include "data/idx.h"
#include "data/paths.h"

namespace nnc::data {
namespace {

struct IdxSpec {
  std::string name;
  std::string dir;
  std::string how_to_get;  ///< appended to "missing file" errors
  float mean, std;
};

/// `limit` > 0: only the first `limit` records are read (see read_idx_images).
Dataset load_part(const IdxSpec& spec, const std::string& prefix, int64_t limit) {
  auto find = [&](const std::string& base) {
    std::string path = find_maybe_gz(spec.dir, base);
    NNC_CHECK(!path.empty(), "{}: missing {}/{}[.gz]; {}", spec.name, spec.dir, base,
              spec.how_to_get);
    return path;
  };
  const std::string images_path = find(prefix + "-images-idx3-ubyte");
  const std::string labels_path = find(prefix + "-labels-idx1-ubyte");
  Dataset d;
  d.name = spec.name;
  uint32_t n_images = 0, n_labels = 0;
  d.inputs = read_idx_images(images_path, limit, &n_images);
  d.targets = read_idx_labels(labels_path, limit, &n_labels);
  NNC_CHECK(n_images == n_labels, "{} and {}: {} images but {} labels", images_path, labels_path,
            n_images, n_labels);
  if (d.targets.numel() > 0) {
    const int64_t hi = d.targets.max().item<int64_t>();
    NNC_CHECK(hi < 10, "{}: label {} out of range, expected 0..9", labels_path, hi);
  }
  d.num_classes = 10;
  d.mean = {spec.mean};
  d.std = {spec.std};
  return d;
}

std::pair<Dataset, Dataset> load_idx_dataset(const IdxSpec& spec, int64_t limit_train,
                                             int64_t limit_test) {
  return {load_part(spec, "train", limit_train), load_part(spec, "t10k", limit_test)};
}

}  // namespace

std::pair<Dataset, Dataset> load_fashion_mnist(const std::string& dir, int64_t limit_train,
                                               int64_t limit_test) {
  return load_idx_dataset({"fashion-mnist", dir_or(dir, kFashionMnistDefaultDir),
                           "install it with `apt-get install dataset-fashion-mnist` or set "
                           "data_dir to a folder holding the Fashion-MNIST IDX files",
                           0.2860f, 0.3530f},
                          limit_train, limit_test);
}

std::pair<Dataset, Dataset> load_mnist(const std::string& dir, int64_t limit_train,
                                       int64_t limit_test) {
  return load_idx_dataset({"mnist", dir_or(dir, data_root() + "/mnist"),
                           "set data_dir to a folder holding the MNIST IDX files "
                           "(train-images-idx3-ubyte.gz etc. from the standard MNIST "
                           "distribution), or use dataset 'mnist-digits'",
                           0.1307f, 0.3081f},
                          limit_train, limit_test);
}

}  // namespace nnc::data
