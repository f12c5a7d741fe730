#include "replay/compressors/jpeg.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/torch.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

namespace {
constexpr int64_t kGrain = 64;              // items per worker chunk
constexpr int kFlags = TJFLAG_ACCURATEDCT;  // same bytes on every implementation

struct HandleDeleter {
  void operator()(void* h) const {
    if (h) tjDestroy(h);
  }
};
using Handle = std::unique_ptr<void, HandleDeleter>;

constexpr uint8_t kEoi[2] = {0xFF, 0xD9};

/// Offset of the first entropy-coded byte (just past the SOS header) of a baseline JPEG
/// stream; 0 when the markers do not lead to an SOS segment.
size_t scan_offset(std::span<const unsigned char> s) {
  const size_t size = s.size();
  if (size < 4 || s[0] != 0xFF || s[1] != 0xD8) return 0;
  size_t i = 2;  // past SOI; every following marker segment is FF xx + a 2-byte length
  while (i + 4 <= size) {
    if (s[i] != 0xFF) return 0;
    const size_t end = i + 2 + ((size_t{s[i + 2]} << 8) | s[i + 3]);
    if (s[i + 1] == 0xDA) return end <= size ? end : 0;
    i = end;
  }
  return 0;
}

/// Entropy-coded data holds 0xFF only stuffed as FF 00 (no restart markers are written), so
/// a stray marker (a whole JPEG file, another format) is caught before decoding.
bool is_entropy_coded(const Packed& p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != 0xFF) continue;
    if (i + 1 == p.size() || p[i + 1] != 0x00) return false;
    ++i;
  }
  return true;
}

Handle make_handle(bool compress) {
  Handle h(compress ? tjInitCompress() : tjInitDecompress());
  NNC_CHECK(h != nullptr, "compressor 'jpeg': cannot create a TurboJPEG {} handle: {}",
            compress ? "compression" : "decompression", tjGetErrorStr2(nullptr));
  return h;
}
}  // namespace

const OptionFields<JpegOptions>& JpegOptions::fields() {
  static const auto f =
      OptionFields<JpegOptions>()
          .add("jpeg_quality", &JpegOptions::jpeg_quality, "jpeg: quality 1..100 (raw images only)")
          .add("jpeg_tables", &JpegOptions::jpeg_tables,
               "jpeg: shared = the headers/tables stored once (JPEG abbreviated format), per_item = "
               "every item a complete JPEG file",
               {"shared", "per_item"});
  return f;
}

void JpegOptions::validate() const {
  NNC_CHECK(jpeg_quality >= 1 && jpeg_quality <= 100,
            "compressor 'jpeg': jpeg_quality must be in 1..100, got {}", jpeg_quality);
  NNC_CHECK(jpeg_tables == "shared" || jpeg_tables == "per_item",
            "compressor 'jpeg': jpeg_tables must be shared or per_item, got '{}'", jpeg_tables);
}

std::string JpegOptions::label() const {
  return fmt::format("jpeg q{}{}", jpeg_quality, jpeg_tables == "per_item" ? " files" : "");
}

std::map<std::string, std::string> JpegOptions::tags() const {
  return {{"line", "jpeg"}, {"display", "JPEG"},
          {"parameter", fmt::format("q{}{}", jpeg_quality, jpeg_tables == "per_item" ? " files" : "")}};
}

JpegCompressor::JpegCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), quality_(static_cast<int>(o.jpeg_quality)), shared_(o.jpeg_tables == "shared") {
  NNC_CHECK(rep_.raw_pixels,
            "compressor 'jpeg': JPEG codes raw uint8 images only, but the encoder gives float "
            "features {}: use --encoder none, or resize / quantization / pq for features",
            rep_.describe());
  o.validate();
  NNC_CHECK(rep_.shape.size() == 3 && (rep_.shape[0] == 1 || rep_.shape[0] == 3),
            "compressor 'jpeg': needs images [1,H,W] (grayscale) or [3,H,W] (RGB), got {}",
            rep_.describe());
  c_ = rep_.shape[0];
  h_ = rep_.shape[1];
  w_ = rep_.shape[2];
  // The shared prefix: what TurboJPEG writes before the scan data for this size, quality and
  // subsampling (content-independent: standard Huffman tables). compress() checks each item.
  std::vector<uint8_t> grey(static_cast<size_t>(c_ * h_ * w_), 128);
  std::vector<unsigned char> buf;
  const auto stream = encode_one(make_handle(true).get(), grey.data(), buf);
  const size_t offset = scan_offset(stream);
  NNC_CHECK(offset > 0, "compressor 'jpeg': libjpeg-turbo wrote no SOS segment for a {}x{} image",
            w_, h_);
  header_.assign(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(offset));
}

