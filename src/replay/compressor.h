#pragma once
// Compressors: what a replay memory stores per sample. One file per compressor under
// compressors/, one line in register_builtin_compressors (compressor_registry.cpp).
//
// Bytes are REAL: compress() returns the packed item, and the memory charges its size
// plus fixed_bytes() (codebooks, autoencoder weights, transfer ranges) once.
#include <torch/types.h>

#include <map>
#include <memory>
#include <string>

#include "core/registry.h"
#include "replay/packed.h"
#include "replay/representation.h"

namespace nnc::replay {

/// Settings every compressor may read (unused ones are ignored; validate() checks the used ones).
struct CompressorOptions {
  std::string name = "none";
  double compression_factor = 0.9;      ///< thinning: fraction of values dropped
  int64_t n_states = 8;                 ///< quantization: levels per value
  std::string strategy = "local";       ///< quantization: local | transfer
  int64_t latent_channels = 8;          ///< convae
  int64_t n_blocks = 2;                 ///< convae
  int64_t bottleneck_neurons = 32;      ///< fcae
  int64_t atoms = 64;                   ///< sparse: dictionary size
  int64_t nonzeros = 8;                 ///< sparse: OMP nonzeros s
  int64_t coefficient_bits = 16;        ///< sparse: 16 (float16) or 32 (float32) per coefficient
  int64_t pretrain_epochs = 5;          ///< autoencoders / dictionary learning
  double resize_factor = 2.0;           ///< resize: side divisor (H' = floor(H / f), >= 1)
  int64_t resize_to = 0;                ///< resize: target side H' = W' (0 = use resize_factor)
  int64_t resize_bits = 8;              ///< resize: bits per stored value (1..8; 16 = float16 features)
  int64_t jpeg_quality = 50;            ///< jpeg: libjpeg quality 1..100
  std::string jpeg_tables = "shared";   ///< jpeg: shared (headers stored once) | per_item
  int64_t pq_subvectors = 32;           ///< pq: sub-vectors M per channel vector (M divides C)
  int64_t pq_bits = 8;                  ///< pq: bits per code (2^bits centroids per sub-space)
  uint64_t seed = 0;
  std::string weights;                  ///< file with pre-trained compressor state (optional)
};

class Compressor {
 public:
  virtual ~Compressor() = default;
  virtual std::string name() const = 0;
  /// One-off cost charged against the budget (weights, dictionary, global range).
  virtual uint64_t fixed_bytes() const = 0;
  /// Size of every packed item when it is the same for all (0 = variable size).
  virtual uint64_t item_bytes() const = 0;
  /// Learns whatever it needs (range, dictionary, autoencoder) from a DIFFERENT dataset
  /// given in the storage domain [N, ...shape]. No-op for compressors that need nothing.
  virtual void fit(const torch::Tensor& reference) {}
  virtual bool needs_fit() const { return false; }
  /// Packs each sample of a batch [N, ...shape] (storage domain).
  virtual std::vector<Packed> compress(const torch::Tensor& batch) const = 0;
  /// Unpacks items into a float32 batch [N, ...shape] in the storage domain.
  virtual torch::Tensor decompress(const std::vector<const Packed*>& items) const = 0;
  /// Settings and sizes, for the run log.
  virtual std::string describe() const = 0;
  /// State to save/load (learned parameters), by name.
  virtual std::map<std::string, torch::Tensor> state() const { return {}; }
  virtual void load_state(const std::map<std::string, torch::Tensor>&) {}
};

using CompressorPtr = std::unique_ptr<Compressor>;
using CompressorRegistry = Registry<CompressorPtr, const CompressorOptions&, const Representation&>;
CompressorRegistry& compressor_registry();
CompressorPtr make_compressor(const CompressorOptions& options, const Representation& rep);

}  // namespace nnc::replay
