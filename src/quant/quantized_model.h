#pragma once
// QuantizedModel: a feed-forward zoo model rebuilt from its NetSpec, each Linear/Conv2d/ReLU
// running the fixed-point arithmetic of its LayerQuantConfig (MASE's LinearInteger,
// Conv2dInteger, ReLUInteger):
//  - Linear/Conv2d: input, weight and bias each quantized with their own format (signed);
//    matmul and bias add in float; the bias is NOT rescaled to the accumulator format; the
//    output stays float unless data_out is set.
//  - ReLU: input quantized unsigned, then ReLU.
//  - BatchNorm, pooling, flatten, tanh/sigmoid: float.
// Quantization happens in forward (weights included), with straight-through gradients, so
// the same object serves post-training quantization and quantization-aware training.
//
// The source model is never touched: from_model() deep-copies its parameters and buffers
// (same names, so module_state() of a QuantizedModel loads back into the zoo model), and
// copy() gives each search trial its own instance (the original mutated one shared graph).
//
// Example:
//   auto q = QuantizedModel::from_model(*lenet, {1, 28, 28},
//                                       QuantConfig().set("linear", LayerQuantConfig::integer(8, 4, 8)));
//   auto logits = q->forward(images);
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <memory>
#include <vector>

#include "models/model.h"
#include "quant/net_spec.h"
#include "quant/quant_config.h"

namespace nnc::quant {

class QuantizedModel : public models::Model {
 public:
  struct Layer {
    LayerSpec spec;
    LayerQuantConfig config;       ///< float unless a config applies
    std::string config_key = "-";  ///< the QuantConfig key that chose `config`
    torch::nn::Linear linear{nullptr};
    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm1d bn{nullptr};
  };

  /// Fresh layers (LibTorch's default initialisation), all float.
  explicit QuantizedModel(NetSpec spec);

  /// A deep copy of a trained supported zoo model (see net_spec.h) with `config` applied.
  static std::shared_ptr<QuantizedModel> from_model(const models::Model& trained,
                                                    std::vector<int64_t> input_shape,
                                                    const QuantConfig& config = {});
  /// A deep copy (parameters, buffers, configs, train/eval mode).
  std::shared_ptr<QuantizedModel> copy() const;

  /// Resolves `config` for every layer (replacing the previous one). Fails when an entry of
  /// `config` can match no layer (see QuantConfig::check_against).
  void apply(const QuantConfig& config);

  torch::Tensor forward(torch::Tensor x) override;
  std::string describe() const override;

  const NetSpec& spec() const { return spec_; }
  const std::vector<Layer>& layers() const { return layers_; }

  /// Per-sample output shape of each layer for a sample of spec().input_shape.
  std::vector<std::vector<int64_t>> output_shapes() const;

 private:
  NetSpec spec_;
  std::vector<Layer> layers_;
};

using QuantizedModelPtr = std::shared_ptr<QuantizedModel>;

}  // namespace nnc::quant
