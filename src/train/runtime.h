#pragma once
// Threading set-up, chosen deliberately and printed.
//
// Two thread pools can serve one process: libgomp's (torch, oneDNN) and OpenBLAS's. An OpenBLAS
// built on pthreads keeps a pool of its own, and OpenMP threads that spin while they wait
// (libgomp's default) starve it on a 2-core machine; with that OpenBLAS the CLI sets
// OMP_WAIT_POLICY=PASSIVE before libgomp loads. An OpenBLAS built on OpenMP (Debian's
// libopenblas0-openmp, which set-up selects) shares libgomp's pool, and libgomp's default
// policy is then the fastest for every model measured (bench/train/wait_policy.sh).
#include <string>

namespace nnc::train {

/// How the loaded OpenBLAS runs its threads: "openmp", "pthreads", "sequential", or "none"
/// when no OpenBLAS is loaded (asked from OpenBLAS itself, openblas_get_parallel).
std::string openblas_threading();

/// Sets torch's intra-op threads (0 = all cores) and returns a one-line description.
std::string configure_threads(int threads);

}  // namespace nnc::train
