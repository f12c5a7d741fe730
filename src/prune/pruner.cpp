#include "prune/pruner.h"

#include "prune/drr.h"
#include "prune/layerwise.h"
#include "prune/magnitude_baseline.h"
#include "prune/pmmp.h"
#include "prune/procedure.h"
#include "prune/rl1.h"

namespace nnc::prune {

void Pruner::final_prune(Procedure& p) const {
  if (forces_layerwise() || p.options().layerwise_pruning) p.layerwise(p.val());
  p.prune_and_shrink(p.val(), nullptr);
}

namespace {

void register_builtin_pruners(PrunerRegistry& r) {
  r.add<Rl1Pruner>("rl1", "relaxed L1 + TAMADE + masked fine-tuning");
  r.add<DrrPruner>("drr", "differentiable relaxation of L0 + TAMADE + fine-tuning");
  r.add<PmmpPruner>("pmmp", "probabilistic minimax pruning + TAMADE + fine-tuning");
  r.add<LayerwisePruner>("layerwise", "plain training, layerwise refit pruning, TAMADE, fine-tuning");
  r.add<MagnitudePruner>("magnitude", "baseline: global magnitude pruning + fine-tuning");
}

}  // namespace

const PrunerRegistry& pruner_registry() {
  static const PrunerRegistry registry = [] {
    PrunerRegistry r("pruning procedure", "procedure");
    register_builtin_pruners(r);
    return r;
  }();
  return registry;
}

}  // namespace nnc::prune
