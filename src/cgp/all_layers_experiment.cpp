#include "cgp/all_layers_experiment.h"

#include <algorithm>

#include "core/error.h"

namespace nnc::cgp {
namespace {

/// The kernel side of a layer checked by check_selection().
int side_of(const WeightLayer& w) { return int(w.shape[3]); }

/// Writes the ring outputs of each kernel back around its inner part.
void write_rings(WeightLayer& layer, const int8_t* out) {
  const int side = side_of(layer);
  const size_t area = size_t(side) * size_t(side), ring = 4 * size_t(side - 1);
  for (size_t k = 0; k < layer.q.size() / area; ++k) {
    int8_t* kern = layer.q.data() + k * area;
    size_t j = 0;
    for (int row = 0; row < side; ++row)
      for (int col = 0; col < side; ++col)
        if (in_ring(side, row, col)) kern[row * side + col] = out[k * ring + j++];
  }
}

}  // namespace

void AllLayersExperiment::check_selection(const std::vector<LayerShape>& layers) const {
  for (const auto& l : layers) {
    const bool square = l.shape.size() == 4 && l.shape[2] == l.shape[3];
    NNC_CHECK(square && l.shape[3] >= 3 && l.shape[3] % 2 == 1,
              "cgp all-layers: {} has no ring of weights around an inner part to infer from (it "
              "needs square odd kernels of 3x3 or more, as [out, in, k, k]; 1x1 convolutions and "
              "linear layers have none): select 3x3 or 5x5 conv layers", l.name);
    NNC_CHECK(l.shape[3] == layers[0].shape[3],
              "cgp all-layers: {} has {}x{} kernels but {} has {}x{}: the layers share one grid, "
              "select layers of one kernel size", l.name, l.shape[3], l.shape[3], layers[0].name,
              layers[0].shape[3], layers[0].shape[3]);
  }
}

GridSize AllLayersExperiment::default_grid(const std::vector<WeightLayer>& layers) const {
  int64_t channels = 0;
  for (const auto& l : layers) channels = std::max(channels, l.shape[0]);
  const int side = int(side_of(layers[0]) * channels);
  return {side, side};
}

Dataset AllLayersExperiment::build_dataset(const std::vector<WeightLayer>& layers) const {
  std::vector<std::vector<int8_t>> kernels;
  for (const auto& l : layers) kernels.push_back(l.q);
  return all_layers(kernels, side_of(layers[0]));
}

void AllLayersExperiment::write_outputs(std::vector<WeightLayer>& layers,
                                        const std::vector<int8_t>& outputs, int O) const {
  for (size_t l = 0; l < layers.size(); ++l) {
    const int side = side_of(layers[l]);
    const size_t needed = layers[l].q.size() / (size_t(side) * side) * 4 * size_t(side - 1);
    NNC_CHECK(needed <= size_t(O), "cgp all-layers: {} needs {} outputs per item, got {}",
              layers[l].name, needed, O);
    need_outputs(outputs, (l + 1) * size_t(O));
    write_rings(layers[l], outputs.data() + l * size_t(O));
  }
}

}  // namespace nnc::cgp
