#pragma once
// Compressors: what a replay memory stores per sample. One file per compressor under
// compressors/ (the compressor, its Options struct with documented defaults, validate() and
// label()), one line in register_builtin_compressors (compressor_registry.cpp).
// Options::tags() gives what a report shows and groups by: "line" (the report line),
// "display" (its name) and "parameter" (every setting that changes what is stored is in it,
// so runs that differ only in their seed are the ones averaged).
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

class CompressorDesign;

/// A batch of packed items read into COMPACT tensors on the CPU, in the types they are stored
/// in: what crosses to the device instead of the float32 batch (a quarter of it or less).
/// Each compressor documents which fields it fills; the others stay undefined.
struct ParsedItems {
  int64_t n = 0;         ///< items (set by Compressor::decompress: parse() fills the tensors)
  torch::Tensor values;  ///< stored values: uint8 pixels, float16/float32 features or latents
  torch::Tensor index;   ///< stored integers: bins, codes, coordinates, atom indices (uint8 or int32)
  torch::Tensor range;   ///< per-item [lo, hi] float32 [N, 2], where stored
  /// Every defined field on `device` (the fields are already there: the same tensors).
  ParsedItems to(const torch::Device& device) const;
};

/// A usable compressor: fitted (or needing no fit). Only a CompressorDesign makes one, so an
/// unfitted codec cannot be used.
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
  /// Whether it learns something (range, dictionary, autoencoder) from a reference set.
  virtual bool needs_fit() const { return false; }
  /// Packs each sample of a batch [N, ...shape] (storage domain). The batch's shape and
  /// values are checked here, once for every compressor.
  std::vector<Packed> compress(const torch::Tensor& batch) const;
  /// Unpacks items into a float32 batch [N, ...shape] in the storage domain, on `device` (each
  /// item's size is checked first). The bytes are parsed on the CPU into compact tensors,
  /// those move to `device`, and the float32 batch is reconstructed there: a training device
  /// then receives codes, not floats, and does the reconstruction math itself. On the CPU the
  /// result is bit for bit what the CPU always gave.
  torch::Tensor decompress(const std::vector<const Packed*>& items,
                           const torch::Device& device = torch::kCPU) const;
  /// Settings and sizes, for the run log.
  virtual std::string describe() const = 0;
  /// Learned parameters by name, to save (CompressorDesign::load makes it again).
  virtual std::map<std::string, torch::Tensor> state() const { return {}; }
  const Representation& representation() const { return rep_; }

 protected:
  friend class CompressorDesign;
  /// Learns whatever it needs from a DIFFERENT dataset given in the storage domain
  /// [N, ...shape] (only compressors that need_fit()).
  virtual void learn(const torch::Tensor& reference) {}
  /// Takes a saved state (only compressors that need_fit()).
  virtual void restore(const std::map<std::string, torch::Tensor>&) {}
  /// A checked, non-empty batch -> one packed item per sample.
  virtual std::vector<Packed> pack(const torch::Tensor& batch) const = 0;
  /// Checked, non-empty items -> their compact fields, on the CPU (byte parsing, bit
  /// unpacking, range checks of stored indices; JPEG's entropy decoding).
  virtual ParsedItems parse(const std::vector<const Packed*>& items) const = 0;
  /// Parsed fields (on any device) -> [N, ...shape] float32 on that device, by torch ops only.
  virtual torch::Tensor reconstruct(const ParsedItems& parsed) const = 0;
  /// Items of a batch of `n`, each with room for a fixed item size.
  std::vector<Packed> empty_items(int64_t n) const;

  Representation rep_;
};

using CompressorPtr = std::unique_ptr<Compressor>;
using StateMap = std::map<std::string, torch::Tensor>;

/// What the registry builds: a compressor's settings and sizes before it is fitted (all the
/// budget needs), and the way to the usable compressor: fit(reference), load(state), or
/// ready() for one that needs no fit.
class CompressorDesign {
 public:
  explicit CompressorDesign(CompressorPtr blank) : blank_(std::move(blank)) {}
  std::string name() const { return blank_->name(); }
  uint64_t fixed_bytes() const { return blank_->fixed_bytes(); }
  std::optional<uint64_t> item_bytes() const { return blank_->item_bytes(); }
  std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const { return blank_->notebook_slots(budget_bytes); }
  bool needs_fit() const { return blank_->needs_fit(); }
  std::string describe() const;
  const Representation& representation() const { return blank_->representation(); }
  /// Fitted on `reference` (another dataset, storage domain [N, ...shape]); a compressor that
  /// needs no fit ignores it.
  CompressorPtr fit(const torch::Tensor& reference) &&;
  /// From a saved state (pretrain-compressor, the fit cache).
  CompressorPtr load(const StateMap& state) &&;
  /// One that needs no fit (error naming the way out for one that does).
  CompressorPtr ready() &&;

 private:
  CompressorPtr blank_;
};
using CompressorDesignPtr = std::unique_ptr<CompressorDesign>;

/// Compressors by name (option `compressor`), each owning its options; create() gives the
/// design (see make_compressor).
using CompressorRegistry = PluginRegistry<CompressorPtr, const CompressorContext&>;
CompressorRegistry& compressor_registry();
/// The design of the compressor `values["compressor"]` names, built from its own options in
/// `values`.
CompressorDesign make_compressor(const OptionValues& values, const CompressorContext& ctx);

}  // namespace nnc::replay
