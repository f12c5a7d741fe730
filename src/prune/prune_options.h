#pragma once
// The options every pruning procedure reads, named as the original's TrainArgs (snake_case:
// L1_alpha -> l1_alpha, NORM -> norm, layer_NORM -> layer_norm). Defaults are the original's
// (docs/pruning.md#options-and-defaults). The options only one procedure reads (alpha, beta,
// rho, PMMP's pi/u, the magnitude baseline's compression) belong to that procedure's Options
// (rl1.h, drr.h, pmmp.h, magnitude_baseline.h): they count in a run's identity only when it
// selects that procedure.
//
// Example:
//   PruneOptions o = PruneOptions::fields().from({{"procedure", std::string("pmmp")}});
//   o.validate();
#include <cstdint>
#include <string>
#include <vector>

#include "core/options.h"

namespace nnc::prune {

struct PruneOptions {
  std::string procedure = "drr";       ///< rl1 | drr | pmmp | layerwise | magnitude (pruner.h)
  // Optimisation.
  std::string optimizer = "adam";      ///< adam | adamw | sgd
  double lr = 1e-3;
  int64_t train_batch_size = 500;
  int64_t val_batch_size = 1000;       ///< evaluation batch (0 = the whole set)
  int64_t min_epochs = 10;
  int64_t max_epochs = 20000;
  int64_t prune_window = 10;
  int64_t smoothing_window = 30;
  bool shrinking = false;
  double shrinking_from_deviation_of = 1e-2;
  bool converge_val_loss = true;
  int64_t finetuning_min_epochs = 33;
  int64_t finetuning_max_epochs = 10000;
  bool finetuning_shrinking = false;
  bool finetuning_converge_val_loss = true;
  // Pruning steps.
  bool layerwise_pruning = false;
  bool finetuning_layerwise_pruning = false;
  double layerwise_pruning_alpha = 0.1;
  double layerwise_pruning_lr = 1e-3;
  double layerwise_pruning_mask_start_value = 0.3;
  int64_t layerwise_pruning_max_epochs = 2000;
  bool random_gradient_pruning = true;
  bool delete_neurons = false;
  bool multiply_mask_after_each_batch = true;
  bool gauss_loss = false;             ///< teacher-student only
  double binary_search_resolution = 1e-7;
  double tolerated_relative_loss_increase = 0.01;  ///< TAMADE delta
  double tolerated_accuracy_drop = -1;             ///< >= 0: TAMADE's accuracy variant
  std::string fused = "auto";          ///< auto | on | off: fused small-MLP training path (CPU only)
  /// The run's seed: the kind's common option `seed`, so not one of the keys below.
  uint64_t seed = 0;

  /// Every member above but seed, bound to its option key.
  static const OptionFields<PruneOptions>& fields();
  /// Throws nnc::Error naming the first bad option and what it expects.
  void validate() const;
};

/// Refuses a negative or non-finite value of `option` (one error line naming it).
void require_nonnegative(double value, const char* option);

/// Parses a layer-width list such as "2,25,25,1" (at least input and output, all > 0);
/// errors name `option`.
std::vector<int64_t> parse_layer_list(const std::string& text, const std::string& option);

}  // namespace nnc::prune
