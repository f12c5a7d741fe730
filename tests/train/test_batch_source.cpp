// Batch sources: make_resident draws every row once, and training from the resident copy is
// the same computation as drawing batch by batch from the source.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/progress.h"
#include "models/zoo.h"
#include "train/batch_source.h"
#include "train/trainer.h"

using namespace nnc;
using namespace nnc::train;

namespace {
/// A source computed on demand (like a replay memory that decompresses): counts rows drawn.
class CountingSource : public BatchSource {
 public:
  CountingSource(torch::Tensor x, torch::Tensor y) : x_(std::move(x)), y_(std::move(y)) {}
  int64_t size() const override { return x_.size(0); }
  Batch get(const torch::Tensor& index) const override {
    EXPECT_TRUE(index.device().is_cpu());  // on-demand sources read indices on the host
    rows_drawn += index.numel();
    return {x_.index_select(0, index) * 1.0, y_.index_select(0, index)};
  }
  torch::Tensor targets() const override { return y_; }
  mutable int64_t rows_drawn = 0;

 private:
  torch::Tensor x_, y_;
};

CountingSource blobs(int64_t n) {
  torch::manual_seed(7);
  auto y = torch::randint(0, 2, {n}, torch::kInt64);
  auto x = torch::randn({n, 2}) * 0.5 + (y.to(torch::kFloat32) * 4 - 2).unsqueeze(1);
  return CountingSource(x, y);
}
}  // namespace

TEST(MakeResident, CopiesEveryRowInOrderAcrossChunks) {
  auto source = blobs(2500);  // three chunks of 1024
  auto resident = make_resident(source, torch::kCPU, kResidentLimitBytes);
  ASSERT_TRUE(resident.has_value());
  EXPECT_EQ(source.rows_drawn, 1 + 2500);  // a probe row for the size, then every row once
  EXPECT_TRUE(resident->resident_on(torch::kCPU));
  auto all = torch::arange(2500, torch::kInt64);
  EXPECT_TRUE(torch::equal(resident->inputs(), source.get(all).inputs));
  EXPECT_TRUE(torch::equal(resident->targets(), source.targets()));
  auto some = torch::tensor({2499, 0, 1024}, torch::kInt64);
  EXPECT_TRUE(torch::equal(resident->get(some).targets, source.targets().index_select(0, some)));
}

/// An autoencoder's data: the batch targets are the inputs and targets() has no labels.
class ReconstructionLike : public BatchSource {
 public:
  explicit ReconstructionLike(torch::Tensor x) : x_(std::move(x)) {}
  int64_t size() const override { return x_.size(0); }
  Batch get(const torch::Tensor& index) const override {
    auto x = x_.index_select(0, index) * 2.0;
    return {x, x};
  }
  torch::Tensor targets() const override { return torch::empty({0}); }

 private:
  torch::Tensor x_;
};

TEST(MakeResident, KeepsBatchTargetsOfSourcesWithoutLabels) {
  auto x = torch::randn({1500, 3});
  auto resident = make_resident(ReconstructionLike(x), torch::kCPU, kResidentLimitBytes);
  ASSERT_TRUE(resident.has_value());
  auto batch = resident->get(torch::tensor({1499, 3}, torch::kInt64));
  EXPECT_TRUE(torch::equal(batch.inputs, x.index_select(0, torch::tensor({1499, 3})) * 2.0));
  EXPECT_TRUE(torch::equal(batch.targets, batch.inputs));
  EXPECT_EQ(resident->targets().data_ptr(), resident->inputs().data_ptr());  // stored once
}

TEST(MakeResident, DeclinesRowsOverTheCap) {
  auto source = blobs(100);  // 100 rows x 2 floats = 800 bytes
  EXPECT_TRUE(make_resident(source, torch::kCPU, 800).has_value());
  EXPECT_FALSE(make_resident(source, torch::kCPU, 799).has_value());
  EXPECT_FALSE(CountingSource(torch::zeros({0, 2}), torch::zeros({0}, torch::kInt64)).resident_on(torch::kCPU));
}

TEST(MakeResident, TrainerDrawsAnOnDemandSourceOncePerFitNotPerEpoch) {
  Progress::set_quiet(true);
  auto source = blobs(300);
  auto model = models::make_model("mlp", models::ModelOptions().layers({2, 8, 2}));
  Trainer(TrainOptions().epochs(4).batch_size(32).seed(3)).fit(*model, source);
  EXPECT_EQ(source.rows_drawn, 1 + 300);  // 4 epochs would draw 1200 rows batch by batch
}

TEST(MakeResident, TrainingFromTheResidentCopyMatchesDrawingBatchByBatch) {
  Progress::set_quiet(true);
  auto fit = [](int64_t resident_limit, int64_t expect_rows_drawn) {
    auto source = blobs(300);
    torch::manual_seed(11);
    auto model = models::make_model("mlp", models::ModelOptions().layers({2, 8, 2}));
    Trainer(TrainOptions().epochs(3).batch_size(32).seed(5).resident_limit_bytes(resident_limit))
        .fit(*model, source);
    EXPECT_EQ(source.rows_drawn, expect_rows_drawn);
    return model->parameters();
  };
  auto resident = fit(kResidentLimitBytes, 1 + 300), batch_by_batch = fit(0, 900);
  ASSERT_EQ(resident.size(), batch_by_batch.size());
  for (size_t i = 0; i < resident.size(); ++i)
    EXPECT_TRUE(torch::equal(resident[i], batch_by_batch[i])) << "parameter " << i;
}
