#include <gtest/gtest.h>
#include <torch/torch.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "core/error.h"
#include "core/progress.h"
#include "data/fixtures.h"
#include "data/loader.h"
#include "replay/budget.h"
#include "compressor_fixtures.h"
#include "replay/checkpoint_log.h"
#include "replay/protocol.h"

using namespace nnc;
using namespace nnc::replay;
using namespace nnc::replay::testing;

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
  auto sets = data::load_dataset(o);
  std::filesystem::remove_all(dir);  // loaded into memory: the files are not needed any more
  return sets;
}
}  // namespace

TEST(ReplayProtocol, EndToEndOnTinyCifarFormatSet) {
  Progress::set_quiet(true);
  auto [train, test] = tiny_cifar();
  auto encoder = make_encoder({{"encoder", std::string("none")}}, EncoderContext{});
  Representation rep = encoder->output({train.sample_shape(), true});
  CompressorSpec co;
  co.name = "quantization";
  co.set("n_states", 4);
  auto plan = plan_for_bytes(100 * 1024, design(co, rep), "real", train.size());
  auto compressor = make_compressor(co, rep);
  auto memory = ReplayMemory::with_slots(plan.slots, 0);
  ReplayOptions ro;
  ro.backbone_width = 0.125;
  ro.training = train::TrainOptions().epochs(12).batch_size(16).lr(0.05).schedule("cosine-warm-restarts")
                    .eta_min(0.0005).first_epoch_lr_scale(0.1).clip_grad_norm(10).cutmix_alpha(1.0);
  auto r = run_replay(train, test, *encoder, *compressor, memory, ro);
  ASSERT_EQ(r.tasks.size(), 1u);  // stream: one training at the end
  // GDumb's rule caps each class at slots // classes: 131 slots hold 13 x 10.
  EXPECT_EQ(memory.size(), plan.slots / 10 * 10);
  EXPECT_LE(static_cast<uint64_t>(memory.size()) * *plan.item_bytes + plan.fixed_bytes, 100u * 1024);
  EXPECT_EQ(r.tasks[0].test_samples, 200);
  // Brightness classes are easy: well above the 10% chance level.
  EXPECT_GT(r.final_accuracy, 0.3);
  EXPECT_GE(r.final_task_accuracy, r.final_accuracy);
  EXPECT_LT(r.compressed_items, 600);  // refused samples are never compressed
}

