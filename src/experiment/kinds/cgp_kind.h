#pragma once
// Pieces of `nncompress cgp` (kinds/cgp_kind.cpp) that the tests reach: int8 weights of a
// model's layers, the CGP dataset of each experiment built from them, and the way back
// (circuit outputs -> int8 weights -> dequantized weights substituted into the model).
//
//   layer-bypass  conv1 weights in, conv2 weights out (LeNet-5 classic: 150 -> 2400)
//   no-input      every weight of conv1 and conv2 from nothing (one grid output per weight,
//                 conv1 then conv2, as the original's le_selector), multiplexing on
//   all-layers    per 5x5 kernel the inner 3x3 in, the outer ring of 16 out; one dataset
//                 item per layer (conv1, conv2), so the layers share the grid (one MUX
//                 per output)
#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cgp/dataset.h"
#include "models/model.h"

namespace nnc::experiment::cgpw {

/// A weight tensor in symmetric per-tensor int8: w ~ q * scale, q in -128..127.
struct Int8Weights {
  std::string name;             ///< parameter name, e.g. "conv2.weight"
  std::vector<int64_t> shape;
  std::vector<int8_t> q;        ///< row-major
  double scale = 1;             ///< max|w| / 127 (1 when all weights are 0)

  torch::Tensor dequantize() const;  ///< float tensor of `shape`
};

/// Symmetric per-tensor int8 of `w` (round half to even, clamp to -128..127).
Int8Weights quantize_int8(const torch::Tensor& w, const std::string& name = "");

enum class Experiment { LayerBypass, NoInput, AllLayers };
Experiment parse_experiment(const std::string& name);  ///< layer-bypass | no-input | all-layers
std::string experiment_name(Experiment e);

/// The CGP dataset of experiment `e` from the int8 weights of the model's layers
/// `layers` = {conv1, conv2} (5x5 kernels for all-layers).
cgp::Dataset make_dataset(Experiment e, const std::vector<Int8Weights>& layers);

/// Inverse of make_dataset: the circuit's outputs (cgp::naive_outputs over the dataset's
/// items: O per item, item-major) written back into copies of `layers` (weights the
/// experiment keeps, e.g. conv1 in layer-bypass, stay as they are).
std::vector<Int8Weights> decode_outputs(Experiment e, const std::vector<Int8Weights>& layers,
                                        const std::vector<int8_t>& outputs, int outputs_per_item);

/// Copies each layer's dequantized weights into the model's parameter of that name.
void substitute(torch::nn::Module& model, const std::vector<Int8Weights>& layers);

/// Every weight matrix/kernel (dim >= 2) of `model` replaced by its int8 approximation
/// (biases stay float); returns the int8 weights of `layer_names` (in that order).
std::vector<Int8Weights> quantize_model_weights(torch::nn::Module& model,
                                                const std::vector<std::string>& layer_names);

}  // namespace nnc::experiment::cgpw
