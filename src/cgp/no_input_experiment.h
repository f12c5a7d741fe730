#pragma once
// no-input: every weight of conv1 and conv2 from nothing (one grid output per weight, conv1
// then conv2, as the original's le_selector); multiplexing on by default.
#include "cgp/weight_experiment.h"

namespace nnc::cgp {

class NoInputExperiment : public WeightExperiment {
 public:
  using Options = NoOptions;
  explicit NoInputExperiment(const NoOptions& = {}) {}
  std::string name() const override { return "no-input"; }
  bool multiplex_by_default() const override { return true; }

 protected:
  Dataset build_dataset(const std::vector<WeightLayer>& layers) const override;
  void write_outputs(std::vector<WeightLayer>& layers, const std::vector<int8_t>& outputs,
                     int outputs_per_item) const override;
};

}  // namespace nnc::cgp
