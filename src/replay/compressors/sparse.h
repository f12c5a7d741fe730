#pragma once
// `sparse` (atoms K, nonzeros s, coefficient_bits 16|32): sparse coding of the flattened
// sample over a learned dictionary. The seeds name this method but never implemented it,
// and no public implementation of this replay pipeline exists: this one is written here.
//
// fit(reference), on ANOTHER dataset:
//   - at most 5,000 reference vectors (a seeded random subset), in the model domain
//       raw pixels: x / 255 (nothing stored);  features: (x - mean) / std (8 bytes stored)
//   - dictionary D [N, K] with unit-norm columns, initialised from K random reference
//     vectors, then pretrain_epochs iterations of MOD (method of optimal directions):
//     sparse-code with OMP, D <- Y^T X (X^T X + 1e-6 I)^-1, renormalise the columns;
//     an atom no vector uses is replaced by the worst-reconstructed vector's residual.
//   - the dictionary is then rounded to what is stored (float16 when coefficient_bits is
//     16), so decompression uses exactly the stored dictionary.
// compress: batched OMP (greedy: the atom with max |D^T r|, least squares on the selected
// atoms via the normal equations and a Cholesky solve, residual update), vectorised over the
// batch; coefficients rounded to their stored precision.
//   item_bytes  = s * (coefficient_bits / 8) + s * ceil(bits_for(K) / 8)
//                 (s coefficients, then s atom indices, little-endian)
//   fixed_bytes = N * K * (coefficient_bits / 8) + 8 (features only)
// Decompressed raw pixels are clamped to [0, 255]. Deterministic for a seed.
#include "replay/compressor.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

/// Orthogonal matching pursuit, batched: y [B, N], dict [N, K] -> atom indices [B, s] (int64,
/// in selection order, distinct) and least-squares coefficients [B, s] (float32).
std::pair<torch::Tensor, torch::Tensor> omp(const torch::Tensor& y, const torch::Tensor& dict,
                                            int64_t s);

struct SparseOptions {
  int64_t atoms = 64;             ///< K, dictionary size (>= 2)
  int64_t nonzeros = 8;           ///< s, OMP nonzeros per sample (1..K)
  int64_t coefficient_bits = 16;  ///< 16 (float16) or 32 (float32) per coefficient and atom value
  int64_t pretrain_epochs = 5;    ///< MOD iterations of dictionary learning
  static const OptionFields<SparseOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "sparse 8/64"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class SparseCompressor : public Compressor {
 public:
  using Options = SparseOptions;
  SparseCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "sparse"; }
  uint64_t fixed_bytes() const override;
  std::optional<uint64_t> item_bytes() const override;
  bool needs_fit() const override { return true; }
  std::string describe() const override;
  std::map<std::string, torch::Tensor> state() const override;

  /// The stored dictionary [N, K] (float32 holding the stored values).
  const torch::Tensor& dictionary() const { return dict_; }
  /// Dictionary learning uses at most this many reference vectors.
  static constexpr int64_t kMaxFitVectors = 5000;

 protected:
  void learn(const torch::Tensor& reference) override;
  void restore(const StateMap& state) override;
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// values: the coefficients [N, s] (float16 or float32 as stored); index: their atoms
  /// [N, s] (uint8 or int32), checked to lie in the dictionary.
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  /// Coefficients x the dictionary (on the parsed fields' device), back to the storage domain.
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  torch::Tensor round_stored(const torch::Tensor& x) const;
  int64_t atoms_, s_, epochs_;
  int coef_bytes_, index_bytes_;
  uint64_t seed_;
  torch::Device device_;  ///< where the dictionary is learned
  torch::Tensor dict_;
  detail::TensorCopies device_dict_;  ///< dict_ on other devices
  detail::Normalizer norm_;
};

}  // namespace nnc::replay
