// Quantization configs ([passes.quantize], MASE's format): parse, then resolve and check
// against a model's layers (by type, name and regex_name).
#include <sstream>

#include "core/error.h"
#include "fuzz_util.h"
#include "quant/quant_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto cfg = nnc::quant::parse_quant_toml(nnc::fuzz::as_text(data, size), "quant.toml");
    const std::vector<std::pair<std::vector<std::string>, std::string>> layers = {
        {{"fc1", "seq_blocks_2"}, "linear"},
        {{"relu1", "seq_blocks_3"}, "relu"},
        {{"conv1"}, "conv2d"},
        {{"bn1"}, "batchnorm"}};
    for (auto& [names, op] : layers) (void)cfg.resolve(names, op).config.describe();
    std::ostringstream os;
    cfg.describe(os);
    cfg.check_against(layers);
  } catch (const nnc::Error&) {
  }
  return 0;
}
