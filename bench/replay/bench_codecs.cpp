// bench-codecs: encode and decode throughput of `jpeg` (28x28 grey, quality 50), `pq`
// (CutR block-3 features 256x2x2, 32 sub-vectors x 8 bits) and the tensor-math compressors
// on CIFAR-shaped raw images (3x32x32: none, half, quantization, thinning, resize) on one
// thread, CPU time. The figures to watch: decode items/s at batch 2048 (how a replay memory
// is decompressed once per task), and the ratio of per-item decode cost at batch 16 to batch
// 2048 (the per-call overhead).
#include <torch/torch.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

#include "replay/compressor.h"

using namespace nnc::replay;

namespace {

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double timed(const std::function<void()>& f) {
  double t0 = thread_seconds();
  f();
  return thread_seconds() - t0;
}

/// Smooth images (bilinear upsampling of a 7x7 field) or low-rank features.
torch::Tensor samples(int64_t n, const Representation& rep, uint64_t seed) {
  torch::manual_seed(seed);
  if (!rep.raw_pixels)
    return torch::randn({n, 8}).mm(torch::randn({8, rep.numel()}) / 3).reshape(rep.batch_shape(n));
  auto x = torch::nn::functional::interpolate(
      torch::randn({n, rep.shape[0], 7, 7}),
      torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{rep.shape[1], rep.shape[2]})
          .mode(torch::kBilinear).align_corners(true));
  return (x * 50 + 128).clamp(0, 255).round();
}

void run(const char* title, const nnc::OptionValues& o, const Representation& rep) {
  auto c = make_compressor(o, CompressorContext{rep}).fit(samples(1000, rep, 41));
  auto x = samples(2048, rep, 42);
  std::vector<Packed> items;
  double enc = timed([&] { items = c->compress(x); });
  std::vector<const Packed*> all;
  for (auto& p : items) all.push_back(&p);
  double big = timed([&] { c->decompress(all); });
  double small = timed([&] {
    for (size_t s = 0; s < all.size(); s += 16)
      c->decompress(std::vector<const Packed*>(all.begin() + s, all.begin() + s + 16));
  });
  std::printf("%s: encode %.0f items/s, decode %.0f items/s at batch 2048, %.0f at batch 16; "
              "batch-16 decode costs %.2fx batch-2048 per item\n",
              title, 2048 / enc, 2048 / big, 2048 / small, small / big);
}

}  // namespace

int main() {
  torch::set_num_threads(1);
  run("jpeg q50 28x28 grey", {{"compressor", "jpeg"}, {"jpeg_quality", int64_t{50}}}, {{1, 28, 28}, true});
  run("pq 32x8 bits on 256x2x2",
      {{"compressor", "pq"}, {"pq_subvectors", int64_t{32}}, {"pq_bits", int64_t{8}}}, {{256, 2, 2}, false});
  const Representation cifar{{3, 32, 32}, true};
  run("none 3x32x32", {{"compressor", "none"}}, cifar);
  run("half 3x32x32", {{"compressor", "half"}}, cifar);
  run("quantization 16 states 3x32x32", {{"compressor", "quantization"}, {"n_states", int64_t{16}}}, cifar);
  run("thinning 0.75 3x32x32", {{"compressor", "thinning"}, {"compression_factor", 0.75}}, cifar);
  run("resize /2 4 bits 3x32x32", {{"compressor", "resize"}, {"resize_bits", int64_t{4}}}, cifar);
  return 0;
}
