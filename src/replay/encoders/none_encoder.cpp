// `none`: the raw image; the memory stores its uint8 pixels.
#include <torch/torch.h>

#include "replay/encoders/encoders.h"

namespace nnc::replay {
namespace {

class NoneEncoder : public Encoder {
 public:
  std::string name() const override { return "none"; }
  Representation output(const Representation& in) const override { return in; }
  torch::Tensor encode(const torch::Tensor& images) const override {
    return images.to(torch::kFloat32);
  }
  std::string describe() const override { return "encoder none (raw uint8 pixels)"; }
};

}  // namespace

EncoderPtr make_none_encoder(const EncoderOptions&) { return std::make_shared<NoneEncoder>(); }

}  // namespace nnc::replay
