#pragma once
// `pq` (pq_subvectors M, pq_bits b): product quantisation of feature maps, as REMIND
// (Hayes et al. 2020) stores ResNet features. A sample [C,H,W] holds P = H*W channel
// vectors of C values (one per spatial position; [F] counts as one position); each is split
// into M sub-vectors of d = C / M values (M must divide C), and each sub-vector is stored as
// the index of its nearest of K = 2^b centroids of that sub-space.
//
// fit(reference), on ANOTHER dataset: one k-means per sub-space, written here on torch
// tensors (no suitable library routine: faiss (Debian libfaiss-dev) would add a large
// BLAS/OpenMP dependency whose k-means is reproducible only at a fixed thread count; this
// one is deterministic for a seed, whatever the thread count):
//   - at most kMaxFitVectors reference channel vectors (a seeded random subset);
//   - init: k-means++ (D^2 sampling by inverse CDF) when K <= 1024, else K distinct random
//     vectors;
//   - Lloyd iterations (at most kIterations, stopping when no assignment changes); a
//     centroid that loses all its vectors keeps its position;
//   - fewer distinct vectors than K leave duplicate centroids (unused codes, still valid).
// Nearest centroid = argmin over K of the exact squared distance sum_j (x_j - c_j)^2 (ties:
// the lower index), in a fused C++ loop (no [V, K] distance matrix) with one fixed summation
// order per vector, so codes do not depend on the thread count.
//   item_bytes  = ceil(P * M * b / 8)        (codes position-major, then sub-vector;
//                                              little-endian bits, see append_codes)
//   fixed_bytes = M * K * d * 4 = K * C * 4   (float32 codebooks)
// Usable on raw images too (a learned per-pixel/per-colour quantiser; decompressed pixels
// are clamped to [0, 255]), though it is meant for CutR features.
#include "replay/compressor.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

struct PqOptions {
  int64_t pq_subvectors = 32;  ///< M sub-vectors per channel vector (M divides C)
  int64_t pq_bits = 8;         ///< bits per code: 2^bits centroids per sub-space (1..16)
  static const OptionFields<PqOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "pq 32x8b"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class PqCompressor : public Compressor {
 public:
  using Options = PqOptions;
  PqCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "pq"; }
  uint64_t fixed_bytes() const override;
  std::optional<uint64_t> item_bytes() const override;
  bool needs_fit() const override { return true; }
  std::string describe() const override;
  std::map<std::string, torch::Tensor> state() const override;

  /// The codebooks [M, K, d] (float32, as stored).
  const torch::Tensor& codebooks() const { return codebooks_; }
  /// Codes [N, P, M] (int64) of a storage-domain batch.
  torch::Tensor encode(const torch::Tensor& batch) const;
  /// k-means uses at most this many reference channel vectors.
  static constexpr int64_t kMaxFitVectors = 65536;
  static constexpr int kIterations = 20;
  static constexpr int64_t kPlusPlusMaxK = 1024;

 protected:
  void learn(const torch::Tensor& reference) override;
  void restore(const StateMap& state) override;
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// index: the codes [N, P*M] (uint8 up to 8 bits, int32 beyond).
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  /// Codes -> centroids, gathered from the codebooks on the codes' device.
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  torch::Tensor sub_vectors(const torch::Tensor& batch) const;  ///< [M, N*P, d]
  torch::Tensor codes_of(const torch::Tensor& batch) const;     ///< encode() of a checked batch
  int64_t m_, bits_, k_, c_, d_, p_;
  uint64_t seed_;
  torch::Tensor codebooks_;
  detail::TensorCopies device_codebooks_;  ///< codebooks_ on other devices
  int iterations_run_ = 0;
};

}  // namespace nnc::replay
