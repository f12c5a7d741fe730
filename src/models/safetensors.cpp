#include "models/safetensors.h"

#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json_brief.h"

namespace nnc::models {
namespace {

struct DType {
  const char* name;
  torch::ScalarType type;
  size_t size;
};
const DType kDTypes[] = {
    {"F32", torch::kFloat32, 4}, {"F64", torch::kFloat64, 8}, {"F16", torch::kFloat16, 2},
    {"BF16", torch::kBFloat16, 2}, {"I64", torch::kInt64, 8}, {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},   {"I8", torch::kInt8, 1},     {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
};

const DType& dtype_of(torch::ScalarType t) {
  for (auto& d : kDTypes)
    if (d.type == t) return d;
  fail("safetensors: unsupported tensor dtype {}", c10::toString(t));
}

const DType& dtype_named(const std::string& name, const std::string& path, const std::string& key) {
  for (auto& d : kDTypes)
    if (name == d.name) return d;
  fail("{}: tensor '{}' has unsupported dtype '{}' (expected F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL)",
       path, key, name);
}

/// Weights that hold NaN or Inf (a diverged run's checkpoint) evaluate to chance accuracy
/// without any error: refused at load, naming the tensor.
void check_finite(const torch::Tensor& t, const std::string& path, const std::string& key) {
  if (!t.is_floating_point() || t.numel() == 0) return;
  const auto bad = torch::logical_not(torch::isfinite(t));
  const int64_t count = bad.sum().item<int64_t>();
  if (count == 0) return;
  const int64_t at = bad.reshape(-1).nonzero()[0][0].item<int64_t>();
  const double first = t.reshape(-1)[at].item<double>();
  fail("{}: tensor '{}' holds {} non-finite value(s) (the first is {}): weights must be finite "
       "numbers (a diverged training run?)", path, key, count, first);
}

}  // namespace

void save_safetensors(const TensorMap& tensors, const std::string& path,
                      const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header;
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<torch::Tensor> blobs;
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    auto c = t.detach().to(torch::kCPU).contiguous();
    uint64_t bytes = c.numel() * dtype_of(c.scalar_type()).size;
    header[name] = {{"dtype", dtype_of(c.scalar_type()).name},
                    {"shape", c.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    blobs.push_back(c);
  }
  std::string json = header.dump();
  while ((json.size() + 8) % 8) json += ' ';  // align data to 8 bytes, as the reference writer does
  FileWriter out(path);  // written under a temporary name: never a half-written weights file
  uint64_t n = json.size();
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  out.write(len, 8);
  out.write(json);
  for (auto& b : blobs) out.write(b.data_ptr(), static_cast<size_t>(b.numel() * b.element_size()));
  out.commit();
}

TensorMap load_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NNC_CHECK(in, "cannot open weights file '{}'", path);
  in.seekg(0, std::ios::end);
  uint64_t file_size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  NNC_CHECK(file_size >= 8, "{}: not a safetensors file (only {} bytes)", path, file_size);
  unsigned char len[8];
  in.read(reinterpret_cast<char*>(len), 8);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(len[i]) << (8 * i);
  NNC_CHECK(n <= file_size - 8 && n <= (100u << 20),
            "{}: header length {} exceeds the file size {} (truncated or not safetensors)", path, n,
            file_size);
  std::string json(n, '\0');
  in.read(json.data(), static_cast<std::streamsize>(n));
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(json);
  } catch (const std::exception& e) {
    fail("{}: header is not valid JSON ({})", path, e.what());
  }
  NNC_CHECK(header.is_object(), "{}: header must be a JSON object", path);
  uint64_t data_size = file_size - 8 - n;
  uint64_t total_bytes = 0;  // tensors may not share bytes: reading never exceeds the file
  TensorMap out;
  for (auto& [key, entry] : header.items()) {
    if (key == "__metadata__") continue;
    NNC_CHECK(entry.is_object() && entry.contains("dtype") && entry.contains("shape") &&
                  entry.contains("data_offsets") && entry["dtype"].is_string() &&
                  entry["shape"].is_array() && entry["data_offsets"].is_array() &&
                  entry["data_offsets"].size() == 2,
              "{}: tensor '{}' lacks dtype/shape/data_offsets", path, key);
    const DType& dt = dtype_named(entry["dtype"].get<std::string>(), path, key);
    std::vector<int64_t> shape;
    uint64_t numel = 1;
    for (auto& d : entry["shape"]) {
      NNC_CHECK(d.is_number_unsigned() || (d.is_number_integer() && d.get<int64_t>() >= 0),
                "{}: tensor '{}' has an invalid dimension {}", path, key, json_brief(d));
      uint64_t v = d.get<uint64_t>();
      NNC_CHECK(v <= data_size && (v == 0 || numel <= data_size / v),
                "{}: tensor '{}' declares more elements than the file holds", path, key);
      numel *= v;
      shape.push_back(static_cast<int64_t>(v));
    }
    auto& offs = entry["data_offsets"];
    NNC_CHECK(offs[0].is_number_unsigned() && offs[1].is_number_unsigned(),
              "{}: tensor '{}' has invalid data_offsets", path, key);
    uint64_t b = offs[0].get<uint64_t>(), e = offs[1].get<uint64_t>();
    NNC_CHECK(b <= e && e <= data_size, "{}: tensor '{}' data [{}, {}) lies outside the {} data bytes",
              path, key, b, e, data_size);
    NNC_CHECK(e - b == numel * dt.size, "{}: tensor '{}' has {} bytes but shape needs {}", path,
              key, e - b, numel * dt.size);
    total_bytes += e - b;
    NNC_CHECK(total_bytes <= data_size,
              "{}: tensor '{}': the tensors' data ranges overlap (they add up to more than the {} "
              "data bytes)", path, key, data_size);
    auto t = torch::empty(shape, torch::TensorOptions().dtype(dt.type));
    in.seekg(static_cast<std::streamoff>(8 + n + b));
    in.read(static_cast<char*>(t.data_ptr()), static_cast<std::streamsize>(e - b));
    NNC_CHECK(in.good(), "{}: could not read tensor '{}'", path, key);
    check_finite(t, path, key);
    out[key] = t;
  }
  return out;
}

TensorMap module_state(const torch::nn::Module& module) {
  TensorMap out;
  for (const auto& p : module.named_parameters(true)) out[p.key()] = p.value();
  for (const auto& b : module.named_buffers(true)) out[b.key()] = b.value();
  return out;
}

LoadReport load_into(torch::nn::Module& module, const TensorMap& tensors, bool strict,
                     const std::string& source) {
  LoadReport report;
  std::vector<std::string> mismatches;  // one line in the error: "name: file has .., ..; .."
  torch::NoGradGuard no_grad;
  auto state = module_state(module);
  for (auto& [name, target] : state) {
    auto it = tensors.find(name);
    if (it == tensors.end()) {
      report.missing.push_back(name);
      continue;
    }
    if (it->second.sizes() != target.sizes()) {
      mismatches.push_back(fmt::format("{}: file has {}, model expects {}", name,
                                       fmt::join(it->second.sizes().vec(), "x"),
                                       fmt::join(target.sizes().vec(), "x")));
      continue;
    }
    target.copy_(it->second.to(target.scalar_type()));
    report.loaded.push_back(name);
  }
  for (auto& [name, t] : tensors)
    if (!state.count(name)) report.unexpected.push_back(name);
  NNC_CHECK(mismatches.empty(), "{}: shape mismatch for {} tensor(s): {}", source,
            mismatches.size(), fmt::join(mismatches, "; "));
  if (strict) {
    NNC_CHECK(report.missing.empty(), "{}: {} tensor(s) missing, e.g. '{}'", source,
              report.missing.size(), report.missing.empty() ? "" : report.missing.front());
    NNC_CHECK(report.unexpected.empty(), "{}: {} unexpected tensor(s), e.g. '{}'", source,
              report.unexpected.size(), report.unexpected.empty() ? "" : report.unexpected.front());
  }
  return report;
}

}  // namespace nnc::models
