#pragma once
// One in-memory dataset type shared by every pillar.
//
// Images are kept as uint8 [N, C, H, W] (what a replay memory stores raw) and
// normalised on the fly; tabular/synthetic features are float32 [N, F].
#include <torch/types.h>

#include <string>
#include <vector>

namespace nnc::data {

struct Dataset {
  std::string name;             ///< "fashion-mnist", "cifar10", ...
  torch::Tensor inputs;         ///< uint8 [N,C,H,W] (images) or float32 [N,F]
  torch::Tensor targets;        ///< int64 [N] (classification) or float32 [N,O] (regression)
  int64_t num_classes = 0;      ///< 0 for regression
  std::vector<float> mean, std; ///< per-channel normalisation of images scaled to [0,1]
  /// Optional second label set, row-aligned with targets (CIFAR-100: the 20 superclasses;
  /// undefined elsewhere). subset/filter_classes keep it aligned.
  torch::Tensor coarse_targets;

  int64_t size() const { return inputs.defined() ? inputs.size(0) : 0; }
  bool is_image() const { return inputs.defined() && inputs.dim() == 4; }
  bool is_classification() const { return num_classes > 0; }
  /// Per-sample shape, e.g. {1,28,28} or {16}.
  std::vector<int64_t> sample_shape() const;

  /// Rows `index` (int64 1-D) as a new dataset sharing name/normalisation.
  Dataset subset(const torch::Tensor& index) const;
  /// Only the samples whose label is in `classes`.
  Dataset filter_classes(const std::vector<int64_t>& classes) const;
  /// Float32 model input for rows `index` (all rows if undefined): images are
  /// scaled to [0,1] and normalised per channel; features are returned as they are.
  torch::Tensor normalized(const torch::Tensor& index = {}) const;
  /// Normalises a uint8 image batch with this dataset's constants.
  torch::Tensor normalize_images(const torch::Tensor& uint8_images) const;
};

struct Splits {
  Dataset train, val, test;
};

/// A permutation of 0..n-1 from `seed` (Fisher-Yates on std::mt19937_64): the same on
/// every platform, unlike std::shuffle whose algorithm is implementation-defined.
std::vector<int64_t> permutation(int64_t n, uint64_t seed);

/// Deterministic split of `train` into train/val (val_fraction of it, stratified by
/// class for classification), test kept as given. Same seed -> same split.
/// The shuffle uses derive_seed(seed, "split"); both parts keep the original order.
Splits split_train_val(const Dataset& train, const Dataset& test, double val_fraction,
                       uint64_t seed);

}  // namespace nnc::data
