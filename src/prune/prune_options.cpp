#include "prune/prune_options.h"

#include <cmath>

#include "core/error.h"
#include "prune/pruner.h"

namespace nnc::prune {

const OptionFields<PruneOptions>& PruneOptions::fields() {
  using O = PruneOptions;
  static const auto f = OptionFields<O>()
      .add("procedure", &O::procedure, pruner_registry().joined_names(), pruner_registry().names())
      .add("optimizer", &O::optimizer, "adam | adamw | sgd", {"adam", "adamw", "sgd"})
      .add("lr", &O::lr, "learning rate")
      .add("train_batch_size", &O::train_batch_size, "training batch size")
      .add("val_batch_size", &O::val_batch_size, "evaluation batch size (0 = whole set)")
      .add("min_epochs", &O::min_epochs, "phase 1: minimum epochs")
      .add("max_epochs", &O::max_epochs, "phase 1: maximum epochs")
      .add("prune_window", &O::prune_window, "epochs between saturation checks / shrinking")
      .add("smoothing_window", &O::smoothing_window, "saturation test window W")
      .add("shrinking", &O::shrinking, "prune_and_shrink during phase 1 when the train loss saturates")
      .add("shrinking_from_deviation_of", &O::shrinking_from_deviation_of,
           "saturation tolerance of the shrinking trigger")
      .add("converge_val_loss", &O::converge_val_loss, "phase 1 converges on the validation (else training) loss")
      .add("finetuning_min_epochs", &O::finetuning_min_epochs, "phase 3: minimum epochs")
      .add("finetuning_max_epochs", &O::finetuning_max_epochs, "phase 3: maximum epochs (0 = no fine-tuning)")
      .add("finetuning_shrinking", &O::finetuning_shrinking, "shrinking during fine-tuning")
      .add("finetuning_converge_val_loss", &O::finetuning_converge_val_loss,
           "phase 3 converges on the validation loss")
      .add("layerwise_pruning", &O::layerwise_pruning, "layerwise pruning with each shrink and in phase 2 (MLPs)")
      .add("finetuning_layerwise_pruning", &O::finetuning_layerwise_pruning,
           "layerwise pruning with fine-tuning shrinks")
      .add("layerwise_pruning_alpha", &O::layerwise_pruning_alpha, "layerwise: weight of sum(pi)")
      .add("layerwise_pruning_lr", &O::layerwise_pruning_lr, "layerwise: Adam learning rate")
      .add("layerwise_pruning_mask_start_value", &O::layerwise_pruning_mask_start_value, "layerwise: initial pi")
      .add("layerwise_pruning_max_epochs", &O::layerwise_pruning_max_epochs,
           "layerwise: maximum refit epochs per layer")
      .add("random_gradient_pruning", &O::random_gradient_pruning,
           "random gradient pruning before and after TAMADE")
      .add("delete_neurons", &O::delete_neurons, "delete dead neurons after each prune (MLPs)")
      .add("multiply_mask_after_each_batch", &O::multiply_mask_after_each_batch, "re-apply masks after every batch")
      .add("gauss_loss", &O::gauss_loss, "Gaussian loss with trainable sigma (teacher-student)")
      .add("binary_search_resolution", &O::binary_search_resolution, "TAMADE: absolute threshold resolution")
      .add("tolerated_relative_loss_increase", &O::tolerated_relative_loss_increase, "TAMADE delta")
      .add("tolerated_accuracy_drop", &O::tolerated_accuracy_drop,
           "TAMADE variant: absolute validation-accuracy drop allowed (< 0 = off; takes precedence)")
      .add("fused", &O::fused, "fused small-MLP training path (CPU): auto | on | off", {"auto", "on", "off"});
  return f;
}

void require_nonnegative(double value, const char* option) {
  NNC_CHECK(std::isfinite(value) && value >= 0, "option '{}': must be a finite value >= 0, got {}", option, value);
}

void PruneOptions::validate() const {
  NNC_CHECK(pruner_registry().contains(procedure), "option 'procedure': unknown procedure '{}': expected one of {}",
            procedure, pruner_registry().joined_names());
  require_nonnegative(layerwise_pruning_alpha, "layerwise_pruning_alpha");
  require_nonnegative(tolerated_relative_loss_increase, "tolerated_relative_loss_increase");
  require_nonnegative(shrinking_from_deviation_of, "shrinking_from_deviation_of");
  NNC_CHECK(layerwise_pruning_mask_start_value >= 0 && layerwise_pruning_mask_start_value <= 1,
            "option 'layerwise_pruning_mask_start_value': must be in [0, 1], got {}",
            layerwise_pruning_mask_start_value);
  NNC_CHECK(lr > 0 && std::isfinite(lr), "option 'lr': must be > 0, got {}", lr);
  NNC_CHECK(layerwise_pruning_lr > 0, "option 'layerwise_pruning_lr': must be > 0, got {}", layerwise_pruning_lr);
  NNC_CHECK(optimizer == "adam" || optimizer == "adamw" || optimizer == "sgd",
            "option 'optimizer': unknown '{}': expected adam, adamw or sgd", optimizer);
  NNC_CHECK(train_batch_size >= 1, "option 'train_batch_size': must be >= 1, got {}", train_batch_size);
  NNC_CHECK(val_batch_size >= 0, "option 'val_batch_size': must be >= 0 (0 = whole set), got {}", val_batch_size);
  NNC_CHECK(min_epochs >= 0 && max_epochs >= 1 && min_epochs <= max_epochs,
            "options 'min_epochs'/'max_epochs': need 0 <= min_epochs <= max_epochs and max_epochs >= 1, got {}/{}",
            min_epochs, max_epochs);
  NNC_CHECK(finetuning_min_epochs >= 0 && finetuning_max_epochs >= 0,
            "options 'finetuning_min_epochs'/'finetuning_max_epochs': must be >= 0, got {}/{}",
            finetuning_min_epochs, finetuning_max_epochs);
  NNC_CHECK(prune_window >= 1, "option 'prune_window': must be >= 1, got {}", prune_window);
  NNC_CHECK(smoothing_window >= 1, "option 'smoothing_window': must be >= 1, got {}", smoothing_window);
  NNC_CHECK(layerwise_pruning_max_epochs >= 1, "option 'layerwise_pruning_max_epochs': must be >= 1, got {}",
            layerwise_pruning_max_epochs);
  NNC_CHECK(binary_search_resolution > 0, "option 'binary_search_resolution': must be > 0, got {}",
            binary_search_resolution);
  NNC_CHECK(fused == "auto" || fused == "on" || fused == "off", "option 'fused': unknown '{}': expected auto, on or off",
            fused);
}

std::vector<int64_t> parse_layer_list(const std::string& text, const std::string& option) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    NNC_CHECK(!item.empty() && used == item.size() && v > 0,
              "option '{}': '{}' is not a list of positive layer widths such as 2,25,25,1 (bad item '{}')", option,
              text, item);
    out.push_back(v);
    start = end + 1;
  }
  NNC_CHECK(out.size() >= 2, "option '{}': '{}' needs at least an input and an output width, e.g. 2,25,25,1", option,
            text);
  return out;
}

}  // namespace nnc::prune
