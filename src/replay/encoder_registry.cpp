#include <torch/torch.h>

#include "core/error.h"
#include "replay/encoders/cutr_encoder.h"
#include "replay/encoders/none_encoder.h"

namespace nnc::replay {
namespace {

void register_builtin_encoders(EncoderRegistry& r) {
  r.add<NoneEncoder>("none", "raw uint8 pixels");
  r.add<CutR18Encoder>("cutr", "frozen ResNet-18 cut after block k");
  r.add<CutR34Encoder>("cutr34", "frozen ResNet-34 cut after block k");
}

}  // namespace

EncoderRegistry& encoder_registry() {
  static EncoderRegistry registry = [] {
    EncoderRegistry r("encoder", "encoder");
    register_builtin_encoders(r);
    return r;
  }();
  return registry;
}

EncoderPtr make_encoder(const OptionValues& values, const EncoderContext& ctx) {
  return encoder_registry().create(values, ctx);
}

torch::Tensor encode_in_chunks(const Encoder& encoder, const torch::Tensor& images,
                               const std::function<torch::Tensor(const torch::Tensor&)>& then) {
  constexpr int64_t kChunk = 512;
  std::vector<torch::Tensor> parts;
  for (int64_t s = 0; s < images.size(0); s += kChunk) {
    auto z = encoder.encode(images.slice(0, s, std::min(images.size(0), s + kChunk)));
    parts.push_back(then ? then(z) : z);
  }
  return torch::cat(parts);
}

int64_t cutr_depth(const std::string& encoder_name) {
  if (encoder_name == "cutr34") return 34;
  NNC_CHECK(encoder_name == "cutr", "encoder '{}' is not a CutR encoder", encoder_name);
  return 18;
}

}  // namespace nnc::replay
