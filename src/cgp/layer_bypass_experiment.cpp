#include "cgp/layer_bypass_experiment.h"

#include <algorithm>

#include "core/error.h"

namespace nnc::cgp {
namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s;
  for (int64_t d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

/// Whether B's weights act on A's output channels (dense, depthwise, or a linear layer over
/// A's flattened output).
bool reads_output_of(const LayerShape& a, const LayerShape& b) {
  const int64_t channels = a.shape[0], b_in = b.shape[1];
  if (b_in == channels) return true;
  if (b.shape.size() == 4 && b_in == 1 && b.shape[0] == channels) return true;
  return b.shape.size() == 2 && a.shape.size() == 4 && b_in % channels == 0;
}

}  // namespace

void LayerBypassExperiment::check_selection(const std::vector<LayerShape>& layers) const {
  NNC_CHECK(layers.size() == 2,
            "cgp layer-bypass infers layer B's weights from layer A's: select two layers "
            "(--layers A,B), got {}: {}", layers.size(), layer_list(layers));
  const LayerShape &a = layers[0], &b = layers[1];
  NNC_CHECK(reads_output_of(a, b),
            "cgp layer-bypass: {} ({}) does not read the output of {} ({}): B's input channels "
            "{} do not match A's {} output channels; pick B as a layer fed by A",
            b.name, shape_text(b.shape), a.name, shape_text(a.shape), b.shape[1], a.shape[0]);
}

Dataset LayerBypassExperiment::build_dataset(const std::vector<WeightLayer>& layers) const {
  return layer_bypass(layers[0].q, layers[1].q);
}

void LayerBypassExperiment::write_outputs(std::vector<WeightLayer>& layers,
                                          const std::vector<int8_t>& outputs, int) const {
  auto& b = layers[1].q;
  need_outputs(outputs, b.size());
  std::copy_n(outputs.begin(), b.size(), b.begin());
}

}  // namespace nnc::cgp
