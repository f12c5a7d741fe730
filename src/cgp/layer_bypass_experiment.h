#pragma once
// layer-bypass: conv1's weights are the inputs, the circuit produces conv2's (one item;
// LeNet-5 classic: 150 -> 2400). conv1 stays as it is.
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

class LayerBypassExperiment : public WeightExperiment {
 public:
  using Options = NoOptions;
  explicit LayerBypassExperiment(const NoOptions& = {}) {}
  std::string name() const override { return "layer-bypass"; }

 protected:
  Dataset build_dataset(const std::vector<WeightLayer>& layers) const override;
  void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                     int outputs_per_item) const override;
};

}  // namespace nnc::cgp
