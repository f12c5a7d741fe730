// Dataset views (subset, class filter, normalisation) and the train/val split.
#include "data/dataset.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/error.h"
#include "core/seed.h"

namespace nnc::data {

std::vector<int64_t> Dataset::sample_shape() const {
  NNC_CHECK(inputs.defined(), "dataset '{}': no inputs", name);
  auto s = inputs.sizes();
  return std::vector<int64_t>(s.begin() + 1, s.end());
}

Dataset Dataset::subset(const torch::Tensor& index) const {
  NNC_CHECK(inputs.defined() && targets.defined(), "dataset '{}': subset of an empty dataset",
            name);
  auto idx = index.to(torch::kLong);
  NNC_CHECK(idx.dim() == 1, "dataset '{}': subset index must be 1-D, got {} dims", name,
            idx.dim());
  Dataset out = *this;
  out.inputs = inputs.index_select(0, idx);
  out.targets = targets.index_select(0, idx);
  if (coarse_targets.defined()) out.coarse_targets = coarse_targets.index_select(0, idx);
  return out;
}

Dataset Dataset::filter_classes(const std::vector<int64_t>& classes) const {
  NNC_CHECK(is_classification(), "dataset '{}': filter_classes needs class labels", name);
  auto keep = torch::zeros({size()}, torch::kBool);
  for (int64_t c : classes) keep |= targets.eq(c);
  return subset(keep.nonzero().flatten());
}

torch::Tensor Dataset::normalize_images(const torch::Tensor& uint8_images) const {
  NNC_CHECK(uint8_images.dim() == 4, "dataset '{}': expected images [N,C,H,W], got {} dims",
            name, uint8_images.dim());
  auto x = uint8_images.to(torch::kFloat32).div_(255.0f);
  if (mean.empty()) return x;
  const int64_t c = x.size(1);
  NNC_CHECK(static_cast<int64_t>(mean.size()) == c && static_cast<int64_t>(std.size()) == c,
            "dataset '{}': {} channels but {} means / {} stds", name, c, mean.size(), std.size());
  auto m = torch::tensor(mean).view({1, c, 1, 1});
  auto s = torch::tensor(std).view({1, c, 1, 1});
  return x.sub_(m).div_(s);
}

torch::Tensor Dataset::normalized(const torch::Tensor& index) const {
  auto x = index.defined() ? inputs.index_select(0, index.to(torch::kLong)) : inputs;
  if (is_image() && x.scalar_type() == torch::kUInt8) return normalize_images(x);
  return x.to(torch::kFloat32);
}

std::vector<int64_t> permutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) p[i] = i;
  std::mt19937_64 rng(seed);
  // Modulo bias is < n / 2^64: irrelevant, and portable unlike uniform_int_distribution.
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[rng() % static_cast<uint64_t>(i + 1)]);
  return p;
}

Splits split_train_val(const Dataset& train, const Dataset& test, double val_fraction,
                       uint64_t seed) {
  NNC_CHECK(val_fraction >= 0.0 && val_fraction < 1.0,
            "split_train_val: val_fraction must be in [0,1), got {}", val_fraction);
  const int64_t n = train.size();
  const uint64_t s = derive_seed(seed, "split");
  std::vector<int64_t> tr, va;
  if (train.is_classification()) {
    // Stratified: each class contributes round(n_c * val_fraction) of its samples,
    // chosen by a per-class permutation, so class balance is the same in both parts.
    auto labels = train.targets.to(torch::kLong).contiguous();
    const int64_t* y = labels.data_ptr<int64_t>();
    std::map<int64_t, std::vector<int64_t>> by_class;
    for (int64_t i = 0; i < n; ++i) by_class[y[i]].push_back(i);
    for (auto& [c, idx] : by_class) {
      auto p = permutation(static_cast<int64_t>(idx.size()), splitmix64(s ^ static_cast<uint64_t>(c)));
      const auto nv = static_cast<size_t>(std::llround(idx.size() * val_fraction));
      for (size_t k = 0; k < idx.size(); ++k) (k < nv ? va : tr).push_back(idx[p[k]]);
    }
  } else {
    auto p = permutation(n, s);
    const auto nv = static_cast<size_t>(std::llround(n * val_fraction));
    for (size_t k = 0; k < p.size(); ++k) (k < nv ? va : tr).push_back(p[k]);
  }
  // Original order inside each part: the split decides membership, training shuffles.
  std::sort(tr.begin(), tr.end());
  std::sort(va.begin(), va.end());
  auto as_tensor = [](const std::vector<int64_t>& v) {
    return torch::tensor(v, torch::kLong).view({static_cast<int64_t>(v.size())});
  };
  Splits out;
  out.train = train.subset(as_tensor(tr));
  out.val = train.subset(as_tensor(va));
  out.test = test;
  return out;
}

}  // namespace nnc::data
