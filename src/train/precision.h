#pragma once
// Numeric precision of a run's forward passes: fp32, or mixed precision by autocast (bf16 on
// CPUs with bf16 units and on GPUs, fp16 on GPUs with a loss scaler). Weights, optimizer state
// and the loss stay fp32 in every mode; only the matrix products and convolutions that autocast
// lists run in the low precision.
#include <torch/types.h>

#include <string>

namespace nnc::train {

enum class Precision { fp32, bf16, fp16 };

/// "fp32" | "bf16" | "fp16"; anything else is an error naming the option.
Precision parse_precision(const std::string& name);
std::string to_string(Precision p);
/// The low-precision dtype of a mixed mode (fp32 for fp32).
torch::ScalarType autocast_dtype(Precision p);

/// True when this CPU has native bf16 arithmetic (AVX-512 BF16 or AMX-BF16). Without it oneDNN
/// emulates bf16 and autocast is slower than fp32, so bf16 on such a CPU is refused.
bool cpu_has_bf16();

/// Throws one clear line when `p` cannot run on `device` (bf16 on a CPU without bf16 units,
/// fp16 on a CPU).
void check_precision(Precision p, const torch::Device& device);

/// Autocast on `device` for this scope (a no-op for fp32). One scope per forward pass: leaving
/// it clears autocast's cache of low-precision weight copies, which an optimizer step makes
/// stale.
class AutocastScope {
 public:
  AutocastScope(Precision p, const torch::Device& device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  torch::DeviceType device_type_;
  bool was_enabled_ = false;
  torch::ScalarType previous_dtype_ = torch::kFloat32;
};

}  // namespace nnc::train
