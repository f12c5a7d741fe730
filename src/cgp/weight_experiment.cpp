#include "cgp/weight_experiment.h"

#include "cgp/all_layers_experiment.h"
#include "cgp/layer_bypass_experiment.h"
#include "cgp/no_input_experiment.h"
#include "core/error.h"

namespace nnc::cgp {

void WeightExperiment::check_layers(const std::vector<LayerShape>& layers) const {
  NNC_CHECK(!layers.empty(), "cgp {}: no layer selected", name());
  check_selection(layers);
}

void WeightExperiment::check_values(const std::vector<WeightLayer>& layers) const {
  std::vector<LayerShape> shapes;
  for (const auto& l : layers) {
    shapes.push_back({l.name, l.shape});
    NNC_CHECK(shapes.back().numel() == int64_t(l.q.size()), "cgp {}: {} holds {} values, its shape {}",
              name(), l.name, l.q.size(), shapes.back().numel());
  }
  check_layers(shapes);
}

void WeightExperiment::need_outputs(const std::vector<int8_t>& outputs, size_t n) const {
  NNC_CHECK(outputs.size() >= n, "cgp {}: the circuit gave {} outputs, {} needed", name(),
            outputs.size(), n);
}

Dataset WeightExperiment::dataset(const std::vector<WeightLayer>& layers) const {
  check_values(layers);
  return build_dataset(layers);
}

std::vector<WeightLayer> WeightExperiment::decode(const std::vector<WeightLayer>& layers,
                                                  const std::vector<int8_t>& outputs,
                                                  int outputs_per_item) const {
  check_values(layers);
  std::vector<WeightLayer> r = layers;
  write_outputs(r, outputs, outputs_per_item);
  return r;
}

void register_builtin_weight_experiments(WeightExperimentRegistry& registry) {
  registry.add<LayerBypassExperiment>("layer-bypass", "layer A -> layer B (conv1 -> conv2)");
  registry.add<NoInputExperiment>("no-input", "the layers from nothing, multiplexed");
  registry.add<AllLayersExperiment>("all-layers", "inner kernel -> outer ring, per layer");
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
