#include "replay/compressors/util.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/error.h"
#include "core/seed.h"

namespace nnc::replay::detail {

std::string shape_str(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

void check_batch(const std::string& compressor, const torch::Tensor& batch,
                 const Representation& rep) {
  NNC_CHECK(batch.defined(), "compressor '{}': the batch is undefined", compressor);
  const std::vector<int64_t> want = rep.batch_shape(batch.dim() > 0 ? batch.size(0) : -1);
  std::vector<int64_t> got(batch.sizes().begin(), batch.sizes().end());
  if (got != want) {
    std::string inner = shape_str(rep.shape);
    fail("compressor '{}': expected a batch [N{}{}] (samples {}), got {}", compressor,
         rep.shape.empty() ? "" : ",", inner.substr(1, inner.size() - 2), inner, shape_str(got));
  }
  NNC_CHECK(batch.is_floating_point(), "compressor '{}': expected a float batch, got {}",
            compressor, std::string(c10::toString(batch.scalar_type())));
}

void check_values(const std::string& compressor, const torch::Tensor& batch,
                  const Representation& rep) {
  if (batch.numel() == 0) return;
  if (rep.raw_pixels) {
    auto mm = torch::aminmax(batch);
    double lo = std::get<0>(mm).item<double>(), hi = std::get<1>(mm).item<double>();
    NNC_CHECK(lo >= 0 && hi <= 255,
              "compressor '{}': raw pixel values must lie in [0, 255] (uint8 pixels), got [{}, {}]"
              " (was the batch normalised before compression?)",
              compressor, lo, hi);
  } else {
    NNC_CHECK(torch::isfinite(batch).all().item<bool>(),
              "compressor '{}': the feature batch holds NaN or inf values", compressor);
  }
}

void check_input(const std::string& compressor, const torch::Tensor& batch,
                 const Representation& rep) {
  check_batch(compressor, batch, rep);
  check_values(compressor, batch, rep);
}

void check_reference(const std::string& compressor, const torch::Tensor& reference,
                     const Representation& rep, int64_t min_samples) {
  check_input(compressor, reference, rep);
  NNC_CHECK(reference.size(0) >= min_samples,
            "compressor '{}': fit() needs at least {} reference sample(s), got {}", compressor,
            min_samples, reference.size(0));
}

std::vector<Packed> empty_items(int64_t n, uint64_t item_bytes) {
  std::vector<Packed> items(static_cast<size_t>(n));
  if (item_bytes > 0)
    for (auto& p : items) p.reserve(item_bytes);
  return items;
}

train::TrainOptions pretrain_options(const std::string& compressor, int64_t epochs, uint64_t seed,
                                     const torch::Device& device) {
  return train::TrainOptions()
      .device(device.str())
      .optimizer("adam")
      .lr(1e-3)
      .epochs(epochs)
      .batch_size(128)
      .seed(derive_seed(seed, compressor + "-data"))
      .label(compressor + " pretrain");
}

std::map<std::string, torch::Tensor> module_state(const torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> state;
  for (const auto& p : module.named_parameters()) state[p.key()] = p.value().detach().clone();
  return state;
}

void load_module_state(const std::string& compressor, torch::nn::Module& module,
                       const std::map<std::string, torch::Tensor>& state) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.named_parameters()) {
    std::vector<int64_t> shape(p.value().sizes().begin(), p.value().sizes().end());
    p.value().copy_(state_tensor(compressor, state, p.key(), shape));
  }
}

void check_items(const std::string& compressor, const std::vector<const Packed*>& items,
                 uint64_t bytes) {
  for (size_t i = 0; i < items.size(); ++i) {
    NNC_CHECK(items[i] != nullptr, "compressor '{}': item {} is null", compressor, i);
    NNC_CHECK(items[i]->size() == bytes,
              "compressor '{}': item {} has {} bytes, expected {} (packed by another compressor?)",
              compressor, i, items[i]->size(), bytes);
  }
}

