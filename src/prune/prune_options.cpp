#include "prune/prune_options.h"

#include <cmath>

#include "core/error.h"
#include "prune/pruner.h"

namespace nnc::prune {

void PruneOptions::validate() const {
  NNC_CHECK(pruner_registry().contains(procedure), "option 'procedure': unknown procedure '{}': expected one of {}",
            procedure, pruner_registry().joined_names());
  auto nonneg = [](double v, const char* name) {
    NNC_CHECK(std::isfinite(v) && v >= 0, "option '{}': must be a finite value >= 0, got {}", name, v);
  };
  nonneg(alpha, "alpha");
  nonneg(beta, "beta");
  nonneg(rho, "rho");
  nonneg(l1_alpha, "l1_alpha");
  nonneg(u_value_multiply_factor, "u_value_multiply_factor");
  nonneg(layerwise_pruning_alpha, "layerwise_pruning_alpha");
  nonneg(tolerated_relative_loss_increase, "tolerated_relative_loss_increase");
  nonneg(shrinking_from_deviation_of, "shrinking_from_deviation_of");
  NNC_CHECK(initial_p_value >= 0 && initial_p_value <= 1, "option 'initial_p_value': must be in [0, 1], got {}",
            initial_p_value);
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
  NNC_CHECK(finetuning_min_epochs >= 0 && finetuning_max_epochs >= 0 && finetuning_min_epochs <= std::max<int64_t>(finetuning_max_epochs, finetuning_min_epochs),
            "options 'finetuning_min_epochs'/'finetuning_max_epochs': must be >= 0, got {}/{}",
            finetuning_min_epochs, finetuning_max_epochs);
  NNC_CHECK(prune_window >= 1, "option 'prune_window': must be >= 1, got {}", prune_window);
  NNC_CHECK(smoothing_window >= 1, "option 'smoothing_window': must be >= 1, got {}", smoothing_window);
  NNC_CHECK(layerwise_pruning_max_epochs >= 1, "option 'layerwise_pruning_max_epochs': must be >= 1, got {}",
            layerwise_pruning_max_epochs);
  NNC_CHECK(binary_search_resolution > 0, "option 'binary_search_resolution': must be > 0, got {}",
            binary_search_resolution);
  NNC_CHECK(magnitude_compression >= 1, "option 'magnitude_compression': must be >= 1, got {}",
            magnitude_compression);
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
