// Options, the runs.csv writer and short end-to-end runs of every procedure.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/progress.h"
#include "data/teacher_student.h"
#include "models/mlp.h"
#include "prune/neuron_deletion.h"
#include "prune/procedure.h"
#include "prune/prune_options.h"
#include "prune/runs_csv.h"
#include "support/expect_error.h"

using namespace nnc::prune;

namespace {
using nnc::testing::error_message;

PruneData teacher_student_data(uint64_t seed) {
  auto d = nnc::data::make_teacher_student(seed, nnc::data::TeacherStudentOptions{{2, 5, 8, 1}, 300, 300, 300, 0.08});
  PruneData p;
  p.train = std::make_shared<nnc::train::TensorSource>(d.train.inputs, d.train.targets);
  p.val = std::make_shared<nnc::train::TensorSource>(d.val.inputs, d.val.targets);
  p.test = std::make_shared<nnc::train::TensorSource>(d.test.inputs, d.test.targets);
  return p;
}

PruneOptions quick(const std::string& procedure) {
  PruneOptions o;
  o.procedure = procedure;
  o.lr = 5e-3;
  o.alpha = 1e-3;
  o.min_epochs = 10;
  o.max_epochs = 80;
  o.prune_window = 10;
  o.smoothing_window = 10;
  o.finetuning_min_epochs = 10;
  o.finetuning_max_epochs = 30;
  o.layerwise_pruning_max_epochs = 200;
  o.tolerated_relative_loss_increase = 0.05;
  return o;
}
}  // namespace

TEST(PruneOptions, BadOptionsNameTheOption) {
  PruneOptions o;
  o.procedure = "obd";
  auto msg = error_message([&] { o.validate(); });
  EXPECT_NE(msg.find("procedure"), std::string::npos) << msg;
  for (auto name : {"rl1", "drr", "pmmp", "layerwise", "magnitude"}) EXPECT_NE(msg.find(name), std::string::npos) << msg;
  o = PruneOptions();
  o.alpha = -1;
  msg = error_message([&] { o.validate(); });
  EXPECT_NE(msg.find("'alpha'"), std::string::npos) << msg;
  o = PruneOptions();
  o.initial_p_value = 2;
  EXPECT_NE(error_message([&] { o.validate(); }).find("initial_p_value"), std::string::npos);
  o = PruneOptions();
  o.min_epochs = 30, o.max_epochs = 20;
  EXPECT_NE(error_message([&] { o.validate(); }).find("max_epochs"), std::string::npos);
  EXPECT_NO_THROW(PruneOptions().validate());
}

TEST(PruneOptions, LayerLists) {
  EXPECT_EQ(parse_layer_list("2,25,25,1", "student"), (std::vector<int64_t>{2, 25, 25, 1}));
  EXPECT_EQ(parse_layer_list(" 2, 5 ,8,1", "teacher"), (std::vector<int64_t>{2, 5, 8, 1}));
  for (auto bad : {"", "2", "2,,1", "2,x,1", "2,-5,1", "2,0,1", "2.5,1", "2,5,"}) {
    auto msg = error_message([&] { parse_layer_list(bad, "teacher"); });
    EXPECT_NE(msg.find("'teacher'"), std::string::npos) << bad << ": " << msg;
  }
}

TEST(RunsCsv, HeaderOnceThenRows) {
  auto path = std::filesystem::temp_directory_path() / "nnc_test_runs.csv";
  std::filesystem::remove(path);
  append_runs_csv(path.string(), {{"alpha", "10"}, {"run_id", "a"}, {"note", "x,y"}});
  append_runs_csv(path.string(), {{"alpha", "1"}, {"run_id", "b"}, {"note", "say \"hi\""}});
  std::ifstream in(path);
  std::string l1, l2, l3, l4;
  std::getline(in, l1), std::getline(in, l2), std::getline(in, l3);
  EXPECT_EQ(l1, "alpha,run_id,note");
  EXPECT_EQ(l2, "10,a,\"x,y\"");
  EXPECT_EQ(l3, "1,b,\"say \"\"hi\"\"\"");
  EXPECT_FALSE(std::getline(in, l4));
  EXPECT_THROW(append_runs_csv(path.string(), {{"beta", "1"}}), nnc::Error);
  std::filesystem::remove(path);
  EXPECT_EQ(runs_csv_result_columns().front(), "run_id");
  EXPECT_EQ(runs_csv_result_columns().back(), "compression_ratio");
}

TEST(Procedure, EveryProcedureRunsOnTeacherStudent) {
  nnc::Progress::set_quiet(true);
  for (auto name : {"rl1", "drr", "pmmp", "layerwise", "magnitude"}) {
    for (std::string fused : {"on", "off"}) {
      if (fused == "off" && std::string(name) != "drr" && std::string(name) != "pmmp") continue;
      torch::manual_seed(43);
      auto net = std::make_shared<nnc::models::MLP>(std::vector<int64_t>{2, 12, 12, 1}, std::vector<std::string>{"tanh"});
      auto o = quick(name);
      o.fused = fused;
      o.delete_neurons = true;
      o.shrinking = std::string(name) == "drr";
      o.gauss_loss = std::string(name) == "pmmp";
      o.magnitude_compression = 3;
      Procedure p(net, teacher_student_data(1), o);
      auto out = p.run();
      std::string what = std::string(name) + "/" + fused;
      EXPECT_EQ(out.engine, fused == "on" ? "fused-eigen" : "libtorch") << what;
      EXPECT_GT(out.phase1_epochs, 0) << what;
      EXPECT_EQ(out.parameters, 2 * 12 + 12 + 12 * 12 + 12 + 12 + 1) << what;
      EXPECT_LT(out.nonzeros, out.parameters) << what;
      EXPECT_GT(out.compression_ratio, 1.0) << what;
      EXPECT_TRUE(std::isfinite(out.test.loss)) << what;
      EXPECT_LT(out.test.loss, 1.0) << what;
      EXPECT_FALSE(out.epochs.empty());
      EXPECT_EQ(out.l0, p.masks().l0());
      if (o.gauss_loss) EXPECT_GT(out.sigma, 0.0);
    }
  }
}

TEST(Procedure, ClassificationOnTheLibTorchPath) {
  nnc::Progress::set_quiet(true);
  torch::manual_seed(5);
  auto make = [](int64_t n, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    auto x = torch::randn({n, 8}, gen);
    auto y = (x.select(1, 0) + x.select(1, 1) > 0).to(torch::kInt64) + 2 * (x.select(1, 2) > 0).to(torch::kInt64);
    return std::make_shared<nnc::train::TensorSource>(x, y);
  };
  PruneData d;
  d.train = make(400, 1), d.val = make(200, 2), d.test = make(200, 3);
  d.num_classes = 4;
  auto net = std::make_shared<nnc::models::MLP>(std::vector<int64_t>{8, 16, 4}, std::vector<std::string>{"relu"});
  auto o = quick("drr");
  o.train_batch_size = 100;
  o.lr = 1e-2;
  o.tolerated_accuracy_drop = 0.02;
  Procedure p(net, d, o);
  auto out = p.run();
  EXPECT_EQ(out.engine, "libtorch");
  EXPECT_GT(out.test.accuracy, 0.7);
  EXPECT_GT(out.compression_ratio, 1.0);
  EXPECT_GE(out.val.accuracy, 0.0);
}
