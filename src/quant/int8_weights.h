#pragma once
// Symmetric per-tensor int8 weights of a model (what the CGP weight experiments approximate):
// quantize a model's weights in place, and substitute changed int8 weights back.
//
// Example:
//   auto layers = quant::quantize_model_weights(*model, {"conv1.weight", "conv2.weight"});
//   layers[1].q[0] = 0;                  // e.g. weights an evolved circuit computed
//   quant::substitute(*model, layers);   // dequantized into the model's parameters
#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::quant {

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

/// Every weight matrix/kernel (dim >= 2) of `model` replaced by its int8 approximation
/// (biases stay float); returns the int8 weights of `layer_names` (in that order).
std::vector<Int8Weights> quantize_model_weights(torch::nn::Module& model,
                                                const std::vector<std::string>& layer_names);

/// Copies each layer's dequantized weights into the model's parameter of that name.
void substitute(torch::nn::Module& model, const std::vector<Int8Weights>& layers);

}  // namespace nnc::quant
