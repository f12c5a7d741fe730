#pragma once
// Which of a model's weight layers a CGP experiment reads (`--layers A,B`, `--layer A`):
// names are checked against the model's conv/linear weights, with ".weight" optional, and an
// unknown name lists the valid ones. No LibTorch: the caller lists the model's layers.
//
// Example:
//   std::vector<LayerShape> model = {{"conv1.weight", {6, 1, 5, 5}}, {"conv2.weight", {16, 6, 5, 5}}};
//   select_layers(model, "conv2", 2);   // {"conv2.weight"}
//   select_layers(model, "", 2);        // the first two: {"conv1.weight", "conv2.weight"}
#include <cstdint>
#include <string>
#include <vector>

namespace nnc::cgp {

/// A weight tensor of a model (conv kernel or linear matrix) as offered for selection.
struct LayerShape {
  std::string name;             ///< parameter name, e.g. "features.2.conv.1.0.weight"
  std::vector<int64_t> shape;
  int64_t numel() const;
};

/// The layers of `requested` (comma-separated, in that order) resolved against `available`;
/// empty = the first `default_count` of `available` (fewer when the model has fewer). Fails
/// with one line on an unknown name (listing the valid ones), a repeated layer or no layer.
std::vector<LayerShape> select_layers(const std::vector<LayerShape>& available,
                                      const std::string& requested, int default_count);

/// "a, b, c": the names of `layers`.
std::string layer_list(const std::vector<LayerShape>& layers);

}  // namespace nnc::cgp
