#include "train/runtime.h"

#include <torch/torch.h>

#include <dlfcn.h>

#include <cstdlib>
#include <thread>

namespace nnc::train {

std::string openblas_threading() {
  using GetParallel = int (*)();
  auto get = reinterpret_cast<GetParallel>(dlsym(RTLD_DEFAULT, "openblas_get_parallel"));
  if (get == nullptr) return "none";
  switch (get()) {
    case 0: return "sequential";
    case 1: return "pthreads";
    case 2: return "openmp";
    default: return "unknown";
  }
}

std::string configure_threads(int threads) {
  int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  const char* wait = std::getenv("OMP_WAIT_POLICY");
  return fmt::format("threads {} (torch intra-op), OMP_WAIT_POLICY={}, OpenBLAS threads: {}",
                     torch::get_num_threads(), wait ? wait : "unset (libgomp's default)",
                     openblas_threading());
}

}  // namespace nnc::train
