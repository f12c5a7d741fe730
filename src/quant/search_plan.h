#pragma once
// A quantization search plan: the seed's TOML (jsc_toy_by_type.toml format) read by
// search::parse_search_toml, plus the keys the search library leaves to its user:
//
//   [search.strategy.sw_runner.basic_evaluation]
//   data_loader = "val_dataloader"   # val_dataloader (default) | test_dataloader | train_dataloader
//   num_samples = 512                # evaluate on the first N samples (0 / absent = all)
//   [search.width_search]            # optional (nncompress's own, MASE Lab 4)
//   mode = "per_layer"               # none | uniform | per_layer
//   multipliers = [0.5, 1, 2]
//   epochs = 1                       # budget of every candidate; also lr, batch_size, optimizer
//   [search.width_search.config]     # or, instead of mode/multipliers: Lab 4's format
//                                    # (lab4_width_config.h)
//
// The original ignored data_loader and always evaluated on the training data; nncompress
// honours it and defaults to a validation split carved out of the training set.
// Metric names are checked here (see metric_names()), so a typo fails before any trial.
#include <string>
#include <string_view>

#include "quant/quant_config.h"
#include "quant/width_search.h"
#include "search/search_toml.h"

namespace nnc::quant {

struct SearchPlan {
  std::string source = "<string>";
  search::SearchConfig search;       ///< space seed, strategy, metrics
  ConfigBy by = ConfigBy::kName;     ///< [search.search_space.setup] by (MASE default: name)
  std::string data_loader = "val_dataloader";
  int64_t num_samples = 0;           ///< 0 = every sample of the chosen split
  WidthSearchOptions width;
};

SearchPlan parse_search_plan(std::string_view text, std::string_view source = "<string>");
SearchPlan load_search_plan(const std::string& path);

}  // namespace nnc::quant
