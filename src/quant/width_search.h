#pragma once
// Width search (MASE Lab 4): multiply layer widths by channel multipliers, train every
// candidate under one fixed budget, then search (together with bit widths if asked).
//
// A multiplier scales the OUTPUT width of a Linear/Conv2d layer; the next weighted layer's
// input is adjusted with it (times the spatial size when a flatten sits between), so
// in_{i+1} = out_i always holds. The last weighted layer's output (the classes) is fixed.
// Uniform mode: one parameter "width" for every scalable layer. Per-layer mode: one
// parameter "width.<layer>" per scalable layer (Lab 4's a, b, c, d with the consistency
// constraints already applied). Lab 4's own configuration format (per-node output_only /
// both / input_only with channel multipliers) is read by lab4_width_config.h and can pick
// the layers and give each its own choices.
//
// Example:
//   WidthSearchOptions w;  w.mode = WidthMode::kPerLayer;  w.multipliers = {0.5, 1, 2};
//   add_width_parameters(space, spec, w);   // width.fc1, width.fc2 for lenet300100
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "quant/quantized_model.h"
#include "search/search_space.h"
#include "train/batch_source.h"
#include "train/trainer.h"

namespace nnc::quant {

enum class WidthMode { kNone, kUniform, kPerLayer };
/// "none" | "uniform" | "per_layer"; `where` names the option in errors.
WidthMode parse_width_mode(std::string_view text, const std::string& where);
std::string to_string(WidthMode m);
/// Width multipliers written "0.5,1,2"; `where` names the option in errors.
std::vector<double> parse_width_multipliers(const std::string& text, const std::string& where);

struct WidthSearchOptions {
  WidthMode mode = WidthMode::kNone;
  std::vector<double> multipliers = {1.0, 2.0};  ///< choices, each > 0
  /// The layers to widen, by name or alias (Lab 4 names MASE nodes: seq_blocks_2), each with
  /// its own choices (per-layer mode; uniform mode uses only the names, with `multipliers`).
  /// Empty = every scalable layer over `multipliers`. Filled by the Lab 4 format
  /// (lab4_width_config.h).
  std::map<std::string, std::vector<double>> layers;
  std::vector<std::string> notes;  ///< what a Lab 4 config said that nncompress derives itself
  /// The fixed training budget of every candidate (from scratch, same seed).
  train::TrainOptions budget = train::TrainOptions().optimizer("adam").lr(1e-3).epochs(1);
  void validate() const;
  void describe(std::ostream& os) const;
};

/// Layers whose output width may be scaled: every Linear/Conv2d except the last one.
std::vector<std::string> scalable_layers(const NetSpec& spec);

/// `spec` with each named layer's output multiplied (rounded, at least 1) and the following
/// layers' inputs made consistent. Unknown or unscalable names fail listing the valid ones.
NetSpec widen(const NetSpec& spec, const std::map<std::string, double>& multipliers);

/// The layers `options` widens, in network order, with their choices: options.layers
/// resolved against `spec` (unknown or unscalable names fail listing the valid ones), or
/// every scalable layer over options.multipliers.
std::vector<std::pair<std::string, std::vector<double>>> widened_layers(const NetSpec& spec,
                                                                        const WidthSearchOptions& options);

/// Appends "width" (uniform) or "width.<layer>" (per layer) parameters; nothing for kNone.
void add_width_parameters(search::SearchSpace& space, const NetSpec& spec,
                          const WidthSearchOptions& options);
/// The multipliers a trial chose (layer -> multiplier); empty for kNone.
std::map<std::string, double> width_choice(const search::SearchSpace& space,
                                           const std::vector<search::Value>& params,
                                           const NetSpec& spec, const WidthSearchOptions& options);

/// One trained width candidate.
struct WidthCandidate {
  std::map<std::string, double> multipliers;  ///< layer -> multiplier
  std::string label;                          ///< "fc1x0.5_fc2x2": a file-name stem
  QuantizedModelPtr model;                    ///< trained, float
};

/// Trains each width candidate once (on first request) and keeps it.
class WidthCandidates {
 public:
  WidthCandidates(NetSpec base, const train::BatchSource& train_data,
                  train::TrainOptions budget);
  /// The trained float model for these multipliers. Copy it before changing it.
  const QuantizedModel& get(const std::map<std::string, double>& multipliers);
  int trained() const { return static_cast<int>(cache_.size()); }
  double train_seconds() const { return seconds_; }
  /// Every candidate trained so far (in label order), e.g. to save their weights.
  std::vector<WidthCandidate> candidates() const;

 private:
  NetSpec base_;
  const train::BatchSource& data_;
  train::TrainOptions budget_;
  std::map<std::string, WidthCandidate> cache_;  ///< by label
  double seconds_ = 0;
};

}  // namespace nnc::quant
