// Compressors beyond the seeds: resize (area down, bilinear up), jpeg (libjpeg-turbo,
// variable size, byte-mode memory) and pq (product quantisation with k-means codebooks).
// Exact byte counts, round-trip error bounds, determinism, option errors, budgets.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>

#include "core/error.h"
#include "replay/budget.h"
#include "replay/compressor.h"
#include "replay/compressors/jpeg.h"
#include "replay/compressors/pq.h"
#include "replay/compressors/resize.h"
#include "replay/memory.h"
#include "support/expect_error.h"
#include "compressor_fixtures.h"

using namespace nnc;
using namespace nnc::replay;
using nnc::testing::expect_error;
using namespace nnc::replay::testing;

namespace {

struct Threads : ::testing::Environment {
  void SetUp() override { torch::set_num_threads(2); }
};
[[maybe_unused]] auto* threads = ::testing::AddGlobalTestEnvironment(new Threads);

}  // namespace

// ---------------------------------------------------------------- resize

TEST(Resize, ItemBytesFollowTheFormula) {
  auto bytes = [](CompressorSpec o, const Representation& rep) {
    return make_compressor(o, rep)->item_bytes().value_or(0);
  };
  auto o = opts("resize");
  EXPECT_EQ(bytes(o, raw({1, 28, 28})), 196u);  // 14x14 uint8
  o.set("resize_bits", 4);
  EXPECT_EQ(bytes(o, raw({1, 28, 28})), 98u);
  o.set("resize_bits", 3);
  EXPECT_EQ(bytes(o, raw({1, 28, 28})), 74u);  // ceil(196 * 3 / 8)
  o.set("resize_bits", 8);
  o.set("resize_factor", 4);
  EXPECT_EQ(bytes(o, raw({3, 32, 32})), 192u);  // "Smaller Is Better": 8x8 CIFAR, 192 B
  o.set("resize_factor", 1.5);
  EXPECT_EQ(bytes(o, raw({1, 28, 28})), 18u * 18u);  // floor(28 / 1.5) = 18
  o.set("resize_to", 7);                                     // resize_to wins over the factor
  EXPECT_EQ(bytes(o, raw({1, 28, 28})), 49u);
  o = opts("resize");
  EXPECT_EQ(bytes(o, feat({256, 2, 2})), 8u + 256u);  // 1x1: range + 256 codes
  o.set("resize_bits", 16);
  EXPECT_EQ(bytes(o, feat({256, 2, 2})), 512u);  // float16
  o.set("resize_bits", 2);
  EXPECT_EQ(bytes(o, feat({64, 8, 8})), 8u + 64u * 16u * 2u / 8u);
  EXPECT_EQ(make_compressor(o, feat({64, 8, 8}))->fixed_bytes(), 0u);
}

TEST(Resize, ExactOnConstantImages) {
  auto rep = raw({1, 28, 28});
  auto levels = torch::tensor({0.f, 17.f, 136.f, 255.f, 34.f}).view({5, 1, 1, 1});
  auto x = levels.expand({5, 1, 28, 28}).contiguous();
  // Factors 1 and 2: bit-exact. Other scales: area sums and bilinear weights exact up to
  // float rounding (one ulp of 255 is 1.5e-5).
  for (double f : {1.0, 2.0, 3.0, 28.0}) {
    auto o = opts("resize");
    o.set("resize_factor", f);
    auto y = round_trip(*make_compressor(o, rep), x);
    if (f <= 2.0) EXPECT_TRUE(torch::equal(y, x)) << "factor " << f;
    EXPECT_LE((y - x).abs().max().item<float>(), 1e-4) << "factor " << f;
  }
  auto o = opts("resize");
  o.set("resize_to", 5);
  o.set("resize_bits", 4);  // 16 levels, multiples of 17: still exact
  auto y = round_trip(*make_compressor(o, rep), x);
  EXPECT_LE((y - x).abs().max().item<float>(), 1e-4);
  // RGB and constant feature maps (per-sample range collapses to one value).
  auto rgb = torch::tensor({10.f, 200.f, 90.f}).view({1, 3, 1, 1}).expand({2, 3, 32, 32}).contiguous();
  EXPECT_TRUE(torch::equal(round_trip(*make_compressor(opts("resize"), raw({3, 32, 32})), rgb), rgb));
  auto f = torch::full({3, 64, 8, 8}, -1.25f);
  EXPECT_TRUE(torch::equal(round_trip(*make_compressor(opts("resize"), feat({64, 8, 8})), f), f));
}

