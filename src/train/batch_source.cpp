#include "train/batch_source.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::train {

TensorSource::TensorSource(torch::Tensor inputs, torch::Tensor targets)
    : inputs_(std::move(inputs)), targets_(std::move(targets)) {
  NNC_CHECK(inputs_.size(0) == targets_.size(0), "batch source: {} inputs but {} targets",
            inputs_.size(0), targets_.size(0));
}

TensorSource::TensorSource(const data::Dataset& dataset)
    : TensorSource(dataset.normalized(), dataset.targets) {}

Batch TensorSource::get(const torch::Tensor& index) const {
  return {inputs_.index_select(0, index), targets_.index_select(0, index)};
}

}  // namespace nnc::train
