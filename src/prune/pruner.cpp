#include "prune/pruner.h"

#include "prune/procedure.h"

namespace nnc::prune {

void Pruner::final_prune(Procedure& p) const {
  if (forces_layerwise() || p.options().layerwise_pruning) p.layerwise(p.val());
  p.prune_and_shrink(p.val(), nullptr);
}

namespace {

class LayerwisePruner : public Pruner {
 public:
  std::string name() const override { return "layerwise"; }
  std::unique_ptr<Regularizer> make_regularizer(Masks&, const PruneOptions&) const override { return nullptr; }
  bool forces_layerwise() const override { return true; }
};

void register_builtin_pruners(PrunerRegistry& r) {
  r.add("rl1", make_rl1_pruner, "relaxed L1 + TAMADE + masked fine-tuning");
  r.add("drr", make_drr_pruner, "differentiable relaxation of L0 + TAMADE + fine-tuning");
  r.add("pmmp", make_pmmp_pruner, "probabilistic minimax pruning + TAMADE + fine-tuning");
  r.add("layerwise", make_layerwise_pruner, "plain training, layerwise refit pruning, TAMADE, fine-tuning");
  r.add("magnitude", make_magnitude_pruner, "baseline: global magnitude pruning + fine-tuning");
}

}  // namespace

std::shared_ptr<const Pruner> make_layerwise_pruner() { return std::make_shared<LayerwisePruner>(); }

PrunerRegistry& pruner_registry() {
  static PrunerRegistry registry = [] {
    PrunerRegistry r("pruning procedure");
    register_builtin_pruners(r);
    return r;
  }();
  return registry;
}

}  // namespace nnc::prune