TEST(Resize, BoundedOnSmoothImages) {
  auto rep = raw({1, 28, 28});
  auto x = smooth(64, rep, 3);
  auto o = opts("resize");
  auto y2 = round_trip(*make_compressor(o, rep), x);
  EXPECT_GE(y2.min().item<float>(), 0.f);
  EXPECT_LE(y2.max().item<float>(), 255.f);
  double p2 = psnr(y2, x);
  o.set("resize_factor", 4);
  double p4 = psnr(round_trip(*make_compressor(o, rep), x), x);
  o.set("resize_factor", 2);
  o.set("resize_bits", 3);
  double p2q = psnr(round_trip(*make_compressor(o, rep), x), x);
  EXPECT_GT(p2, 33.0);   // a 4x4 field over 28x28 is smooth at 14x14
  EXPECT_GT(p4, 26.0);
  EXPECT_GT(p2, p4);     // less downsampling, less error
  EXPECT_GT(p2, p2q);    // fewer bits, more error
  EXPECT_GT(p2q, 20.0);
  // Factor 1 with 8 bits is the identity.
  o = opts("resize");
  o.set("resize_factor", 1);
  EXPECT_TRUE(torch::equal(round_trip(*make_compressor(o, rep), x), x));
}

TEST(Resize, FeatureMapsAreStoredAsRangeCodesOrFloat16) {
  // 2x2 CutR maps at factor 2: 1x1, the per-channel mean, broadcast back.
  auto rep = feat({256, 2, 2});
  auto x = smooth(8, rep, 5);
  auto mean = x.mean({2, 3}, true).expand_as(x);
  auto o = opts("resize");
  o.set("resize_bits", 16);
  auto y16 = round_trip(*make_compressor(o, rep), x);
  EXPECT_LT((y16 - mean).abs().max().item<float>(), 2e-3);
  o.set("resize_bits", 8);
  auto y8 = round_trip(*make_compressor(o, rep), x);
  // Error bound of the codes: half a level of the per-sample range.
  auto range = (x.mean({2, 3}).amax(1) - x.mean({2, 3}).amin(1)).view({8, 1, 1, 1});
  EXPECT_TRUE(((y8 - mean).abs() <= range / 255.0 / 2 + 1e-5).all().item<bool>());
}

TEST(Resize, BadParametersAreClearErrors) {
  auto rep = raw({1, 28, 28});
  auto with = [](auto set) {
    auto o = opts("resize");
    set(o);
    return o;
  };
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_factor", 0.5); }), rep); },
               "resize_factor must be >= 1");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_factor", 29); }), rep); },
               "resize_factor 29 leaves 0x0 pixels");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_to", 40); }), rep); },
               "resize_to must be in [1, 28]");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_to", -1); }), rep); },
               "resize_to must be >= 1");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_bits", 0); }), rep); },
               "resize_bits must be in 1..8 for raw pixels, got 0");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_bits", 16); }), rep); },
               "resize_bits must be in 1..8 for raw pixels, got 16");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_bits", 12); }), feat({8, 4, 4})); },
               "or 16 (float16) for features, got 12");
  expect_error([&] { make_compressor(with([](auto& o) { o.set("resize_factor", 3); }), feat({256, 2, 2})); },
               "leaves 0x0 pixels of the 2x2 samples");
  expect_error([&] { make_compressor(opts("resize"), feat({512})); }, "needs samples [C,H,W]");
}

// ---------------------------------------------------------------- jpeg

