#pragma once
// WeightExperiment: how a CGP experiment turns a model's int8 weights into a CGP dataset
// (which weights are inputs, which the circuit must produce) and the circuit's outputs back
// into weights. The experiments of the original, one file each, on any selected layers
// (cgp/layer_selection.h; by default the model's first two, conv1 and conv2 of LeNet-5):
//   layer-bypass  layer A's weights in, layer B's out (LeNet-5 classic: 150 -> 2400)
//   no-input      every weight of the layers from nothing (multiplexing on by default)
//   all-layers    per kxk kernel the inner (k-2)^2 in, the outer ring out, one item per layer
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
#include "cgp/layer_selection.h"
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

  /// Layers it reads when none are named: the model's first ones (2: conv1, conv2 of LeNet-5).
  virtual int default_layer_count() const { return 2; }
  /// Fails with one line when `layers` do not suit the experiment (count, kernel shapes).
  void check_layers(const std::vector<LayerShape>& layers) const;
  /// The CGP dataset of `layers` (the selected ones, in order).
  Dataset dataset(const std::vector<WeightLayer>& layers) const;
  /// Inverse of dataset(): the circuit's outputs (O per item, item-major) written into
  /// copies of `layers`; weights the experiment keeps (its inputs) stay as they are.
  std::vector<WeightLayer> decode(const std::vector<WeightLayer>& layers,
                                  const std::vector<int8_t>& outputs, int outputs_per_item) const;

  /// The original's grid for these layers.
  virtual GridSize default_grid(const std::vector<WeightLayer>&) const { return {256, 31}; }
  /// Whether `multiplex = auto` turns value-table multiplexing on.
  virtual bool multiplex_by_default() const { return false; }

 protected:
  /// The experiment's own checks of check_layers(); the layer count is checked before.
  virtual void check_selection(const std::vector<LayerShape>& layers) const = 0;
  virtual Dataset build_dataset(const std::vector<WeightLayer>& layers) const = 0;
  /// `layers` are copies to overwrite; `outputs` holds at least what need_outputs() checked.
  virtual void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                             int outputs_per_item) const = 0;
  /// Fails unless the circuit gave at least `n` outputs.
  void need_outputs(const std::vector<int8_t>& outputs, size_t n) const;

 private:
  void check_values(const std::vector<WeightLayer>& layers) const;
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
