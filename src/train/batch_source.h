#pragma once
// Where training batches come from. A dataset, a replay memory that decompresses on
// demand, or encoded features all look the same to the Trainer.
#include <torch/types.h>

#include <optional>

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
  /// Rows `index` (int64; on the CPU, or on the device the source is resident on) as a batch.
  virtual Batch get(const torch::Tensor& index) const = 0;
  /// All targets (for class counts and metrics); CPU.
  virtual torch::Tensor targets() const = 0;
  /// True when every row already lies on `device` as a tensor: batches are then slices of
  /// it, with nothing computed or copied per step.
  virtual bool resident_on(const torch::Device& /*device*/) const { return false; }
  /// Where this source's row indices are made for `device`: there when the rows are resident
  /// on it (no host round trip per batch), on the CPU otherwise.
  torch::Device index_device(const torch::Device& device) const {
    return resident_on(device) ? device : torch::Device(torch::kCPU);
  }
};

/// Pre-normalised tensors held in memory (the common case), on the CPU or on a device.
class TensorSource : public BatchSource {
 public:
  /// `inputs` on any device; batches come from that device (targets follow the inputs).
  TensorSource(torch::Tensor inputs, torch::Tensor targets);
  /// Normalises the dataset once (images to [0,1] then per-channel mean/std), on `device`.
  explicit TensorSource(const data::Dataset& dataset, const torch::Device& device = torch::kCPU);
  int64_t size() const override { return inputs_.size(0); }
  Batch get(const torch::Tensor& index) const override;
  torch::Tensor targets() const override { return targets_.to(torch::kCPU); }
  bool resident_on(const torch::Device& device) const override { return inputs_.device() == device; }
  const torch::Tensor& inputs() const { return inputs_; }

 private:
  torch::Tensor inputs_, targets_;  ///< both on one device
};

/// Every row of `source` as one TensorSource on `device`, built in chunks: a replay memory is
/// then decompressed once instead of once per epoch, and a GPU gets its data once instead of
/// once per step. Returns nullopt (the caller keeps drawing from `source`) when the rows would
/// take more than `max_bytes`.
std::optional<TensorSource> make_resident(const BatchSource& source, const torch::Device& device,
                                          int64_t max_bytes);

/// The cap the Trainer gives make_resident: 4 GiB, a small share of a GPU's memory and of the
/// RAM of the machines this runs on. A CIFAR image is 12 KiB as float32, so 4 GiB holds
/// ~350k of them: any replay memory over CIFAR (50k training images) fits.
constexpr int64_t kResidentLimitBytes = int64_t{4} << 30;

}  // namespace nnc::train