TEST(Jpeg, GrayRoundTripIsAJpegStreamWithHighPsnrAtQuality90) {
  auto rep = raw({1, 28, 28});
  for (std::string tables : {"shared", "per_item"}) {
    SCOPED_TRACE(tables);
    auto o = opts("jpeg");
    o.set("jpeg_quality", 90);
    o.set("jpeg_tables", tables);
    auto c = make_compressor(o, rep);
    const auto& header = dynamic_cast<const JpegCompressor&>(*c).shared_header();
    EXPECT_FALSE(c->item_bytes().has_value());  // variable size
    // The markers and tables of a 28x28 grayscale baseline JPEG (SOI, APP0, DQT, SOF0, 2 DHT, SOS).
    EXPECT_GT(header.size(), 250u);
    EXPECT_LT(header.size(), 400u);
    EXPECT_EQ(c->fixed_bytes(), tables == "shared" ? header.size() : 0u);
    auto x = smooth(32, rep, 7);
    auto items = c->compress(x);
    auto y = c->decompress(ptrs(items));
    ASSERT_EQ(y.sizes(), x.sizes());
    // Plain NCHW strides: the permuted grey view passes is_contiguous() with NHWC strides,
    // and a backbone trained on such batches crashed in oneDNN's convolution backward.
    EXPECT_EQ(y.strides(), c10::IntArrayRef({784, 784, 28, 1}));
    EXPECT_GT(psnr(y, x), 38.0);

    // per_item: each item is exactly the stream TurboJPEG writes for that image. shared: the
    // header + item + EOI is that stream. Either way it decodes on its own.
    auto pixels = x.to(torch::kUInt8).contiguous();
    tjhandle enc = tjInitCompress(), dec = tjInitDecompress();
    for (int64_t i = 0; i < x.size(0); ++i) {
      Packed p = items[static_cast<size_t>(i)];
      if (tables == "shared") {
        EXPECT_NE(p[0], 0xFF);  // no SOI: scan data only
        p.insert(p.begin(), header.begin(), header.end());
        p.push_back(0xFF);
        p.push_back(0xD9);
      }
      ASSERT_GE(p.size(), 4u);
      EXPECT_EQ(p[0], 0xFF);
      EXPECT_EQ(p[1], 0xD8);  // SOI
      EXPECT_EQ(p[p.size() - 2], 0xFF);
      EXPECT_EQ(p[p.size() - 1], 0xD9);  // EOI
      unsigned char* buf = nullptr;
      unsigned long size = 0;
      ASSERT_EQ(tjCompress2(enc, pixels.data_ptr<uint8_t>() + i * 784, 28, 28, 28, TJPF_GRAY, &buf,
                            &size, TJSAMP_GRAY, 90, TJFLAG_ACCURATEDCT),
                0);
      EXPECT_EQ(p.size(), size);
      EXPECT_EQ(std::memcmp(p.data(), buf, size), 0);
      tjFree(buf);
      std::vector<uint8_t> out(784);
      ASSERT_EQ(tjDecompress2(dec, p.data(), p.size(), out.data(), 28, 28, 28, TJPF_GRAY,
                              TJFLAG_ACCURATEDCT),
                0);
      auto ref = torch::from_blob(out.data(), {1, 28, 28}, torch::kUInt8).to(torch::kFloat32);
      EXPECT_TRUE(torch::equal(ref, y[i])) << i;
    }
    tjDestroy(enc);
    tjDestroy(dec);
  }
}

TEST(Jpeg, SharedTablesMakeItemsSmallerByExactlyTheHeaderAndEoi) {
  auto rep = raw({3, 32, 32});
  auto x = smooth(20, rep, 13);
  auto o = opts("jpeg");
  auto shared = make_compressor(o, rep);
  o.set("jpeg_tables", "per_item");
  auto files = make_compressor(o, rep);
  const uint64_t head = shared->fixed_bytes();
  auto a = shared->compress(x), b = files->compress(x);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].size() + head + 2, b[i].size()) << i;
  EXPECT_TRUE(torch::equal(shared->decompress(ptrs(a)), files->decompress(ptrs(b))));
  // Items of one mode are refused by the other.
  expect_error([&] { shared->decompress(ptrs(b)); }, "is not JPEG scan data");
  expect_error([&] { files->decompress(ptrs(a)); }, "is not a JPEG stream");
  o.set("jpeg_tables", "both");
  expect_error([&] { make_compressor(o, rep); }, "jpeg_tables must be shared or per_item, got 'both'");
}

