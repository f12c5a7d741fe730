#pragma once
// CutMix (Yun et al. 2019) as GDumb applies it to the stored representation.
#include <torch/types.h>

#include <random>

namespace nnc::train {

struct CutMixResult {
  torch::Tensor inputs, targets_b;
  double lambda = 1.0;  ///< weight of the original targets
  bool applied = false;
};

/// Mixes a random box from a shuffled copy of the batch. Skipped (applied = false)
/// where it means nothing: inputs that are not [N,C,H,W] maps of at least 4x4.
CutMixResult cutmix(const torch::Tensor& inputs, const torch::Tensor& targets, double alpha,
                    std::mt19937_64& rng);

}  // namespace nnc::train
