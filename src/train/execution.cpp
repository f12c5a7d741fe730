#include "train/execution.h"

namespace nnc::train {

ExecutionOptions ExecutionOptions::from(const torch::Device& device, const std::string& precision,
                                        bool channels_last) {
  ExecutionOptions exec(device, parse_precision(precision), channels_last);
  check_precision(exec.precision, exec.device);
  return exec;
}

}  // namespace nnc::train
