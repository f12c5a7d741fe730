#pragma once
// Where training batches come from. A dataset, a replay memory that decompresses on
// demand, or encoded features all look the same to the Trainer.
#include <torch/types.h>

#include "data/dataset.h"

namespace nnc::train {

struct Batch {
  torch::Tensor inputs;   ///< float32 model input
  torch::Tensor targets;  ///< int64 labels or float32 regression targets
};

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual int64_t size() const = 0;
  /// Rows `index` (int64, CPU) as a CPU batch.
  virtual Batch get(const torch::Tensor& index) const = 0;
  /// All targets (for class counts and metrics); CPU.
  virtual torch::Tensor targets() const = 0;
};

/// Pre-normalised tensors held in memory (the common case).
class TensorSource : public BatchSource {
 public:
  TensorSource(torch::Tensor inputs, torch::Tensor targets);
  /// Normalises the dataset once (images to [0,1] then per-channel mean/std).
  explicit TensorSource(const data::Dataset& dataset);
  int64_t size() const override { return inputs_.size(0); }
  Batch get(const torch::Tensor& index) const override;
  torch::Tensor targets() const override { return targets_; }
  const torch::Tensor& inputs() const { return inputs_; }

 private:
  torch::Tensor inputs_, targets_;
};

}  // namespace nnc::train
