#pragma once
// Layerwise pruning (MLPs): for each dense layer, last to first, refit W, b, pi_W, pi_b to
// the layer's current pre-activation y = Wx + b (inputs from the current network):
//   sum(y - (W.pi_W)x - b.pi_b)^2 + sum[(W^2.pi_W(1-pi_W))x^2 + b^2.pi_b(1-pi_b)]
//   + alpha_lw (sum pi_W + sum pi_b),
// summed over the batch; Adam (lr), pi init mask_start_value (0 where W = 0), pi projected
// to [0,1], convergence (the saturation test) checked every 100 epochs. Then W <- W.[pi > 0.5],
// b <- b.[pi > 0.5] (the refit values), then random-gradient pruning (MSE) before the next
// layer. The batch is the first `batch_size` rows of the pruning data.
#include <functional>

#include "models/mlp.h"
#include "prune/mask.h"
#include "prune/pruner.h"

namespace nnc::prune {

struct LayerwiseOptions {
  double alpha = 0.1;
  double lr = 1e-3;
  double mask_start_value = 0.3;
  int64_t max_epochs = 2000;
  int64_t check_every = 100;
  int64_t smoothing_window = 30;
  int64_t batch_size = 500;
};

struct LayerwiseReport {
  std::vector<int64_t> kept;  ///< nonzero weights + biases per layer after the refit
  int64_t epochs = 0;
};

/// `after_layer` runs after each layer's refit (random-gradient pruning with MSE).
LayerwiseReport layerwise_prune(models::MLP& mlp, Masks& masks, const torch::Tensor& inputs,
                                const LayerwiseOptions& options, const std::function<void()>& after_layer);

/// The procedure `layerwise`: plain (masked) training, then layerwise pruning in phase 2
/// whatever option layerwise_pruning says. It has no options of its own.
class LayerwisePruner : public Pruner {
 public:
  struct Options {
    static const OptionFields<Options>& fields() {
      static const OptionFields<Options> none;
      return none;
    }
    void validate() const {}
  };
  explicit LayerwisePruner(const Options&) {}
  std::unique_ptr<Regularizer> make_regularizer(Masks&) const override { return nullptr; }
  bool forces_layerwise() const override { return true; }
};

}  // namespace nnc::prune
