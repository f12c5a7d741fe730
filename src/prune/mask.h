#pragma once
// A 0/1 mask over EVERY parameter array of a model (weights, biases, BatchNorm gamma and
// beta): docs/pruning.md#masks. The loss is evaluated at theta*m and theta is multiplied
// by m again after every batch, so a pruned entry stays exactly zero.
//
// Example:
//   Masks masks(*model);           // all ones
//   masks.apply();                 // theta <- theta * m
//   masks.update_from_nonzero();   // m <- (theta != 0)
#include <torch/nn/module.h>
#include <torch/types.h>

#include <string>
#include <vector>

namespace nnc::prune {

/// What an array is to the regularisers (RL1 skips BN scale; DRR's rho term too).
enum class ParamRole { Weight, Bias, BnScale, BnShift };
const char* to_string(ParamRole role);

struct ParamEntry {
  std::string name;          ///< dotted parameter name, e.g. "fc1.weight"
  torch::Tensor param;       ///< the module's parameter (same storage)
  torch::Tensor mask;        ///< float32 0/1, same shape
  ParamRole role = ParamRole::Weight;
  std::string layer;         ///< owning module's dotted name
  int64_t layer_numel = 0;   ///< parameters of the owning module (weights + bias)
  int64_t block_numel = 0;   ///< a conv/linear layer plus the BatchNorms right after it
  /// Per-element state of the same shape that must follow the array when neurons are
  /// deleted (PMMP's w, pi, u; the fused path's Adam moments).
  std::vector<torch::Tensor> companions;
  /// Per-element optimizer state of an engine that keeps its own (the fused path's Adam
  /// moments): follows neuron deletions, never snapshotted.
  std::vector<torch::Tensor> optimizer_state;
};

class Masks {
 public:
  /// One entry per parameter of `model`, masks all ones.
  explicit Masks(torch::nn::Module& model);

  std::vector<ParamEntry>& entries() { return entries_; }
  const std::vector<ParamEntry>& entries() const { return entries_; }
  /// theta <- theta * m.
  void apply();
  /// grad <- grad * m (the gradient of the data loss evaluated at theta*m).
  void mask_gradients();
  /// m <- (theta != 0).
  void update_from_nonzero();
  /// Sum of the masks (the original's l0_norm; biases and BN included).
  int64_t l0() const;
  /// True count of nonzero parameters.
  int64_t nonzeros() const;
  /// All parameters.
  int64_t total() const;
  /// Modules owning parameters (layer_NORM = true's L).
  int64_t num_layers() const;
  /// Weight arrays of conv/linear layers (layer_NORM = false's L).
  int64_t num_weight_arrays() const;
  /// All parameter tensors, in entry order.
  std::vector<torch::Tensor> parameters() const;

 private:
  std::vector<ParamEntry> entries_;
};

/// Raw float pointer of a contiguous float32 CPU tensor (checked).
float* float_data(const torch::Tensor& t, const char* what);
/// The gradient of `p`, allocated as zeros if it is undefined.
torch::Tensor& ensure_grad(torch::Tensor& p);

}  // namespace nnc::prune
