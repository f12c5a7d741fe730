#include "prune/magnitude_baseline.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "prune/procedure.h"

namespace nnc::prune {

int64_t magnitude_prune_keep(Masks& masks, int64_t keep) {
  torch::NoGradGuard g;
  std::vector<torch::Tensor> flat;
  for (auto& e : masks.entries()) flat.push_back(e.param.detach().abs().flatten());
  auto all = torch::cat(flat);
  const int64_t n = all.numel();
  keep = std::max<int64_t>(0, std::min(keep, n));
  auto order = std::get<1>(all.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
  auto keep_flag = torch::zeros({n}, all.options().dtype(torch::kBool));
  keep_flag.index_fill_(0, order.slice(0, 0, keep), true);
  int64_t zeroed = 0, offset = 0;
  for (auto& e : masks.entries()) {
    auto k = keep_flag.slice(0, offset, offset + e.param.numel()).view_as(e.param);
    offset += e.param.numel();
    auto drop = k.logical_not() & e.param.ne(0);
    zeroed += drop.sum().item<int64_t>();
    e.param.masked_fill_(drop, 0.0);
  }
  return zeroed;
}

int64_t magnitude_prune(Masks& masks, double compression) {
  NNC_CHECK(compression >= 1, "option 'magnitude_compression': must be >= 1, got {}", compression);
  return magnitude_prune_keep(masks, static_cast<int64_t>(std::floor(static_cast<double>(masks.total()) / compression)));
}

const OptionFields<MagnitudeOptions>& MagnitudeOptions::fields() {
  static const auto f = OptionFields<MagnitudeOptions>().add(
      "magnitude_compression", &MagnitudeOptions::magnitude_compression,
      "magnitude baseline: target parameters / nonzeros");
  return f;
}

void MagnitudeOptions::validate() const {
  NNC_CHECK(magnitude_compression >= 1, "option 'magnitude_compression': must be >= 1, got {}",
            magnitude_compression);
}

void MagnitudePruner::final_prune(Procedure& p) const {
  int64_t before = p.masks().nonzeros();
  magnitude_prune(p.masks(), o_.magnitude_compression);
  p.refresh_masks();
  p.note(fmt::format("global magnitude pruning to {}x: nonzeros {} -> {}", o_.magnitude_compression, before,
                     p.masks().nonzeros()));
}

}  // namespace nnc::prune
