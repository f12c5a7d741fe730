#pragma once
// `none`: the raw image; the memory stores its uint8 pixels.
#include <map>
#include <string>

#include "replay/encoder.h"

namespace nnc::replay {

/// `none` has no options.
struct NoneEncoderOptions {
  static const OptionFields<NoneEncoderOptions>& fields();
  void validate() const {}
  /// The report's panel: line "none", display "no encoding".
  std::map<std::string, std::string> tags() const { return {{"line", "none"}, {"display", "no encoding"}}; }
};

class NoneEncoder : public Encoder {
 public:
  using Options = NoneEncoderOptions;
  NoneEncoder(const Options&, const EncoderContext&) {}
  std::string name() const override { return "none"; }
  Representation output(const Representation& in) const override { return in; }
  torch::Tensor encode(const torch::Tensor& images) const override;
  std::string describe() const override { return "encoder none (raw uint8 pixels)"; }
};

}  // namespace nnc::replay
