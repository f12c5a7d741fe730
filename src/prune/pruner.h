#pragma once
// Pruning procedures by name (rl1, drr, pmmp, layerwise, magnitude), each owning the options
// only it reads (core/plugin_registry.h): `--procedure pmmp` brings PMMP's initial_p_value &c.
// into the run's identity, and no other procedure's. Adding one is one file with a Pruner
// subclass (its `Options` and constructor `P(const Options&)`) plus one line in
// register_builtin_pruners (pruner.cpp).
#include <memory>
#include <string>

#include "core/plugin_registry.h"
#include "prune/mask.h"
#include "prune/prune_options.h"
#include "prune/regularizer.h"

namespace nnc::prune {

class Procedure;

/// Help of the options several procedures own together (one flag: rl1, drr and pmmp).
inline constexpr const char* kAlphaHelp = "regularisation weight (alpha)";
inline constexpr const char* kRhoHelp = "L2 weight (RL1, DRR, PMMP)";

class Pruner {
 public:
  virtual ~Pruner() = default;
  /// Phase 1's regulariser; null = plain (masked) training.
  virtual std::unique_ptr<Regularizer> make_regularizer(Masks& masks) const = 0;
  /// Phase 2 (between regularised training and fine-tuning). The default: layerwise pruning
  /// if asked (or forced), then prune_and_shrink on the validation set.
  virtual void final_prune(Procedure& procedure) const;
  /// Layerwise pruning in phase 2 regardless of the option.
  virtual bool forces_layerwise() const { return false; }
};

/// A procedure that trains phase 1 with regulariser R (constructed as R(masks, options)),
/// then takes the default final prune: rl1, drr and pmmp.
template <typename R, typename O>
class RegularizingPruner : public Pruner {
 public:
  using Options = O;
  explicit RegularizingPruner(const Options& options) : o_(options) {}
  std::unique_ptr<Regularizer> make_regularizer(Masks& masks) const override {
    return std::make_unique<R>(masks, o_);
  }

 private:
  Options o_;
};

/// The selector is option `procedure`.
using PrunerRegistry = PluginRegistry<std::unique_ptr<Pruner>>;
/// Every built-in procedure.
const PrunerRegistry& pruner_registry();

}  // namespace nnc::prune
