// Fixture writers: the inverse of idx.cpp, cifar.cpp and mnist_json.cpp.
#include "data/fixtures.h"

#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <memory>
#include <string_view>

#include "core/error.h"
#include "core/file_io.h"
#include "data/cifar.h"

namespace fs = std::filesystem;

namespace nnc::data {
namespace {

/// The gzip file format in memory (deflate with a gzip wrapper: windowBits 15 + 16).
std::string gzip_bytes(std::string_view bytes, const std::string& path) {
  z_stream z{};
  NNC_CHECK(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
            "{}: cannot start gzip compression", path);
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  NNC_CHECK(rc == Z_STREAM_END, "{}: gzip compression failed", path);
  return out;
}

std::string shape(const torch::Tensor& t) {
  std::string s = "[";
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "," : "") + std::to_string(t.size(d));
  return s + "]";
}

void append_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::string bytes_of(const torch::Tensor& t) {
  auto c = t.to(torch::kUInt8).contiguous();
  return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()),
                     static_cast<size_t>(c.numel()));
}

void check_images(const torch::Tensor& images, const torch::Tensor& labels, const char* what) {
  NNC_CHECK(images.dim() == 4 && images.size(1) == 3 && images.size(2) == 32 &&
                images.size(3) == 32 && images.scalar_type() == torch::kUInt8,
            "{}: expected uint8 images [N,3,32,32], got {}", what, shape(images));
  NNC_CHECK(labels.dim() == 1 && labels.size(0) == images.size(0),
            "{}: expected {} labels, got shape {}", what, images.size(0), shape(labels));
}

}  // namespace

void write_bytes(const std::string& path, std::string_view bytes, bool gzip) {
  const auto parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  write_file(path, gzip ? gzip_bytes(bytes, path) : std::string(bytes));
}

void write_idx_images(const std::string& path, const torch::Tensor& images, bool gzip) {
  auto x = images.dim() == 4 ? images.squeeze(1) : images;
  NNC_CHECK(x.dim() == 3, "write_idx_images {}: expected [N,1,H,W] or [N,H,W], got {}", path,
            shape(images));
  std::string out;
  append_be32(out, 0x00000803);
  for (int d = 0; d < 3; ++d) append_be32(out, static_cast<uint32_t>(x.size(d)));
  out += bytes_of(x);
  write_bytes(path, out, gzip);
}

void write_idx_labels(const std::string& path, const torch::Tensor& labels, bool gzip) {
  std::string out;
  append_be32(out, 0x00000801);
  append_be32(out, static_cast<uint32_t>(labels.size(0)));
  out += bytes_of(labels);
  write_bytes(path, out, gzip);
}

void write_mnist_idx_dir(const std::string& dir, const Dataset& train, const Dataset& test,
                         bool gzip) {
  const std::string ext = gzip ? ".gz" : "";
  for (const auto& [prefix, d] : {std::pair{"train", &train}, std::pair{"t10k", &test}}) {
    write_idx_images(dir + "/" + prefix + "-images-idx3-ubyte" + ext, d->inputs, gzip);
    write_idx_labels(dir + "/" + prefix + "-labels-idx1-ubyte" + ext, d->targets, gzip);
  }
}

void write_cifar10_bin(const std::string& path, const torch::Tensor& images,
                       const torch::Tensor& labels) {
  check_images(images, labels, "write_cifar10_bin");
  auto x = images.contiguous().view({images.size(0), kCifarPixels});
  auto rec = torch::cat({labels.to(torch::kUInt8).view({-1, 1}), x}, 1);
  write_bytes(path, bytes_of(rec));
}

void write_cifar100_bin(const std::string& path, const torch::Tensor& images,
                        const torch::Tensor& coarse, const torch::Tensor& fine) {
  check_images(images, fine, "write_cifar100_bin");
  auto x = images.contiguous().view({images.size(0), kCifarPixels});
  auto rec = torch::cat(
      {coarse.to(torch::kUInt8).view({-1, 1}), fine.to(torch::kUInt8).view({-1, 1}), x}, 1);
  write_bytes(path, bytes_of(rec));
}

void write_cifar10_dir(const std::string& dir, const Dataset& train, const Dataset& test) {
  const int64_t n = train.size();
  for (int64_t b = 0; b < 5; ++b) {
    const int64_t lo = n * b / 5, hi = n * (b + 1) / 5;
    write_cifar10_bin(dir + "/data_batch_" + std::to_string(b + 1) + ".bin",
                      train.inputs.narrow(0, lo, hi - lo), train.targets.narrow(0, lo, hi - lo));
  }
  write_cifar10_bin(dir + "/test_batch.bin", test.inputs, test.targets);
}

void write_cifar100_dir(const std::string& dir, const Dataset& train, const Dataset& test) {
  auto coarse = [](const Dataset& d) {
    return d.coarse_targets.defined() ? d.coarse_targets : d.targets.div(5, "floor");
  };
  write_cifar100_bin(dir + "/train.bin", train.inputs, coarse(train), train.targets);
  write_cifar100_bin(dir + "/test.bin", test.inputs, coarse(test), test.targets);
}

void write_mnist_digits_json(const std::string& dir, const std::vector<torch::Tensor>& per_digit) {
  NNC_CHECK(per_digit.size() == 10, "write_mnist_digits_json: expected 10 tensors, got {}",
            per_digit.size());
  for (size_t d = 0; d < 10; ++d) {
    auto x = per_digit[d].to(torch::kUInt8).contiguous();
    const auto* p = x.data_ptr<uint8_t>();
    std::string out = "{\"data\":[";
    for (int64_t i = 0; i < x.numel(); ++i)
      out += fmt::format("{}{:.3f}", i ? "," : "", p[i] / 255.0);
    out += "]}";
    write_bytes(dir + "/src/digits/" + std::to_string(d) + ".json", out);
  }
}

}  // namespace nnc::data
