#pragma once
// Where and how a forward pass runs: device, precision and memory layout. The Trainer and
// evaluation take their inputs through the same preparation.
#include <torch/types.h>

#include <string>

#include "train/precision.h"

namespace nnc::train {

struct ExecutionOptions {
  ExecutionOptions(torch::Device d = torch::kCPU) : device(d) {}  // NOLINT: a bare device is fp32, contiguous
  ExecutionOptions(torch::Device d, Precision p, bool nhwc) : device(d), precision(p), channels_last(nhwc) {}
  torch::Device device;
  Precision precision = Precision::fp32;
  bool channels_last = false;  ///< feed 4-D inputs in NHWC (the model's convolutions are NHWC)

  /// From option values: the precision is parsed and checked against the device (one error
  /// line for fp16 off CUDA or bf16 on a CPU without bf16 units).
  static ExecutionOptions from(const torch::Device& device, const std::string& precision,
                               bool channels_last);

  /// A batch on the device, images in the run's layout (feature vectors stay as they are).
  torch::Tensor prepare_input(const torch::Tensor& batch) const {
    auto x = batch.to(device, /*non_blocking=*/true);
    return channels_last && x.dim() == 4 ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
  }
};

}  // namespace nnc::train
