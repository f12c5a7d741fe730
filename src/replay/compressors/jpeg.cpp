#include "replay/compressors/jpeg.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/torch.h>
#include <turbojpeg.h>

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

Handle make_handle(bool compress) {
  Handle h(compress ? tjInitCompress() : tjInitDecompress());
  NNC_CHECK(h != nullptr, "compressor 'jpeg': cannot create a TurboJPEG {} handle: {}",
            compress ? "compression" : "decompression", tjGetErrorStr2(nullptr));
  return h;
}
}  // namespace

JpegCompressor::JpegCompressor(const CompressorOptions& o, const Representation& rep)
    : rep_(rep), quality_(static_cast<int>(o.jpeg_quality)) {
  NNC_CHECK(rep_.raw_pixels,
            "compressor 'jpeg': JPEG codes raw uint8 images only, but the encoder gives float "
            "features {}: use --encoder none, or resize / quantization / pq for features",
            rep_.describe());
  NNC_CHECK(o.jpeg_quality >= 1 && o.jpeg_quality <= 100,
            "compressor 'jpeg': jpeg_quality must be in 1..100, got {}", o.jpeg_quality);
  NNC_CHECK(rep_.shape.size() == 3 && (rep_.shape[0] == 1 || rep_.shape[0] == 3),
            "compressor 'jpeg': needs images [1,H,W] (grayscale) or [3,H,W] (RGB), got {}",
            rep_.describe());
  c_ = rep_.shape[0];
  h_ = rep_.shape[1];
  w_ = rep_.shape[2];
}

std::vector<Packed> JpegCompressor::compress(const torch::Tensor& batch) const {
  detail::check_input(name(), batch, rep_);
  int64_t n = batch.size(0);
  auto out = detail::empty_items(n, 0);  // variable size: nothing to reserve
  if (n == 0) return out;
  // Interleaved uint8 HWC, as TurboJPEG reads it.
  auto pixels = batch.round().clamp(0, 255).to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
  const uint8_t* src = pixels.data_ptr<uint8_t>();
  const int64_t image = h_ * w_ * c_;
  const int format = c_ == 1 ? TJPF_GRAY : TJPF_RGB;
  const int subsamp = c_ == 1 ? TJSAMP_GRAY : TJSAMP_420;
  const unsigned long capacity = tjBufSize(static_cast<int>(w_), static_cast<int>(h_), subsamp);
  at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
    auto handle = make_handle(true);
    std::vector<unsigned char> buf(capacity);
    for (int64_t i = begin; i < end; ++i) {
      unsigned char* dst = buf.data();
      unsigned long size = capacity;
      int rc = tjCompress2(handle.get(), src + i * image, static_cast<int>(w_),
                           static_cast<int>(w_ * c_), static_cast<int>(h_), format, &dst, &size,
                           subsamp, quality_, kFlags | TJFLAG_NOREALLOC);
      NNC_CHECK(rc == 0, "compressor 'jpeg': tjCompress2 failed on item {}: {}", i,
                tjGetErrorStr2(handle.get()));
      out[static_cast<size_t>(i)].assign(dst, dst + size);
    }
  });
  return out;
}

torch::Tensor JpegCompressor::decompress(const std::vector<const Packed*>& items) const {
  int64_t n = static_cast<int64_t>(items.size());
  for (int64_t i = 0; i < n; ++i)
    NNC_CHECK(items[i] != nullptr && !items[i]->empty(), "compressor 'jpeg': item {} is empty", i);
  auto pixels = torch::empty({n, h_, w_, c_}, torch::kUInt8);
  uint8_t* dst = pixels.data_ptr<uint8_t>();
  const int64_t image = h_ * w_ * c_;
  const int format = c_ == 1 ? TJPF_GRAY : TJPF_RGB;
  at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
    auto handle = make_handle(false);
    for (int64_t i = begin; i < end; ++i) {
      const Packed& p = *items[static_cast<size_t>(i)];
      int w = 0, h = 0, subsamp = 0, colorspace = 0;
      int rc = tjDecompressHeader3(handle.get(), p.data(), p.size(), &w, &h, &subsamp, &colorspace);
      NNC_CHECK(rc == 0, "compressor 'jpeg': item {} is not a JPEG stream ({}; packed by another "
                "compressor?)", i, tjGetErrorStr2(handle.get()));
      NNC_CHECK(w == w_ && h == h_,
                "compressor 'jpeg': item {} is a {}x{} JPEG, expected {}x{}", i, w, h, w_, h_);
      rc = tjDecompress2(handle.get(), p.data(), p.size(), dst + i * image, static_cast<int>(w_),
                         static_cast<int>(w_ * c_), static_cast<int>(h_), format, kFlags);
      NNC_CHECK(rc == 0, "compressor 'jpeg': tjDecompress2 failed on item {}: {}", i,
                tjGetErrorStr2(handle.get()));
    }
  });
  return pixels.permute({0, 3, 1, 2}).to(torch::kFloat32).contiguous();
}

std::string JpegCompressor::describe() const {
  return fmt::format(
      "jpeg(jpeg_quality={}, libjpeg-turbo {}, accurate DCT; {}; item = the JPEG stream "
      "(variable size, byte-mode memory); fixed 0 B)",
      quality_, c_ == 1 ? "grayscale" : "RGB 4:2:0", rep_.describe());
}

}  // namespace nnc::replay
