#include "replay/memory_source.h"

#include <torch/torch.h>

namespace nnc::replay {

torch::Tensor to_model_input(const torch::Tensor& storage, const Representation& rep,
                             const std::vector<float>& mean, const std::vector<float>& std) {
  if (!rep.raw_pixels) return storage;
  auto m = torch::tensor(mean).view({1, -1, 1, 1}).to(storage.device());
  auto s = torch::tensor(std).view({1, -1, 1, 1}).to(storage.device());
  return (storage / 255.0 - m) / s;
}

MemorySource::MemorySource(const ReplayMemory& memory, const Compressor& compressor,
                           Representation rep, std::vector<float> mean, std::vector<float> std,
                           const torch::Device& device)
    : items_(memory.all_items()),
      compressor_(compressor),
      rep_(std::move(rep)),
      mean_(std::move(mean)),
      std_(std::move(std)),
      device_(device) {
  std::vector<int64_t> labels;
  labels.reserve(items_.size());
  for (auto& [label, p] : items_) labels.push_back(label);
  targets_ = torch::tensor(labels, torch::kInt64);
}

train::Batch MemorySource::get(const torch::Tensor& index) const {
  auto idx = index.contiguous();
  const int64_t* p = idx.data_ptr<int64_t>();
  std::vector<const Packed*> items(static_cast<size_t>(idx.numel()));
  for (int64_t i = 0; i < idx.numel(); ++i) items[static_cast<size_t>(i)] = items_[static_cast<size_t>(p[i])].second;
  auto storage = compressor_.decompress(items, device_);
  return {to_model_input(storage, rep_, mean_, std_), targets_.index_select(0, idx)};
}

}  // namespace nnc::replay