TEST(Jpeg, RgbRoundTripAndQualityTradesBytesForError) {
  auto rep = raw({3, 32, 32});
  auto x = smooth(16, rep, 9);
  double last_psnr = 0;
  uint64_t last_bytes = 0;
  for (int q : {10, 50, 90}) {
    auto o = opts("jpeg");
    o.set("jpeg_quality", q);
    auto c = make_compressor(o, rep);
    auto items = c->compress(x);
    uint64_t bytes = 0;
    for (auto& p : items) bytes += p.size();
    double p = psnr(c->decompress(ptrs(items)), x);
    EXPECT_GT(p, last_psnr) << "quality " << q;
    EXPECT_GT(bytes, last_bytes) << "quality " << q;
    last_psnr = p;
    last_bytes = bytes;
  }
  EXPECT_GT(last_psnr, 32.0);  // quality 90, 4:2:0 chroma
}

TEST(Jpeg, DeterministicAndBatchIndependent) {
  auto rep = raw({1, 28, 28});
  auto c = make_compressor(opts("jpeg"), rep);
  auto x = smooth(200, rep, 11, 7);  // > one parallel chunk
  auto a = c->compress(x), b = c->compress(x);
  EXPECT_EQ(a, b);
  auto single = c->compress(x.slice(0, 150, 151));
  EXPECT_EQ(single[0], a[150]);
  auto y = c->decompress(ptrs(a));
  auto y1 = c->decompress({&a[150]});
  EXPECT_TRUE(torch::equal(y1[0], y[150]));
}

TEST(Jpeg, BadParametersAreClearErrors) {
  auto with_q = [](int64_t q) {
    auto o = opts("jpeg");
    o.set("jpeg_quality", q);
    return o;
  };
  expect_error([&] { make_compressor(with_q(0), raw({1, 28, 28})); },
               "jpeg_quality must be in 1..100, got 0");
  expect_error([&] { make_compressor(with_q(101), raw({1, 28, 28})); },
               "jpeg_quality must be in 1..100, got 101");
  expect_error([&] { make_compressor(opts("jpeg"), feat({256, 2, 2})); },
               "JPEG codes raw uint8 images only");
  expect_error([&] { make_compressor(opts("jpeg"), raw({2, 28, 28})); },
               "needs images [1,H,W] (grayscale) or [3,H,W] (RGB)");
  auto per_item = opts("jpeg");
  per_item.set("jpeg_tables", "per_item");
  auto c = make_compressor(per_item, raw({1, 28, 28}));
  Packed junk(100, 7);
  expect_error([&] { c->decompress({&junk}); }, "is not a JPEG stream");
  auto other = make_compressor(per_item, raw({1, 32, 32}))->compress(torch::zeros({1, 1, 32, 32}));
  expect_error([&] { c->decompress(ptrs(other)); }, "is a 32x32 JPEG, expected 28x28");
  // A truncated item is an error, not a partly decoded image.
  auto good = c->compress(smooth(1, raw({1, 28, 28}), 3, 7));
  ASSERT_GT(good[0].size(), 400u);  // header (~330 B) + scan data
  Packed cut(good[0].begin(), good[0].end() - 40);  // scan data cut short
  expect_error([&] { c->decompress({&cut}); }, "does not decode");
  auto shared = make_compressor(opts("jpeg"), raw({1, 28, 28}));
  Packed marker = {0x12, 0xFF, 0xD9, 0x00};
  expect_error([&] { shared->decompress({&marker}); }, "is not JPEG scan data");
  // Variable-size items need a byte budget; the notebook arithmetic has no formula.
  expect_error([&] { plan_for_slots(10, design(per_item, raw({1, 28, 28})), 0); }, "variable-size items");
  auto plan = plan_for_bytes(100000, design(per_item, raw({1, 28, 28})), "real", 0);
  EXPECT_TRUE(plan.byte_mode());
  EXPECT_EQ(plan.fixed_bytes, 0u);  // per_item: nothing stored once
  auto shared_plan = plan_for_bytes(100000, design(opts("jpeg"), raw({1, 28, 28})), "real", 0);
  EXPECT_EQ(shared_plan.fixed_bytes, shared->fixed_bytes());
}