Normalizer Normalizer::for_representation(const Representation& rep,
                                          const torch::Tensor& reference) {
  Normalizer n;
  if (rep.raw_pixels) {
    n.offset = 0.f;
    n.scale = 255.f;
    n.stored = false;
    return n;
  }
  // float32 in, no float64 copy of a large reference set (torch reduces with cascade sums).
  auto [s, m] = torch::std_mean(reference.to(torch::kFloat32));
  double mean = m.item<double>();
  double std = reference.numel() > 1 ? s.item<double>() : 0.0;
  n.offset = static_cast<float>(mean);
  n.scale = std > 1e-12 ? static_cast<float>(std) : 1.f;
  n.stored = true;
  return n;
}

torch::Tensor Normalizer::to_model(const torch::Tensor& x) const {
  return (x.to(torch::kFloat32) - offset) / scale;
}

torch::Tensor Normalizer::to_storage(const torch::Tensor& z, bool raw_pixels) const {
  auto x = z * scale + offset;
  return raw_pixels ? x.clamp(0, 255) : x;
}

torch::Tensor Normalizer::as_tensor() const { return torch::tensor({offset, scale}); }

void Normalizer::load(const torch::Tensor& t, bool raw_pixels) {
  auto v = t.to(torch::kFloat32).contiguous();
  offset = v[0].item<float>();
  scale = v[1].item<float>();
  stored = !raw_pixels;
}

ReconstructionSource::ReconstructionSource(torch::Tensor reference, Normalizer norm, bool flatten)
    : reference_(std::move(reference)), norm_(norm), flatten_(flatten) {}

train::Batch ReconstructionSource::get(const torch::Tensor& index) const {
  auto x = norm_.to_model(reference_.index_select(0, index));
  if (flatten_) x = x.flatten(1);
  return {x, x};
}

torch::Tensor ReconstructionSource::targets() const { return torch::empty({0}, torch::kFloat32); }

torch::Tensor state_tensor(const std::string& compressor,
                           const std::map<std::string, torch::Tensor>& state,
                           const std::string& key, const std::vector<int64_t>& shape) {
  auto it = state.find(key);
  NNC_CHECK(it != state.end(), "compressor '{}': the saved state has no tensor '{}'", compressor,
            key);
  if (!shape.empty()) {
    std::vector<int64_t> got(it->second.sizes().begin(), it->second.sizes().end());
    NNC_CHECK(got == shape,
              "compressor '{}': saved tensor '{}' has shape {}, expected {} (saved with other "
              "options or for another representation?)",
              compressor, key, shape_str(got), shape_str(shape));
  }
  return it->second.to(torch::kFloat32).contiguous();
}

void append_floats(std::vector<Packed>& items, const torch::Tensor& values, int bytes_per_value) {
  NNC_CHECK(bytes_per_value == 4 || bytes_per_value == 2, "append_floats: {} bytes per value",
            bytes_per_value);
  auto v = bytes_per_value == 4 ? values.to(torch::kFloat32).contiguous()
                                : values.to(torch::kFloat16).contiguous();
  int64_t k = v.size(1);
  const auto* base = static_cast<const uint8_t*>(v.data_ptr());
  size_t row = static_cast<size_t>(k) * bytes_per_value;
  for (size_t i = 0; i < items.size(); ++i)
    items[i].insert(items[i].end(), base + i * row, base + (i + 1) * row);
}

torch::Tensor read_stored(const std::vector<const Packed*>& items, size_t offset, int64_t k,
                          torch::ScalarType dtype) {
  auto out = torch::empty({static_cast<int64_t>(items.size()), k}, dtype);
  auto* base = static_cast<uint8_t*>(out.data_ptr());
  size_t row = static_cast<size_t>(k) * out.element_size();
  for (size_t i = 0; i < items.size(); ++i)
    std::memcpy(base + i * row, items[i]->data() + offset, row);
  return out;
}

void append_uints(std::vector<Packed>& items, const torch::Tensor& values, int bytes_per_value) {
  auto v = values.to(torch::kInt64).contiguous();
  int64_t k = v.size(1);
  const int64_t* p = v.data_ptr<int64_t>();
  for (size_t i = 0; i < items.size(); ++i) {
    auto& out = items[i];
    for (int64_t j = 0; j < k; ++j) {
      uint64_t x = static_cast<uint64_t>(p[i * k + j]);
      for (int b = 0; b < bytes_per_value; ++b) out.push_back(static_cast<uint8_t>(x >> (8 * b)));
    }
  }
}

