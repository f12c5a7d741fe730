#include "train/precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "core/error.h"

namespace nnc::train {

Precision parse_precision(const std::string& name) {
  if (name == "fp32") return Precision::fp32;
  if (name == "bf16") return Precision::bf16;
  if (name == "fp16") return Precision::fp16;
  fail("option 'precision': '{}' is not a precision (expected fp32, bf16 or fp16)", name);
}

std::string to_string(Precision p) {
  switch (p) {
    case Precision::bf16: return "bf16";
    case Precision::fp16: return "fp16";
    default: return "fp32";
  }
}

torch::ScalarType autocast_dtype(Precision p) {
  switch (p) {
    case Precision::bf16: return torch::kBFloat16;
    case Precision::fp16: return torch::kFloat16;
    default: return torch::kFloat32;
  }
}

bool cpu_has_bf16() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return false;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool amx_bf16 = edx & (1u << 22);
  __cpuid_count(7, 1, eax, ebx, ecx, edx);
  const bool avx512_bf16 = eax & (1u << 5);
  return amx_bf16 || avx512_bf16;
#else
  return false;
#endif
}

void check_precision(Precision p, const torch::Device& device) {
  if (p == Precision::fp16)
    NNC_CHECK(device.is_cuda(), "option 'precision': fp16 runs on CUDA devices only (got device "
              "'{}'); use bf16 or fp32 on the CPU", device.str());
  if (p == Precision::bf16 && device.is_cpu())
    NNC_CHECK(cpu_has_bf16(), "option 'precision': this CPU has no bf16 units (AVX-512 BF16 or "
              "AMX-BF16), where bf16 runs slower than fp32; use --precision fp32");
}

// LibTorch 2.x replaced the per-device autocast setters of 1.x (set_cpu_enabled,
// set_autocast_cpu_dtype, set_enabled for CUDA, ...) by set_autocast_enabled(device, on) and
// set_autocast_dtype(device, dtype); the old names remain only as deprecated wrappers that
// warn at every call. This is the one place that tells the two apart.
namespace {
#if TORCH_VERSION_MAJOR >= 2
bool autocast_enabled(torch::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
void set_autocast(torch::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
torch::ScalarType get_dtype(torch::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
void set_dtype(torch::DeviceType d, torch::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
bool autocast_enabled(torch::DeviceType d) {
  return d == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
void set_autocast(torch::DeviceType d, bool on) {
  d == torch::kCUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
}
torch::ScalarType get_dtype(torch::DeviceType d) {
  return d == torch::kCUDA ? at::autocast::get_autocast_gpu_dtype()
                           : at::autocast::get_autocast_cpu_dtype();
}
void set_dtype(torch::DeviceType d, torch::ScalarType t) {
  d == torch::kCUDA ? at::autocast::set_autocast_gpu_dtype(t) : at::autocast::set_autocast_cpu_dtype(t);
}
#endif
}  // namespace

AutocastScope::AutocastScope(Precision p, const torch::Device& device)
    : active_(p != Precision::fp32), device_type_(device.type()) {
  if (!active_) return;
  was_enabled_ = autocast_enabled(device_type_);
  previous_dtype_ = get_dtype(device_type_);
  set_autocast(device_type_, true);
  set_dtype(device_type_, autocast_dtype(p));
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast(device_type_, was_enabled_);
  set_dtype(device_type_, previous_dtype_);
}

}  // namespace nnc::train
