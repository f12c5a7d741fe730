#pragma once
// Random gradient pruning: N(0,1) inputs AND targets shaped like a batch (uniform random
// labels for classification), one gradient of the procedure's data loss at the current
// masked parameters (eval mode, so dropout and BatchNorm batch statistics cannot fake a
// zero), then every parameter (biases too) whose gradient is exactly 0 is zeroed. For tanh
// nets this removes exactly the structurally disconnected weights; with ReLU it also removes
// weights into units dead on that batch.
#include <functional>

#include "prune/mask.h"
#include "train/trainer.h"

namespace nnc::prune {

struct RgpInput {
  std::vector<int64_t> input_shape;   ///< e.g. {batch, 1, 28, 28}
  std::vector<int64_t> target_shape;  ///< {batch} for labels, {batch, out} for regression
  int64_t num_classes = 0;            ///< > 0: targets are random labels
};

/// Returns how many nonzero parameters were zeroed (masks untouched).
int64_t random_gradient_pruning(torch::nn::Module& model,
                                const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                                Masks& masks, const train::LossFn& loss, const RgpInput& input,
                                uint64_t seed);

}  // namespace nnc::prune
