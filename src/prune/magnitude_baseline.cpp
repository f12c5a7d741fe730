#include "prune/magnitude_baseline.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "prune/procedure.h"
#include "prune/pruner.h"

namespace nnc::prune {

int64_t magnitude_prune_keep(Masks& masks, int64_t keep) {
  torch::NoGradGuard g;
  std::vector<torch::Tensor> flat;
  for (auto& e : masks.entries()) flat.push_back(e.param.detach().abs().flatten());
  auto all = torch::cat(flat);
  const int64_t n = all.numel();
  keep = std::max<int64_t>(0, std::min(keep, n));
  auto order = std::get<1>(all.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
  auto keep_flag = torch::zeros({n}, torch::kBool);
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

namespace {

class MagnitudePruner : public Pruner {
 public:
  std::string name() const override { return "magnitude"; }
  std::unique_ptr<Regularizer> make_regularizer(Masks&, const PruneOptions&) const override { return nullptr; }
  void final_prune(Procedure& p) const override {
    int64_t before = p.masks().nonzeros();
    magnitude_prune(p.masks(), p.options().magnitude_compression);
    p.refresh_masks();
    p.note(fmt::format("global magnitude pruning to {}x: nonzeros {} -> {}", p.options().magnitude_compression,
                       before, p.masks().nonzeros()));
  }
};

}  // namespace

std::shared_ptr<const Pruner> make_magnitude_pruner() { return std::make_shared<MagnitudePruner>(); }

}  // namespace nnc::prune
