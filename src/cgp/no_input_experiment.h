#pragma once
// no-input: every weight of the selected layers from nothing (one grid output per weight,
// layer after layer, as the original's le_selector on conv1 then conv2); multiplexing on by
// default. Any number of layers, of any shape.
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

class NoInputExperiment : public WeightExperiment {
 public:
  using Options = NoOptions;
  explicit NoInputExperiment(const NoOptions& = {}) {}
  std::string name() const override { return "no-input"; }
  bool multiplex_by_default() const override { return true; }

 protected:
  void check_selection(const std::vector<LayerShape>&) const override {}
  Dataset build_dataset(const std::vector<WeightLayer>& layers) const override;
  void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                     int outputs_per_item) const override;
};

}  // namespace nnc::cgp
