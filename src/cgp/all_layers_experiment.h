#pragma once
// all-layers: per kxk kernel the inner (k-2)x(k-2) weights are inputs, the outer ring of
// 4(k-1) the outputs; one dataset item per layer, so the layers share the grid (multiplexed
// outputs). The original's 5x5 kernels: inner 3x3 -> ring of 16. Generalised to any square
// odd k >= 3 (3x3: the centre -> the ring of 8), one k per run; 1x1 kernels and linear
// layers have no ring and are refused. The original's grid: rows = cols = 5 x the largest
// layer's output channels, here k x.
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

class AllLayersExperiment : public WeightExperiment {
 public:
  using Options = NoOptions;
  explicit AllLayersExperiment(const NoOptions& = {}) {}
  std::string name() const override { return "all-layers"; }
  GridSize default_grid(const std::vector<WeightLayer>& layers) const override;

 protected:
  void check_selection(const std::vector<LayerShape>& layers) const override;
  Dataset build_dataset(const std::vector<WeightLayer>& layers) const override;
  void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                     int outputs_per_item) const override;
};

}  // namespace nnc::cgp
