#include "cgp/all_layers_experiment.h"

#include <algorithm>

#include "core/error.h"

namespace nnc::cgp {
namespace {

void check_5x5(const WeightLayer& w) {
  NNC_CHECK(w.shape.size() == 4 && w.shape[2] == 5 && w.shape[3] == 5,
            "cgp all-layers: {} must hold 5x5 kernels (shape [out, in, 5, 5])", w.name);
}
bool inner_3x3(int r, int c) { return r >= 1 && r <= 3 && c >= 1 && c <= 3; }

/// Writes the ring of 16 outputs of each kernel back around its inner 3x3.
void write_rings(WeightLayer& layer, const int8_t* out) {
  const size_t kernels = layer.q.size() / 25;
  for (size_t k = 0; k < kernels; ++k) {
    int8_t* kern = layer.q.data() + k * 25;
    int j = 0;
    for (int row = 0; row < 5; ++row)
      for (int col = 0; col < 5; ++col)
        if (!inner_3x3(row, col)) kern[row * 5 + col] = out[k * 16 + size_t(j++)];
  }
}

}  // namespace

GridSize AllLayersExperiment::default_grid(const std::vector<WeightLayer>& layers) const {
  const int side = int(5 * std::max(layers[0].shape[0], layers[1].shape[0]));
  return {side, side};
}

Dataset AllLayersExperiment::build_dataset(const std::vector<WeightLayer>& layers) const {
  for (auto& l : layers) check_5x5(l);
  return all_layers({layers[0].q, layers[1].q});
}

void AllLayersExperiment::write_outputs(std::vector<WeightLayer>& layers,
                                        const std::vector<int8_t>& outputs, int O) const {
  for (size_t l = 0; l < layers.size(); ++l) {
    check_5x5(layers[l]);
    const size_t kernels = layers[l].q.size() / 25;
    NNC_CHECK(kernels * 16 <= size_t(O), "cgp all-layers: {} needs {} outputs per item, got {}",
              layers[l].name, kernels * 16, O);
    need_outputs(outputs, (l + 1) * size_t(O));
    write_rings(layers[l], outputs.data() + l * size_t(O));
  }
}

}  // namespace nnc::cgp
