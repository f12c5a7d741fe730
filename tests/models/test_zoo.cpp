#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/error.h"
#include "models/resnet.h"
#include "models/resnet_gdumb.h"
#include "models/zoo.h"

using namespace nnc::models;

TEST(Zoo, ParameterCountsMatchReference) {
  auto mnist = ModelOptions().input(1, 28, 28).num_classes(10);
  EXPECT_EQ(count_parameters(*make_model("lenet300100", mnist)), 266610);
  EXPECT_EQ(count_parameters(*make_model("lenet5", mnist)), 431080);
  EXPECT_EQ(count_parameters(*make_model("lenet5-classic", mnist)), 44426);
  EXPECT_EQ(count_parameters(*make_model("jsc-tiny", ModelOptions().num_classes(5))), 117);
  auto imagenet = ModelOptions().input(3, 224, 224).num_classes(1000);
  EXPECT_EQ(count_parameters(*make_model("resnet18", imagenet)), 11689512);  // torchvision
  EXPECT_EQ(count_parameters(*make_model("resnet34", imagenet)), 21797672);
  EXPECT_EQ(count_parameters(*make_model("mlp", ModelOptions().layers({2, 5, 8, 1}).activation("tanh"))), 72);
}

TEST(Zoo, EveryImageModelRunsOnMnistAndCifarShapes) {
  for (auto name : {"lenet300100", "lenet5", "vgg16", "mlp", "resnet18-gdumb", "resnet18", "mobilenetv2"}) {
    for (auto [c, s] : {std::pair<int64_t, int64_t>{1, 28}, {3, 32}}) {
      auto m = make_model(name, ModelOptions().input(c, s, s).num_classes(10));
      m->eval();
      auto y = m->forward(torch::randn({2, c, s, s}));
      EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 10})) << name << " " << c << "x" << s;
    }
  }
}

TEST(Zoo, UnknownModelListsNames) {
  try {
    make_model("lenet6", ModelOptions());
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("lenet5"), std::string::npos);
  }
}

TEST(ResNet, EncoderOutputShapesOnCifar) {
  auto o = ModelOptions().input(3, 32, 32);
  std::vector<std::pair<double, std::vector<int64_t>>> expect = {
      {1, {1, 64, 8, 8}}, {2, {1, 128, 4, 4}}, {3, {1, 256, 2, 2}}, {4, {1, 512, 1, 1}},
      {2.5, {1, 256, 2, 2}}};
  for (auto& [k, shape] : expect) {
    auto enc = make_resnet_encoder(o, k);
    enc->eval();
    EXPECT_EQ(enc->forward(torch::randn({1, 3, 32, 32})).sizes().vec(), shape) << k;
  }
}

TEST(ResNet, EncoderPlusRemainderAcceptEachOthersShapes) {
  for (double k : {1.0, 2.0, 2.5, 3.0, 3.5, 4.0}) {
    for (auto [c, s] : {std::pair<int64_t, int64_t>{1, 28}, {3, 32}}) {
      auto o = ModelOptions().input(c, s, s).num_classes(10);
      auto enc = make_resnet_encoder(o, k);
      enc->eval();
      auto z = enc->forward(torch::randn({3, c, s, s}));
      auto gd = make_model("resnet18-gdumb", ModelOptions(o).backbone_block(k));
      auto r34 = make_resnet_remainder(ModelOptions(o).depth(34), k);
      EXPECT_EQ(gd->forward(z).sizes(), (std::vector<int64_t>{3, 10})) << k;
      EXPECT_EQ(r34->forward(z).sizes(), (std::vector<int64_t>{3, 10})) << k;
    }
  }
}

