// Teacher-student regression and Gaussian blobs: shapes, seeds, separability.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/error.h"
#include "data/blobs.h"
#include "data/loader.h"
#include "data/teacher_student.h"

using namespace nnc::data;

TEST(TeacherStudent, ShapesAndTeacher) {
  auto d = make_teacher_student(0);
  EXPECT_EQ(d.train.inputs.sizes(), (std::vector<int64_t>{300, 2}));
  EXPECT_EQ(d.val.inputs.sizes(), (std::vector<int64_t>{1000, 2}));
  EXPECT_EQ(d.test.inputs.sizes(), (std::vector<int64_t>{5000, 2}));
  EXPECT_EQ(d.train.targets.sizes(), (std::vector<int64_t>{300, 1}));
  EXPECT_EQ(d.train.targets.scalar_type(), torch::kFloat32);
  EXPECT_FALSE(d.train.is_classification());
  EXPECT_LE(d.train.inputs.abs().max().item<float>(), 1.0f);
  ASSERT_EQ(d.teacher.size(), 3u);
  EXPECT_EQ(parameter_count(d.teacher), 72);
  EXPECT_EQ(d.teacher[1].weight.sizes(), (std::vector<int64_t>{8, 5}));
  // W1 = 2*W1 + 1 with Glorot limit sqrt(6/7): entries in [1-2l, 1+2l].
  const float l = std::sqrt(6.0f / 7.0f);
  EXPECT_GE(d.teacher[0].weight.min().item<float>(), 1 - 2 * l - 1e-6f);
  EXPECT_LE(d.teacher[0].weight.max().item<float>(), 1 + 2 * l + 1e-6f);
  // Noise is N(0, 0.08^2): residual std close to 0.08 on the big test set.
  auto r = d.test.targets - teacher_forward(d.teacher, d.test.inputs);
  EXPECT_NEAR(r.std().item<float>(), 0.08f, 0.005f);
  EXPECT_NEAR(r.mean().item<float>(), 0.0f, 0.005f);
}

TEST(TeacherStudent, SeedBehaviour) {
  auto a = make_teacher_student(5), b = make_teacher_student(5), c = make_teacher_student(6);
  EXPECT_TRUE(torch::equal(a.train.inputs, b.train.inputs));
  EXPECT_TRUE(torch::equal(a.test.targets, b.test.targets));
  EXPECT_TRUE(torch::equal(a.teacher[0].weight, b.teacher[0].weight));
  EXPECT_FALSE(torch::equal(a.train.inputs, c.train.inputs));
  // Fixed quirk: test x differs from val x (seed+3 vs seed+2).
  EXPECT_FALSE(torch::equal(a.val.inputs, a.test.inputs.narrow(0, 0, 1000)));
  // The streams are plain offsets (as the original): val of seed 5 and train of seed 6
  // both draw from generator seed 7, so their first 300 inputs coincide.
  EXPECT_TRUE(torch::equal(a.val.inputs.narrow(0, 0, 300), c.train.inputs));
  // The global RNG is not consumed.
  torch::manual_seed(11);
  auto before = torch::rand({1});
  torch::manual_seed(11);
  make_teacher_student(1);
  EXPECT_TRUE(torch::equal(torch::rand({1}), before));
}

TEST(TeacherStudent, LoaderReturnsTrainAndTest) {
  auto [tr, te] = load_dataset({.name = "teacher-student", .seed = 3});
  auto d = make_teacher_student(3);
  EXPECT_TRUE(torch::equal(tr.targets, d.train.targets));
  EXPECT_TRUE(torch::equal(te.inputs, d.test.inputs));
}

TEST(Blobs, FeaturesBalancedAndSeparable) {
  BlobsOptions o;
  o.classes = 3;
  o.dims = 5;
  o.n_per_class = 40;
  o.test_per_class = 10;
  o.seed = 4;
  auto [tr, te] = make_blobs(o);
  EXPECT_EQ(tr.inputs.sizes(), (std::vector<int64_t>{120, 5}));
  EXPECT_EQ(te.size(), 30);
  EXPECT_EQ(tr.num_classes, 3);
  EXPECT_TRUE(torch::equal(tr.targets.narrow(0, 0, 6), torch::tensor({0, 1, 2, 0, 1, 2}, torch::kLong)));
  // Nearest class mean classifies the test set (nearly) perfectly.
  std::vector<torch::Tensor> means;
  for (int64_t c = 0; c < 3; ++c) means.push_back(tr.filter_classes({c}).inputs.mean(0));
  auto m = torch::stack(means);
  auto pred = torch::cdist(te.inputs, m).argmin(1);
  EXPECT_GE(pred.eq(te.targets).to(torch::kFloat32).mean().item<float>(), 0.9f);
  auto [tr2, te2] = make_blobs(o);
  EXPECT_TRUE(torch::equal(tr2.inputs, tr.inputs));
  o.classes = 0;
  EXPECT_THROW(make_blobs(o), nnc::Error);
}

TEST(Blobs, ImagesAreUint8AndSeparable) {
  auto [tr, te] = load_dataset({.name = "blobs-image", .seed = 1});
  EXPECT_EQ(tr.sample_shape(), (std::vector<int64_t>{1, 8, 8}));
  EXPECT_EQ(tr.inputs.scalar_type(), torch::kUInt8);
  EXPECT_EQ(tr.num_classes, 10);
  EXPECT_EQ(tr.size(), 500);
  EXPECT_TRUE(torch::equal(torch::bincount(te.targets), torch::full({10}, 20, torch::kLong)));
  std::vector<torch::Tensor> means;
  for (int64_t c = 0; c < 10; ++c) means.push_back(tr.filter_classes({c}).normalized().flatten(1).mean(0));
  auto pred = torch::cdist(te.normalized().flatten(1), torch::stack(means)).argmin(1);
  EXPECT_GE(pred.eq(te.targets).to(torch::kFloat32).mean().item<float>(), 0.95f);
}
