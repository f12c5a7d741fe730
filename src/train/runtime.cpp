#include "train/runtime.h"

#include <torch/torch.h>

#include <cstdlib>
#include <thread>

namespace nnc::train {

std::string configure_threads(int threads) {
  int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  const char* wait = std::getenv("OMP_WAIT_POLICY");
  return fmt::format("threads {} (torch intra-op), OMP_WAIT_POLICY={}", torch::get_num_threads(),
                     wait ? wait : "unset");
}

}  // namespace nnc::train
