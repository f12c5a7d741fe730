#include <gtest/gtest.h>
#include <torch/torch.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/progress.h"
#include "data/fixtures.h"
#include "data/loader.h"
#include "replay/budget.h"
#include "replay/checkpoint_log.h"
#include "replay/protocol.h"

using namespace nnc;
using namespace nnc::replay;

namespace {
// A tiny CIFAR-10-format set whose classes differ in brightness: learnable in seconds.
std::pair<data::Dataset, data::Dataset> tiny_cifar() {
  auto dir = std::filesystem::temp_directory_path() / ("nnc-tiny-cifar-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  torch::manual_seed(0);
  auto make = [](int64_t n) {
    auto y = torch::arange(n, torch::kInt64) % 10;
    auto base = (y.to(torch::kFloat32) * 25).view({n, 1, 1, 1});
    auto x = (base + torch::rand({n, 3, 32, 32}) * 20).clamp(0, 255).to(torch::kUInt8);
    data::Dataset d;
    d.inputs = x;
    d.targets = y;
    d.num_classes = 10;
    return d;
  };
  data::write_cifar10_dir(dir.string(), make(600), make(200));
  data::DataOptions o;
  o.name = "cifar10";
  o.data_dir = dir.string();
  return data::load_dataset(o);
}
}  // namespace

TEST(ReplayProtocol, EndToEndOnTinyCifarFormatSet) {
  Progress::set_quiet(true);
  auto [train, test] = tiny_cifar();
  EncoderOptions eo;
  auto encoder = make_encoder(eo);
  Representation rep = encoder->output({train.sample_shape(), true});
  CompressorOptions co;
  co.name = "quantization";
  co.n_states = 4;
  auto compressor = make_compressor(co, rep);
  auto plan = plan_for_bytes(100 * 1024, *compressor, co, rep, "real", train.size());
  auto memory = ReplayMemory::with_slots(plan.slots, 0);
  ReplayOptions ro;
  ro.backbone_width = 0.125;
  ro.training = train::TrainOptions().epochs(12).batch_size(16).lr(0.05).schedule("cosine-warm-restarts")
                    .eta_min(0.0005).first_epoch_lr_scale(0.1).clip_grad_norm(10).cutmix_alpha(1.0);
  auto r = run_replay(train, test, *encoder, *compressor, memory, ro);
  ASSERT_EQ(r.tasks.size(), 1u);  // stream: one training at the end
  // GDumb's rule caps each class at slots // classes: 131 slots hold 13 x 10.
  EXPECT_EQ(memory.size(), plan.slots / 10 * 10);
  EXPECT_LE(static_cast<uint64_t>(memory.size()) * plan.item_bytes + plan.fixed_bytes, 100u * 1024);
  EXPECT_EQ(r.tasks[0].test_samples, 200);
  // Brightness classes are easy: well above the 10% chance level.
  EXPECT_GT(r.final_accuracy, 0.3);
  EXPECT_GE(r.final_task_accuracy, r.final_accuracy);
  EXPECT_LT(r.compressed_items, 600);  // refused samples are never compressed
}

TEST(ReplayProtocol, PerTaskTrainsAFreshBackboneAfterEveryTask) {
  Progress::set_quiet(true);
  auto [train, test] = tiny_cifar();
  auto encoder = make_encoder(EncoderOptions());
  CompressorOptions co;
  auto compressor = make_compressor(co, {train.sample_shape(), true});
  auto memory = ReplayMemory::with_slots(50, 0);
  ReplayOptions ro;
  ro.protocol = "per-task";
  ro.backbone_width = 0.125;
  ro.training = train::TrainOptions().epochs(1).batch_size(16);
  auto r = run_replay(train, test, *encoder, *compressor, memory, ro);
  ASSERT_EQ(r.tasks.size(), 5u);
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(r.tasks[t].test_samples, 40 * (t + 1));  // classes seen so far
    EXPECT_EQ(r.tasks[t].memory_items, 50);
  }
  EXPECT_NEAR(r.average_accuracy,
              (r.tasks[0].accuracy + r.tasks[1].accuracy + r.tasks[2].accuracy + r.tasks[3].accuracy +
               r.tasks[4].accuracy) / 5, 1e-12);
}

TEST(ReplayProtocol, StreamWithLastBatchOfOne) {
  Progress::set_quiet(true);
  auto [train, test] = tiny_cifar();
  auto encoder = make_encoder(EncoderOptions());
  CompressorOptions co;
  auto compressor = make_compressor(co, {train.sample_shape(), true});
  auto memory = ReplayMemory::with_slots(33, 0);  // 33 = 2 batches of 16 + 1
  ReplayOptions ro;
  ro.backbone_width = 0.125;
  ro.training = train::TrainOptions().epochs(1).batch_size(16);
  auto r = run_replay(train, test, *encoder, *compressor, memory, ro);
  ASSERT_EQ(r.tasks.size(), 1u);
  EXPECT_EQ(memory.size(), 33);
}

TEST(CheckpointLog, OriginalFormatParsesWithTheNotebookRegexes) {
  EXPECT_EQ(python_float_repr(3.0), "3.0");
  EXPECT_EQ(python_float_repr(0.9), "0.9");
  EXPECT_EQ(python_float_repr(1e-6), "1e-06");
  auto path = (std::filesystem::temp_directory_path() / "nnc-ckpt" / "checkpoint.log").string();
  std::filesystem::remove(path);
  {
    CheckpointLog log(path);
    log.options({{"memory_size", int64_t{3000}}, {"compressor", std::string("thinning")},
                 {"compression_factor", 0.9}, {"encoding_block", 3.0}, {"n_states", int64_t{8}}});
    log.epoch(0, 0.005, 1.0, 2.3);
    log.completed(0.8125);
  }
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("INFO:utils:==> Opts for this training: Namespace(memory_size=3000, "
                     "compressor='thinning', compression_factor=0.9, encoding_block=3.0, n_states=8)"),
            std::string::npos) << all;
  EXPECT_NE(all.find("==> Starting pass number: 0, Learning rate: 0.005"), std::string::npos);
  EXPECT_NE(all.find("==> Training completed! Acc: [0.812]"), std::string::npos) << all;
  EXPECT_EQ(all.substr(0, 1), "[");
  EXPECT_EQ(all.substr(24, 2), "] ");  // [YYYY-mm-dd HH:MM:SS,mmm]
}
