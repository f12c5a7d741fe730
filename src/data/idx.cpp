// IDX reader. zlib's gzread also reads uncompressed files transparently, so one path
// serves "x-ubyte" and "x-ubyte.gz".
#include "data/idx.h"

#include <torch/torch.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "core/error.h"

namespace nnc::data {
namespace {

struct GzClose {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzClose>;

class IdxReader {
 public:
  explicit IdxReader(std::string path) : path_(std::move(path)), f_(gzopen(path_.c_str(), "rb")) {
    NNC_CHECK(f_ != nullptr, "{}: cannot open IDX file", path_);
    gzbuffer(f_.get(), 1 << 17);
  }

  /// Reads up to n bytes into dst; returns how many were read (less only at end of data).
  size_t read_some(uint8_t* dst, size_t n) {
    size_t done = 0;
    while (done < n) {
      const auto want = static_cast<unsigned>(std::min<size_t>(n - done, 1u << 24));
      const int got = gzread(f_.get(), dst + done, want);
      if (got < 0) {
        int code = 0;
        fail("{}: corrupt or unreadable gzip data: {}", path_, gzerror(f_.get(), &code));
      }
      if (got == 0) break;
      done += static_cast<size_t>(got);
    }
    return done;
  }

  uint32_t read_be32(const char* what) {
    uint8_t b[4];
    const size_t got = read_some(b, 4);
    NNC_CHECK(got == 4, "{}: truncated: file ends inside the IDX header ({})", path_, what);
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
  }

  /// `expected` payload bytes. With `whole`, exactly those: more bytes after them are an
  /// error. Without, the first `expected` bytes of a longer payload (a limited read: the
  /// rest is never decompressed). The buffer grows with the data actually present (chunks of
  /// 1 MiB), never to the header's claim up front. `declared` and `declared_bytes` describe
  /// the header's claim for messages.
  std::vector<uint8_t> read_payload(uint64_t expected, bool whole, const std::string& declared,
                                    uint64_t declared_bytes) {
    std::vector<uint8_t> buf;
    constexpr uint64_t kChunk = 1 << 20;
    while (buf.size() < expected) {
      const size_t old = buf.size();
      const size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, expected - old));
      buf.resize(old + want);
      const size_t got = read_some(buf.data() + old, want);
      buf.resize(old + got);
      if (got < want) {
        fail("{}: truncated: header declares {} ({} bytes) but only {} bytes follow", path_,
             declared, declared_bytes, buf.size());
      }
    }
    uint8_t extra;
    NNC_CHECK(!whole || read_some(&extra, 1) == 0,
              "{}: trailing data: header declares {} ({} bytes) but more bytes follow", path_,
              declared, declared_bytes);
    return buf;
  }

  void check_magic(uint32_t expected, const char* what) {
    const uint32_t magic = read_be32("magic number");
    NNC_CHECK(magic == expected,
              "{}: bad magic 0x{:08x}, expected 0x{:08x} ({}); is this the right file, "
              "and not an HTML error page?",
              path_, magic, expected, what);
  }

 private:
  std::string path_;
  GzFile f_;
};

}  // namespace

namespace {

/// How many of `n` declared records to read: all, or the first `max_records` when positive.
uint64_t records_to_read(uint32_t n, int64_t max_records) {
  return max_records > 0 ? std::min<uint64_t>(n, static_cast<uint64_t>(max_records)) : n;
}

/// A tensor over the bytes read, without a second copy (a 1.5 GB file is held once).
torch::Tensor tensor_over(std::vector<uint8_t> bytes, std::vector<int64_t> sizes) {
  if (bytes.empty()) return torch::empty(sizes, torch::kUInt8);
  auto* owner = new std::vector<uint8_t>(std::move(bytes));
  return torch::from_blob(owner->data(), sizes, [owner](void*) { delete owner; }, torch::kUInt8);
}

}  // namespace

torch::Tensor read_idx_images(const std::string& path, int64_t max_records, uint32_t* declared) {
  IdxReader r(path);
  r.check_magic(kIdxImagesMagic, "IDX uint8 images [N,rows,cols]");
  const uint32_t n = r.read_be32("image count");
  const uint32_t rows = r.read_be32("rows");
  const uint32_t cols = r.read_be32("cols");
  // 4096 is far above any IDX data set; it keeps rows*cols*n inside uint64.
  NNC_CHECK(rows >= 1 && rows <= 4096 && cols >= 1 && cols <= 4096,
            "{}: implausible image size {}x{} in the IDX header (expected 1..4096 each)", path,
            rows, cols);
  if (declared) *declared = n;
  const uint64_t take = records_to_read(n, max_records);
  auto bytes = r.read_payload(take * rows * cols, take == n,
                              fmt::format("{} images of {}x{}", n, rows, cols),
                              uint64_t(n) * rows * cols);
  return tensor_over(std::move(bytes), {int64_t(take), 1, int64_t(rows), int64_t(cols)});
}

torch::Tensor read_idx_labels(const std::string& path, int64_t max_records, uint32_t* declared) {
  IdxReader r(path);
  r.check_magic(kIdxLabelsMagic, "IDX uint8 labels [N]");
  const uint32_t n = r.read_be32("label count");
  if (declared) *declared = n;
  const uint64_t take = records_to_read(n, max_records);
  auto bytes = r.read_payload(take, take == n, fmt::format("{} labels", n), n);
  auto out = torch::empty({int64_t(take)}, torch::kLong);
  auto* y = out.data_ptr<int64_t>();
  for (uint64_t i = 0; i < take; ++i) y[i] = bytes[i];
  return out;
}

}  // namespace nnc::data
