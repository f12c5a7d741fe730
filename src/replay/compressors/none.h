#pragma once
// `none`: stores the sample as it is. Raw pixels as uint8 (1 byte per value), features
// as float32 (4 bytes per value). Exact round trip.
//   item_bytes  = N * value_bytes   (N = values per sample; value_bytes 1 or 4)
//   fixed_bytes = 0
#include "replay/compressor.h"

namespace nnc::replay {

/// `none` has no options.
struct NoneOptions {
  static const OptionFields<NoneOptions>& fields();
  void validate() const {}
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class NoneCompressor : public Compressor {
 public:
  using Options = NoneOptions;
  NoneCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "none"; }
  uint64_t fixed_bytes() const override { return 0; }
  std::optional<uint64_t> item_bytes() const override;
  /// The notebooks: floor(B / (N * value_bytes)), i.e. the same item size.
  std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const override;
  std::string describe() const override;

 protected:
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// values: the stored uint8 pixels or float32 features [N, numel].
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;
};

}  // namespace nnc::replay
