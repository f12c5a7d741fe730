#pragma once
// `fcae` (bottleneck_neurons b): fully connected autoencoder over the flattened sample.
// Encoder: 6 Linear layers with geometric widths w_i = round(N * (b/N)^(i/6)), i = 0..6
// (w_0 = N, w_6 = b), ReLU after every layer including the bottleneck; decoder mirrored
// (6 Linear layers b -> ... -> N), ReLU between layers, the last one linear.
// Why 6 per side: the seed notebook's FCAE sizes (SIZE_FCAE_*_MB, 12 settings) match
// 2 x 6 layers with these widths exactly: 11 of them are 2 x the encoder's parameters (the
// decoder counted as the encoder's copy; its biases really have N - b more), one is the
// full count (test WidthsAreGeometricAndMatchTheNotebookSizes); 2 x 3 layers would be
// 2.2-3.7x too small.
// Init: kaiming_normal (fan_in, ReLU) weights, zero biases. PyTorch's default Linear init
// (the originals') shrinks the signal ~6x per ReLU layer, and this 12-layer net then barely
// trains: on smooth 16x16 images (b = 16, 400 Adam steps) the test MSE stayed at 0.83 of the
// data variance with the default init and reached 0.61 with this one.
//
// Pre-trained by fit(reference) on ANOTHER dataset: Adam lr 1e-3, MSE, pretrain_epochs
// epochs, batch 128, in the model domain:
//   raw pixels: x / 255            (constant, nothing stored)
//   features:   (x - mean) / std   (global scalars of the reference set, 8 bytes stored)
// Decompressed raw pixels are clamped to [0, 255] (not rounded).
//   item_bytes  = 4 * b                        (float32 bottleneck)
//   fixed_bytes = 4 * (encoder + decoder parameters) + 8 (features only)
// The memory needs both halves: it encodes incoming samples and decodes for training.
// Deterministic for a seed: init from derive_seed(seed, "fcae"), data order from the
// Trainer seed derive_seed(seed, "fcae-data").
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "replay/compressor.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

/// Layer widths N -> ... -> b of the encoder (layers + 1 entries).
std::vector<int64_t> fcae_widths(int64_t n, int64_t b, int layers = 6);

class FcaeNet : public torch::nn::Module {
 public:
  explicit FcaeNet(const std::vector<int64_t>& widths);
  torch::Tensor encode(const torch::Tensor& x);  ///< [B, N] -> [B, b]
  torch::Tensor decode(const torch::Tensor& z);  ///< [B, b] -> [B, N]
  torch::Tensor forward(const torch::Tensor& x) { return decode(encode(x)); }

 private:
  torch::nn::Sequential encoder_{nullptr}, decoder_{nullptr};
};

struct FcaeOptions {
  int64_t bottleneck_neurons = 32;  ///< b, float32 values stored per sample
  int64_t pretrain_epochs = 5;      ///< epochs of pre-training on the transfer dataset
  static const OptionFields<FcaeOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "fcae 32"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class FcaeCompressor : public Compressor {
 public:
  using Options = FcaeOptions;
  FcaeCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "fcae"; }
  uint64_t fixed_bytes() const override;
  std::optional<uint64_t> item_bytes() const override { return 4 * static_cast<uint64_t>(b_); }
  /// The notebooks: floor((B - fixed) / 4b).
  std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const override;
  bool needs_fit() const override { return true; }
  std::string describe() const override;
  std::map<std::string, torch::Tensor> state() const override;

  int64_t parameters() const;
  const std::vector<int64_t>& widths() const { return widths_; }

 protected:
  void learn(const torch::Tensor& reference) override;
  void restore(const StateMap& state) override;
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// values: the float32 bottlenecks [N, b].
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  /// The decoder, run on the bottlenecks' device (a copy of the network there, made once).
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  int64_t b_, epochs_;
  uint64_t seed_;
  torch::Device device_;
  std::vector<int64_t> widths_;
  std::shared_ptr<FcaeNet> net_;  ///< on the CPU (compress, and decompress there)
  detail::NetCopies<FcaeNet> device_nets_;
  detail::Normalizer norm_;
};

}  // namespace nnc::replay
