#pragma once
// `convae` (latent_channels lc, n_blocks n; raw images only): convolutional autoencoder.
//   mid = max((lc + C) / 2, 16)   (integer division; C = image channels)
//   encoder block i (i = 0..n-1): Conv2d 3x3 pad 1 (C or mid -> mid, the last block -> lc),
//                                 ReLU, MaxPool2d 2   (n = 1: C -> lc)
//   decoder block i (mirrored):   ConvTranspose2d k2 s2 (lc or mid -> mid, the last -> C),
//                                 ReLU except after the last layer (linear)
// Sizes not divisible by 2^n: the input is padded (replicate, bottom/right) up to the next
// multiple of 2^n before encoding and the output is cropped back after decoding
// (28x28, n = 3: padded to 32x32, latent 4x4). Training loss is on the cropped output.
// Model domain x / 255; decompressed pixels are clamped to [0, 255] (not rounded).
//   item_bytes  = 4 * lc * ceil(H / 2^n) * ceil(W / 2^n)   (float32 latent, as fcae)
//   fixed_bytes = 4 * (encoder + decoder parameters)
// Pre-trained like fcae (Adam 1e-3, MSE, pretrain_epochs, batch 128); deterministic for a
// seed (init derive_seed(seed, "convae"), data order derive_seed(seed, "convae-data")).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "replay/compressor.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

class ConvaeNet : public torch::nn::Module {
 public:
  ConvaeNet(int64_t in_channels, int64_t mid_channels, int64_t latent_channels, int64_t n_blocks,
            int64_t height, int64_t width);
  torch::Tensor encode(const torch::Tensor& x);  ///< [B,C,H,W] -> [B,lc,H',W'] (pads)
  torch::Tensor decode(const torch::Tensor& z);  ///< [B,lc,H',W'] -> [B,C,H,W] (crops)
  torch::Tensor forward(const torch::Tensor& x) { return decode(encode(x)); }

 private:
  int64_t height_, width_, pad_h_, pad_w_;
  torch::nn::Sequential encoder_{nullptr}, decoder_{nullptr};
};

struct ConvaeOptions {
  int64_t latent_channels = 8;  ///< lc, channels of the float32 latent map
  int64_t n_blocks = 2;         ///< n, each halves the sides (1..8)
  int64_t pretrain_epochs = 5;  ///< epochs of pre-training on the transfer dataset
  static const OptionFields<ConvaeOptions>& fields();
  void validate() const;
  std::string label() const;  ///< "convae 8x2"
  std::map<std::string, std::string> tags() const;  ///< report line, display name, parameter
};

class ConvaeCompressor : public Compressor {
 public:
  using Options = ConvaeOptions;
  ConvaeCompressor(const Options& options, const CompressorContext& ctx);
  std::string name() const override { return "convae"; }
  uint64_t fixed_bytes() const override { return 4 * static_cast<uint64_t>(parameters()); }
  std::optional<uint64_t> item_bytes() const override;
  /// Seed 000: floor((B - fixed / MiB) / item): it subtracts the autoencoder size in MiB
  /// from a budget in bytes (a quirk kept).
  std::optional<int64_t> notebook_slots(uint64_t budget_bytes) const override;
  bool needs_fit() const override { return true; }
  std::string describe() const override;
  std::map<std::string, torch::Tensor> state() const override;

  int64_t parameters() const;
  int64_t mid_channels() const { return mid_; }
  std::vector<int64_t> latent_shape() const { return {lc_, lat_h_, lat_w_}; }

 protected:
  void learn(const torch::Tensor& reference) override;
  void restore(const StateMap& state) override;
  std::vector<Packed> pack(const torch::Tensor& batch) const override;
  /// values: the float32 latents [N, lc*h*w].
  ParsedItems parse(const std::vector<const Packed*>& items) const override;
  /// The decoder, run on the latents' device (a copy of the network there, made once).
  torch::Tensor reconstruct(const ParsedItems& parsed) const override;

 private:
  std::shared_ptr<ConvaeNet> make_net() const;
  int64_t lc_, blocks_, epochs_, mid_, c_, h_, w_, lat_h_, lat_w_;
  uint64_t seed_;
  torch::Device device_;
  std::shared_ptr<ConvaeNet> net_;  ///< on the CPU (compress, and decompress there)
  detail::NetCopies<ConvaeNet> device_nets_;
  detail::Normalizer norm_;
};

}  // namespace nnc::replay