std::span<const unsigned char> JpegCompressor::encode_one(void* handle, const uint8_t* pixels,
                                                          std::vector<unsigned char>& buf) const {
  const int format = c_ == 1 ? TJPF_GRAY : TJPF_RGB;
  const int subsamp = c_ == 1 ? TJSAMP_GRAY : TJSAMP_420;
  buf.resize(tjBufSize(static_cast<int>(w_), static_cast<int>(h_), subsamp));
  unsigned char* dst = buf.data();
  unsigned long size = buf.size();
  int rc = tjCompress2(handle, pixels, static_cast<int>(w_), static_cast<int>(w_ * c_),
                       static_cast<int>(h_), format, &dst, &size, subsamp, quality_,
                       kFlags | TJFLAG_NOREALLOC);
  NNC_CHECK(rc == 0, "compressor 'jpeg': tjCompress2 failed: {}", tjGetErrorStr2(handle));
  return {dst, size};
}

std::vector<Packed> JpegCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0);
  auto out = empty_items(n);  // variable size: nothing to reserve
  // Interleaved uint8 HWC, as TurboJPEG reads it.
  auto pixels = batch.round().clamp(0, 255).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
  const uint8_t* src = pixels.data_ptr<uint8_t>();
  const int64_t image = h_ * w_ * c_;
  const size_t head = header_.size();
  at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
    auto handle = make_handle(true);
    std::vector<unsigned char> buf;
    for (int64_t i = begin; i < end; ++i) {
      const auto stream = encode_one(handle.get(), src + i * image, buf);
      Packed& item = out[static_cast<size_t>(i)];
      if (!shared_) {
        item.assign(stream.begin(), stream.end());
        continue;
      }
      NNC_CHECK(stream.size() >= head + 2 &&
                    std::equal(header_.begin(), header_.end(), stream.begin()) &&
                    stream[stream.size() - 2] == kEoi[0] && stream[stream.size() - 1] == kEoi[1],
                "compressor 'jpeg': the stream of item {} does not start with the shared tables "
                "(libjpeg-turbo changed them per image?); use jpeg_tables = per_item", i);
      item.assign(stream.begin() + static_cast<std::ptrdiff_t>(head), stream.end() - 2);
    }
  });
  return out;
}

ParsedItems JpegCompressor::parse(const std::vector<const Packed*>& items) const {
  int64_t n = static_cast<int64_t>(items.size());
  auto pixels = torch::empty({n, h_, w_, c_}, torch::kUInt8);
  uint8_t* dst = pixels.data_ptr<uint8_t>();
  const int64_t image = h_ * w_ * c_;
  const int format = c_ == 1 ? TJPF_GRAY : TJPF_RGB;
  // Corrupt data is an error, not a warning and a partly grey image.
  const int flags = kFlags | TJFLAG_STOPONWARNING;
  at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
    auto handle = make_handle(false);
    std::vector<unsigned char> stream(header_.begin(), header_.end());  // header + scan + EOI
    for (int64_t i = begin; i < end; ++i) {
      const Packed& p = *items[static_cast<size_t>(i)];
      const unsigned char* data = p.data();
      size_t size = p.size();
      if (shared_) {
        NNC_CHECK(is_entropy_coded(p),
                  "compressor 'jpeg': item {} is not JPEG scan data (jpeg_tables = shared stores "
                  "the scan only; packed by another compressor or with per_item tables?)", i);
        stream.resize(header_.size());  // keep the header, replace the scan
        stream.insert(stream.end(), p.begin(), p.end());
        stream.insert(stream.end(), kEoi, kEoi + 2);
        data = stream.data();
        size = stream.size();
      }
      int w = 0, h = 0, subsamp = 0, colorspace = 0;
      int rc = tjDecompressHeader3(handle.get(), data, size, &w, &h, &subsamp, &colorspace);
      NNC_CHECK(rc == 0, "compressor 'jpeg': item {} is not a JPEG stream ({}; packed by another "
                "compressor?)", i, tjGetErrorStr2(handle.get()));
      NNC_CHECK(w == w_ && h == h_,
                "compressor 'jpeg': item {} is a {}x{} JPEG, expected {}x{}", i, w, h, w_, h_);
      rc = tjDecompress2(handle.get(), data, size, dst + i * image, static_cast<int>(w_),
                         static_cast<int>(w_ * c_), static_cast<int>(h_), format, flags);
      NNC_CHECK(rc == 0, "compressor 'jpeg': item {} does not decode: {}", i,
                tjGetErrorStr2(handle.get()));
    }
  });
  ParsedItems p;
  p.values = pixels;
  return p;
}

torch::Tensor JpegCompressor::reconstruct(const ParsedItems& p) const {
  // NCHW strides explicitly: for grey images the permuted [n,1,h,w] view counts as contiguous
  // with channels-last strides, which .contiguous() keeps and the backbone then inherits.
  return p.values.permute({0, 3, 1, 2})
      .to(torch::kFloat32, /*non_blocking=*/false, /*copy=*/false, torch::MemoryFormat::Contiguous);
}

std::string JpegCompressor::describe() const {
  return fmt::format(
      "jpeg(jpeg_quality={}, jpeg_tables={}, libjpeg-turbo {}, accurate DCT; {}; item = {} "
      "(variable size, byte-mode memory); fixed {} B)",
      quality_, shared_ ? "shared" : "per_item", c_ == 1 ? "grayscale" : "RGB 4:2:0",
      rep_.describe(), shared_ ? "the entropy-coded scan" : "the whole JPEG file",
      fixed_bytes());
}

}  // namespace nnc::replay
