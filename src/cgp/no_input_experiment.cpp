#include "cgp/no_input_experiment.h"

#include <algorithm>

namespace nnc::cgp {

Dataset NoInputExperiment::build_dataset(const std::vector<WeightLayer>& layers) const {
  std::vector<int8_t> all;
  for (const auto& l : layers) all.insert(all.end(), l.q.begin(), l.q.end());
  return no_input({all});
}

void NoInputExperiment::write_outputs(std::vector<WeightLayer>& layers,
                                      const std::vector<int8_t>& outputs, int) const {
  size_t total = 0;
  for (const auto& l : layers) total += l.q.size();
  need_outputs(outputs, total);
  auto next = outputs.begin();
  for (auto& l : layers) {
    std::copy_n(next, l.q.size(), l.q.begin());
    next += std::ptrdiff_t(l.q.size());
  }
}

}  // namespace nnc::cgp
