#pragma once
// Neuron deletion (MLPs only): a hidden neuron whose incoming weight row is all zero (bias
// ignored) outputs act_l(b_k), act_l being its own layer's activation. W_next[:,k]*act_l(b_k)
// (masked) is folded into b_next, then row k (weights, bias, masks, per-element companions,
// optimizer state) and column k of the next layer are removed. Outputs are never deleted,
// and a layer that would empty keeps one neuron (with a note), unlike the original.
#include <torch/optim/optimizer.h>

#include <string>
#include <vector>

#include "models/mlp.h"
#include "prune/mask.h"

namespace nnc::prune {

struct DeletionReport {
  int64_t deleted = 0;
  std::vector<int64_t> widths;     ///< layer widths after deletion, input first
  std::vector<std::string> notes;  ///< e.g. a layer kept one neuron
};

/// Deletes dead hidden neurons of `mlp` in place. `optimizer` may be null.
DeletionReport delete_neurons(models::MLP& mlp, Masks& masks, torch::optim::Optimizer* optimizer);

/// Keeps rows/columns `keep` (int64) of `t` along `dim` in place (same TensorImpl), and of
/// its optimizer state if `optimizer` holds any for it.
void slice_in_place(torch::Tensor& t, int64_t dim, const torch::Tensor& keep,
                    torch::optim::Optimizer* optimizer);

/// Hidden widths counting only neurons with a nonzero incoming row and a nonzero outgoing
/// column (the "alive" neurons), input first and output last.
std::vector<int64_t> alive_widths(const models::MLP& mlp);

}  // namespace nnc::prune
