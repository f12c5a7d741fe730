// Options, the runs.csv writer and short end-to-end runs of every procedure.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/progress.h"
#include "data/teacher_student.h"
#include "models/mlp.h"
#include "prune/neuron_deletion.h"
#include "prune/drr.h"
#include "prune/magnitude_baseline.h"
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

/// Option values of a short run of `procedure` (the common options and every pruner's).
nnc::OptionValues quick(const std::string& procedure) {
  return {{"procedure", procedure},
          {"lr", 5e-3},
          {"alpha", 1e-3},
          {"min_epochs", int64_t{10}},
          {"max_epochs", int64_t{80}},
          {"prune_window", int64_t{10}},
          {"smoothing_window", int64_t{10}},
          {"finetuning_min_epochs", int64_t{10}},
          {"finetuning_max_epochs", int64_t{30}},
          {"layerwise_pruning_max_epochs", int64_t{200}},
          {"tolerated_relative_loss_increase", 0.05}};
}

PruneOptions options_of(const nnc::OptionValues& values) { return PruneOptions::fields().from(values); }
}  // namespace

TEST(PruneOptions, BadOptionsNameTheOption) {
  PruneOptions o;
  o.procedure = "obd";
  auto msg = error_message([&] { o.validate(); });
  EXPECT_NE(msg.find("procedure"), std::string::npos) << msg;
  for (auto name : {"rl1", "drr", "pmmp", "layerwise", "magnitude"}) EXPECT_NE(msg.find(name), std::string::npos) << msg;
  o = PruneOptions();
  o.min_epochs = 30, o.max_epochs = 20;
  EXPECT_NE(error_message([&] { o.validate(); }).find("max_epochs"), std::string::npos);
  EXPECT_NO_THROW(PruneOptions().validate());
  // A procedure's own options are checked by that procedure, naming the option.
  auto pruner_error = [](const std::string& procedure, const std::string& key, double v) {
    return error_message([&] { pruner_registry().validate({{"procedure", procedure}, {key, v}}); });
  };
  for (auto p : {"rl1", "drr", "pmmp"}) EXPECT_NE(pruner_error(p, "alpha", -1).find("'alpha'"), std::string::npos) << p;
  EXPECT_NE(pruner_error("drr", "beta", -1).find("'beta'"), std::string::npos);
  EXPECT_NE(pruner_error("pmmp", "initial_p_value", 2).find("initial_p_value"), std::string::npos);
  EXPECT_NE(pruner_error("magnitude", "magnitude_compression", 0.5).find("magnitude_compression"), std::string::npos);
  for (auto p : pruner_registry().names()) EXPECT_NO_THROW(pruner_registry().validate({{"procedure", p}})) << p;
}

TEST(PruneOptions, EachOptionDeclaredOnceWithTheOriginalDefaults) {
  // The keys and defaults of the original's TrainArgs (docs/pruning.md): the procedures'
  // own options are owned by the procedures that read them, the rest by none.
  std::map<std::string, std::vector<std::string>> owners;
  for (const auto& s : pruner_registry().option_specs())
    for (const auto& o : s.owners) owners[s.key].push_back(o.plugin);
  using V = std::vector<std::string>;
  EXPECT_EQ(owners["alpha"], (V{"drr", "pmmp", "rl1"}));
  EXPECT_EQ(owners["rho"], (V{"drr", "pmmp", "rl1"}));
  EXPECT_EQ(owners["beta"], (V{"drr"}));
  EXPECT_EQ(owners["norm"], (V{"drr"}));
  EXPECT_EQ(owners["layer_norm"], (V{"drr"}));
  for (auto k : {"l1_alpha", "initial_p_value", "initial_u_value", "u_value_multiply_factor"})
    EXPECT_EQ(owners[k], (V{"pmmp"})) << k;
  EXPECT_EQ(owners["magnitude_compression"], (V{"magnitude"}));
  EXPECT_EQ(owners.size(), 10u);
  std::set<std::string> keys;
  for (const auto& s : PruneOptions::fields().specs()) {
    EXPECT_TRUE(keys.insert(s.key).second) << s.key;
    EXPECT_FALSE(owners.count(s.key)) << s.key << " is both common and a procedure's";
  }
  EXPECT_EQ(keys.size(), 30u);
  auto defaults = PruneOptions::fields().to(PruneOptions());
  EXPECT_EQ(std::get<std::string>(defaults.at("procedure")), "drr");
  EXPECT_EQ(std::get<double>(defaults.at("lr")), 1e-3);
  EXPECT_EQ(std::get<int64_t>(defaults.at("max_epochs")), 20000);
  EXPECT_EQ(std::get<double>(DrrOptions::fields().to(DrrOptions()).at("beta")), 5.0);
  EXPECT_EQ(std::get<double>(MagnitudeOptions::fields().to(MagnitudeOptions()).at("magnitude_compression")), 10.0);
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
      auto v = quick(name);
      v["fused"] = fused;
      v["delete_neurons"] = true;
      v["shrinking"] = std::string(name) == "drr";
      v["gauss_loss"] = std::string(name) == "pmmp";
      v["magnitude_compression"] = 3.0;
      auto o = options_of(v);
      Procedure p(net, teacher_student_data(1), o, pruner_registry().create(v));
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
  auto v = quick("drr");
  v["train_batch_size"] = int64_t{100};
  v["lr"] = 1e-2;
  v["tolerated_accuracy_drop"] = 0.02;
  Procedure p(net, d, options_of(v), pruner_registry().create(v));
  std::vector<std::string> notes;  // the procedure prints nothing; its notes go to the sink
  p.set_note_sink([&](const std::string& line) { notes.push_back(line); });
  auto out = p.run();
  EXPECT_EQ(notes, out.notes);
  EXPECT_GE(notes.size(), 4u);
  EXPECT_EQ(out.engine, "libtorch");
  EXPECT_GT(out.test.accuracy, 0.7);
  EXPECT_GT(out.compression_ratio, 1.0);
  EXPECT_GE(out.val.accuracy, 0.0);
}

TEST(Procedure, TensorOpRegularisersTrainAsTheCpuLoops) {
  // What a GPU runs (the regularisers' torch-op form, on the LibTorch path) against the CPU
  // loops, on the CPU: the same training up to float rounding.
  nnc::Progress::set_quiet(true);
  for (std::string name : {"rl1", "drr", "pmmp"}) {
    std::vector<PruneOutcome> outs;
    for (bool tensor_ops : {false, true}) {
      torch::manual_seed(43);
      auto net = std::make_shared<nnc::models::MLP>(std::vector<int64_t>{2, 12, 12, 1}, std::vector<std::string>{"tanh"});
      auto v = quick(name);
      v["fused"] = std::string("off");
      v["max_epochs"] = v["min_epochs"] = int64_t{10};
      v["finetuning_max_epochs"] = int64_t{0};
      Procedure p(net, teacher_student_data(2), options_of(v), pruner_registry().create(v));
      p.regularizer()->use_tensor_ops(tensor_ops);
      outs.push_back(p.run());
    }
    ASSERT_EQ(outs[0].epochs.size(), outs[1].epochs.size()) << name;
    for (size_t i = 0; i < outs[0].epochs.size(); ++i)
      EXPECT_NEAR(outs[1].epochs[i].train_loss, outs[0].epochs[i].train_loss, 1e-5) << name << " epoch " << i;
    EXPECT_NEAR(outs[1].test.loss, outs[0].test.loss, 1e-4) << name;
  }
}
