#pragma once
// all-layers: per 5x5 kernel the inner 3x3 are inputs, the outer ring of 16 the outputs; one
// dataset item per layer (conv1, conv2), so the layers share the grid. The original's grid:
// rows = cols = 5 x the larger layer's output channels.
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

class AllLayersExperiment : public WeightExperiment {
 public:
  using Options = NoOptions;
  explicit AllLayersExperiment(const NoOptions& = {}) {}
  std::string name() const override { return "all-layers"; }
  GridSize default_grid(const std::vector<WeightLayer>& layers) const override;

 protected:
  Dataset build_dataset(const std::vector<WeightLayer>& layers) const override;
  void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                     int outputs_per_item) const override;
};

}  // namespace nnc::cgp