TEST(Jpeg, ByteMemoryWithRealJpegSizesNeverExceedsTheBudget) {
  // Images of varying detail give JPEG items (scan data) from ~30 B to ~500 B.
  auto rep = raw({1, 28, 28});
  auto c = make_compressor(opts("jpeg"), rep);
  std::vector<torch::Tensor> parts;
  for (int64_t grid : {2, 4, 7, 14}) parts.push_back(smooth(150, rep, 20 + grid, grid));
  auto items = c->compress(torch::cat(parts));
  uint64_t lo = UINT64_MAX, hi = 0;
  for (auto& p : items) lo = std::min<uint64_t>(lo, p.size()), hi = std::max<uint64_t>(hi, p.size());
  EXPECT_GT(hi, lo + 100) << "sizes should vary";
  const uint64_t budget = 20000, header = 4;
  auto m = ReplayMemory::with_bytes(budget, header, 3);
  std::mt19937 rng(5);
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (size_t k : order) {
    m.offer(static_cast<int64_t>(rng() % 4), static_cast<int64_t>(k), items[k]);
    ASSERT_LE(m.bytes_used(), budget);
  }
  auto per_class = m.bytes_per_class();
  uint64_t sum = 0, cmin = UINT64_MAX, cmax = 0;
  for (auto& [cls, b] : per_class) sum += b, cmin = std::min(cmin, b), cmax = std::max(cmax, b);
  EXPECT_EQ(sum, m.bytes_used());
  EXPECT_LE(cmax - cmin, 2 * (hi + header));
  // Every stored item still decodes.
  std::vector<const Packed*> stored;
  for (auto& [label, p] : m.all_items()) stored.push_back(p);
  EXPECT_EQ(c->decompress(stored).size(0), m.size());
}

// ---------------------------------------------------------------- half

TEST(Half, TwoBytesPerValueRawPixelsExactFeaturesToFloat16) {
  for (auto rep : {raw({1, 28, 28}), raw({3, 32, 32}), feat({256, 2, 2})}) {
    auto c = make_compressor(opts("half"), rep);
    EXPECT_EQ(c->item_bytes().value_or(0), 2u * static_cast<uint64_t>(rep.numel())) << rep.describe();
    EXPECT_EQ(c->fixed_bytes(), 0u);
    EXPECT_FALSE(c->needs_fit());
    auto x = random_batch(5, rep, 3);
    auto y = round_trip(*c, x);
    if (rep.raw_pixels) {
      EXPECT_TRUE(torch::equal(y, x)) << rep.describe();  // integers 0..255 are exact in float16
    } else {
      EXPECT_TRUE(torch::equal(y, x.to(torch::kFloat16).to(torch::kFloat32)));
      EXPECT_LE(((y - x).abs() / x.abs().clamp_min(1e-3)).max().item<double>(), 1.0 / 2048);
    }
  }
  // Beyond float16's range: clamped to +-65504, not inf.
  auto c = make_compressor(opts("half"), feat({4}));
  auto y = round_trip(*c, torch::tensor({{1e6f, -1e6f, 0.5f, 65504.f}}));
  EXPECT_TRUE(torch::equal(y, torch::tensor({{65504.f, -65504.f, 0.5f, 65504.f}})));
  // Through the registry like any other: listed, no options of its own, checks from the base.
  EXPECT_TRUE(compressor_registry().contains("half"));
  EXPECT_TRUE(compressor_registry().option_specs("half").empty());
  expect_error([&] { c->compress(torch::zeros({1, 5})); }, "expected a batch [N,4]");
  Packed short_item(7);
  expect_error([&] { c->decompress({&short_item}); }, "has 7 bytes, expected 8");
}

// ---------------------------------------------------------------- pq

namespace {
CompressorSpec pq_opts(int64_t m, int64_t bits, uint64_t seed = 0) {
  auto o = opts("pq");
  o.set("pq_subvectors", m);
  o.set("pq_bits", bits);
  o.seed = seed;
  return o;
}
}  // namespace

