#pragma once
// Encoders: what a sample becomes before compression. `none` keeps raw pixels;
// `cutr` / `cutr34` run a frozen torchvision ResNet-18/34 cut after block k (eval mode).
#include <torch/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/plugin_registry.h"
#include "replay/representation.h"

namespace nnc::replay {

/// What an encoder is built for besides its own options: facts of the run's dataset and device.
struct EncoderContext {
  std::vector<float> mean, std;  ///< the dataset's normalisation (CutR sees normalised input)
  std::string device = "cpu";
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual std::string name() const = 0;
  /// Shape and kind of what encode() returns for `input` (raw pixel images).
  virtual Representation output(const Representation& input) const = 0;
  /// uint8 images [N,C,H,W] -> storage-domain float32 [N, ...] (see representation.h).
  virtual torch::Tensor encode(const torch::Tensor& images) const = 0;
  virtual std::string describe() const = 0;
};

using EncoderPtr = std::shared_ptr<Encoder>;
/// Encoders by name (option `encoder`), each owning its options (encoder_registry.cpp: one line each).
using EncoderRegistry = PluginRegistry<EncoderPtr, const EncoderContext&>;
EncoderRegistry& encoder_registry();
/// The encoder `values["encoder"]` names, built from its own options in `values`.
EncoderPtr make_encoder(const OptionValues& values, const EncoderContext& ctx);

/// Encodes uint8 images [N,C,H,W] in chunks of 512 (bounded memory), `then` (optional)
/// applied to each encoded chunk; the chunks concatenated.
torch::Tensor encode_in_chunks(const Encoder& encoder, const torch::Tensor& images,
                               const std::function<torch::Tensor(const torch::Tensor&)>& then = {});

/// Model options of the CutR network for images of `channels` channels (used by
/// `pretrain-encoder` to build the full network whose prefix the encoder loads).
int64_t cutr_depth(const std::string& encoder_name);

}  // namespace nnc::replay
