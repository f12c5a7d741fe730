#pragma once
// Helpers shared by the compressors: batch checks, the storage <-> model-domain
// normaliser of the learned compressors, float16 packing, state lookup.
#include <torch/types.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "replay/packed.h"
#include "replay/representation.h"
#include "train/batch_source.h"
#include "train/trainer.h"

namespace nnc::replay::detail {

/// Largest finite float16: values are clamped to it before float16 packing.
constexpr float kFloat16Max = 65504.f;

/// Throws nnc::Error unless `batch` is [N, ...rep.shape] (N >= 0).
void check_batch(const std::string& compressor, const torch::Tensor& batch,
                 const Representation& rep);
/// Raw pixels must lie in [0, 255]; features must be finite.
void check_values(const std::string& compressor, const torch::Tensor& batch,
                  const Representation& rep);
/// What compress() and fit() check first: check_batch, then check_values.
void check_input(const std::string& compressor, const torch::Tensor& batch,
                 const Representation& rep);
/// fit(): check_input, and at least `min_samples` reference samples.
void check_reference(const std::string& compressor, const torch::Tensor& reference,
                     const Representation& rep, int64_t min_samples);
/// compress()'s output before packing: `n` empty items, each with room for `item_bytes`.
std::vector<Packed> empty_items(int64_t n, uint64_t item_bytes);
/// Every packed item must have `bytes` bytes.
void check_items(const std::string& compressor, const std::vector<const Packed*>& items,
                 uint64_t bytes);
std::string shape_str(const std::vector<int64_t>& shape);

/// Affine map from the storage domain to the domain a learned compressor works in:
/// model = (x - offset) / scale.
///   raw pixels: offset 0, scale 255 (implied by the representation: 0 bytes stored);
///   features:   global mean / std of the reference set (2 x float32 = 8 bytes stored).
struct Normalizer {
  float offset = 0.f, scale = 1.f;
  bool stored = false;  ///< counted in fixed_bytes()

  static Normalizer for_representation(const Representation& rep, const torch::Tensor& reference);
  torch::Tensor to_model(const torch::Tensor& x) const;
  /// Back to the storage domain; raw pixels are clamped to [0, 255] (not rounded).
  torch::Tensor to_storage(const torch::Tensor& z, bool raw_pixels) const;
  uint64_t bytes() const { return stored ? 8 : 0; }
  torch::Tensor as_tensor() const;  ///< [offset, scale] float32
  void load(const torch::Tensor& t, bool raw_pixels);
};

/// Autoencoder training data: rows of a storage-domain tensor, normalised on the fly
/// (no second copy of a large reference set); targets = inputs.
class ReconstructionSource : public train::BatchSource {
 public:
  ReconstructionSource(torch::Tensor reference, Normalizer norm, bool flatten);
  int64_t size() const override { return reference_.size(0); }
  train::Batch get(const torch::Tensor& index) const override;
  /// No labels: an empty float tensor (the Trainer then uses MSE).
  torch::Tensor targets() const override;

