#pragma once
// `cutr` / `cutr34`: a frozen torchvision ResNet-18 / ResNet-34 cut after block k. Weights
// come from a safetensors file with torchvision names (converted ImageNet weights, or a
// network trained by `nncompress pretrain-encoder` on a different dataset).
#include <memory>

#include "replay/encoder.h"

namespace nnc::models {
class TVResNet;
}

namespace nnc::replay {

/// Options of both CutR encoders (the same keys: owned by each).
struct CutROptions {
  double encoding_block = 3;    ///< cut after block k (1..4, or 2.5 / 3.5)
  std::string encoder_weights;  ///< safetensors file (torchvision names); required
  static const OptionFields<CutROptions>& fields();
  void validate() const;
};

class CutREncoder : public Encoder {
 public:
  using Options = CutROptions;
  CutREncoder(const Options& o, const EncoderContext& ctx, std::string name);
  std::string name() const override { return name_; }
  Representation output(const Representation& in) const override;
  torch::Tensor encode(const torch::Tensor& images) const override;
  std::string describe() const override;

 private:
  Options o_;
  std::string name_;
  std::vector<float> mean_values_;
  torch::Device device_;
  std::shared_ptr<models::TVResNet> net_;
  torch::Tensor mean_, std_;
};

/// `cutr`: ResNet-18.
class CutR18Encoder : public CutREncoder {
 public:
  CutR18Encoder(const Options& o, const EncoderContext& ctx) : CutREncoder(o, ctx, "cutr") {}
};
/// `cutr34`: ResNet-34.
class CutR34Encoder : public CutREncoder {
 public:
  CutR34Encoder(const Options& o, const EncoderContext& ctx) : CutREncoder(o, ctx, "cutr34") {}
};

}  // namespace nnc::replay