namespace {
using State = std::map<std::string, torch::Tensor>;
/// Every parameter and buffer, cloned (training changes the module in place afterwards).
State snapshot(const torch::nn::Module& m) {
  State s;
  for (auto& p : m.named_parameters()) s[p.key()] = p.value().detach().clone();
  for (auto& b : m.named_buffers()) s[b.key()] = b.value().detach().clone();
  return s;
}
bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

TEST(ReplayProtocol, PerTaskTrainsAFreshBackboneAfterEveryTask) {
  Progress::set_quiet(true);
  auto [train, test] = tiny_cifar();
  auto encoder = make_encoder({{"encoder", std::string("none")}}, EncoderContext{});
  CompressorSpec co;
  auto compressor = make_compressor(co, {train.sample_shape(), true});
  auto memory = ReplayMemory::with_slots(50, 0);
  ReplayOptions ro;
  ro.protocol = "per-task";
  ro.backbone_width = 0.125;
  ro.training = train::TrainOptions().epochs(1).batch_size(16);
  std::vector<std::shared_ptr<torch::nn::Module>> backbones;  // kept alive: distinct objects
  std::vector<State> at_start;
  ReplayObserver observer;
  observer.on_backbone = [&](int64_t task, std::shared_ptr<torch::nn::Module> m) {
    EXPECT_EQ(task, static_cast<int64_t>(backbones.size()));
    backbones.push_back(m);
    at_start.push_back(snapshot(*m));
  };
  std::vector<int64_t> tasks_reported;  // on_task: after each task's test, in order
  observer.on_task = [&](const TaskResult& t) {
    EXPECT_EQ(static_cast<size_t>(t.task), backbones.size() - 1);  // before the next backbone
    EXPECT_GT(t.test_loss, 0.0);
    EXPECT_GT(t.test_seconds, 0.0);
    tasks_reported.push_back(t.task);
  };
  auto r = run_replay(train, test, *encoder, *compressor, memory, ro, observer);
  EXPECT_EQ(tasks_reported, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  ASSERT_EQ(r.tasks.size(), 5u);
  ASSERT_EQ(backbones.size(), 5u);
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(r.tasks[t].test_samples, 40 * (t + 1));  // classes seen so far
    EXPECT_EQ(r.tasks[t].memory_items, 50);
    for (int u = 0; u < t; ++u) EXPECT_NE(backbones[t].get(), backbones[u].get());
    // Never trained at its start: BatchNorm statistics at their initial 0 / 1 / 0 steps
    // (any training batch moves them); the training that followed did move them.
    int bn_layers = 0;
    for (auto& [name, v] : at_start[t]) {
      if (ends_with(name, "running_mean")) EXPECT_TRUE(v.eq(0).all().item<bool>()) << t << " " << name;
      if (ends_with(name, "running_var")) EXPECT_TRUE(v.eq(1).all().item<bool>()) << t << " " << name;
      if (ends_with(name, "num_batches_tracked")) {
        ++bn_layers;
        EXPECT_EQ(v.item<int64_t>(), 0) << t << " " << name;
        EXPECT_GT(snapshot(*backbones[t]).at(name).item<int64_t>(), 0) << t << " " << name;
      }
    }
    EXPECT_GT(bn_layers, 10);
    // Not the previous task's trained weights either.
    if (t > 0) {
      auto previous_trained = snapshot(*backbones[t - 1]);
      for (auto& p : backbones[t]->named_parameters())
        EXPECT_FALSE(torch::equal(at_start[t].at(p.key()), previous_trained.at(p.key()))) << t << " " << p.key();
    }
  }
  EXPECT_DOUBLE_EQ(r.average_accuracy, average_accuracy(r.tasks));
  EXPECT_DOUBLE_EQ(r.final_accuracy, r.tasks.back().accuracy);
  EXPECT_DOUBLE_EQ(r.final_task_accuracy, r.tasks.back().task_accuracy);
}

// Hand-built logits, 4 classes in 2 tasks of 2 ({0,1}, {2,3}): which argmax each metric
// takes is written next to each row.
TEST(ReplayMetrics, AccuracyAndTaskAccuracyOnHandBuiltLogits) {
  auto logits = torch::tensor({{5.f, 1.f, 0.f, 0.f},    // y 0: all -> 0 ok;  task {0,1} -> 0 ok
                               {3.f, 1.f, 4.f, 0.f},    // y 1: all -> 2 no;  task {0,1} -> 0 no
                               {9.f, 0.f, 1.f, 2.f},    // y 3: all -> 0 no;  task {2,3} -> 3 ok
                               {0.f, 7.f, 2.f, 1.f},    // y 2: all -> 1 no;  task {2,3} -> 2 ok
                               {0.f, 0.f, 1.f, 6.f},    // y 3: all -> 3 ok;  task {2,3} -> 3 ok
                               {0.f, 2.f, 8.f, 1.f},    // y 0: all -> 2 no;  task {0,1} -> 1 no
                               {1.f, 0.f, 0.f, 0.f},    // y 0: all -> 0 ok;  task {0,1} -> 0 ok
                               {0.f, 0.f, 3.f, 5.f}});  // y 2: all -> 3 no;  task {2,3} -> 3 no
  auto targets = torch::tensor({0, 1, 3, 2, 3, 0, 0, 2}, torch::kInt64);
  EXPECT_EQ(class_incremental_accuracy(logits, targets), 3.0 / 8);  // rows 0, 4, 6
  EXPECT_EQ(task_accuracy(logits, targets, 2), 5.0 / 8);            // rows 0, 2, 3, 4, 6
  // One task of all classes: task accuracy is the class-incremental accuracy.
  EXPECT_EQ(task_accuracy(logits, targets, 4), 3.0 / 8);
  // One class per task: the argmax over one class is always right.
  EXPECT_EQ(task_accuracy(logits, targets, 1), 1.0);
}

TEST(ReplayMetrics, AverageAccuracyIsTheMeanOverTasks) {
  std::vector<TaskResult> tasks(4);
  double acc[] = {0.5, 0.25, 0.75, 0.5};
  for (int t = 0; t < 4; ++t) tasks[t].accuracy = acc[t], tasks[t].task_accuracy = 1.0;
  EXPECT_EQ(average_accuracy(tasks), 0.5);  // (0.5 + 0.25 + 0.75 + 0.5) / 4, exact in binary
  EXPECT_THROW(average_accuracy({}), nnc::Error);
}

TEST(ReplayProtocol, StreamWithLastBatchOfOne) {
  Progress::set_quiet(true);
  auto [train, test] = tiny_cifar();
  auto encoder = make_encoder({{"encoder", std::string("none")}}, EncoderContext{});
  CompressorSpec co;
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
