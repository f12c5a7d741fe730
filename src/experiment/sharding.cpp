#include "experiment/sharding.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"

namespace nnc::experiment {

void check_sub_batch(int count, int index) {
  NNC_CHECK(count >= 1, "--num-sub-batches must be at least 1, got {}", count);
  NNC_CHECK(index >= 0 && index < count,
            "--sub-batch must be in 0..{} (0-based, like SLURM_ARRAY_TASK_ID with "
            "--array=0-{}), got {}",
            count - 1, count - 1, index);
}

std::vector<size_t> sub_batch(const std::vector<std::string>& ids, int count, int index) {
  check_sub_batch(count, index);
  std::vector<size_t> by_id(ids.size());
  std::iota(by_id.begin(), by_id.end(), size_t{0});
  std::sort(by_id.begin(), by_id.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
  std::vector<size_t> picked;
  for (size_t pos = static_cast<size_t>(index); pos < by_id.size(); pos += count)
    picked.push_back(by_id[pos]);
  std::sort(picked.begin(), picked.end());  // back to the plan's order
  return picked;
}

}  // namespace nnc::experiment