TEST(Pq, ByteCountsFollowTheFormula) {
  auto c = design(pq_opts(32, 8), feat({256, 2, 2}));
  EXPECT_EQ(c.item_bytes().value_or(0), 4u * 32u);                 // P=4 positions x 32 codes x 1 B
  EXPECT_EQ(c.fixed_bytes(), 32u * 256u * 8u * 4u);    // M x K x d x float32 = 256 KiB
  EXPECT_EQ(c.fixed_bytes(), 256u * 1024u);
  c = design(pq_opts(32, 4), feat({256, 2, 2}));
  EXPECT_EQ(c.item_bytes().value_or(0), 64u);
  EXPECT_EQ(c.fixed_bytes(), 16u * 256u * 4u);
  c = design(pq_opts(16, 3), feat({64, 8, 8}));
  EXPECT_EQ(c.item_bytes().value_or(0), (64u * 16u * 3u + 7) / 8);  // 384
  EXPECT_EQ(c.fixed_bytes(), 16u * 8u * 4u * 4u);       // 2,048
  c = design(pq_opts(4, 12), feat({512}));      // [F]: one position
  EXPECT_EQ(c.item_bytes().value_or(0), 6u);
  EXPECT_EQ(c.fixed_bytes(), 4096u * 512u * 4u);
}

TEST(Pq, ErrorDecreasesWithBits) {
  auto rep = feat({16, 2, 2});
  auto ref = smooth(400, rep, 1);  // the "different dataset"
  auto x = smooth(100, rep, 2);
  double last = 1e30;
  for (int64_t bits : {1, 2, 3, 4, 6}) {
    auto c = design(pq_opts(4, bits), rep).fit(ref);
    auto y = round_trip(*c, x);
    double e = mse(y, x);
    EXPECT_LT(e, last) << bits << " bits";
    last = e;
  }
  EXPECT_LT(last, 0.25 * x.var().item<double>());
}

TEST(Pq, CodesAreDeterministicForASeed) {
  auto rep = feat({32, 3, 3});
  auto ref = smooth(300, rep, 4);
  auto x = smooth(20, rep, 5);
  auto fit = [&](uint64_t seed) {
    auto c = design(pq_opts(8, 5, seed), rep).fit(ref);
    return c;
  };
  auto a = fit(7), b = fit(7), d = fit(8);
  auto& pa = dynamic_cast<PqCompressor&>(*a);
  auto& pb = dynamic_cast<PqCompressor&>(*b);
  auto& pd = dynamic_cast<PqCompressor&>(*d);
  EXPECT_TRUE(torch::equal(pa.codebooks(), pb.codebooks()));
  EXPECT_EQ(a->compress(x), b->compress(x));
  EXPECT_FALSE(torch::equal(pa.codebooks(), pd.codebooks()));
  // Saved state reproduces the codebooks and the decoding.
  auto e = design(pq_opts(8, 5), rep).load(a->state());
  auto items = a->compress(x);
  EXPECT_EQ(e->compress(x), items);
  EXPECT_TRUE(torch::equal(e->decompress(ptrs(items)), a->decompress(ptrs(items))));
  expect_error([&] { design(pq_opts(4, 5), rep).load(a->state()); },
               "saved tensor 'codebooks' has shape [8,32,4], expected [4,32,8]");
}

TEST(Pq, ExactWhenTheReferenceHasAtMostKDistinctSubVectors) {
  auto rep = feat({8, 2, 2});
  // 3 distinct samples -> at most 12 distinct sub-vectors per sub-space <= K = 16.
  auto base = torch::randn({3, 8, 2, 2});
  auto ref = base.repeat({20, 1, 1, 1});
  auto c = design(pq_opts(2, 4), rep).fit(ref);
  EXPECT_TRUE(torch::allclose(round_trip(*c, base), base, 0, 1e-6));
  // Raw pixels work too (a learned quantiser), clamped to [0, 255].
  auto img = raw({3, 8, 8});
  auto pix = smooth(50, img, 3);
  auto pc = design(pq_opts(1, 6), img).fit(pix);
  auto y = round_trip(*pc, pix);
  EXPECT_GE(y.min().item<float>(), 0.f);
  EXPECT_LE(y.max().item<float>(), 255.f);
  EXPECT_GT(psnr(y, pix), 25.0);
}

