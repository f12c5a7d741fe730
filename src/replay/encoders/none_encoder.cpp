#include "replay/encoders/none_encoder.h"

#include <torch/torch.h>

namespace nnc::replay {

const OptionFields<NoneEncoderOptions>& NoneEncoderOptions::fields() {
  static const OptionFields<NoneEncoderOptions> f;
  return f;
}

torch::Tensor NoneEncoder::encode(const torch::Tensor& images) const { return images.to(torch::kFloat32); }

}  // namespace nnc::replay
