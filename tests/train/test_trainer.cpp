#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/error.h"
#include "core/progress.h"
#include "models/zoo.h"
#include "train/evaluate.h"
#include "train/trainer.h"

using namespace nnc;
using namespace nnc::train;

namespace {
// Two separable Gaussian blobs in 2-D.
TensorSource blobs(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  auto y = torch::randint(0, 2, {n}, torch::kInt64);
  auto x = torch::randn({n, 2}) * 0.5 + (y.to(torch::kFloat32) * 4 - 2).unsqueeze(1);
  return TensorSource(x, y);
}
models::ModelPtr small_mlp() {
  return models::make_model("mlp", models::ModelOptions().layers({2, 16, 2}));
}
}  // namespace

TEST(Trainer, LearnsSeparableBlobsAndEvaluates) {
  Progress::set_quiet(true);
  auto data = blobs(256, 1);
  auto model = small_mlp();
  auto result = Trainer(TrainOptions().epochs(5).lr(0.1).batch_size(32)).fit(*model, data);
  EXPECT_EQ(result.history.size(), 5u);
  auto eval = evaluate(*model, blobs(200, 2), 2);
  EXPECT_GT(eval.accuracy, 0.95);
  EXPECT_EQ(eval.confusion.sum().item<int64_t>(), 200);
  EXPECT_NEAR(eval.top5, 1.0, 1e-12);  // k = min(5, classes)
}

TEST(Trainer, DeterministicForASeed) {
  Progress::set_quiet(true);
  auto data = blobs(100, 3);
  auto run = [&] {
    torch::manual_seed(7);
    auto m = small_mlp();
    Trainer(TrainOptions().epochs(2).seed(5).batch_size(16).cutmix_alpha(1.0)).fit(*m, data);
    return m->parameters()[0].clone();
  };
  EXPECT_TRUE(torch::equal(run(), run()));
}

TEST(Trainer, LastBatchOfOneIsMerged) {
  auto batches = make_batches(torch::arange(33, torch::kInt64), 16);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].size(0), 17);
  EXPECT_EQ(make_batches(torch::arange(1, torch::kInt64), 16).size(), 1u);
}

TEST(Trainer, DivergenceIsAClearError) {
  Progress::set_quiet(true);
  auto data = blobs(64, 4);
  auto model = small_mlp();
  auto nan_loss = [](const torch::Tensor& out, const torch::Tensor&) {
    return out.sum() * std::numeric_limits<float>::quiet_NaN();
  };
  try {
    Trainer(TrainOptions().epochs(1)).loss(nan_loss).fit(*model, data);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("diverged"), std::string::npos);
  }
}

TEST(Trainer, HooksSeeEveryBatch) {
  Progress::set_quiet(true);
  struct Counter : TrainHooks {
    int batches = 0, epochs = 0;
    void on_batch_end(TrainState&) override { ++batches; }
    void on_epoch_end(TrainState& s) override {
      ++epochs;
      s.stop = epochs == 2;
    }
  } counter;
  auto data = blobs(64, 5);
  auto model = small_mlp();
  Trainer(TrainOptions().epochs(10).batch_size(16)).add_hook(&counter).fit(*model, data);
  EXPECT_EQ(counter.epochs, 2);
  EXPECT_EQ(counter.batches, 8);
}

TEST(Trainer, BadOptionsAreRejected) {
  EXPECT_THROW(Trainer(TrainOptions().optimizer("rmsprop")), Error);
  EXPECT_THROW(Trainer(TrainOptions().batch_size(0)), Error);
  EXPECT_THROW(Trainer(TrainOptions().schedule("zigzag")), Error);
}

TEST(Evaluate, MacroDiffersFromMicroOnImbalancedData) {
  // 3 of class 0 all right, 1 of class 1 wrong: micro 0.75, macro 0.5.
  auto out = torch::tensor({{1.0f, 0.0f}, {1.0f, 0.0f}, {1.0f, 0.0f}, {1.0f, 0.0f}});
  auto y = torch::tensor({0, 0, 0, 1}, torch::kInt64);
  auto r = metrics_from_outputs(out, y, 2);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.75);
  EXPECT_DOUBLE_EQ(r.macro_accuracy, 0.5);
}
