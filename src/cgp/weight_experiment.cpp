#include "cgp/weight_experiment.h"

#include "cgp/all_layers_experiment.h"
#include "cgp/layer_bypass_experiment.h"
#include "cgp/no_input_experiment.h"
#include "core/error.h"

namespace nnc::cgp {

void WeightExperiment::check_layers(const std::vector<WeightLayer>& layers) const {
  NNC_CHECK(layers.size() == 2, "cgp {}: expected 2 layers (conv1, conv2), got {}", name(),
            layers.size());
}

void WeightExperiment::need_outputs(const std::vector<int8_t>& outputs, size_t n) const {
  NNC_CHECK(outputs.size() >= n, "cgp {}: the circuit gave {} outputs, {} needed", name(),
            outputs.size(), n);
}

Dataset WeightExperiment::dataset(const std::vector<WeightLayer>& layers) const {
  check_layers(layers);
  return build_dataset(layers);
}

std::vector<WeightLayer> WeightExperiment::decode(const std::vector<WeightLayer>& layers,
                                                  const std::vector<int8_t>& outputs,
                                                  int outputs_per_item) const {
  check_layers(layers);
  std::vector<WeightLayer> r = layers;
  write_outputs(r, outputs, outputs_per_item);
  return r;
}

void register_builtin_weight_experiments(WeightExperimentRegistry& registry) {
  registry.add<LayerBypassExperiment>("layer-bypass", "conv1 -> conv2");
  registry.add<NoInputExperiment>("no-input", "conv1+conv2 from nothing, multiplexed");
  registry.add<AllLayersExperiment>("all-layers", "inner 3x3 -> outer ring, per layer");
}

WeightExperimentRegistry& weight_experiment_registry() {
  static WeightExperimentRegistry registry = [] {
    WeightExperimentRegistry r("experiment", "experiment");
    register_builtin_weight_experiments(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<WeightExperiment> make_weight_experiment(const std::string& name,
                                                         OptionValues options) {
  options["experiment"] = name;
  return weight_experiment_registry().create(options);
}

}  // namespace nnc::cgp
