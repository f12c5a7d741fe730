// bench-memory-source: training a backbone from a compressed replay memory, the memory
// decompressed once per fit (make_resident, what the Trainer does) against decompressed batch
// by batch in every epoch (resident_limit_bytes 0, the design before it). 2000 JPEG items
// (28x28 grey, quality 50) and 2000 quantization items, GDumb ResNet-18 x0.125, batch 16,
// 4 epochs, 2 threads. Both ways compute the same model (checked); the ratio is the wall time
// batch by batch / resident (best of two interleaved fits each).
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/progress.h"
#include "models/resnet_gdumb.h"
#include "replay/compressor.h"
#include "replay/memory.h"
#include "replay/memory_source.h"
#include "train/trainer.h"

using namespace nnc;
using namespace nnc::replay;

namespace {

/// Smooth 28x28 images (bilinear upsampling of a 7x7 field): JPEG sizes like real photos'.
torch::Tensor images(int64_t n) {
  torch::manual_seed(42);
  auto x = torch::nn::functional::interpolate(
      torch::randn({n, 1, 7, 7}), torch::nn::functional::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{28, 28})
                                      .mode(torch::kBilinear)
                                      .align_corners(true));
  return (x * 50 + 128).clamp(0, 255).round();
}

struct Fit {
  double seconds;
  std::vector<torch::Tensor> parameters;
};

Fit fit(const train::BatchSource& source, int64_t resident_limit) {
  torch::manual_seed(7);
  models::GDumbResNet net(models::ModelOptions().input(1, 28, 28).num_classes(10).width(0.125));
  auto options = train::TrainOptions().epochs(4).batch_size(16).lr(0.05).seed(3)
                     .resident_limit_bytes(resident_limit);
  auto t0 = std::chrono::steady_clock::now();
  train::Trainer(options).fit(net, source);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {s, net.parameters()};
}

void run(const char* title, const nnc::OptionValues& o) {
  const Representation rep{{1, 28, 28}, true};
  auto x = images(2000);
  auto compressor = make_compressor(o, CompressorContext{rep}).fit(x);
  auto packed = compressor->compress(x);
  auto memory = ReplayMemory::with_bytes(uint64_t{1} << 30, 0, 0);  // room for every item
  for (int64_t i = 0; i < 2000; ++i) memory.offer(i % 10, i, std::move(packed[static_cast<size_t>(i)]));
  MemorySource source(memory, *compressor, rep, {0.5f}, {0.25f});
  // Interleaved, best of two each: the machine's speed drifts between runs.
  auto batch_by_batch = fit(source, 0), resident = fit(source, train::kResidentLimitBytes);
  batch_by_batch.seconds = std::min(batch_by_batch.seconds, fit(source, 0).seconds);
  resident.seconds = std::min(resident.seconds, fit(source, train::kResidentLimitBytes).seconds);
  bool same = true;
  for (size_t i = 0; i < resident.parameters.size(); ++i)
    same = same && torch::equal(resident.parameters[i], batch_by_batch.parameters[i]);
  std::printf("%s: batch by batch %.1f s, resident %.1f s, ratio %.2f; same model: %s\n", title,
              batch_by_batch.seconds, resident.seconds, batch_by_batch.seconds / resident.seconds,
              same ? "yes" : "NO");
}

}  // namespace

int main() {
  Progress::set_quiet(true);
  torch::set_num_threads(2);
  run("jpeg q50 28x28 grey, 2000 items", {{"compressor", "jpeg"}, {"jpeg_quality", int64_t{50}}});
  run("quantization 16 states, 2000 items", {{"compressor", "quantization"}, {"n_states", int64_t{16}}});
  return 0;
}
