#pragma once
// A kind's option list for the config fuzzers: every value type, choices and aliases (the
// real kinds need torch and every pillar; the parsers only see this list).
#include <vector>

#include "experiment/run_config.h"

namespace nnc::fuzz {

inline std::vector<experiment::OptionSpec> fuzz_specs() {
  using experiment::OptionSpec;
  return {
      OptionSpec{"seed", int64_t{0}, "seed"},
      OptionSpec{"dataset", std::string("blobs"), "data set", {"blobs", "mnist", "cifar10"}},
      OptionSpec{"data_dir", std::string(""), "folder", {}, true, {"dir"}},
      OptionSpec{"lr", 0.001, "learning rate"},
      OptionSpec{"epochs", int64_t{2}, "epochs", {}, true, {"num_passes"}},
      OptionSpec{"memory_bytes", std::string(""), "budget"},
      OptionSpec{"save_weights", true, "write weights"},
      OptionSpec{"threads", int64_t{0}, "threads", {}, false},
  };
}

}  // namespace nnc::fuzz
