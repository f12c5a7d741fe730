// IDX reader. zlib's gzread also reads uncompressed files transparently, so one path
// serves "x-ubyte" and "x-ubyte.gz".
#include "data/idx.h"

#include <torch/torch.h>
#include <zlib.h>

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

  /// Exactly `expected` payload bytes, no more, no less. The buffer grows with the data
  /// actually present (chunks of 1 MiB), never to the header's claim up front.
  std::vector<uint8_t> read_payload(uint64_t expected, const std::string& declared) {
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
             declared, expected, buf.size());
      }
    }
    uint8_t extra;
    NNC_CHECK(read_some(&extra, 1) == 0,
              "{}: trailing data: header declares {} ({} bytes) but more bytes follow", path_,
              declared, expected);
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

torch::Tensor read_idx_images(const std::string& path) {
  IdxReader r(path);
  r.check_magic(kIdxImagesMagic, "IDX uint8 images [N,rows,cols]");
  const uint32_t n = r.read_be32("image count");
  const uint32_t rows = r.read_be32("rows");
  const uint32_t cols = r.read_be32("cols");
  // 4096 is far above any IDX data set; it keeps rows*cols*n inside uint64.
  NNC_CHECK(rows >= 1 && rows <= 4096 && cols >= 1 && cols <= 4096,
            "{}: implausible image size {}x{} in the IDX header (expected 1..4096 each)", path,
            rows, cols);
  const uint64_t expected = uint64_t(n) * rows * cols;
  auto bytes = r.read_payload(expected, fmt::format("{} images of {}x{}", n, rows, cols));
  auto out = torch::empty({int64_t(n), 1, int64_t(rows), int64_t(cols)}, torch::kUInt8);
  if (expected) std::memcpy(out.data_ptr<uint8_t>(), bytes.data(), expected);
  return out;
}

torch::Tensor read_idx_labels(const std::string& path) {
  IdxReader r(path);
  r.check_magic(kIdxLabelsMagic, "IDX uint8 labels [N]");
  const uint32_t n = r.read_be32("label count");
  auto bytes = r.read_payload(n, fmt::format("{} labels", n));
  auto out = torch::empty({int64_t(n)}, torch::kLong);
  auto* y = out.data_ptr<int64_t>();
  for (uint32_t i = 0; i < n; ++i) y[i] = bytes[i];
  return out;
}

}  // namespace nnc::data
