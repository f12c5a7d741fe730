#pragma once
// The width configuration format of the quantization lab's Lab 4 (seed 004): the
// `pass_config_linear` dict of its redefine_linear_transform_pass, written as TOML under
// [search.width_search.config] of a search plan:
//
//   [search.width_search.config]
//   by = "name"                                   # the only choice the lab used
//   [search.width_search.config.default.config]
//   name = "NA"                                   # the lab's None: other layers keep their width
//   [search.width_search.config.seq_blocks_2.config]
//   name = "output_only"                          # output_only | both | input_only
//   channel_multiplier_output = [1, 2, 3, 4, 5]   # per layer: the lab's a (a list = choices)
//   [search.width_search.config.seq_blocks_4.config]
//   name = "both"
//   channel_multiplier_input = [1, 2, 3, 4, 5]    # the lab's b: follows seq_blocks_2's output
//   channel_multiplier_output = [1, 2, 3, 4, 5]   # the lab's c
//   [search.width_search.config.seq_blocks_6.config]
//   name = "input_only"
//   channel_multiplier_input = [1, 2, 3, 4, 5]    # the lab's d: follows seq_blocks_4's output
//
// Meaning, mapped onto WidthSearchOptions:
//  - `channel_multiplier` (one key for input and output, Lab 4 parts 1 and 2): one multiplier
//    shared by every listed layer = uniform mode; every list must be the same. A number
//    instead of a list is a fixed width (part 1's factor 2).
//  - `channel_multiplier_output` (part 3): a parameter per layer = per-layer mode, each layer
//    over its own list.
//  - Input multipliers are not free: nncompress keeps in_{i+1} = out_i (the lab's independent
//    b and d would give layers whose shapes do not chain), so an input follows the output of
//    the layer before; given ones are read, checked as numbers, and noted.
//  - Layers are named as the model's layers or their MASE aliases (seq_blocks_2 = JSC's first
//    Linear); `default` must leave the others alone. Mixing the two kinds of key fails.
#include <toml++/toml.h>

#include <string>

#include "quant/width_search.h"

namespace nnc::quant {

/// Reads a Lab 4 config table into `w` (mode, multipliers, layers, notes); `where` names the
/// table in errors ("plan.toml: search.width_search.config").
void parse_lab4_width_config(const toml::table& config, WidthSearchOptions& w, const std::string& where);

}  // namespace nnc::quant
