#pragma once
// `cutr` / `cutr34`: a frozen torchvision ResNet-18 / ResNet-34 cut after block k. Weights
// come from a safetensors file with torchvision names (converted ImageNet weights, or a
// network trained by `nncompress pretrain-encoder` on a different dataset).
#include <map>
#include <memory>
#include <string>

#include "replay/encoder.h"

namespace nnc::models {
class TVResNet;
}

namespace nnc::replay {

/// Options of the CutR encoder on a ResNet-`Depth` (cutr: 18, cutr34: 34). Both have the same
/// keys, each owning them; the depth is in the type so that tags() can name the network.
template <int Depth>
struct CutROptions {
  double encoding_block = 3;    ///< cut after block k (1..4, or 2.5 / 3.5)
  std::string encoder_weights;  ///< safetensors file (torchvision names); required
  static const OptionFields<CutROptions>& fields();
  void validate() const {}  // the weights are checked when the encoder loads them
  /// The report's panel: line "cutr" | "cutr34", display "CutR18(3)" (the seed notebooks' name).
  std::map<std::string, std::string> tags() const;
};

class CutREncoder : public Encoder {
 public:
  /// ResNet-`depth` cut after block `block`, weights from `weights`; `name` as registered.
  CutREncoder(int64_t depth, double block, std::string weights, const EncoderContext& ctx, std::string name);
  std::string name() const override { return name_; }
  Representation output(const Representation& in) const override;
  torch::Tensor encode(const torch::Tensor& images) const override;
  std::string describe() const override;

 private:
  int64_t depth_;
  double block_;
  std::string weights_;
  std::string name_;
  std::vector<float> mean_values_;
  torch::Device device_;
  std::shared_ptr<models::TVResNet> net_;
  torch::Tensor mean_, std_;
};

/// `cutr`: ResNet-18.
class CutR18Encoder : public CutREncoder {
 public:
  using Options = CutROptions<18>;
  CutR18Encoder(const Options& o, const EncoderContext& ctx)
      : CutREncoder(18, o.encoding_block, o.encoder_weights, ctx, "cutr") {}
};
/// `cutr34`: ResNet-34.
class CutR34Encoder : public CutREncoder {
 public:
  using Options = CutROptions<34>;
  CutR34Encoder(const Options& o, const EncoderContext& ctx)
      : CutREncoder(34, o.encoding_block, o.encoder_weights, ctx, "cutr34") {}
};

}  // namespace nnc::replay
