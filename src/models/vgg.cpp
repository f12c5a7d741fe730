#include "models/vgg.h"

#include <torch/torch.h>

namespace nnc::models {

VGG16::VGG16(const ModelOptions& o) : options_(o) {
  const int64_t M = 0;  // max-pool marker
  const std::vector<int64_t> cfg = {64, 64, M, 128, 128, M, 256, 256, 256, M,
                                    512, 512, 512, M, 512, 512, 512, M};
  torch::nn::Sequential f;
  int64_t c = o.in_channels_;
  for (auto v : cfg) {
    if (v == M) {
      f->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).ceil_mode(true)));
    } else {
      f->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(c, v, 3).padding(1)));
      f->push_back(torch::nn::BatchNorm2d(v));
      f->push_back(torch::nn::ReLU());
      c = v;
    }
  }
  features = register_module("features", f);
  classifier = register_module(
      "classifier",
      torch::nn::Sequential(torch::nn::Linear(512, 512), torch::nn::BatchNorm1d(512),
                            torch::nn::ReLU(), torch::nn::Dropout(0.4),
                            torch::nn::Linear(512, o.num_classes_)));
}

torch::Tensor VGG16::forward(torch::Tensor x) {
  x = features->forward(x);
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  return classifier->forward(x);
}

std::string VGG16::describe() const {
  return fmt::format("VGG-16-BN(input {}x{}x{}, classes {})", options_.in_channels_,
                     options_.in_height_, options_.in_width_, options_.num_classes_);
}

ModelPtr make_vgg16(const ModelOptions& o) { return std::make_shared<VGG16>(o); }

}  // namespace nnc::models
