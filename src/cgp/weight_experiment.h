#pragma once
// WeightExperiment: how a CGP experiment turns a model's int8 weights into a CGP dataset
// (which weights are inputs, which the circuit must produce) and the circuit's outputs back
// into weights. The experiments of the original, one file each:
//   layer-bypass  conv1 weights in, conv2 weights out (LeNet-5 classic: 150 -> 2400)
//   no-input      every weight of conv1 and conv2 from nothing (multiplexing on by default)
//   all-layers    per 5x5 kernel the inner 3x3 in, the outer ring of 16 out, one item per layer
//
// Adding one = one file (a class deriving from WeightExperiment, with `using Options = ...;`
// and a constructor from its Options) + one line in register_builtin_weight_experiments().
// No LibTorch here: the int8 weights come from quant/int8_weights.h through the caller.
//
// Example:
//   auto e = weight_experiment_registry().create({{"experiment", std::string("layer-bypass")}});
//   cgp::Dataset d = e->dataset(layers);   // layers = {conv1, conv2} in int8
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cgp/dataset.h"
#include "core/options.h"
#include "core/plugin_registry.h"

namespace nnc::cgp {

/// One layer's int8 weights as an experiment reads and writes them.
struct WeightLayer {
  std::string name;             ///< parameter name, e.g. "conv2.weight"
  std::vector<int64_t> shape;
  std::vector<int8_t> q;        ///< row-major
};

/// A CGP grid size.
struct GridSize {
  int rows = 0, cols = 0;
};

class WeightExperiment {
 public:
  virtual ~WeightExperiment() = default;
  virtual std::string name() const = 0;

  /// The model parameters it reads, in the order dataset() expects them.
  std::vector<std::string> layer_names() const { return {"conv1.weight", "conv2.weight"}; }
  /// The CGP dataset of `layers` (conv1, conv2).
  Dataset dataset(const std::vector<WeightLayer>& layers) const;
  /// Inverse of dataset(): the circuit's outputs (O per item, item-major) written into
  /// copies of `layers`; weights the experiment keeps (its inputs) stay as they are.
  std::vector<WeightLayer> decode(const std::vector<WeightLayer>& layers,
                                  const std::vector<int8_t>& outputs, int outputs_per_item) const;

  /// The original's grid for these layers.
  virtual GridSize default_grid(const std::vector<WeightLayer>& layers) const { return {256, 31}; }
  /// Whether `multiplex = auto` turns value-table multiplexing on.
  virtual bool multiplex_by_default() const { return false; }

 protected:
  virtual Dataset build_dataset(const std::vector<WeightLayer>& layers) const = 0;
  /// `layers` are copies to overwrite; `outputs` holds at least what need_outputs() checked.
  virtual void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                             int outputs_per_item) const = 0;
  /// Fails unless the circuit gave at least `n` outputs.
  void need_outputs(const std::vector<int8_t>& outputs, size_t n) const;

 private:
  void check_layers(const std::vector<WeightLayer>& layers) const;
};

/// CGP experiments by name (option "experiment").
using WeightExperimentRegistry = PluginRegistry<std::unique_ptr<WeightExperiment>>;
/// Adds layer-bypass, no-input and all-layers.
void register_builtin_weight_experiments(WeightExperimentRegistry& registry);
/// The process-wide registry, with the built-ins registered.
WeightExperimentRegistry& weight_experiment_registry();
/// The experiment `name` with its options from `options` (unknown names list the valid ones).
std::unique_ptr<WeightExperiment> make_weight_experiment(const std::string& name,
                                                         OptionValues options = {});

}  // namespace nnc::cgp
