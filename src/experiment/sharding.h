#pragma once
// Splitting a sweep into N sub-batches (SLURM array tasks, separate machines): sort the
// run ids, and sub-batch i (0-based, like `--array=0-(N-1)`) takes every run whose
// position in that sorted list is i modulo N. Deterministic (depends only on the set of
// ids), pairwise disjoint, complete, and balanced to within one run.
#include <cstddef>
#include <string>
#include <vector>

namespace nnc::experiment {

/// Checks 1 <= count and 0 <= index < count, naming the options in the error.
void check_sub_batch(int count, int index);

/// Indices into `ids` of sub-batch `index` of `count`, in the order of `ids`.
std::vector<size_t> sub_batch(const std::vector<std::string>& ids, int count, int index);

}  // namespace nnc::experiment