TEST(Pq, BadParametersAreClearErrors) {
  auto rep = feat({256, 2, 2});
  expect_error([&] { make_compressor(pq_opts(32, 0), rep); },
               "pq_bits must be in 1..16 (2^pq_bits centroids per sub-space), got 0");
  expect_error([&] { make_compressor(pq_opts(32, 17), rep); }, "pq_bits must be in 1..16");
  expect_error([&] { make_compressor(pq_opts(5, 8), rep); },
               "pq_subvectors must divide the 256 channels");
  expect_error([&] { make_compressor(pq_opts(0, 8), rep); }, "got 0");
  EXPECT_TRUE(design(pq_opts(32, 8), rep).needs_fit());
  expect_error([&] { make_compressor(pq_opts(32, 8), rep); }, "is not fitted");  // no usable codec unfitted
}

TEST(Pq, BudgetsBelowTheCodebookCostAreRefused) {
  auto rep = feat({256, 2, 2});
  auto o = pq_opts(32, 8);
  auto c = design(o, rep);  // fixed 262,144 B, item 128 B
  expect_error([&] { plan_for_bytes(200000, c, "real", 0); },
               "smaller than compressor 'pq''s fixed cost");
  expect_error([&] { plan_for_bytes(262144, c, "real", 0); }, "fixed cost");
  expect_error([&] { plan_for_bytes(262144 + 127, c, "real", 0); }, "fits no sample");
  auto plan = plan_for_bytes(262144 + 10 * 128 + 5, c, "real", 0);
  EXPECT_EQ(plan.slots, 10);
  EXPECT_EQ(plan.fixed_bytes, 262144u);
  expect_error([&] { plan_for_bytes(1 << 20, c, "notebook", 0); }, "no formula");
}

// ---------------------------------------------------------------- byte-mode memory

TEST(ByteMemory, RandomStreamsOfRandomSizesKeepBudgetAccountingAndBalance) {
  // Property test: random budgets, headers, class counts and heavy-tailed item sizes.
  for (uint32_t seed = 0; seed < 30; ++seed) {
    std::mt19937 rng(seed);
    const uint64_t header = rng() % 9;
    const uint64_t budget = 2000 + rng() % 30000;
    const int64_t classes = 1 + static_cast<int64_t>(rng() % 8);
    const uint64_t max_payload = std::max<uint64_t>(1, budget / (4 * static_cast<uint64_t>(classes)));
    auto m = ReplayMemory::with_bytes(budget, header, seed);
    uint64_t max_item = 0;
    std::lognormal_distribution<double> size_dist(0.0, 0.8);
    for (int i = 0; i < 3000; ++i) {
      uint64_t size = std::clamp<uint64_t>(
          static_cast<uint64_t>(size_dist(rng) * static_cast<double>(max_payload) / 3.0), 1, max_payload);
      max_item = std::max(max_item, size + header);
      m.offer(static_cast<int64_t>(rng() % classes), i, Packed(size, static_cast<uint8_t>(i)));
      ASSERT_LE(m.bytes_used(), budget) << "seed " << seed << " item " << i;
    }
    // Accounting: per-class bytes add up to the total, which is the items' real sizes.
    uint64_t from_items = 0, from_classes = 0;
    for (auto& [label, p] : m.all_items()) from_items += p->size() + header;
    for (auto& [c, b] : m.bytes_per_class()) from_classes += b;
    EXPECT_EQ(from_items, m.bytes_used()) << "seed " << seed;
    EXPECT_EQ(from_classes, m.bytes_used()) << "seed " << seed;
    // Balance within about one item's worth on either side of the share.
    auto bytes = m.bytes_per_class();
    ASSERT_EQ(static_cast<int64_t>(bytes.size()), classes);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (auto& [c, b] : bytes) lo = std::min(lo, b), hi = std::max(hi, b);
    EXPECT_LE(hi - lo, 2 * max_item) << "seed " << seed;
    EXPECT_GE(m.bytes_used() + static_cast<uint64_t>(classes) * max_item, budget) << "seed " << seed;
  }
}