TEST(ResNet, RemainderAtCutZeroIsTheWholeNetworkWithGDumbsHead) {
  // The CIFAR-100 seed's raw-image runs: --backbone resnet34 --backbone_block 0.
  auto r34 = make_resnet_remainder(ModelOptions().input(3, 32, 32).num_classes(100).depth(34), 0.0);
  std::set<std::string> names;
  for (auto& p : r34->named_parameters()) names.insert(p.key());
  EXPECT_TRUE(names.count("conv1.weight"));
  EXPECT_TRUE(names.count("layer1.2.conv2.weight"));
  EXPECT_TRUE(names.count("final_linear.weight"));
  EXPECT_FALSE(names.count("fc.weight"));
  EXPECT_EQ(r34->forward(torch::randn({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 100}));
  EXPECT_THROW(make_resnet_encoder(ModelOptions().input(3, 32, 32), 0.0), nnc::Error);
}

TEST(ResNet, TorchvisionParameterNames) {
  auto enc = make_resnet_encoder(ModelOptions().input(3, 32, 32), 2.5);
  std::set<std::string> names;
  for (auto& p : enc->named_parameters()) names.insert(p.key());
  EXPECT_TRUE(names.count("conv1.weight"));
  EXPECT_TRUE(names.count("layer1.0.conv1.weight"));
  EXPECT_TRUE(names.count("layer2.0.downsample.0.weight"));
  EXPECT_TRUE(names.count("layer3.0.bn2.bias"));
  EXPECT_FALSE(names.count("layer3.1.conv1.weight"));
  auto rem = make_resnet_remainder(ModelOptions().input(3, 32, 32), 2.5);
  std::set<std::string> rnames;
  for (auto& p : rem->named_parameters()) rnames.insert(p.key());
  EXPECT_TRUE(rnames.count("layer3.1.conv1.weight"));
  EXPECT_FALSE(rnames.count("layer3.0.conv1.weight"));
}

TEST(GDumbResNet, FinalBlockAcceptsTrainingBatchOfOne) {
  // backbone_block 4 leaves only avgpool + FinalBlock (Linear + BatchNorm1d), the layer
  // the original crashes in on a last batch of one. (Conv BatchNorms on a 1x1 map
  // cannot normalise one sample either; the Trainer never forms such a batch.)
  auto m = make_model("resnet18-gdumb", ModelOptions().input(3, 32, 32).backbone_block(4));
  m->train();
  auto y = m->forward(torch::randn({1, 512, 1, 1}));
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{1, 10}));
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
}

TEST(MobileNetV2, CifarVariantMatchesTorchvisionCounts) {
  auto cifar = ModelOptions().input(3, 32, 32).num_classes(10);
  auto m = make_model("mobilenetv2", cifar);
  // torchvision's MobileNetV2 (3,504,872 params) with a 10-class head: 3,504,872 - 1281 x 990.
  EXPECT_EQ(count_parameters(*m), 2236682);
  auto params = m->named_parameters();
  for (auto name : {"features.0.0.weight", "features.1.conv.0.0.weight", "features.1.conv.1.weight",
                    "features.2.conv.0.0.weight", "features.2.conv.1.0.weight", "features.2.conv.2.weight",
                    "features.17.conv.2.weight", "features.18.0.weight", "classifier.1.weight"})
    EXPECT_TRUE(params.contains(name)) << name;
  EXPECT_EQ(params["features.2.conv.1.0.weight"].sizes(), (std::vector<int64_t>{96, 1, 3, 3}));  // depthwise
  EXPECT_EQ(params["features.18.0.weight"].sizes(), (std::vector<int64_t>{1280, 320, 1, 1}));
}

TEST(MobileNetV2, ForwardOnCifarBatchesAndWidth) {
  torch::NoGradGuard ng;
  auto cifar = ModelOptions().input(3, 32, 32).num_classes(10);
  auto m = make_model("mobilenetv2", cifar);
  m->eval();
  EXPECT_EQ(m->forward(torch::randn({4, 3, 32, 32})).sizes(), (std::vector<int64_t>{4, 10}));
  // CIFAR strides: 32x32 reaches the last stage at 4x4 (torchvision's ImageNet strides: 1x1).
  auto& features = *m->named_children()["features"];
  auto* seq = features.as<torch::nn::SequentialImpl>();
  ASSERT_NE(seq, nullptr);
  EXPECT_EQ(seq->forward(torch::randn({1, 3, 32, 32})).sizes(), (std::vector<int64_t>{1, 1280, 4, 4}));
  auto half = make_model("mobilenetv2", ModelOptions(cifar).width(0.5));
  EXPECT_LT(count_parameters(*half), count_parameters(*m));
  EXPECT_EQ(half->named_parameters()["features.0.0.weight"].sizes(), (std::vector<int64_t>{16, 3, 3, 3}));
  half->train();
  EXPECT_EQ(half->forward(torch::randn({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 10}));
  EXPECT_THROW(make_model("mobilenetv2", ModelOptions(cifar).width(0)), nnc::Error);
}
