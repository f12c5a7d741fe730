#pragma once
// NetSpec: a feed-forward network as a list of named layers. It is what quantization,
// cost metrics and width search see of a zoo model: LibTorch modules cannot be rewritten
// in place, so nncompress reads the architecture once (net_spec_of) and builds its own
// QuantizedModel from it, with the same parameter names.
//
// Supported zoo models: lenet5, mlp, lenet300100 (an MLP), jsc-tiny. Layer names are the
// module paths (conv1, fc1, bn, fc); parameterless layers are numbered per kind in order
// (relu1, relu2, pool1, flatten1). JSC-Tiny's layers also answer to MASE's node names
// seq_blocks_0..3 so the seed's TOML files work unchanged.
#include <cstdint>
#include <string>
#include <vector>

#include "models/model.h"

namespace nnc::quant {

struct LayerSpec {
  std::string name;                  ///< "fc1", "relu2", ...
  std::string op;                    ///< linear | conv2d | relu | tanh | sigmoid | identity |
                                     ///< batch_norm1d | max_pool2d | flatten
  std::vector<std::string> aliases;  ///< other names a config may use (MASE node names)
  int64_t in = 0, out = 0;           ///< features or channels (linear, conv2d, batch_norm1d)
  int64_t kernel = 0;                ///< conv2d kernel size, max_pool2d window (square)
  int64_t stride = 1, padding = 0;   ///< conv2d
  bool bias = true;                  ///< linear, conv2d

  /// The layer's name followed by its aliases.
  std::vector<std::string> names() const;
  /// Has a weight (linear, conv2d).
  bool weighted() const { return op == "linear" || op == "conv2d"; }
};

struct NetSpec {
  std::string arch;                ///< "lenet5", "mlp", "jsc-tiny"
  std::vector<LayerSpec> layers;
  std::vector<int64_t> input_shape;  ///< one sample, e.g. {1, 28, 28} or {16}

  /// "lenet5: conv1 conv2d(1->20, k5) relu1 pool1 ..." on one line.
  std::string describe() const;
  /// Index of a layer by name or alias; -1 when absent.
  int find(const std::string& name) const;
};

/// The architecture of a supported zoo model; fails listing the supported ones otherwise.
/// `input_shape` is one sample's shape (the model does not store it).
NetSpec net_spec_of(const models::Model& model, std::vector<int64_t> input_shape);

}  // namespace nnc::quant
