// Decompression of every compressor on fixed inputs, recorded bit for bit: the hashes below
// were taken from the CPU output before decompression was split into parsing (CPU) and
// reconstruction (any device), and must not change. Inputs, learned states and the items of
// the learned compressors are integer arithmetic (no random draws, no training), so only
// decompression itself is measured. Then the device path against the CPU.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

#include "replay/compressor.h"
#include "replay/compressors/convae.h"
#include "replay/compressors/fcae.h"
#include "replay/compressors/util.h"
#include "replay/memory.h"
#include "replay/memory_source.h"
#include "compressor_fixtures.h"

using namespace nnc;
using namespace nnc::replay;
using namespace nnc::replay::testing;

namespace {

// Threads: test_compressors_beyond.cpp's environment (2) covers this executable too.

/// Integer pixels 0..255 in a fixed scramble.
torch::Tensor pixels(const std::vector<int64_t>& shape, int64_t salt) {
  auto i = torch::arange(c10::multiply_integers(shape), torch::kInt64);
  return (i * 37 + salt).remainder(256).to(torch::kFloat32).reshape(shape);
}

/// Values in [-3, 3] on a grid of 1/64, in a fixed scramble (exact in float16 and float32).
torch::Tensor values(const std::vector<int64_t>& shape, int64_t salt) {
  auto i = torch::arange(c10::multiply_integers(shape), torch::kInt64);
  return ((i * 53 + salt).remainder(385) - 192).to(torch::kFloat32).div(64).reshape(shape);
}

/// Every parameter of `net` set from values() (scaled down so 12 layers stay in range).
StateMap module_pattern(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  int64_t salt = 0;
  for (auto& p : net.named_parameters()) p.value().copy_(values(p.value().sizes().vec(), ++salt) * 0.1);
  return replay::detail::module_state(net);
}

std::vector<Packed> items_of(int64_t n) { return std::vector<Packed>(static_cast<size_t>(n)); }

std::vector<Packed> byte_items(int64_t n, uint64_t bytes) {
  auto items = items_of(n);
  for (int64_t i = 0; i < n; ++i)
    for (uint64_t j = 0; j < bytes; ++j)
      items[static_cast<size_t>(i)].push_back(
          static_cast<uint8_t>((i * 131 + static_cast<int64_t>(j) * 29 + 7) % 256));
  return items;
}

CompressorPtr loaded(const CompressorSpec& o, const Representation& rep, const StateMap& state) {
  return design(o, rep).load(state);
}

struct Case {
  std::string label;
  CompressorPtr compressor;
  std::vector<Packed> items;
  uint64_t hash;  ///< FNV-1a of the float32 output bytes (row-major), recorded
};

/// Every compressor, with the settings that take each branch of its decompression.
std::vector<Case> cases() {
  std::vector<Case> out;
  auto packed = [&](std::string label, CompressorPtr c, const torch::Tensor& x, uint64_t hash) {
    auto items = c->compress(x);
    out.push_back({std::move(label), std::move(c), std::move(items), hash});
  };
  const int64_t n = 5;
  packed("none raw", make_compressor(opts("none"), raw({1, 6, 6})), pixels({n, 1, 6, 6}, 1),
         0x20a2c7f94f76267aull);
  packed("none features", make_compressor(opts("none"), feat({7})), values({n, 7}, 2), 0x32452422d61aa789ull);
  packed("half", make_compressor(opts("half"), feat({3, 4, 4})), values({n, 3, 4, 4}, 3) * 1000.3,
         0x4a2d409ca0c825f0ull);
  packed("quantization local 8", make_compressor(opts("quantization"), feat({4, 3, 3})),
         values({n, 4, 3, 3}, 4), 0xa8bbd0662a07c5d0ull);
  packed("quantization local 300 raw",
         make_compressor(opts("quantization").set("n_states", 300), raw({1, 5, 5})),
         pixels({n, 1, 5, 5}, 5), 0x9bb18ca15b968ceull);
  packed("quantization local 256 raw",
         make_compressor(opts("quantization").set("n_states", 256), raw({1, 5, 5})),
         pixels({n, 1, 5, 5}, 21), 0x4654c559d0feb774ull);
  packed("quantization local 65536", make_compressor(opts("quantization").set("n_states", 65536), feat({9})),
         values({n, 9}, 22), 0x46bd877f3180db12ull);
  packed("quantization transfer 16",
         loaded(opts("quantization").set("strategy", "transfer").set("n_states", 16), feat({30}),
                {{"range", torch::tensor({-1.5f, 2.25f})}}),
         values({n, 30}, 6), 0x579be9527b0a45e3ull);
  packed("thinning raw",
         make_compressor(opts("thinning").set("compression_factor", 0.5), raw({1, 8, 8})),
         pixels({n, 1, 8, 8}, 7), 0x8498b5f0198dfdb9ull);
  packed("thinning features",
         make_compressor(opts("thinning").set("compression_factor", 0.75), feat({40})),
         values({n, 40}, 8), 0x349f34b507632453ull);
  packed("resize raw /2 8b", make_compressor(opts("resize"), raw({1, 8, 8})), pixels({n, 1, 8, 8}, 9),
         0xb6520b5055f1cd83ull);
  packed("resize raw to 3 3b",
         make_compressor(opts("resize").set("resize_to", 3).set("resize_bits", 3), raw({3, 8, 8})),
         pixels({n, 3, 8, 8}, 10), 0xa55e14cc4b3a4541ull);
  packed("resize features /2 4b", make_compressor(opts("resize").set("resize_bits", 4), feat({4, 6, 6})),
         values({n, 4, 6, 6}, 11), 0xcfd04221bce89ea6ull);
  packed("resize features /3 16b",
         make_compressor(opts("resize").set("resize_factor", 3).set("resize_bits", 16), feat({2, 9, 9})),
         values({n, 2, 9, 9}, 12), 0x3eb68728d751445ull);
  packed("jpeg gray shared", make_compressor(opts("jpeg"), raw({1, 8, 8})), pixels({n, 1, 8, 8}, 13),
         0x8947106b3baa9c4eull);
  packed("jpeg rgb per_item",
         make_compressor(opts("jpeg").set("jpeg_tables", "per_item").set("jpeg_quality", 80), raw({3, 16, 16})),
         pixels({n, 3, 16, 16}, 14), 0xcb5d63bb1a130626ull);

  // Learned compressors: loaded states and items written directly.
  {
    auto o = opts("pq").set("pq_subvectors", 4).set("pq_bits", 3);
    auto c = loaded(o, feat({8, 3, 3}), {{"codebooks", values({4, 8, 2}, 15)}});
    auto items = byte_items(n, *c->item_bytes());
    out.push_back({"pq features 4x3b", std::move(c), std::move(items), 0xb98c571eb587e535ull});
  }
  {
    auto o = opts("pq").set("pq_subvectors", 2).set("pq_bits", 9);
    auto c = loaded(o, raw({2, 4, 4}), {{"codebooks", pixels({2, 512, 1}, 16) * 1.1 - 10}});
    auto items = byte_items(n, *c->item_bytes());
    out.push_back({"pq raw 2x9b", std::move(c), std::move(items), 0x9b15003d37c1f342ull});
  }
  auto sparse = [&](std::string label, CompressorSpec o, const Representation& rep, int64_t atoms,
                    int64_t s, int coef_bytes, int index_bytes, uint64_t hash) {
    auto c = loaded(o.set("atoms", atoms).set("nonzeros", s).set("coefficient_bits", 8 * coef_bytes), rep,
                    {{"dictionary", values({rep.numel(), atoms}, 17)},
                     {"normalization", torch::tensor({0.5f, 2.f})}});
    auto items = items_of(n);
    replay::detail::append_floats(items, values({n, s}, 18), coef_bytes);
    auto idx = (torch::arange(n).unsqueeze(1) + torch::arange(s).unsqueeze(0) * (atoms / s)).remainder(atoms);
    replay::detail::append_uints(items, idx, index_bytes);
    out.push_back({std::move(label), std::move(c), std::move(items), hash});
  };
  sparse("sparse features 3/10 f16", opts("sparse"), feat({12}), 10, 3, 2, 1, 0x1237adacc40fdd2bull);
  sparse("sparse raw 2/300 f32", opts("sparse"), raw({1, 4, 4}), 300, 2, 4, 2, 0xf3499c8789109b08ull);
  {
    const int64_t b = 4;
    FcaeNet net(fcae_widths(20, b));
    auto state = module_pattern(net);
    state["normalization"] = torch::tensor({0.25f, 1.5f});
    auto c = loaded(opts("fcae").set("bottleneck_neurons", b), feat({20}), state);
    auto items = items_of(n);
    replay::detail::append_floats(items, values({n, b}, 19), 4);
    out.push_back({"fcae features", std::move(c), std::move(items), 0xb21c0868dbe66417ull});
  }
  {
    // latent_channels 2, 1 block on 1x6x6 images: mid = max((2 + 1) / 2, 16) = 16, latent 2x3x3.
    ConvaeNet net(1, 16, 2, 1, 6, 6);
    auto c = loaded(opts("convae").set("latent_channels", 2).set("n_blocks", 1), raw({1, 6, 6}),
                    module_pattern(net));
    auto items = items_of(n);
    replay::detail::append_floats(items, values({n, 18}, 20), 4);
    out.push_back({"convae raw", std::move(c), std::move(items), 0x6d97717063835a39ull});
  }
  return out;
}

uint64_t fnv1a(const torch::Tensor& t) {
  auto c = t.contiguous();
  const auto* p = static_cast<const uint8_t*>(c.data_ptr());
  uint64_t h = 14695981039346656037ull;
  for (int64_t i = 0; i < c.numel() * static_cast<int64_t>(c.element_size()); ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

TEST(Decompress, CpuOutputOfEveryCompressorIsAsRecorded) {
  for (auto& k : cases()) {
    auto y = k.compressor->decompress(ptrs(k.items));
    ASSERT_EQ(y.scalar_type(), torch::kFloat32) << k.label;
    EXPECT_EQ(y.sizes(), torch::IntArrayRef(k.compressor->representation().batch_shape(5))) << k.label;
    EXPECT_GT(y.max().item<float>(), y.min().item<float>()) << k.label << ": a constant output tests little";
    EXPECT_EQ(fnv1a(y), k.hash) << k.label << ": 0x" << std::hex << fnv1a(y);
  }
}

// Decompression onto a device: the compact fields move, the floats are made there. With CUDA,
// every compressor's result there must match its CPU result within 1e-6 of the values' scale
// (TF32 off: it rounds matmuls and convolutions to 10 mantissa bits); the device copies of
// codebooks, dictionaries and decoders are made once (a second call gives the same tensor).
// Without CUDA the device path named explicitly (kCPU) must give the default call's tensor.
TEST(Decompress, OnADeviceMatchesTheCpu) {
  const bool cuda = torch::cuda::is_available();
  if (cuda) {
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
  }
  for (auto& k : cases()) {
    const auto& c = *k.compressor;
    auto cpu = c.decompress(ptrs(k.items));
    auto named = c.decompress(ptrs(k.items), torch::kCPU);
    EXPECT_TRUE(named.device().is_cpu()) << k.label;
    EXPECT_TRUE(torch::equal(named, cpu)) << k.label;
    EXPECT_EQ(c.decompress({}, torch::kCPU).sizes(),
              torch::IntArrayRef(c.representation().batch_shape(0))) << k.label;
    if (!cuda) continue;
    auto dev = c.decompress(ptrs(k.items), torch::kCUDA);
    ASSERT_TRUE(dev.is_cuda()) << k.label;
    ASSERT_EQ(dev.scalar_type(), torch::kFloat32) << k.label;
    ASSERT_EQ(dev.sizes(), cpu.sizes()) << k.label;
    const double scale = std::max(1.0, cpu.abs().max().item<double>());
    EXPECT_LE((dev.cpu() - cpu).abs().max().item<double>(), 1e-6 * scale) << k.label;
    EXPECT_TRUE(torch::equal(c.decompress(ptrs(k.items), torch::kCUDA), dev)) << k.label;
    EXPECT_TRUE(c.decompress({}, torch::kCUDA).is_cuda()) << k.label;
  }
}

// MemorySource decompresses onto the device it was given (its targets stay on the CPU), and
// the same batch as a CPU source, moved there.
TEST(Decompress, MemorySourceBatchesLieOnItsDevice) {
  const torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  auto rep = raw({1, 8, 8});
  auto c = make_compressor(opts("quantization"), rep);
  auto packed = c->compress(pixels({6, 1, 8, 8}, 23));
  auto memory = ReplayMemory::with_bytes(uint64_t{1} << 20, 0, 0);
  for (int64_t i = 0; i < 6; ++i) memory.offer(i % 3, i, std::move(packed[static_cast<size_t>(i)]));
  MemorySource on_cpu(memory, *c, rep, {0.5f}, {0.25f});
  MemorySource on_device(memory, *c, rep, {0.5f}, {0.25f}, device);
  auto index = torch::tensor({4, 0, 5}, torch::kInt64);
  auto a = on_cpu.get(index), b = on_device.get(index);
  EXPECT_EQ(b.inputs.device(), device);
  EXPECT_TRUE(b.targets.device().is_cpu());
  EXPECT_TRUE(torch::equal(b.targets, a.targets));
  EXPECT_LE((b.inputs.cpu() - a.inputs).abs().max().item<double>(), 1e-6);
  EXPECT_EQ(a.inputs.sizes(), (std::vector<int64_t>{3, 1, 8, 8}));
}
