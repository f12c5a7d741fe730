#pragma once
// Threading set-up, chosen deliberately and printed (REFERENCE.md section 5: OpenMP's
// active waiting starves OpenBLAS on 2 cores, so OMP_WAIT_POLICY=PASSIVE is set by the
// CLI before libgomp loads).
#include <string>

namespace nnc::train {

/// Sets torch's intra-op threads (0 = all cores) and returns a one-line description.
std::string configure_threads(int threads);

}  // namespace nnc::train
