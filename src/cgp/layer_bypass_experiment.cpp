#include "cgp/layer_bypass_experiment.h"

#include <algorithm>

namespace nnc::cgp {

Dataset LayerBypassExperiment::build_dataset(const std::vector<WeightLayer>& layers) const {
  return layer_bypass(layers[0].q, layers[1].q);
}

void LayerBypassExperiment::write_outputs(std::vector<WeightLayer>& layers,
                                          const std::vector<int8_t>& outputs, int) const {
  auto& conv2 = layers[1].q;
  need_outputs(outputs, conv2.size());
  std::copy_n(outputs.begin(), conv2.size(), conv2.begin());
}

}  // namespace nnc::cgp
