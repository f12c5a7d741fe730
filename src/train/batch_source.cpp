#include "train/batch_source.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::train {

TensorSource::TensorSource(torch::Tensor inputs, torch::Tensor targets)
    : inputs_(std::move(inputs)), targets_(targets.to(inputs_.device())) {
  NNC_CHECK(inputs_.size(0) == targets_.size(0), "batch source: {} inputs but {} targets",
            inputs_.size(0), targets_.size(0));
}

TensorSource::TensorSource(const data::Dataset& dataset, const torch::Device& device)
    : TensorSource(dataset.normalized().to(device), dataset.targets) {}

Batch TensorSource::get(const torch::Tensor& index) const {
  auto i = index.to(inputs_.device());  // no-op for the usual index on the source's device
  return {inputs_.index_select(0, i), targets_.index_select(0, i)};
}

std::optional<TensorSource> make_resident(const BatchSource& source, const torch::Device& device,
                                          int64_t max_bytes) {
  const int64_t n = source.size();
  if (n == 0 || max_bytes <= 0) return std::nullopt;
  const auto row = source.get(torch::zeros({1}, torch::kInt64)).inputs;  // every row has its shape
  if (row.numel() * static_cast<int64_t>(row.element_size()) > max_bytes / n) return std::nullopt;
  // Chunks bound the host-side peak (one decompressed chunk at a time) for device targets.
  constexpr int64_t kChunk = 1024;
  std::vector<torch::Tensor> inputs, targets;
  bool targets_are_inputs = true;  // autoencoder sources: the one tensor is kept once
  for (int64_t s = 0; s < n; s += kChunk) {
    auto batch = source.get(torch::arange(s, std::min(n, s + kChunk), torch::kInt64));
    targets_are_inputs = targets_are_inputs && batch.targets.is_same(batch.inputs);
    inputs.push_back(batch.inputs.to(device));
    targets.push_back(batch.targets);
  }
  auto x = torch::cat(inputs);
  return TensorSource(x, targets_are_inputs ? x : torch::cat(targets).to(device));
}

}  // namespace nnc::train
