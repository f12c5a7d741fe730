#pragma once
// Training batches drawn from the replay memory: items are decompressed when a batch is
// drawn (the memory holds only packed bytes), then normalised like the model expects. The
// Trainer draws every row once (train::make_resident) when the decompressed memory fits its
// cap, so decompression costs one pass per task rather than one per epoch.
#include "replay/compressor.h"
#include "replay/memory.h"
#include "train/batch_source.h"

namespace nnc::replay {

/// Storage domain -> model input: raw pixels are scaled to [0,1] and normalised per
/// channel; encoded features pass unchanged. Computed on the device `storage` lies on.
torch::Tensor to_model_input(const torch::Tensor& storage, const Representation& rep,
                             const std::vector<float>& mean, const std::vector<float>& std);

/// The replay memory as training batches. Items are decompressed straight onto `device` (the
/// run's --device: the model's), so a GPU receives the compact codes and reconstructs the
/// floats itself (Compressor::decompress); targets stay on the CPU, as BatchSource says.
class MemorySource : public train::BatchSource {
 public:
  MemorySource(const ReplayMemory& memory, const Compressor& compressor, Representation rep,
               std::vector<float> mean, std::vector<float> std,
               const torch::Device& device = torch::kCPU);
  int64_t size() const override { return static_cast<int64_t>(items_.size()); }
  train::Batch get(const torch::Tensor& index) const override;
  torch::Tensor targets() const override { return targets_; }

 private:
  std::vector<std::pair<int64_t, const Packed*>> items_;
  const Compressor& compressor_;
  Representation rep_;
  std::vector<float> mean_, std_;
  torch::Device device_;
  torch::Tensor targets_;
};

}  // namespace nnc::replay
