#pragma once
// safetensors files (the format Python's safetensors / torch read and write):
// 8-byte little-endian header length, a JSON header {name: {dtype, shape,
// data_offsets}}, then the raw little-endian tensor bytes.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace nnc::models {

using TensorMap = std::map<std::string, torch::Tensor>;

void save_safetensors(const TensorMap& tensors, const std::string& path,
                      const std::map<std::string, std::string>& metadata = {});
/// Reads every tensor; validates header size, dtypes, shapes and offsets against the file size.
TensorMap load_safetensors(const std::string& path);

/// All parameters and buffers of a module under their dotted names (torchvision style).
TensorMap module_state(const torch::nn::Module& module);

struct LoadReport {
  std::vector<std::string> loaded, missing, unexpected;
};
/// Copies tensors into `module`. A shape mismatch is an error listing every mismatched
/// tensor; with strict, missing or unexpected names are errors too.
LoadReport load_into(torch::nn::Module& module, const TensorMap& tensors, bool strict,
                     const std::string& source = "weights");

}  // namespace nnc::models