namespace {
/// An [B, K] integer tensor of the smallest dtype that holds `max_bits` (uint8, int32 or
/// int64), filled row by row: read(row, i) writes item i's K values through a typed pointer.
template <typename Read>
torch::Tensor compact_ints(int64_t b, int64_t k, int max_bits, Read read) {
  auto fill = [&](auto tag) {
    using T = decltype(tag);
    auto out = torch::empty({b, k}, c10::CppTypeToScalarType<T>::value);
    T* base = out.template data_ptr<T>();
    for (int64_t i = 0; i < b; ++i) read(base + i * k, i);
    return out;
  };
  if (max_bits <= 8) return fill(uint8_t{});
  if (max_bits <= 31) return fill(int32_t{});
  return fill(int64_t{});
}
}  // namespace

torch::Tensor read_uints(const std::vector<const Packed*>& items, size_t offset, int64_t k,
                         int bytes_per_value) {
  return compact_ints(static_cast<int64_t>(items.size()), k, 8 * bytes_per_value, [&](auto* row, int64_t i) {
    const uint8_t* src = items[static_cast<size_t>(i)]->data() + offset;
    for (int64_t j = 0; j < k; ++j) {
      uint64_t x = 0;
      for (int b = 0; b < bytes_per_value; ++b)
        x |= static_cast<uint64_t>(src[j * bytes_per_value + b]) << (8 * b);
      row[j] = static_cast<std::remove_pointer_t<decltype(row)>>(x);  // fits: see compact_ints
    }
  });
}

void append_codes(std::vector<Packed>& items, const torch::Tensor& codes, int bits) {
  NNC_CHECK(bits >= 1 && bits <= 16, "append_codes: {} bits per code (1..16)", bits);
  auto v = codes.to(torch::kInt32).contiguous();
  int64_t l = v.size(1);
  const int32_t* p = v.data_ptr<int32_t>();
  for (size_t i = 0; i < items.size(); ++i) {
    const int32_t* row = p + static_cast<int64_t>(i) * l;
    auto& out = items[i];
    if (bits == 8) {
      for (int64_t j = 0; j < l; ++j) out.push_back(static_cast<uint8_t>(row[j]));
    } else if (bits == 16) {
      for (int64_t j = 0; j < l; ++j) {
        out.push_back(static_cast<uint8_t>(row[j] & 0xff));
        out.push_back(static_cast<uint8_t>((row[j] >> 8) & 0xff));
      }
    } else {
      BitWriter w(out);
      for (int64_t j = 0; j < l; ++j) w.write(static_cast<uint32_t>(row[j]), bits);
      w.flush();
    }
  }
}

torch::Tensor read_codes(const std::vector<const Packed*>& items, size_t offset, int64_t l,
                         int bits) {
  NNC_CHECK(bits >= 1 && bits <= 16, "read_codes: {} bits per code (1..16)", bits);
  size_t need = (static_cast<size_t>(l) * bits + 7) / 8;
  return compact_ints(static_cast<int64_t>(items.size()), l, bits, [&](auto* row, int64_t i) {
    const Packed& item = *items[static_cast<size_t>(i)];
    NNC_CHECK(item.size() >= offset + need, "packed item is truncated: {} bytes, needs {}",
              item.size(), offset + need);
    const uint8_t* src = item.data() + offset;
    using T = std::remove_pointer_t<decltype(row)>;
    if (bits == 8) {
      for (int64_t j = 0; j < l; ++j) row[j] = static_cast<T>(src[j]);
    } else if (bits == 16) {
      for (int64_t j = 0; j < l; ++j) row[j] = static_cast<T>(src[2 * j] | (src[2 * j + 1] << 8));
    } else {
      BitReader r(src, need);
      for (int64_t j = 0; j < l; ++j) row[j] = static_cast<T>(r.read(bits));
    }
  });
}

int64_t floor_div(double a, double b) { return static_cast<int64_t>(std::floor(a / b)); }

std::string bytes_str(uint64_t bytes) {
  std::string digits = std::to_string(bytes), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out + " B";
}

}  // namespace nnc::replay::detail
