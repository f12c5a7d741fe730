#include "models/lenet5.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::models {

LeNet5::LeNet5(const ModelOptions& o) : options_(o) {
  // Spatial size after conv5 -> pool2 -> conv5 -> pool2.
  auto after = [](int64_t s) { return ((s - 4) / 2 - 4) / 2; };
  int64_t h = after(o.in_height_), w = after(o.in_width_);
  NNC_CHECK(h > 0 && w > 0, "lenet5: input {}x{} is too small (needs at least 16x16)",
            o.in_height_, o.in_width_);
  conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.in_channels_, 20, 5)));
  conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(20, 50, 5)));
  fc1 = register_module("fc1", torch::nn::Linear(50 * h * w, 500));
  fc2 = register_module("fc2", torch::nn::Linear(500, o.num_classes_));
}

torch::Tensor LeNet5::forward(torch::Tensor x) {
  x = torch::max_pool2d(torch::relu(conv1->forward(x)), 2);
  x = torch::max_pool2d(torch::relu(conv2->forward(x)), 2);
  x = torch::relu(fc1->forward(x.flatten(1)));
  return fc2->forward(x);
}

std::string LeNet5::describe() const {
  return fmt::format("LeNet-5-Caffe(input {}x{}x{}, classes {})", options_.in_channels_,
                     options_.in_height_, options_.in_width_, options_.num_classes_);
}

ModelPtr make_lenet5(const ModelOptions& o) { return std::make_shared<LeNet5>(o); }

}  // namespace nnc::models
