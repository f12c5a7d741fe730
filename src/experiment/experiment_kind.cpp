#include "experiment/experiment_kind.h"

#include <filesystem>

namespace nnc::experiment {

std::string RunContext::artifact(const std::string& name, const std::string& file) {
  namespace fs = std::filesystem;
  fs::create_directories(run_dir);
  auto full = fs::path(run_dir) / file;
  record.artifacts[name] = fs::relative(full, out_dir).string();
  return full.string();
}

KindRegistry& kind_registry() {
  static KindRegistry registry("experiment kind");
  return registry;
}

std::vector<OptionSpec> common_options() {
  return {
      {"seed", int64_t{0}, "random seed (data order, initialisation, sampling)"},
      // Part of the run id: a GPU run's numbers differ from a CPU run's (other kernels, other
      // reduction orders), so one must not overwrite or stand in for the other.
      {"device", std::string("cpu"), "torch device: cpu, cuda, cuda:1, ...", {}, true},
      {"threads", int64_t{0}, "torch intra-op threads (0 = all cores)", {}, false},
      {"precision", std::string("fp32"),
       "forward-pass precision: fp32 | bf16 (autocast; CPUs with bf16 units, GPUs) | fp16 (autocast "
       "with loss scaling; GPUs)", {"fp32", "bf16", "fp16"}},
      {"channels_last", false, "convolutions in NHWC layout (faster for conv nets under bf16)", {}, false},
  };
}

}  // namespace nnc::experiment
