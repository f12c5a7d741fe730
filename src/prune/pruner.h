#pragma once
// Pruning procedures by name (rl1, drr, pmmp, layerwise, magnitude). Adding one is one file
// with a Pruner subclass plus one line in register_builtin_pruners (pruner.cpp).
#include <memory>
#include <string>

#include "core/registry.h"
#include "prune/mask.h"
#include "prune/prune_options.h"
#include "prune/regularizer.h"

namespace nnc::prune {

class Procedure;

class Pruner {
 public:
  virtual ~Pruner() = default;
  virtual std::string name() const = 0;
  /// Phase 1's regulariser; null = plain (masked) training.
  virtual std::unique_ptr<Regularizer> make_regularizer(Masks& masks, const PruneOptions& o) const = 0;
  /// Phase 2 (between regularised training and fine-tuning). The default: layerwise pruning
  /// if asked (or forced), then prune_and_shrink on the validation set.
  virtual void final_prune(Procedure& procedure) const;
  /// Layerwise pruning in phase 2 regardless of the option.
  virtual bool forces_layerwise() const { return false; }
};

using PrunerRegistry = Registry<std::shared_ptr<const Pruner>>;
/// Every built-in procedure.
PrunerRegistry& pruner_registry();

std::shared_ptr<const Pruner> make_rl1_pruner();
std::shared_ptr<const Pruner> make_drr_pruner();
std::shared_ptr<const Pruner> make_pmmp_pruner();
std::shared_ptr<const Pruner> make_layerwise_pruner();
std::shared_ptr<const Pruner> make_magnitude_pruner();

}  // namespace nnc::prune