 private:
  torch::Tensor reference_;
  Normalizer norm_;
  bool flatten_;
};

/// The pre-training settings of the learned compressors (Adam, lr 1e-3, batch 128, as the
/// originals): data order seeded from derive_seed(seed, "<compressor>-data"), trained on
/// `device` (the run's; the Trainer moves the network and the batches there).
train::TrainOptions pretrain_options(const std::string& compressor, int64_t epochs, uint64_t seed,
                                     const torch::Device& device);
/// A module's parameters by name (detached copies), for Compressor::state().
std::map<std::string, torch::Tensor> module_state(const torch::nn::Module& module);
/// Copies saved parameters into `module`; every parameter must be in `state` with its shape.
void load_module_state(const std::string& compressor, torch::nn::Module& module,
                       const std::map<std::string, torch::Tensor>& state);

/// Looks up `key` in a state map and checks its shape (empty shape = any).
torch::Tensor state_tensor(const std::string& compressor,
                           const std::map<std::string, torch::Tensor>& state,
                           const std::string& key, const std::vector<int64_t>& shape = {});

/// float32 [B, K] -> per-sample little-endian bytes appended to items[i] (4 or 2 bytes each).
void append_floats(std::vector<Packed>& items, const torch::Tensor& values, int bytes_per_value);
/// Reads K values of `dtype` (uint8, float16 or float32, as stored) at byte `offset` of every
/// item -> [B, K] of that dtype (decompression widens them where it reconstructs).
torch::Tensor read_stored(const std::vector<const Packed*>& items, size_t offset, int64_t k,
                          torch::ScalarType dtype);
/// Non-negative integers [B, K] (int64) -> `bytes_per_value` little-endian bytes each.
void append_uints(std::vector<Packed>& items, const torch::Tensor& values, int bytes_per_value);
/// Reads them back -> [B, K], compact: uint8 for 1 byte, int32 for 2 or 3, int64 beyond.
torch::Tensor read_uints(const std::vector<const Packed*>& items, size_t offset, int64_t k,
                         int bytes_per_value);

/// Codes [B, L] (integers in [0, 2^bits)) -> ceil(L * bits / 8) bytes appended to each item
/// (BitWriter order: little-endian bits; bits 1..16; 8 and 16 take a byte-copy fast path).
void append_codes(std::vector<Packed>& items, const torch::Tensor& codes, int bits);
/// Reads L codes of `bits` bits at byte `offset` of every item -> [B, L], compact: uint8 for
/// bits <= 8, int32 beyond.
torch::Tensor read_codes(const std::vector<const Packed*>& items, size_t offset, int64_t l, int bits);

/// Values a compressor keeps once per device (codebooks, a dictionary, a decoder network),
/// made from its CPU state on first use there: decompression on a device then reads them in
/// place instead of copying them per call. Thread-safe; clear() when the CPU state changes.
template <typename T>
class PerDevice {
 public:
  template <typename Make>
  const T& get(const torch::Device& device, Make make) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(device.str());
    if (it == cache_.end()) it = cache_.emplace(device.str(), make()).first;
    return it->second;  // std::map: stays valid while other devices are added
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.clear();
  }

 private:
  mutable std::mutex mutex_;
  mutable std::map<std::string, T> cache_;
};

/// A CPU tensor's copies on other devices (codebooks, a dictionary).
class TensorCopies : public PerDevice<torch::Tensor> {
 public:
  /// `cpu` itself on the CPU, else its copy on `device` (made on first use).
  const torch::Tensor& of(const torch::Tensor& cpu, const torch::Device& device) const {
    return device.is_cpu() ? cpu : get(device, [&] { return cpu.to(device); });
  }
};

/// A network's copies on other devices (the autoencoders' decoders), in eval mode.
template <typename Net>
class NetCopies : public PerDevice<std::shared_ptr<Net>> {
 public:
  /// `cpu` itself on the CPU, else a copy on `device` (made on first use): `blank()` builds
  /// the same architecture, which takes cpu's parameters and moves there.
  template <typename Blank>
  std::shared_ptr<Net> of(const std::string& compressor, const std::shared_ptr<Net>& cpu,
                          const torch::Device& device, Blank blank) const {
    if (device.is_cpu()) return cpu;
    return this->get(device, [&] {
      std::shared_ptr<Net> net = blank();
      load_module_state(compressor, *net, module_state(*cpu));
      net->to(device);
      net->eval();
      return net;
    });
  }
};

/// Runs `fn` on row chunks of `x` and concatenates the results along dim 0.
template <typename Fn>
torch::Tensor chunked(const torch::Tensor& x, int64_t rows, Fn fn) {
  if (x.size(0) <= rows) return fn(x);
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < x.size(0); i += rows) parts.push_back(fn(x.slice(0, i, i + rows)));
  return torch::cat(parts, 0);
}

/// floor(a / b) as the seed notebooks compute slot counts (in double precision).
int64_t floor_div(double a, double b);

/// "1,234 B" style sizes for describe().
std::string bytes_str(uint64_t bytes);

}  // namespace nnc::replay::detail
