#pragma once
// layer-bypass: layer A's weights are the inputs, the circuit produces layer B's (one item;
// LeNet-5 classic conv1 -> conv2: 150 -> 2400). A stays as it is. B must read A's output
// (B's input channels = A's output channels; a depthwise B over A's channels; a linear B
// over A's flattened output), as conv2 reads conv1's.
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

class LayerBypassExperiment : public WeightExperiment {
 public:
  using Options = NoOptions;
  explicit LayerBypassExperiment(const NoOptions& = {}) {}
  std::string name() const override { return "layer-bypass"; }

 protected:
  void check_selection(const std::vector<LayerShape>& layers) const override;
  Dataset build_dataset(const std::vector<WeightLayer>& layers) const override;
  void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                     int outputs_per_item) const override;
};

}  // namespace nnc::cgp
