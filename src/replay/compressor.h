#pragma once
// Compressors: what a replay memory stores per sample. One file per compressor under
// compressors/ (the compressor, its Options struct with documented defaults, validate() and
// label()), one line in register_builtin_compressors (compressor_registry.cpp).
//
// Bytes are REAL: compress() returns the packed item, and the memory charges its size
// plus fixed_bytes() (codebooks, autoencoder weights, transfer ranges) once.
#include <torch/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/plugin_registry.h"
#include "replay/packed.h"
#include "replay/representation.h"

namespace nnc::replay {

/// What a compressor is built for besides its own options: not options of the compressor,
/// but facts of the run.
struct CompressorContext {
  Representation rep;          ///< what the compressor sees (encoder output or raw pixels)
  uint64_t seed = 0;           ///< the run's seed (initialisation, data order when fitting)
  std::string device = "cpu";  ///< where fitting runs (the run's --device)
};

class Compressor {
 public:
  explicit Compressor(const CompressorContext& ctx) : rep_(ctx.rep) {}
  virtual ~Compressor() = default;
  virtual std::string name() const = 0;
  /// One-off cost charged against the budget (weights, dictionary, global range).
  virtual uint64_t fixed_bytes() const = 0;
  /// Size of every packed item when it is the same for all; nullopt = variable size (the
  /// memory then counts bytes, with a length header per item).
  virtual std::optional<uint64_t> item_bytes() const = 0;
  /// The seed notebooks' slot count for a budget (accounting notebook); nullopt = the
  /// notebooks have no formula for this compressor.
  virtual std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const { return std::nullopt; }
  /// Learns whatever it needs (range, dictionary, autoencoder) from a DIFFERENT dataset
  /// given in the storage domain [N, ...shape]. No-op for compressors that need nothing.
  virtual void fit(const torch::Tensor& reference) {}
  virtual bool needs_fit() const { return false; }
  /// Packs each sample of a batch [N, ...shape] (storage domain). The batch's shape and
  /// values are checked here, once for every compressor.
  std::vector<Packed> compress(const torch::Tensor& batch) const;
  /// Unpacks items into a float32 batch [N, ...shape] in the storage domain (each item's
  /// size is checked first).
  torch::Tensor decompress(const std::vector<const Packed*>& items) const;
  /// Settings and sizes, for the run log.
  virtual std::string describe() const = 0;
  /// State to save/load (learned parameters), by name.
  virtual std::map<std::string, torch::Tensor> state() const { return {}; }
  virtual void load_state(const std::map<std::string, torch::Tensor>&) {}
  const Representation& representation() const { return rep_; }

 protected:
  /// A checked, non-empty batch -> one packed item per sample.
  virtual std::vector<Packed> pack(const torch::Tensor& batch) const = 0;
  /// Checked, non-empty items -> [N, ...shape] float32.
  virtual torch::Tensor unpack(const std::vector<const Packed*>& items) const = 0;
  /// Throws when the compressor cannot be used yet (not fitted).
  virtual void check_ready() const {}
  /// Items of a batch of `n`, each with room for a fixed item size.
  std::vector<Packed> empty_items(int64_t n) const;

  Representation rep_;
};

using CompressorPtr = std::unique_ptr<Compressor>;
/// Compressors by name (option `compressor`), each owning its options.
using CompressorRegistry = PluginRegistry<CompressorPtr, const CompressorContext&>;
CompressorRegistry& compressor_registry();
/// The compressor `values["compressor"]` names, built from its own options in `values`;
/// `weights` (optional) is a saved state (pretrain-compressor) loaded into it.
CompressorPtr make_compressor(const OptionValues& values, const CompressorContext& ctx,
                              const std::string& weights = "");

}  // namespace nnc::replay
